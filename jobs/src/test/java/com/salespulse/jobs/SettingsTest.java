package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One typed configuration, read and checked once: the shipped defaults pass, a wrong value names itself. */
class SettingsTest {

  @TempDir
  Path tmp;

  Settings withConf(String text) throws IOException {
    Path conf = tmp.resolve("bad.properties");
    Files.writeString(conf, text);
    return Settings.load(conf, Map.of());
  }

  @Test
  void theShippedDefaultsAreValid() {
    Settings s = Settings.load(null, Map.of()).validate();
    assertThat(s.rollupRules().staleDays()).as("rollup.stale-days from conf/local.properties").isEqualTo(14);
    assertThat(s.attributionRules().internalDomains()).as("org.internal-domains").containsExactly("maventech.com");
    assertThat(s.reconcileRules().clawbackDays()).as("reconcile.clawback-days").isEqualTo(30);
  }

  @Test
  void aWrongValueFailsBeforeAnyWorkAndSaysWhy() throws IOException {
    for (String[] c : new String[][] {
        {"rollup.stale-days=-1", "Cannot set rollup.stale-days to -1: must be between 1 and 3650"},
        {"rollup.quota-period=year", "Cannot set rollup.quota-period to year: must be one of month, quarter"},
        {"attribution.mislog-rate=1", "Cannot set attribution.mislog-rate to 1.0: must be strictly between 0 and 1"},
        {"attribution.weight.owner=heavy", "Cannot set attribution.weight.owner to heavy: not a number"},
        {"org.timezone=Mars/Olympus", "Cannot set org.timezone to Mars/Olympus: not a time zone id"},
        {"ingest.max-quarantine-share=2", "Cannot set ingest.max-quarantine-share to 2: must be between 0.0 and 1.0"},
        {"attribution.learn=yes", "Cannot set attribution.learn to yes: must be true or false"},
        {"reconcile.min-activity-credit=1.5", "Cannot set reconcile.min-activity-credit to 1.5: must be between"},
        {"org.currency-rates=EUR:1.08", "Cannot set org.currency-rates to EUR:1.08: org.corporate-currency is not set"}}) {
      Settings s = withConf(c[0] + "\n");
      assertThatThrownBy(s::validate).as(c[0]).isInstanceOf(SalesPulseException.class)
          .hasMessageStartingWith(c[1])
          .satisfies(e -> assertThat(((SalesPulseException) e).exitCode()).as("usage error").isEqualTo(ExitCode.USAGE));
    }
  }
}
