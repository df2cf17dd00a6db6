package com.salespulse.transforms.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespulse.transforms.TestSpark;
import com.salespulse.transforms.rollup.Periods;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The dates and periods a night recomputes, on hand-built staging rows. */
class RecomputeScopeTest {

  static final LocalDate R = LocalDate.parse("2026-11-03");

  static Dataset<Row> sql(String q) {
    return TestSpark.get().sql(q);
  }

  static Row period(String type, String start) {
    return RowFactory.create(type, Date.valueOf(start));
  }

  @Test
  void theWindowReachesBackToTheOldestRecordStagedTonight() {
    assertThat(RecomputeScope.attributionStart(R, 14, null)).as("nothing late").isEqualTo(LocalDate.parse("2026-10-20"));
    assertThat(RecomputeScope.attributionStart(R, 14, LocalDate.parse("2026-10-25"))).as("inside the window")
        .isEqualTo(LocalDate.parse("2026-10-20"));
    assertThat(RecomputeScope.attributionStart(R, 14, LocalDate.parse("2026-09-30"))).as("a late record")
        .isEqualTo(LocalDate.parse("2026-09-30"));
    assertThat(RecomputeScope.lastDate(R, LocalDate.parse("2026-11-10"))).as("R + 2").isEqualTo(LocalDate.parse("2026-11-05"));
    assertThat(RecomputeScope.lastDate(R, R)).as("never past now").isEqualTo(R);
  }

  @Test
  void aNightWhoseDropHeldNoRecordAndBroughtNoModelReattributesNothingAndRollsUpFromItsDate() {
    LocalDate start = LocalDate.parse("2026-10-20");
    assertThat(RecomputeScope.reattributes(false, false)).as("quiet night").isFalse();
    assertThat(RecomputeScope.reattributes(true, false)).as("something staged").isTrue();
    assertThat(RecomputeScope.reattributes(false, true)).as("a model trained for R rescores the window").isTrue();
    assertThat(RecomputeScope.rollupStart(R, start, true)).as("the re-attributed dates").isEqualTo(start);
    assertThat(RecomputeScope.rollupStart(R, start, false)).as("only now moved").isEqualTo(R);
    // such a night rolls up the periods of its own date: day, week (Monday), month and fiscal quarter
    List<String> quiet = RecomputeScope.windowPeriods(TestSpark.get(), R, R, 2).collectAsList().stream()
        .map(p -> p.getString(0) + " " + p.getDate(1)).toList();
    assertThat(quiet).as("the periods of %s, fiscal year from February", R)
        .containsExactly("day " + R, "month 2026-11-01", "quarter 2026-11-01", "week 2026-11-02");
  }

  @Test
  void theOldestActivityDateIsCutInTheOrgTimezone() {
    Dataset<Row> emails = sql("SELECT TIMESTAMP'2026-10-02 03:00:00' AS sent_at, DATE'2026-11-03' AS source_dt");
    Dataset<Row> none = sql("SELECT CAST(NULL AS TIMESTAMP) AS sent_at, CAST(NULL AS TIMESTAMP) AS start_at, CAST(NULL AS TIMESTAMP) AS started_at, "
        + "CAST(NULL AS TIMESTAMP) AS message_at, CAST(NULL AS DATE) AS activity_date, DATE'2026-11-03' AS source_dt WHERE false");
    Dataset<Row> tasks = sql("SELECT DATE'2026-10-05' AS activity_date, DATE'2026-11-02' AS source_dt");
    Row utc = RecomputeScope.oldestActivityDate(emails, none, none, none, none, tasks, RecomputeScope.stagedOn(R), "UTC").first();
    assertThat(utc.getDate(0).toLocalDate()).as("tonight's email; the task was staged another night")
        .isEqualTo(LocalDate.parse("2026-10-02"));
    Row la = RecomputeScope.oldestActivityDate(emails, none, none, none, none, tasks, RecomputeScope.stagedOn(R),
        "America/Los_Angeles").first();
    assertThat(la.getDate(0).toLocalDate()).as("03:00 UTC is the evening before in Los Angeles")
        .isEqualTo(LocalDate.parse("2026-10-01"));
    Row nothing = RecomputeScope.oldestActivityDate(none, none, none, none, none, none, RecomputeScope.stagedOn(R), "UTC")
        .first();
    assertThat(nothing.isNullAt(0)).as("nothing staged").isTrue();
  }

  @Test
  void theOldestStoredDateOfTonightsRecordsFindsTheActivitiesTheyAreOrLogged() {
    // stored: a call logged by task T8 (Aug 2), a logged-only task (Aug 5), an email logged by EmailMessage
    // M7 (Aug 9), a meeting (Aug 12), a meeting logged by event V3 (Jul 20; matched by its start, which
    // V3 no longer shares once moved), and an activity none of tonight's records names (Jul 1); a row
    // written before logged_record_ids existed holds null there
    Dataset<Row> activities = sql("SELECT * FROM VALUES "
        + "('C1', DATE'2026-08-02', array('T8')), ('T9', DATE'2026-08-05', array('T9')), "
        + "('<m1@x.com>', DATE'2026-08-09', array('M7')), ('E4', DATE'2026-08-12', array()), "
        + "('E5', DATE'2026-07-20', array('V3')), ('C0', DATE'2026-07-01', CAST(NULL AS ARRAY<STRING>)) "
        + "AS a(source_id, activity_date, logged_record_ids)");
    String tonight = "DATE'2026-11-03'";
    String before = "DATE'2026-11-02'";
    @SuppressWarnings("unchecked")
    Dataset<Row>[] none = new Dataset[] {
        sql("SELECT 'x' AS message_id, " + before + " AS source_dt"),
        sql("SELECT 'E4' AS event_id, " + before + " AS source_dt"),
        sql("SELECT 'C0' AS call_id, " + before + " AS source_dt"),
        sql("SELECT 'V3' AS event_id, " + before + " AS source_dt"),
        sql("SELECT 'M7' AS email_message_id, " + before + " AS source_dt"),
        sql("SELECT 'T9' AS task_id, " + before + " AS source_dt")};
    java.util.function.Function<Dataset<Row>[], LocalDate> oldest = d -> {
      Row r = RecomputeScope.oldestStoredDate(activities, d[0], d[1], d[2], d[3], d[4], d[5], RecomputeScope.stagedOn(R))
          .first();
      return r.isNullAt(0) ? null : r.getDate(0).toLocalDate();
    };
    assertThat(oldest.apply(none)).as("nothing staged tonight names a stored activity").isNull();

    // each step stages one more record tonight (a task replaces the task before it)
    record Step(int dataset, String column, String id, String expected, String what) {}
    Dataset<Row>[] staged = none.clone();
    for (Step step : List.of(
        new Step(1, "event_id", "E4", "2026-08-12", "a meeting staged again (moved)"),
        new Step(4, "email_message_id", "M7", "2026-08-09", "a logged EmailMessage: the email it logged"),
        new Step(5, "task_id", "T9", "2026-08-05", "a logged-only task"),
        new Step(5, "task_id", "T8", "2026-08-02", "a call task: the call it logged"),
        new Step(3, "event_id", "V3", "2026-07-20", "an event: the meeting it logged before it moved"))) {
      staged[step.dataset()] = sql("SELECT '" + step.id() + "' AS " + step.column() + ", " + tonight + " AS source_dt");
      assertThat(oldest.apply(staged)).as(step.what()).isEqualTo(LocalDate.parse(step.expected()));
    }
  }

  @Test
  void periodsCoverTheWindowAndEveryDateTheNightsChangesMove() {
    // O1 closed won on Aug 20, changed tonight (its close period is recomputed); O2 created tonight;
    // O3 closed in July, untouched, but credited with an activity in the window; a user moved on Oct 30
    Dataset<Row> opps = sql("SELECT * FROM VALUES "
        + "('O1', true, false, DATE'2026-08-20', TIMESTAMP'2026-06-01 10:00:00', true, DATE'2026-11-03'), "
        + "('O2', false, false, DATE'2026-12-20', TIMESTAMP'2026-11-03 10:00:00', true, DATE'2026-11-03'), "
        + "('O3', true, false, DATE'2026-07-10', TIMESTAMP'2026-05-01 10:00:00', true, DATE'2026-07-10') "
        + "AS t(opportunity_id, is_closed, is_deleted, close_date, created_at, is_current, source_dt)")
        .withColumn("version_at", org.apache.spark.sql.functions.col("created_at"))
        .withColumn("valid_from", org.apache.spark.sql.functions.col("created_at"));
    Dataset<Row> history = sql("SELECT 'O9' AS opportunity_id, TIMESTAMP'2026-01-01 00:00:00' AS created_at, "
        + "DATE'2026-01-02' AS source_dt");
    Dataset<Row> splits = sql("SELECT 'O9' AS opportunity_id, DATE'2026-01-02' AS source_dt");
    Dataset<Row> quotas = sql("SELECT DATE'2027-01-01' AS period_start_date, DATE'2026-11-03' AS source_dt");
    Dataset<Row> users = sql("SELECT TIMESTAMP'2026-10-30 09:00:00' AS valid_from, DATE'2026-11-03' AS source_dt");
    Dataset<Row> credits = sql("SELECT 'O3' AS opportunity_id, DATE'2026-10-25' AS activity_date");
    List<Row> periods = RecomputeScope.periods(R, LocalDate.parse("2026-10-20"), LocalDate.parse("2026-11-05"), opps,
        history, splits, quotas, users, credits, "UTC", 1).collectAsList();
    Set<String> got = periods.stream().map(p -> p.getString(0) + " " + p.getDate(1)).collect(Collectors.toSet());
    assertThat(got).as("the window's days, weeks, months and quarter").contains("day 2026-10-20", "day 2026-11-05",
        "week 2026-10-19", "month 2026-10-01", "month 2026-11-01", "quarter 2026-10-01");
    assertThat(got).as("O1's close period (changed tonight)").contains("day 2026-08-20", "month 2026-08-01",
        "quarter 2026-07-01");
    assertThat(got).as("O3's close period (credited in the window)").contains("day 2026-07-10", "month 2026-07-01");
    assertThat(got).as("the quota staged tonight").contains("quarter 2027-01-01");
    assertThat(got).as("history and splits staged another night move nothing").doesNotContain("day 2026-01-01",
        "month 2026-01-01");
    assertThat(got).as("O2 is open: its close date moves nothing").doesNotContain("day 2026-12-20");
    assertThat(periods).as("sorted").isSortedAccordingTo((a, b) -> (a.getString(0) + a.getDate(1))
        .compareTo(b.getString(0) + b.getDate(1)));
  }

  @Test
  void periodsBecomeAReplacePredicateAndMergedActivityDateRanges() {
    List<Row> periods = List.of(period("day", "2026-11-03"), period("week", "2026-11-02"), period("month", "2026-07-01"),
        period("quarter", "2026-07-01"));
    assertThat(RecomputeScope.periodPredicate(periods)).as("predicate").isEqualTo(
        "(period_type = 'day' AND period_start IN (DATE'2026-11-03')) OR (period_type = 'month' AND period_start IN "
            + "(DATE'2026-07-01')) OR (period_type = 'quarter' AND period_start IN (DATE'2026-07-01')) OR "
            + "(period_type = 'week' AND period_start IN (DATE'2026-11-02'))");
    List<String> ranges = RecomputeScope.dateRanges(periods).stream().map(r -> r[0] + ".." + r[1]).toList();
    assertThat(ranges).as("the quarter holds the month; the week holds the day").containsExactly(
        "2026-07-01..2026-09-30", "2026-11-02..2026-11-08");
  }

  @Test
  void nowIsTheLatestSuccessOfTheStepThatProducedTheFacts() {
    Dataset<Row> audit = sql("SELECT * FROM VALUES "
        // a nightly of Nov 3 that attributed, then failed in rollup
        + "(DATE'2026-11-03', 'nightly', 'failed', array(named_struct('step', 'attribute', 'status', 'succeeded'), "
        + "named_struct('step', 'rollup', 'status', 'failed'))), "
        // Nov 4 only ingested
        + "(DATE'2026-11-04', 'ingest', 'succeeded', array(named_struct('step', 'ingest', 'status', 'succeeded'))), "
        // an older release's row: no steps, a successful nightly
        + "(DATE'2026-11-01', 'nightly', 'succeeded', CAST(NULL AS ARRAY<STRUCT<step: STRING, status: STRING>>)) "
        + "AS t(run_date, command, status, steps)");
    assertThat(RecomputeScope.latestSuccess(audit, "attribute").first().getDate(0).toLocalDate())
        .as("attribute succeeded on Nov 3; Nov 4 was only ingested").isEqualTo(LocalDate.parse("2026-11-03"));
    assertThat(RecomputeScope.latestSuccess(audit, "rollup").first().getDate(0).toLocalDate())
        .as("rollup: only the older release's nightly").isEqualTo(LocalDate.parse("2026-11-01"));
    assertThat(RecomputeScope.latestSuccess(audit, "reconcile").first().getDate(0).toLocalDate())
        .as("an old nightly ran every step").isEqualTo(LocalDate.parse("2026-11-01"));
    assertThat(RecomputeScope.now(LocalDate.parse("2026-11-03"), LocalDate.parse("2026-11-02"))).as("a rerun sees the latest")
        .isEqualTo(LocalDate.parse("2026-11-03"));
    assertThat(RecomputeScope.now(null, R)).as("first run").isEqualTo(R);
  }

  @Test
  void anUnknownPeriodTypeFails() {
    assertThat(Periods.endDate("quarter", LocalDate.parse("2026-10-01"))).isEqualTo(LocalDate.parse("2026-12-31"));
    assertThatThrownBy(() -> Periods.endDate("year", LocalDate.parse("2026-01-01"))).as("no silent quarter")
        .hasMessageContaining("Cannot end a period of type year");
    assertThatThrownBy(() -> sql("SELECT 'fortnight' AS period_type, DATE'2026-01-01' AS period_start")
        .select(Periods.end(org.apache.spark.sql.functions.col("period_type"),
            org.apache.spark.sql.functions.col("period_start"))).collectAsList())
        .as("in a query too").hasMessageContaining("Cannot end a period of type fortnight");
  }
}
