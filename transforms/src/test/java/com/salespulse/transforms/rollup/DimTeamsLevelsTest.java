package com.salespulse.transforms.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hierarchy depths that size dim_teams' closure, computed without Spark. */
class DimTeamsLevelsTest {

  static Instant t(String s) {
    return Instant.parse(s + "T00:00:00Z");
  }

  @Test
  void rolesCountTheirLongestParentChain() {
    Map<String, String> roles = new HashMap<>();
    roles.put("VP", null);
    roles.put("M1", "VP");
    roles.put("AE1", "M1");
    roles.put("SDR", "AE1");
    roles.put("LOST", "GONE");
    assertThat(DimTeams.levels(roles, List.of()).roles()).as("SDR -> AE1 -> M1 -> VP").isEqualTo(3);
  }

  @Test
  void managersCountTheLongestChainAtAnyInstant() {
    // A reports to B, B to C; from March B reports to nobody, but A reports to C, and C to D
    List<DimTeams.ManagerLink> links = List.of(
        new DimTeams.ManagerLink("A", "B", null, t("2026-03-01")),
        new DimTeams.ManagerLink("B", "C", null, t("2026-03-01")),
        new DimTeams.ManagerLink("A", "C", t("2026-03-01"), null),
        new DimTeams.ManagerLink("C", "D", t("2026-03-01"), null));
    assertThat(DimTeams.levels(Map.of(), links).managers()).as("A -> B -> C before March, A -> C -> D after")
        .isEqualTo(2);
    // a reporting swap over time is no cycle: B managed A, later A manages B
    List<DimTeams.ManagerLink> swap = List.of(
        new DimTeams.ManagerLink("A", "B", null, t("2026-03-01")),
        new DimTeams.ManagerLink("B", "A", t("2026-03-01"), null));
    assertThat(DimTeams.levels(Map.of(), swap).managers()).as("one level at a time").isEqualTo(1);
  }

  @Test
  void aCycleFailsNamingTheFieldAndItsRecords() {
    Map<String, String> roles = Map.of("R1", "R2", "R2", "R1");
    assertThatThrownBy(() -> DimTeams.levels(roles, List.of())).as("a role cycle, its records named")
        .hasMessageContaining("UserRole.ParentRoleId forms a cycle: R").hasMessageContaining("R1 -> R2");
    // C reports to A, who reports to B, who reports to C: the chain from D runs into the cycle
    List<DimTeams.ManagerLink> loop = List.of(new DimTeams.ManagerLink("A", "B", null, null),
        new DimTeams.ManagerLink("B", "C", null, null), new DimTeams.ManagerLink("C", "A", null, null),
        new DimTeams.ManagerLink("D", "C", null, null));
    assertThatThrownBy(() -> DimTeams.levels(Map.of(), loop)).as("a manager cycle, its records named")
        .hasMessageContaining("User.ManagerId forms a cycle: ").hasMessageFindingMatch("(A -> B -> C -> A|B -> C -> A -> B|C -> A -> B -> C)")
        .hasMessageNotContaining("D ->");
  }
}
