package com.salespulse.transforms.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.transforms.TestSpark;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Conversation continuity ({@link ActivityAttribution#continuity}) on hand-built timelines, each
 * activity checked against the definition: the anchors of its contacts strictly before it, within
 * the horizon, not its own.
 */
class ContinuityTest {

  static final AttributionRules RULES = AttributionRulesTest.RULES;

  static Dataset<Row> sql(String q) {
    return TestSpark.get().sql(q);
  }

  /** Per activity: contact_recent_deal | rep_contact_recent_deal | sorted contact_deals. */
  static Map<String, String> continuity(String contacts, String anchors, int days) {
    Dataset<Row> k = sql("SELECT k_activity_id, k_contact_id, k_activity_id AS k_act, CAST(k_at AS TIMESTAMP) k_at, k_user "
        + "FROM VALUES " + contacts + " AS t(k_activity_id, k_contact_id, k_at, k_user)");
    Dataset<Row> a = sql("SELECT anchor_activity_id, anchor_contact_id, anchor_user_id, CAST(anchored_at AS TIMESTAMP) "
        + "anchored_at, anchor_opportunity_id FROM VALUES " + anchors
        + " AS t(anchor_activity_id, anchor_contact_id, anchor_user_id, anchored_at, anchor_opportunity_id)");
    Map<String, String> got = ActivityAttribution.continuity(k, a, days).collectAsList().stream().collect(Collectors.toMap(
        r -> r.getString(0),
        r -> r.getString(1) + "|" + r.getString(2) + "|" + new TreeSet<>(r.<String>getList(3))));
    // the second pass asks for the latest deals only: the same, for the same activities
    Map<String, String> latestOnly = ActivityAttribution.continuity(k, a, days, false).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1) + "|" + r.getString(2)));
    assertThat(latestOnly).as("the latest deals without the deal sets")
        .isEqualTo(got.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
            e -> e.getValue().substring(0, e.getValue().lastIndexOf('|')))));
    return got;
  }

  @Test
  void latestAnchorBeforeTheActivityWithinTheHorizonPerContactAndRep() {
    Map<String, String> got = continuity(
        "('k1', 'c1', '2026-06-10 12:00:00', 'u1'), "
            // two contacts: the latest of either counts; the deals of both
            + "('k2', 'c1', '2026-06-20 12:00:00', 'u2'), ('k2', 'c2', '2026-06-20 12:00:00', 'u2'), "
            // an anchor at the very same instant does not count, nor one past the horizon
            + "('k3', 'c3', '2026-06-10 12:00:00', 'u1'), "
            // no rep: no same-rep deal
            + "('k4', 'c1', '2026-06-30 12:00:00', NULL)",
        "('a1', 'c1', 'u1', '2026-06-01 09:00:00', 'o1'), ('a2', 'c1', 'u2', '2026-06-05 09:00:00', 'o2'), "
            + "('a3', 'c2', 'u1', '2026-06-15 09:00:00', 'o3'), ('a4', 'c1', 'u1', '2026-06-25 09:00:00', 'o4'), "
            + "('a5', 'c3', 'u1', '2026-06-10 12:00:00', 'o5'), ('a6', 'c3', 'u1', '2026-04-01 12:00:00', 'o6')",
        30);
    assertThat(got.get("k1")).as("k1: c1's anchors before Jun 10; u1's own is o1").isEqualTo("o2|o1|[o1, o2]");
    assertThat(got.get("k2")).as("k2: c2's o3 is the latest; u2's latest is o2 (c1)").isEqualTo("o3|o2|[o1, o2, o3]");
    assertThat(got.get("k3")).as("k3: same instant and beyond 30 days: nothing").isEqualTo("null|null|[]");
    assertThat(got.get("k4")).as("k4: the latest is o4; no rep").isEqualTo("o4|null|[o1, o2, o4]");
  }

  @Test
  void anActivityIsNeverItsOwnAnchorAndTiesGoToTheGreaterDeal() {
    Map<String, String> got = continuity(
        // k1 is itself an anchor of c1, dated before it (a record logged earlier than the activity)
        "('k1', 'c1', '2026-06-10 12:00:00', 'u1'), ('k2', 'c2', '2026-06-10 12:00:00', 'u1')",
        "('k1', 'c1', 'u1', '2026-06-09 12:00:00', 'o9'), ('a1', 'c1', 'u1', '2026-06-08 12:00:00', 'o1'), "
            + "('a2', 'c2', 'u1', '2026-06-08 12:00:00', 'o2'), ('a3', 'c2', 'u1', '2026-06-08 12:00:00', 'o3')",
        30);
    assertThat(got.get("k1")).as("k1: its own anchor o9 left out").isEqualTo("o1|o1|[o1]");
    assertThat(got.get("k2")).as("k2: o2 and o3 at the same instant: the greater").isEqualTo("o3|o3|[o2, o3]");
  }

  @Test
  void aContactOnManyActivitiesIsLinear() {
    // 400 activities of one contact, each logged (an anchor one hour before the next activity)
    StringBuilder k = new StringBuilder();
    StringBuilder a = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      String at = java.time.LocalDateTime.of(2026, 1, 1, 12, 0).plusHours(6L * i).toString().replace('T', ' ');
      String before = java.time.LocalDateTime.of(2026, 1, 1, 11, 0).plusHours(6L * i).toString().replace('T', ' ');
      k.append(i == 0 ? "" : ", ").append("('k").append(i).append("', 'c1', '").append(at).append("', 'u1')");
      a.append(i == 0 ? "" : ", ").append("('a").append(i).append("', 'c1', 'u1', '").append(before).append("', 'o")
          .append(i % 3).append("')");
    }
    Map<String, String> got = continuity(k.toString(), a.toString(), 180);
    assertThat(got).as("one row per activity").hasSize(400);
    assertThat(got.get("k399")).as("the latest anchor is an hour before: deal o%s", 399 % 3)
        .isEqualTo("o0|o0|[o0, o1, o2]");
    assertThat(List.of(got.get("k0"))).as("the first activity: its own contact's anchor an hour before")
        .containsExactly("o0|o0|[o0]");
  }

  @Test
  void confidentPicksNearbyCountEachPickOnceAndNeverTheActivityItself() {
    Dataset<Row> act = sql("SELECT activity_id, CAST(occurred_at AS TIMESTAMP) occurred_at, user_id FROM VALUES "
        + "('k1', '2026-06-10 12:00:00', 'u1'), ('k2', '2026-06-10 12:00:00', NULL) AS t(activity_id, occurred_at, user_id)");
    Dataset<Row> contacts = sql("SELECT k_activity_id, k_contact_id, k_activity_id AS k_act, CAST(k_at AS TIMESTAMP) k_at, "
        + "k_user FROM VALUES ('k1', 'c1', '2026-06-10 12:00:00', 'u1'), ('k1', 'c2', '2026-06-10 12:00:00', 'u1'), "
        + "('k2', 'c1', '2026-06-10 12:00:00', NULL) AS t(k_activity_id, k_contact_id, k_at, k_user)");
    Dataset<Row> picks = sql("SELECT anchor_activity_id, anchor_contact_id, anchor_user_id, CAST(anchored_at AS TIMESTAMP) "
        + "anchored_at, anchor_opportunity_id FROM VALUES "
        // p1: the same rep and deal three days before, sharing both of k1's contacts
        + "('p1', 'c1', 'u1', '2026-06-07 12:00:00', 'o1'), ('p1', 'c2', 'u1', '2026-06-07 12:00:00', 'o1'), "
        // p2: another rep, exactly a week after; p3: a week and a day after; p4: the same rep exactly a
        // week before (both ends of the fortnight count)
        + "('p2', 'c1', 'u2', '2026-06-17 12:00:00', 'o1'), ('p3', 'c1', 'u1', '2026-06-18 12:00:00', 'o1'), "
        + "('p4', 'c1', 'u1', '2026-06-03 12:00:00', 'o1'), "
        // k1 is itself a confident pick of o1
        + "('k1', 'c1', 'u1', '2026-06-10 12:00:00', 'o1') "
        + "AS t(anchor_activity_id, anchor_contact_id, anchor_user_id, anchored_at, anchor_opportunity_id)");
    Dataset<Row> candidates = sql("SELECT * FROM VALUES ('k1', 'o1'), ('k1', 'o2'), ('k2', 'o1') "
        + "AS t(activity_id, opportunity_id)");
    Map<String, String> got = ActivityAttribution.withConfidentContinuity(candidates, contacts, picks, act, RULES)
        .collectAsList().stream().collect(Collectors.toMap(
            r -> r.<String>getAs("activity_id") + "/" + r.<String>getAs("opportunity_id"),
            r -> Math.round(Math.expm1(r.<Double>getAs("log_rep_nearby_confident"))) + " "
                + Math.round(Math.expm1(r.<Double>getAs("log_contact_nearby_confident")))));
    assertThat(got).as("rep nearby, contact nearby per candidate").containsOnly(
        Map.entry("k1/o1", "2 3"), Map.entry("k1/o2", "0 0"), Map.entry("k2/o1", "0 4"));
  }
}
