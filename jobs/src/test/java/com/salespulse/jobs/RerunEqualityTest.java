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

  /**
   * The night of {@code MOVED_NIGHT} stages again, with a date in its window, a call and a logged-only
   * call task first dated before it (a meeting rescheduled, a logged call's date corrected). Its window
   * reaches back to their stored dates: each activity is stored once, at its new date, and every table
   * equals a full recompute of that night, whether the night runs as one {@code nightly} or step by step
   * (the rollup alone then learns from {@code audit_runs} where the attribute step began).
   */
  @Test
  void aNightThatMovesActivitiesIntoItsWindowFromBeforeItEqualsAFullRecompute() throws java.io.IOException {
    String night = "2026-11-18"; // window from 2026-11-04: every activity of the golden drop lies before it
    String newDate = "2026-11-16";
    Path drop = tmp.resolve("drop");
    TestSupport.copyTree(Path.of(TestSupport.goldenDrop()), drop);
    TestSupport.quietNight(drop, TestSupport.GOLDEN_LAST, night);
    String callId = moveFirst(drop.resolve("comms/call"), night, "call_id", "started_at",
        r -> r.get("disposition").equals("connected"), d -> newDate + "T15:00:00.000Z");
    String taskId = moveFirst(drop.resolve("crm/Task"), night, "Id", "ActivityDate",
        r -> r.get("CallObject").isEmpty() && r.get("TaskSubtype").equals("Call") && r.get("IsDeleted").equals("false"),
        d -> newDate);

    Path golden = TestSupport.golden().resolve("warehouse");
    String incremental = warehouse("incremental");
    TestSupport.copyTree(golden, tmp.resolve("incremental"));
    nightly(drop.toString(), incremental, night);
    String stepByStep = warehouse("steps");
    TestSupport.copyTree(golden, tmp.resolve("steps"));
    for (String step : List.of("ingest", "attribute", "rollup", "reconcile")) {
      TestSupport.run(ExitCode.SUCCESS, step, "--run-date", night, "--input-root", drop.toString(),
          "--warehouse", stepByStep);
    }
    String full = warehouse("full");
    TestSupport.copyTree(golden, tmp.resolve("full"));
    TestSupport.run(ExitCode.SUCCESS, "nightly", "--run-date", night, "--full", "--input-root", drop.toString(),
        "--warehouse", full);

    for (String w : List.of(incremental, full)) {
      List<String> dates = TestSupport.table(w, "fct_activities").where(org.apache.spark.sql.functions.col("source_id")
              .isin(callId, taskId)).selectExpr("concat(source_id, ' ', activity_date)")
          .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
      assertThat(dates).as("the moved call and task, once each, at their new date (%s)", w)
          .containsExactlyInAnyOrder(callId + " " + newDate, taskId + " " + newDate);
    }
    assertThat(stepDetails(incremental, night)).as("the night's window reached back to the old dates")
        .anyMatch(d -> d.startsWith("attribute: activity dates 2026-10-"));
    Map<String, List<String>> afterFull = TestSupport.contents(full);
    for (String w : List.of(incremental, stepByStep)) {
      Map<String, List<String>> after = TestSupport.contents(w);
      assertThat(after.keySet()).as("same tables").isEqualTo(afterFull.keySet());
      for (Map.Entry<String, List<String>> e : afterFull.entrySet()) {
        assertThat(after.get(e.getKey())).as("%s of %s equals a full recompute", e.getKey(),
            w.equals(incremental) ? "a nightly" : "the steps run one by one").isEqualTo(e.getValue());
      }
    }
  }

  /**
   * Writes, for {@code night}, the first record (files in name order) of a dataset's drop of
   * {@link TestSupport#GOLDEN_FIRST} that {@code pick} accepts, its date field replaced, and the
   * modification stamps (when the dataset has them) on the night; returns its id. (The golden drop's
   * first night holds records dated from 2026-10-27 to its own date.)
   */
  static String moveFirst(Path dataset, String night, String idField, String dateField,
                          java.util.function.Predicate<Map<String, String>> pick,
                          java.util.function.UnaryOperator<String> newDate) throws java.io.IOException {
    List<Path> files;
    try (java.util.stream.Stream<Path> s = Files.list(dataset.resolve("dt=" + TestSupport.GOLDEN_FIRST))) {
      files = s.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList();
    }
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      List<String> header = List.of(lines.get(0).split(",", -1));
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.split(",", -1);
        if (fields.length != header.size()) {
          continue; // a quoted comma: not a record this simple rewrite handles
        }
        Map<String, String> r = new java.util.HashMap<>();
        for (int i = 0; i < fields.length; i++) {
          r.put(header.get(i), fields[i]);
        }
        if (!pick.test(r)) {
          continue;
        }
        fields[header.indexOf(dateField)] = newDate.apply(r.get(dateField));
        for (String stamp : List.of("LastModifiedDate", "SystemModstamp")) {
          if (header.contains(stamp)) {
            fields[header.indexOf(stamp)] = night + "T01:00:00.000Z";
          }
        }
        Path out = dataset.resolve("dt=" + night).resolve("moved.csv");
        Files.writeString(out, lines.get(0) + "\n" + String.join(",", fields) + "\n");
        return r.get(idField);
      }
    }
    throw new AssertionError("no record to move in " + dataset);
  }
}
