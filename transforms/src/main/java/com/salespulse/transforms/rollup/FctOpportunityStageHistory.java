package com.salespulse.transforms.rollup;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * {@code fct_opportunity_stage_history}: one row per opportunity stage interval, from
 * {@code stg_crm__opportunity_history}. A history row whose stage differs from the previous one
 * opens an interval; rows in between (amount or close-date edits) are counted in it. An
 * interval ends when the next begins; the last one is open ({@code exited_at} null) unless the
 * stage is closed.
 */
public final class FctOpportunityStageHistory {

  public static final String NAME = "fct_opportunity_stage_history";

  private FctOpportunityStageHistory() {}

  /**
   * @param history {@code stg_crm__opportunity_history}
   * @param opportunities {@code stg_crm__opportunities} (current owner, account and outcome)
   */
  public static Dataset<Row> apply(Dataset<Row> history, Dataset<Row> opportunities, RollupRules rules,
                                   String runId) {
    WindowSpec byOpp = Window.partitionBy("opportunity_id").orderBy(col("created_at"), col("opportunity_history_id"));
    Dataset<Row> changes = history.where(not(col("is_deleted")))
        .withColumn("prev_stage", lag(col("stage_name"), 1).over(byOpp))
        .withColumn("prev_close_date", lag(col("close_date"), 1).over(byOpp))
        .withColumn("prev_amount", lag(col("amount"), 1).over(byOpp))
        .withColumn("opens", col("prev_stage").isNull().or(col("stage_name").notEqual(col("prev_stage"))))
        .withColumn("stage_sequence", sum(when(col("opens"), 1).otherwise(0)).over(byOpp).cast("int"));
    Column isPush = col("close_date").gt(col("prev_close_date"));
    Column isAmountChange = col("amount").notEqual(col("prev_amount"));
    Dataset<Row> intervals = changes.groupBy("opportunity_id", "stage_sequence").agg(
        first(col("stage_name")).as("stage_name"),
        min(col("created_at")).as("entered_at"),
        min_by(col("amount"), col("created_at")).as("amount_at_entry"),
        min_by(col("close_date"), col("created_at")).as("close_date_at_entry"),
        min_by(col("probability"), col("created_at")).as("probability_at_entry"),
        max_by(col("amount"), col("created_at")).as("amount_at_exit"),
        max_by(col("close_date"), col("created_at")).as("close_date_at_exit"),
        sum(when(isPush, 1).otherwise(0)).cast("int").as("close_date_push_count"),
        sum(when(isAmountChange, 1).otherwise(0)).cast("int").as("amount_change_count"));
    WindowSpec seq = Window.partitionBy("opportunity_id").orderBy("stage_sequence");
    Dataset<Row> opps = opportunities.select(col("opportunity_id").as("o_opportunity_id"), col("account_id"),
        col("owner_user_id"), col("is_closed").as("o_is_closed"), col("is_won").as("o_is_won"),
        col("is_deleted").as("o_is_deleted"));
    // the last interval of a closed deal is its closed stage (whatever the org calls it)
    Column closedStage = coalesce(col("o_is_closed"), lit(false)).and(col("next_stage_name").isNull());
    Column exited = lead(col("entered_at"), 1).over(seq);
    return intervals
        .withColumn("exited_at", exited)
        .withColumn("next_stage_name", lead(col("stage_name"), 1).over(seq))
        .withColumn("prev_probability", lag(col("probability_at_entry"), 1).over(seq))
        .withColumn("pushes_to_date", sum(col("close_date_push_count")).over(seq).cast("int"))
        .join(opps, col("opportunity_id").equalTo(col("o_opportunity_id")), "left")
        .where(not(coalesce(col("o_is_deleted"), lit(false))))
        .select(
            col("opportunity_id"), col("stage_sequence"), col("stage_name"), col("account_id"), col("owner_user_id"),
            col("entered_at"), col("exited_at"),
            Periods.localDate(col("entered_at"), rules.timezone()).as("entered_date"),
            Periods.localDate(col("exited_at"), rules.timezone()).as("exited_date"),
            round(unix_seconds(col("exited_at")).minus(unix_seconds(col("entered_at"))).divide(86400.0), 3)
                .as("duration_days"),
            col("amount_at_entry"), col("close_date_at_entry"), col("probability_at_entry"),
            col("amount_at_exit"), col("close_date_at_exit"),
            col("close_date_push_count"), col("amount_change_count"), col("pushes_to_date"),
            col("next_stage_name"),
            coalesce(col("probability_at_entry").gt(col("prev_probability")).and(not(closedStage)), lit(false))
                .as("is_advance"),
            col("exited_at").isNull().as("is_current"),
            closedStage.as("is_closed_stage"),
            when(coalesce(col("o_is_won"), lit(false)), lit("won"))
                .when(coalesce(col("o_is_closed"), lit(false)), lit("lost"))
                .otherwise(lit("open")).as("opportunity_outcome"),
            lit(runId).as("run_id"));
  }
}
