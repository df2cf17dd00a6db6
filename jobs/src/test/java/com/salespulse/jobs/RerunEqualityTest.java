package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A rerun of an earlier night after a later one (a backfill out of order, or a scheduler's clear of
 * an old run) leaves every table exactly as the clean in-order run did (the golden warehouse), and a
 * full recompute of every fact after a quiet night equals the three nights' incremental recomputes:
 * they miss nothing. A night whose drop only sends the CRM again, unchanged, is a quiet night. (The
 * rerun of the latest night, on top of what a killed run of it had committed, is {@link FaultsTest}'s
 * retry.)
 *
 * <p>The tests share nothing but the golden warehouse, which each copies: they may run at the
 * same time, on both of the test JVM's lanes (a class of three nights that started last used to run
 * alone for a minute while the other core idled).
 */
@Execution(ExecutionMode.CONCURRENT)
class RerunEqualityTest {

  @TempDir
  Path tmp;

  String warehouse(String name) {
    return tmp.resolve(name).toUri().toString().replaceAll("/$", "");
  }

  void nightly(String input, String warehouse, String date) {
    TestSupport.run(ExitCode.SUCCESS, "nightly", "--run-date", date, "--input-root", input, "--warehouse", warehouse);
  }

  /** Each step of the date's attempts as "step: detail", from {@code audit_runs}. */
  static List<String> stepDetails(String warehouse, String date) {
    return TestSupport.table(warehouse, "audit_runs").where("run_date = DATE'" + date + "'")
        .selectExpr("explode(steps) AS s").selectExpr("concat(s.step, ': ', s.detail)")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  @Test
  void aRerunOfAnEarlierNightAfterALaterOneEqualsOneCleanRun() throws java.io.IOException {
    // the clean run: the golden org's two nights in order (shared with the read-only tests)
    String input = TestSupport.goldenDrop();
    Path golden = TestSupport.golden().resolve("warehouse");
    Map<String, List<String>> expected = TestSupport.goldenContents();
    assertThat(TestSupport.table(TestSupport.uri(golden), "fct_activities").select("model_version").distinct()
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .as("too few logged activities to learn from: the configured weights scored, and the data says so")
        .allMatch(v -> v.startsWith("rules-v2-"));
    assertThat(expected.get("stg_comms__emails")).as("emails staged").isNotEmpty();
    assertThat(expected.get("fct_incentive_payouts")).as("payout lines reconciled (compared like every table)")
        .isNotEmpty();
    assertThat(expected.get("stg_crm__opportunity_versions").size()).as("opportunity versions accumulate")
        .isGreaterThan(expected.get("stg_crm__opportunities").size());
    assertThat(expected.get("fct_rep_performance")).as("performance rows").isNotEmpty();
    assertThat(expected.get("fct_opportunity_engagement_daily")).as("engagement rows").isNotEmpty();

    // the first night run again after the second, on top of the clean run's warehouse (a backfill out of
    // order): every record of that night is staged already, and the second night's facts, computed after
    // it, must stay as they are
    String rerun = warehouse("rerun");
    TestSupport.copyTree(golden, tmp.resolve("rerun"));
    nightly(input, rerun, TestSupport.GOLDEN_FIRST);

    Map<String, List<String>> afterReruns = TestSupport.contents(rerun);
    assertThat(afterReruns.keySet()).as("same tables").isEqualTo(expected.keySet());
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      assertThat(afterReruns.get(e.getKey())).as("%s after a rerun of the first night after the second", e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void aQuietNightIncrementalEqualsAFullRecompute() throws java.io.IOException {
    // a copy of the golden drop with a quiet third night: every dataset landed, nothing in it (staging
    // records their source files, so the nights of the golden drop are read from where it is)
    TestSupport.copyTree(Path.of(TestSupport.goldenDrop()), tmp.resolve("drop"));
    String quiet = java.time.LocalDate.parse(TestSupport.GOLDEN_LAST).plusDays(1).toString();
    TestSupport.quietNight(tmp.resolve("drop"), TestSupport.GOLDEN_LAST, quiet);
    String quietInput = tmp.resolve("drop").toString();
    Path golden = TestSupport.golden().resolve("warehouse");
    Map<String, List<String>> expected = TestSupport.goldenContents();

    // the quiet night after the clean run, incremental: it re-attributes nothing and rolls up from its date
    String incremental = warehouse("quiet");
    TestSupport.copyTree(golden, tmp.resolve("quiet"));
    nightly(quietInput, incremental, quiet);
    // a full recompute of every fact on that night gives what the three nights' incremental recomputes left,
    // its attribution compiled (attribution.compile-from-candidates=0: whatever the window holds) where the
    // nights' was interpreted
    String full = warehouse("full");
    TestSupport.copyTree(golden, tmp.resolve("full"));
    Path compiled = Files.writeString(tmp.resolve("compiled.properties"), "attribution.compile-from-candidates=0\n");
    TestSupport.run(ExitCode.SUCCESS, "nightly", "--run-date", quiet, "--full", "--input-root", quietInput,
        "--warehouse", full, "--conf", compiled.toString());
    assertThat(stepDetails(full, quiet)).as("the full recompute's attribution, compiled")
        .anyMatch(d -> d.startsWith("attribute: activity dates ") && d.endsWith(" compiled"));
    assertThat(TestSupport.spark().conf().get("spark.sql.codegen.wholeStage"))
        .as("the session interprets again after the step").isEqualTo("false");

    Map<String, List<String>> afterFull = TestSupport.contents(full);
    Map<String, List<String>> afterQuiet = TestSupport.contents(incremental);
    assertThat(afterQuiet.keySet()).as("same tables").isEqualTo(afterFull.keySet());
    for (Map.Entry<String, List<String>> e : afterFull.entrySet()) {
      assertThat(afterQuiet.get(e.getKey())).as("%s after a quiet night equals a full recompute", e.getKey())
          .isEqualTo(e.getValue());
    }
    assertThat(afterQuiet.get("fct_opportunity_engagement_daily")).as("the quiet night's snapshots added")
        .hasSizeGreaterThan(expected.get("fct_opportunity_engagement_daily").size());
    assertThat(stepDetails(incremental, quiet)).as("the quiet night's work, from audit_runs")
        .contains("attribute: nothing staged, no new model: activities kept")
        .anyMatch(d -> d.startsWith("rollup: snapshots " + quiet + ".." + quiet + " ")
            && d.endsWith(" engagement continued from " + TestSupport.GOLDEN_LAST))
        .contains("reconcile: as of " + quiet + " payout lines kept");
  }

  @Test
  void aNightThatSendsTheCrmAgainUnchangedIsAQuietNight() throws java.io.IOException {
    // a full snapshot of the CRM (the contract allows one): the last night's CRM files again, unchanged,
    // for the next date; the communication logs and payouts land with no record
    TestSupport.copyTree(Path.of(TestSupport.goldenDrop()), tmp.resolve("drop"));
    String next = java.time.LocalDate.parse(TestSupport.GOLDEN_LAST).plusDays(1).toString();
    TestSupport.quietNight(tmp.resolve("drop"), TestSupport.GOLDEN_LAST, next);
    List<Path> crm;
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(tmp.resolve("drop").resolve("crm"))) {
      crm = s.map(d -> d.resolve("dt=" + TestSupport.GOLDEN_LAST)).filter(java.nio.file.Files::isDirectory).toList();
    }
    long resent = 0;
    for (Path folder : crm) {
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(folder)) {
        for (Path f : files.toList()) {
          java.nio.file.Files.copy(f, folder.resolveSibling("dt=" + next).resolve(f.getFileName().toString()),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          resent += java.nio.file.Files.size(f);
        }
      }
    }
    assertThat(resent).as("bytes of CRM files sent again").isGreaterThan(1000);
    String warehouse = warehouse("resent");
    TestSupport.copyTree(TestSupport.golden().resolve("warehouse"), tmp.resolve("resent"));
    nightly(tmp.resolve("drop").toString(), warehouse, next);

    Map<String, List<String>> expected = TestSupport.goldenContents();
    Map<String, List<String>> after = TestSupport.contents(warehouse);
    for (String table : expected.keySet()) {
      if (table.startsWith("stg_") || table.equals("fct_activities") || table.equals("fct_activity_opportunity_credits")) {
        assertThat(after.get(table)).as("%s after the CRM was sent again unchanged", table)
            .isEqualTo(expected.get(table));
      }
    }
    assertThat(stepDetails(warehouse, next)).as("the night's work, from audit_runs: it staged nothing, so it re-attributed nothing")
        .anyMatch(d -> d.startsWith("ingest: ") && !d.contains("rows_read=0 "))
        .contains("attribute: nothing staged, no new model: activities kept")
        .anyMatch(d -> d.startsWith("rollup: snapshots " + next + ".." + next + " "));
  }
}
