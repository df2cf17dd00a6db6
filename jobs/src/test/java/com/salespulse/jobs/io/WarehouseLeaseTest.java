package com.salespulse.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespulse.jobs.ExitCode;
import com.salespulse.jobs.SalesPulseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warehouse lease on a local folder: one holder at a time, dead holders taken over, lost leases noticed. */
class WarehouseLeaseTest {

  static final LocalDate D = LocalDate.parse("2026-11-25");
  static final Configuration CONF = new Configuration();

  @TempDir
  Path tmp;

  WarehouseLease acquire(String attempt, Duration staleAfter) {
    return WarehouseLease.acquire(tmp.toUri().toString(), CONF, attempt, "nightly", D, staleAfter);
  }

  @Test
  void ofRunsRacingForTheLeaseExactlyOneGetsItEachRound() throws Exception {
    LeaseRace.assertOneHolderPerRound(tmp.toUri().toString(), CONF, 20);
    assertThat(Files.list(tmp.resolve("_lease")).filter(p -> p.toString().endsWith(".json")).count())
        .as("lease files kept: ten behind the newest and the newest").isEqualTo(11);
  }

  @Test
  void aReleasedLeaseIsFreeAndAHeldOneRefusesWithTheHolderNamed() {
    try (WarehouseLease first = acquire("first", Duration.ofMinutes(5))) {
      assertThatThrownBy(() -> acquire("second", Duration.ofMinutes(5))).as("while held")
          .isInstanceOf(SalesPulseException.class)
          .hasMessageStartingWith("Cannot run nightly for 2026-11-25: another run holds the warehouse: attempt first "
              + "(nightly for 2026-11-25 on ")
          .extracting(e -> ((SalesPulseException) e).exitCode()).isEqualTo(ExitCode.LOCKED);
    }
    try (WarehouseLease second = acquire("second", Duration.ofMinutes(5))) {
      second.check();
    }
  }

  @Test
  void aLeaseNotRenewedForTheStaleTimeIsTakenOverAndItsHolderStopsAtTheNextCheck() throws Exception {
    // a run killed an hour ago left its lease held
    Files.createDirectories(tmp.resolve("_lease"));
    Instant hourAgo = Instant.now().minusSeconds(3600);
    Files.writeString(tmp.resolve("_lease/00000000000000000001.json"), "{\"state\":\"held\",\"attempt_id\":\"killed\","
        + "\"command\":\"nightly\",\"run_date\":\"2026-11-24\",\"host\":\"h\",\"acquired_at\":\"" + hourAgo
        + "\",\"renewed_at\":\"" + hourAgo + "\"}");
    WarehouseLease next = acquire("next", Duration.ofSeconds(5));
    assertThat(Files.readString(tmp.resolve("_lease/00000000000000000002.json"))).as("the next number, held by the new run")
        .contains("\"attempt_id\" : \"next\"").contains("\"state\" : \"held\"");
    // a holder renews every fifth of the stale time (at least each second)
    WarehouseLease holder = next;
    String before = Files.readString(tmp.resolve("_lease/00000000000000000002.json"));
    Thread.sleep(2500);
    assertThat(Files.readString(tmp.resolve("_lease/00000000000000000002.json"))).as("renewed").isNotEqualTo(before);
    // and when another run takes over its lease (it looked dead), it stops at the next check
    Files.writeString(tmp.resolve("_lease/00000000000000000003.json"), "{\"state\":\"held\",\"attempt_id\":\"other\"}");
    Thread.sleep(2500);
    assertThatThrownBy(holder::check).as("a lost lease").isInstanceOf(SalesPulseException.class)
        .hasMessageContaining("was taken over by a newer run");
    holder.close();
    assertThat(Files.readString(tmp.resolve("_lease/00000000000000000003.json"))).as("the new holder's file untouched")
        .contains("other");
  }
}
