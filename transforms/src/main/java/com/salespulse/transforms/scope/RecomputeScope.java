package com.salespulse.transforms.scope;

import static org.apache.spark.sql.functions.*;

import com.salespulse.transforms.attribution.ActivityAttribution;
import com.salespulse.transforms.rollup.Periods;
import com.salespulse.transforms.rollup.Versions;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a night recomputes, from staging and the run's inputs: the first activity date to
 * re-attribute, the last snapshot date, and the reporting periods whose figures the night can
 * change. Pure: datasets in, a dataset or a value out; the step that needs a value collects it.
 *
 * <p>A run for date R re-attributes the activities dated from R minus the re-attribution window
 * (earlier still when the night staged older records: late comms, late CRM logs) to R + 2, and
 * rolls up every period holding one of: those dates; the close dates of the closed versions of
 * deals the night changed and the created dates of deals first seen or deleted that night; the
 * close dates of closed deals credited with an activity of those dates; the created dates of
 * history rows staged that night; the periods of quotas staged that night; and every date from
 * a user change staged that night to the last snapshot date (team membership changes from then on).
 */
public final class RecomputeScope {

  private RecomputeScope() {}

  /** The first activity date to re-attribute: R minus the window, or the oldest date staged tonight if earlier. */
  public static LocalDate attributionStart(LocalDate runDate, int reattributionDays, LocalDate oldestStagedTonight) {
    LocalDate start = runDate.minusDays(reattributionDays);
    return oldestStagedTonight != null && oldestStagedTonight.isBefore(start) ? oldestStagedTonight : start;
  }

  /**
   * Whether the night of R re-attributes at all: when its drop held no record (so it staged nothing)
   * and it brought no new model,
   * every input of attribution is as the previous night left it, and so are the attributed
   * activities. (An activity staged earlier but dated R + 2, ahead of every earlier night's window,
   * waits for the next night that stages something, or for {@code --full}.)
   */
  public static boolean reattributes(boolean stagedTonight, boolean newModel) {
    return stagedTonight || newModel;
  }

  /**
   * The first date whose engagement snapshots and periods the rollup of R recomputes: the first
   * re-attributed date, or R itself on a night that re-attributes nothing (only "now" moved, and
   * the snapshots and periods before R neither depend on it nor on anything that changed).
   */
  public static LocalDate rollupStart(LocalDate runDate, LocalDate attributionStart, boolean reattributes) {
    return reattributes ? attributionStart : runDate;
  }

  /** The last activity date re-attributed: R + 2 (time zones and clocks running ahead). */
  public static LocalDate attributionEnd(LocalDate runDate) {
    return runDate.plusDays(2);
  }

  /** The last date rolled up: the last date re-attributed, but never past "now". */
  public static LocalDate lastDate(LocalDate runDate, LocalDate now) {
    LocalDate end = attributionEnd(runDate);
    return end.isBefore(now) ? end : now;
  }

  /**
   * One row, column {@code oldest}: the oldest activity date (org timezone) among the selected
   * communication records and CRM-logged activities (null when none is selected).
   */
  public static Dataset<Row> oldestActivityDate(Dataset<Row> emails, Dataset<Row> meetings, Dataset<Row> calls,
                                                Dataset<Row> events, Dataset<Row> emailMessages, Dataset<Row> tasks,
                                                Column which, String timezone) {
    return emails.where(which).select(min("sent_at").as("t"))
        .union(meetings.where(which).select(min("start_at").as("t")))
        .union(calls.where(which).select(min("started_at").as("t")))
        .union(events.where(which).select(min("start_at").as("t")))
        .union(emailMessages.where(which).select(min("message_at").as("t")))
        .union(tasks.where(which).select(min(col("activity_date").cast("timestamp")).as("t")))
        .agg(min(Periods.localDate(col("t"), timezone)).as("oldest"));
  }

  /**
   * One row, column {@code oldest}: the oldest date at which {@code fct_activities} stores an activity
   * of the selected records (null when none): a communication record by its id ({@code source_id}), a
   * CRM-logged record by its Id ({@code source_id} of an activity of its own, or one of
   * {@code logged_record_ids}, whichever activity it logged). A record staged again with another date
   * (a meeting moved, a logged call's date corrected) leaves its activity's row at the old date until a
   * run re-attributes that date; the window reaches back to it ({@link #attributionStart}), so the
   * activity is not counted twice, and a communication a moved record no longer logs loses its logged
   * deal. (Rows written before {@code logged_record_ids} existed hold none until {@code --full}.)
   */
  public static Dataset<Row> oldestStoredDate(Dataset<Row> activities, Dataset<Row> emails, Dataset<Row> meetings,
                                              Dataset<Row> calls, Dataset<Row> events, Dataset<Row> emailMessages,
                                              Dataset<Row> tasks, Column which) {
    Dataset<Row> ids = emails.where(which).select(col("message_id").as("id"))
        .union(meetings.where(which).select(col("event_id").as("id")))
        .union(calls.where(which).select(col("call_id").as("id")))
        .union(events.where(which).select(col("event_id").as("id")))
        .union(tasks.where(which).select(col("task_id").as("id")))
        .union(emailMessages.where(which).select(col("email_message_id").as("id")))
        .distinct();
    Dataset<Row> stored = activities.select(col("activity_date"),
        explode(concat(array(col("source_id")), coalesce(col("logged_record_ids"), ActivityAttribution.NO_STRINGS)))
            .as("id"));
    return stored.join(broadcast(ids), "id", "left_semi").agg(min("activity_date").as("oldest"));
  }

  /**
   * One row, column {@code latest}: the latest run date at which this step succeeded, from
   * {@code audit_runs} (null when never). Attempts recorded before audit_runs had per-step rows
   * count when the whole attempt succeeded and ran the step (a nightly, or the step alone).
   */
  public static Dataset<Row> latestSuccess(Dataset<Row> auditRuns, String step) {
    Column ran = exists(col("steps"), s -> s.getField("step").equalTo(step).and(s.getField("status").equalTo("succeeded")));
    Column before = col("steps").isNull().and(col("status").equalTo("succeeded")).and(col("command").isin("nightly", step));
    return auditRuns.where(ran.or(before)).agg(max("run_date").as("latest"));
  }

  /**
   * "Now" for facts that need one: the latest date at which the step producing them succeeded, or
   * the run's date when later. Never the clock, so a rerun of any date sees what the latest run saw.
   */
  public static LocalDate now(LocalDate latestSuccess, LocalDate runDate) {
    return latestSuccess != null && latestSuccess.isAfter(runDate) ? latestSuccess : runDate;
  }

  /** Records staged by the run of this date. */
  public static Column stagedOn(LocalDate runDate) {
    return col("source_dt").equalTo(lit(Date.valueOf(runDate)));
  }

  /**
   * The periods (period_type, period_start) holding a date whose figures the night of R can change,
   * for activity dates from..to (see the class comment), sorted.
   */
  public static Dataset<Row> periods(LocalDate runDate, LocalDate from, LocalDate to, Dataset<Row> oppVersions,
                                     Dataset<Row> history, Dataset<Row> splits, Dataset<Row> quotas,
                                     Dataset<Row> userVersions, Dataset<Row> credits, String timezone,
                                     int fiscalYearStartMonth) {
    Column tonight = stagedOn(runDate);
    Column last = lit(Date.valueOf(to));
    Dataset<Row> touchedOpps = oppVersions.where(tonight).select(col("opportunity_id"))
        .union(history.where(tonight).select(col("opportunity_id")))
        .union(splits.where(tonight).select(col("opportunity_id")))
        .distinct();
    // close dates (old and new) of the closed versions of the deals the night changed: where their
    // results counted before and count now; the created date of deals whose first version is new
    // (a later version changes neither the first owner nor the first amount)
    Dataset<Row> oppDates = oppVersions.join(touchedOpps, "opportunity_id").where(col("is_closed"))
        .select(col("close_date").as("d"))
        .union(oppVersions
            .withColumn("is_first", Versions.isFirst("opportunity_id"))
            .where(col("is_first").and(tonight))
            .select(Periods.localDate(col("created_at"), timezone).as("d")))
        // deals deleted that night leave their created period
        .union(oppVersions.join(touchedOpps, "opportunity_id").where(col("is_deleted"))
            .select(Periods.localDate(col("created_at"), timezone).as("d")))
        // closed deals credited in the window: their activities per won deal change (close period only)
        .union(oppVersions.where(col("is_current").and(col("is_closed")))
            .join(credits.where(col("activity_date").between(Date.valueOf(from), Date.valueOf(to)))
                .select(col("opportunity_id")).distinct(), "opportunity_id")
            .select(col("close_date").as("d")));
    Dataset<Row> dates = windowDates(oppVersions.sparkSession(), from, to)
        .union(oppDates)
        .union(history.where(tonight).select(Periods.localDate(col("created_at"), timezone).as("d")))
        .union(quotas.where(tonight).select(col("period_start_date").as("d")))
        .union(userVersions.where(tonight)
            .select(explode(sequence(least(Periods.localDate(col("valid_from"), timezone), last), last)).as("d")))
        .where(col("d").isNotNull());
    return periodsOf(dates, fiscalYearStartMonth);
  }

  /**
   * The periods holding the dates from..to, sorted: all that the rollup of a night which staged
   * nothing and re-attributes nothing ({@link #reattributes}) can change. Every other date {@link #periods}
   * adds comes from records staged that night or from credits re-attributed in the window, and such a
   * night has neither (the credits in its window stand as the night before rolled them up).
   */
  public static Dataset<Row> windowPeriods(org.apache.spark.sql.SparkSession spark, LocalDate from, LocalDate to,
                                           int fiscalYearStartMonth) {
    return periodsOf(windowDates(spark, from, to), fiscalYearStartMonth);
  }

  private static Dataset<Row> windowDates(org.apache.spark.sql.SparkSession spark, LocalDate from, LocalDate to) {
    return spark.range(1).select(explode(sequence(lit(Date.valueOf(from)), lit(Date.valueOf(to)))).as("d"));
  }

  private static Dataset<Row> periodsOf(Dataset<Row> dates, int fiscalYearStartMonth) {
    return dates.select(explode(Periods.all(col("d"), fiscalYearStartMonth)).as("p"))
        .select(col("p.period_type").as("period_type"), col("p.period_start").as("period_start"))
        .distinct().orderBy("period_type", "period_start");
  }

  /** {@code (period_type = 'day' AND period_start IN (...)) OR ...}: the rows of these periods. */
  public static String periodPredicate(List<Row> periods) {
    Map<String, List<String>> byType = new TreeMap<>();
    for (Row p : periods) {
      byType.computeIfAbsent(p.getString(0), k -> new ArrayList<>()).add("DATE'" + p.getDate(1) + "'");
    }
    return byType.entrySet().stream()
        .map(e -> "(period_type = '" + e.getKey() + "' AND period_start IN (" + String.join(", ", e.getValue()) + "))")
        .collect(Collectors.joining(" OR "));
  }

  /**
   * The date ranges the periods cover, merged where they touch: the activity dates whose events
   * feed them (a filter on activity_date that skips the Parquet row groups outside them).
   */
  public static List<LocalDate[]> dateRanges(List<Row> periods) {
    TreeMap<LocalDate, LocalDate> ranges = new TreeMap<>();
    for (Row p : periods) {
      LocalDate s = p.getDate(1).toLocalDate();
      ranges.merge(s, Periods.endDate(p.getString(0), s), (a, b) -> a.isAfter(b) ? a : b);
    }
    List<LocalDate[]> out = new ArrayList<>();
    for (Map.Entry<LocalDate, LocalDate> r : ranges.entrySet()) {
      LocalDate[] cur = out.isEmpty() ? null : out.get(out.size() - 1);
      if (cur != null && !r.getKey().isAfter(cur[1].plusDays(1))) {
        cur[1] = r.getValue().isAfter(cur[1]) ? r.getValue() : cur[1];
      } else {
        out.add(new LocalDate[] {r.getKey(), r.getValue()});
      }
    }
    return out;
  }

  /** activity_date within the periods' date ranges. */
  public static Column activityDates(List<Row> periods) {
    return datesIn(periods, "activity_date");
  }

  /** A filter on a date column: the dates the periods cover ({@link #dateRanges}). */
  public static Column datesIn(List<Row> periods, String dateColumn) {
    Column out = lit(false);
    for (LocalDate[] r : dateRanges(periods)) {
      out = out.or(col(dateColumn).between(Date.valueOf(r[0]), Date.valueOf(r[1])));
    }
    return out;
  }
}
