package com.salespulse.transforms.rollup;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * {@code fct_rep_performance}: activity beside results per rep and period. Grain: one row per
 * {@code user_id}, {@code period_type} (day, week, month, quarter) and {@code period_start}, for
 * every person with an event in the period ({@link PerformanceEvents}).
 *
 * <p>Early warning: {@code as_of_date} is the latest run date (or the period's end, when earlier);
 * for periods still running, the rep's activity is compared with the median of the reps sharing
 * their manager at the same point of the period, open pipeline closing in the rest of the period
 * with the quota still to win, and {@code is_at_risk} names the reasons.
 */
public final class FctRepPerformance {

  public static final String NAME = "fct_rep_performance";

  private FctRepPerformance() {}

  /**
   * @param events as from {@link PerformanceEvents#apply}
   * @param periods the periods to compute ({@code period_type}, {@code period_start})
   * @param userVersions {@code stg_crm__user_versions} (manager as of the as-of date)
   * @param opportunities {@code stg_crm__opportunities} (open pipeline now)
   * @param asOf the latest run date
   */
  public static Dataset<Row> apply(Dataset<Row> events, Dataset<Row> periods, Dataset<Row> userVersions,
                                   Dataset<Row> opportunities, LocalDate asOf, RollupRules rules, String runId) {
    String tz = rules.timezone();
    Column asOfDate = lit(Date.valueOf(asOf));
    Dataset<Row> perRep = PerformanceEvents.aggregate(PerformanceEvents.inPeriods(events, periods, rules),
            List.of("user_id", "period_type", "period_start"))
        .withColumn("period_end", Periods.end(col("period_type"), col("period_start")))
        .withColumn("as_of_date", least(col("period_end"), asOfDate))
        .withColumn("is_period_complete", col("period_end").leq(asOfDate));

    // the rep's manager at the as-of date (the first version also before it)
    Dataset<Row> managers = userVersions.select(col("user_id").as("m_user_id"), col("manager_user_id"),
        col("valid_from"), col("valid_to"),
        Versions.isFirst("user_id").as("is_first"));
    Column eod = Periods.endOfDay(col("as_of_date"), tz);
    Dataset<Row> withManager = perRep.join(broadcast(managers), col("user_id").equalTo(col("m_user_id"))
        .and(col("valid_from").lt(eod).or(col("is_first")))
        .and(col("valid_to").isNull().or(col("valid_to").geq(eod))), "left");

    Dataset<Row> open = opportunities.where(not(col("is_deleted")).and(not(col("is_closed"))))
        .select(col("owner_user_id").as("o_user_id"), col("close_date"), coalesce(rules.currencies().convert(col("amount"), col("currency_code")), lit(0)).as("o_amount"));
    Dataset<Row> running = perRep.where(not(col("is_period_complete")))
        .select(col("user_id").as("r_user_id"), col("period_type").as("r_type"), col("period_start").as("r_start"),
            col("period_end").as("r_end"), col("as_of_date").as("r_as_of"));
    Dataset<Row> pipeline = running.join(open, col("r_user_id").equalTo(col("o_user_id"))
            .and(col("close_date").between(col("r_as_of"), col("r_end"))))
        .groupBy("r_user_id", "r_type", "r_start").agg(sum("o_amount").cast("decimal(18,2)").as("open_pipeline"));

    WindowSpec team = Window.partitionBy(col("manager_user_id"), col("period_type"), col("period_start"));
    Dataset<Row> measured = withManager
        .join(pipeline, col("user_id").equalTo(col("r_user_id")).and(col("period_type").equalTo(col("r_type")))
            .and(col("period_start").equalTo(col("r_start"))), "left")
        .withColumn("team_median_activity_count",
            when(col("manager_user_id").isNotNull(), percentile(col("activity_count"), lit(0.5)).over(team)))
        .withColumn("activity_pace_ratio", when(col("team_median_activity_count").gt(0),
            round(col("activity_count").divide(col("team_median_activity_count")), 4)))
        .withColumn("remaining_quota", when(col("quota_amount").isNotNull(),
            greatest(col("quota_amount").minus(col("won_amount")), lit(0)).cast("decimal(18,2)")))
        .withColumn("open_pipeline", when(not(col("is_period_complete")), coalesce(col("open_pipeline"), lit(0))
            .cast("decimal(18,2)")))
        .withColumn("pipeline_coverage", when(col("remaining_quota").gt(0).and(col("open_pipeline").isNotNull()),
            round(col("open_pipeline").divide(col("remaining_quota")), 4).cast("double")));

    Column watched = not(col("is_period_complete")).and(col("period_type").notEqual("day"));
    Column slowPace = coalesce(col("activity_pace_ratio").lt(rules.paceRatioAtRisk()), lit(false));
    Column lowCoverage = coalesce(col("pipeline_coverage").lt(rules.coverageAtRisk()), lit(false));
    List<Column> out = new ArrayList<>(List.of(
        col("user_id"), col("period_type"), col("period_start"), col("period_end"),
        Periods.fiscalYear(col("period_start"), rules.fiscalYearStartMonth()).as("fiscal_year"),
        col("manager_user_id")));
    out.addAll(PerformanceEvents.measureColumns());
    out.addAll(List.of(
        col("as_of_date"), col("is_period_complete"),
        (datediff(col("as_of_date"), col("period_start")).plus(1)).as("days_elapsed"),
        (datediff(col("period_end"), col("period_start")).plus(1)).as("days_in_period"),
        col("team_median_activity_count"), col("activity_pace_ratio"),
        col("open_pipeline"), col("remaining_quota"), col("pipeline_coverage"),
        when(watched, slowPace.or(lowCoverage)).as("is_at_risk"),
        when(watched, concat_ws(",", when(slowPace, lit("activity_pace_below_team")),
            when(lowCoverage, lit("pipeline_coverage_low")))).as("at_risk_reason"),
        lit(runId).as("run_id")));
    return measured.select(out.toArray(Column[]::new));
  }
}
