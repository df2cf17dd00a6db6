package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rollup tables on a generated org after two nightly runs: totals reconcile with the staged
 * inputs, and every analyst query in sql/queries runs through {@code salespulse sql -f} and gives
 * the answers the tables imply.
 */
class RollupEndToEndTest {

  static String warehouse;
  static SparkSession spark;

  @BeforeAll
  static void build() throws IOException {
    // the golden org (6 reps, nights of 2026-11-02 and 2026-11-03), read only
    warehouse = TestSupport.goldenWarehouse();
    spark = TestSupport.sessionWithTables(warehouse);
  }

  static List<Row> sql(String q) {
    return spark.sql(q).collectAsList();
  }

  static List<CSVRecord> query(String name) throws IOException {
    return TestSupport.query(warehouse, name);
  }

  @Test
  void wonAmountsOverRepsEqualTheWonDealsOfEveryPeriod() {
    List<Row> mismatches = sql("""
        WITH won AS (
          SELECT close_date, amount FROM stg_crm__opportunities WHERE is_won AND is_closed AND NOT is_deleted),
        periods AS (SELECT DISTINCT period_type, period_start, period_end FROM fct_rep_performance),
        expected AS (
          SELECT p.period_type, p.period_start, coalesce(sum(w.amount), 0) AS amount
          FROM periods p LEFT JOIN won w ON w.close_date BETWEEN p.period_start AND p.period_end
          GROUP BY p.period_type, p.period_start),
        actual AS (
          SELECT period_type, period_start, sum(won_amount) AS amount FROM fct_rep_performance
          GROUP BY period_type, period_start)
        SELECT e.*, a.amount AS rolled_up FROM expected e JOIN actual a USING (period_type, period_start)
        WHERE e.amount <> a.amount""");
    assertThat(mismatches).as("periods whose rep won_amount does not add up to the deals won in them").isEmpty();
    Row totals = sql("""
        SELECT (SELECT sum(amount) FROM stg_crm__opportunities WHERE is_won AND NOT is_deleted),
               (SELECT sum(won_amount) FROM fct_rep_performance WHERE period_type = 'day'),
               (SELECT count(*) FROM stg_crm__opportunities WHERE is_won AND NOT is_deleted)""").get(0);
    assertThat(totals.getLong(2)).as("the generated org has won deals").isGreaterThan(0);
    assertThat(totals.getDecimal(1)).as("every won deal is rolled up once, whatever its close date")
        .isEqualByComparingTo(totals.getDecimal(0));
  }

  @Test
  void theTopOfEachHierarchyEqualsTheSumOverAllPeople() {
    List<Row> mismatches = sql("""
        WITH reps AS (
          SELECT period_type, period_start, sum(activity_count) AS activities, sum(won_amount) AS won,
                 sum(lost_amount) AS lost, sum(deals_created) AS created
          FROM fct_rep_performance GROUP BY period_type, period_start),
        tops AS (
          SELECT hierarchy, period_type, period_start, sum(activity_count) AS activities, sum(won_amount) AS won,
                 sum(lost_amount) AS lost, sum(deals_created) AS created
          FROM fct_team_performance WHERE node_depth = 0 GROUP BY hierarchy, period_type, period_start)
        SELECT t.hierarchy, r.* , t.activities, t.won FROM reps r
        CROSS JOIN (SELECT DISTINCT hierarchy FROM fct_team_performance) h
        LEFT JOIN tops t ON t.hierarchy = h.hierarchy AND t.period_type = r.period_type AND t.period_start = r.period_start
        WHERE t.activities IS NULL OR r.activities <> t.activities OR r.won <> t.won OR r.lost <> t.lost
           OR r.created <> t.created""");
    assertThat(mismatches).as("periods where the top team node differs from the sum over people").isEmpty();
    Row acts = sql("""
        SELECT (SELECT count(*) FROM fct_activities WHERE user_id IS NOT NULL),
               (SELECT sum(activity_count) FROM fct_rep_performance WHERE period_type = 'day')""").get(0);
    assertThat(acts.getLong(1)).as("every attributed activity counted once per day").isEqualTo(acts.getLong(0));
    assertThat(sql("SELECT count(DISTINCT hierarchy) FROM fct_team_performance").get(0).getLong(0))
        .as("both hierarchies").isEqualTo(2L);
  }

  @Test
  void auditRunsRecordEveryStepWithItsCommitsAndTimings() {
    Row audit = TestSupport.lastAudit(warehouse, TestSupport.GOLDEN_LAST);
    List<Row> steps = audit.getList(audit.fieldIndex("steps"));
    assertThat(steps.stream().map(r -> r.<String>getAs("step")).toList()).as("the nightly's steps, in order")
        .containsExactlyElementsOf(NightlyJob.PIPELINE);
    for (Row st : steps) {
      String name = st.getAs("step");
      assertThat(st.<String>getAs("status")).as("%s status", name).isEqualTo("succeeded");
      assertThat(st.<Long>getAs("duration_ms")).as("%s duration", name).isPositive();
      assertThat(st.<String>getAs("detail")).as("%s says what it recomputed", name).isNotBlank();
      List<Row> commits = st.getList(st.fieldIndex("tables_written"));
      assertThat(commits).as("%s commits", name).isNotEmpty();
      assertThat(st.<Long>getAs("rows_written")).as("%s rows written = sum over its commits", name)
          .isEqualTo(commits.stream().mapToLong(c -> c.<Long>getAs("rows_written")).sum());
      assertThat(st.<Long>getAs("spark_jobs")).as("%s Spark jobs (counted by the listener)", name).isPositive();
      assertThat(st.<Long>getAs("spark_tasks")).as("%s Spark tasks", name)
          .isGreaterThanOrEqualTo(st.<Long>getAs("spark_jobs"));
    }
    Map<String, Long> attributed = steps.get(1).<Row>getList(steps.get(1).fieldIndex("tables_written")).stream()
        .collect(Collectors.toMap(c -> c.getString(0), c -> c.<Long>getAs("rows_written")));
    java.util.regex.Matcher dates = java.util.regex.Pattern.compile("activity dates (\\S+)\\.\\.(\\S+) ")
        .matcher(steps.get(1).<String>getAs("detail"));
    assertThat(dates.find()).as("attribute names the dates it recomputed: %s", steps.get(1).<String>getAs("detail")).isTrue();
    long recomputed = sql("SELECT count(*) FROM fct_activities WHERE activity_date BETWEEN DATE'" + dates.group(1)
        + "' AND DATE'" + dates.group(2) + "'").get(0).getLong(0);
    assertThat(attributed).as("attribute wrote both fact tables; rows = the recomputed dates' activities")
        .containsKey("fct_activity_opportunity_credits").containsEntry("fct_activities", recomputed);
    assertThat(steps.get(2).<String>getAs("detail")).as("rollup names the periods it recomputed").contains("periods");
    // the second drop changed no user or role: the user dimensions are kept, not rewritten (RerunEqualityTest's
    // full recompute proves them equal to a recomputation)
    List<String> rolledUp = steps.get(2).<Row>getList(steps.get(2).fieldIndex("tables_written")).stream()
        .map(c -> c.getString(0)).toList();
    assertThat(sql("SELECT count(*) FROM stg_crm__users WHERE source_dt = DATE'" + TestSupport.GOLDEN_LAST + "'")
        .get(0).getLong(0)).as("users staged from the second drop").isZero();
    assertThat(rolledUp).as("rollup's commits on the second night").doesNotContain("dim_users", "dim_teams")
        .contains("fct_opportunity_engagement_daily");
    assertThat(steps.get(2).<String>getAs("detail")).as("rollup says what it kept").contains("kept").contains("dim_users");
  }

  @Test
  void everyAnalystQueryRunsAndAnswers() throws IOException {
    List<String> files;
    try (Stream<Path> s = Files.list(Path.of("..", "sql", "queries"))) {
      // the finance queries are checked by ReconciliationEndToEndTest, on an org with every payout anomaly
      files = s.map(p -> p.getFileName().toString().replace(".sql", "")).filter(f -> !f.startsWith("incentive_"))
          .sorted().toList();
    }
    assertThat(files).as("the analysts' questions").contains("activity_vs_attainment_by_rep", "at_risk_deals_by_team",
        "lagging_reps_early_in_quarter", "team_leaderboard", "stage_conversion_and_velocity", "activity_mix_won_vs_lost");
    for (String f : files) {
      // the report's queries take the report's parameters (ReportTest checks their figures)
      List<CSVRecord> rows = f.startsWith("report_")
          ? TestSupport.query(warehouse, f, "as_of=" + TestSupport.GOLDEN_LAST, "period_type=quarter", "team=")
          : query(f);
      assertThat(rows).as("%s returns rows", f).isNotEmpty();
      if (f.equals("local_run_summary")) {
        // the summary scripts/run-local.sh prints: each line once (a section was once repeated thrice)
        assertThat(rows.stream().map(r -> r.get("section") + "|" + r.get("name")).toList())
            .as("the local run summary's lines").doesNotHaveDuplicates().anyMatch(l -> l.startsWith("incentive exceptions|"));
      }
    }
    assertThat(TestSupport.exitOfQuery(warehouse, "report_rep_pace")).as("a parameterised query run without its parameters")
        .isEqualTo(ExitCode.USAGE);

    // activity vs attainment: one row per person of the current quarter, same won total
    List<CSVRecord> reps = query("activity_vs_attainment_by_rep");
    Row quarter = sql("""
        SELECT count(*), sum(won_amount), sum(activity_count) FROM fct_rep_performance
        WHERE period_type = 'quarter' AND period_start = DATE'2026-10-01'""").get(0);
    assertThat(reps).as("people with a row this quarter").hasSize((int) quarter.getLong(0));
    assertThat(reps.stream().map(r -> new BigDecimal(r.get("won_amount"))).reduce(BigDecimal.ZERO, BigDecimal::add))
        .as("won this quarter").isEqualByComparingTo(quarter.getDecimal(1));
    assertThat(reps.stream().mapToLong(r -> Long.parseLong(r.get("activity_count"))).sum())
        .as("activities this quarter").isEqualTo(quarter.getLong(2));
    assertThat(reps).allSatisfy(r -> assertThat(r.get("quarter_start")).as("quarter").isEqualTo("2026-10-01"));

    // at-risk deals: the flagged open deals of the latest snapshot, each with its reasons
    List<CSVRecord> risky = query("at_risk_deals_by_team");
    long flagged = sql("""
        SELECT count(*) FROM fct_opportunity_engagement_daily
        WHERE snapshot_date = DATE'2026-11-03' AND NOT is_closed
          AND (is_stale OR is_ghosted OR is_single_threaded OR is_stalled_in_stage OR is_close_date_slipping
               OR is_closing_without_meeting)""").get(0).getLong(0);
    assertThat(risky).as("flagged deals on 2026-11-03").hasSize((int) flagged);
    assertThat(risky).allSatisfy(r -> {
      assertThat(r.get("risk_reasons")).as("reasons of %s", r.get("opportunity_id")).isNotBlank();
      assertThat(Integer.parseInt(r.get("risk_count"))).as("count of reasons")
          .isEqualTo(r.get("risk_reasons").split(",").length);
    });

    // lagging reps: exactly the reps flagged at risk in the running quarter
    List<CSVRecord> lagging = query("lagging_reps_early_in_quarter");
    long atRisk = sql("SELECT count(*) FROM fct_rep_performance WHERE period_type = 'quarter' AND is_at_risk")
        .get(0).getLong(0);
    assertThat(lagging).as("reps at risk this quarter").hasSize((int) atRisk);
    assertThat(lagging).allSatisfy(r -> assertThat(r.get("at_risk_reason")).as("reason").isNotBlank());

    // leaderboard: every manager's team once; the top node holds everyone's won amount
    List<CSVRecord> board = query("team_leaderboard");
    Map<String, List<CSVRecord>> byDepth = board.stream().collect(Collectors.groupingBy(r -> r.get("node_depth")));
    assertThat(byDepth.get("0")).as("one top of the manager hierarchy").hasSize(1);
    assertThat(new BigDecimal(byDepth.get("0").get(0).get("won_amount"))).as("top team won = everyone's")
        .isEqualByComparingTo(quarter.getDecimal(1));
    assertThat(board).allSatisfy(r -> assertThat(Long.parseLong(r.get("headcount"))).as("headcount").isPositive());

    // stage conversion: entries per stage equal the stage intervals stored
    List<CSVRecord> stages = query("stage_conversion_and_velocity");
    Map<String, Long> entered = sql("""
        SELECT stage_name, count(*) FROM fct_opportunity_stage_history WHERE NOT is_closed_stage GROUP BY stage_name""")
        .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(stages.stream().collect(Collectors.toMap(r -> r.get("stage_name"), r -> Long.parseLong(r.get("deals_entered")))))
        .as("deals entered per stage").isEqualTo(entered);
    assertThat(stages).allSatisfy(r -> assertThat(Long.parseLong(r.get("deals_entered"))).as("entered = advanced + now + lost")
        .isEqualTo(Long.parseLong(r.get("deals_advanced")) + Long.parseLong(r.get("deals_in_stage_now"))
            + Long.parseLong(r.get("deals_lost_from_stage"))));

    // activity mix: one row per outcome covering every closed deal
    List<CSVRecord> mix = query("activity_mix_won_vs_lost");
    Map<String, Long> closed = sql("""
        SELECT CASE WHEN is_won THEN 'won' ELSE 'lost' END, count(*) FROM stg_crm__opportunities
        WHERE is_closed AND NOT is_deleted GROUP BY 1""").stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(mix.stream().collect(Collectors.toMap(r -> r.get("outcome"), r -> Long.parseLong(r.get("deals")))))
        .as("closed deals per outcome").isEqualTo(closed);
  }
}
