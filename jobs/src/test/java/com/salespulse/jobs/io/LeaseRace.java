package com.salespulse.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.jobs.ExitCode;
import com.salespulse.jobs.SalesPulseException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;

/** Runs racing for a warehouse's lease, as the lease tests on a local folder and on S3 start them. */
public final class LeaseRace {

  private LeaseRace() {}

  /**
   * Four runs start at once for the lease of {@code warehouseRoot}, {@code rounds} times: each
   * round exactly one gets it (and releases it for the next round); the others fail with
   * {@link ExitCode#LOCKED}, naming the holder.
   */
  public static void assertOneHolderPerRound(String warehouseRoot, Configuration conf, int rounds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < rounds; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<WarehouseLease>> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          String attempt = "r" + round + "-" + i;
          racers.add(pool.submit(() -> {
            start.await();
            try {
              return WarehouseLease.acquire(warehouseRoot, conf, attempt, "nightly", LocalDate.parse("2026-11-25"),
                  Duration.ofMinutes(5));
            } catch (SalesPulseException e) {
              assertThat(e.exitCode()).as("the losers' exit code").isEqualTo(ExitCode.LOCKED);
              assertThat(e.getMessage()).as("a loser's message names the holder")
                  .contains("another run holds the warehouse: attempt r");
              return null;
            }
          }));
        }
        start.countDown();
        List<WarehouseLease> winners = new ArrayList<>();
        for (Future<WarehouseLease> f : racers) {
          if (f.get() != null) {
            winners.add(f.get());
          }
        }
        assertThat(winners).as("holders of the lease of %s in round %s", warehouseRoot, round).hasSize(1);
        winners.get(0).close();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
