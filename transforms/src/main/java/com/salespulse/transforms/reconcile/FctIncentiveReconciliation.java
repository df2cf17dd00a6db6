package com.salespulse.transforms.reconcile;

import static org.apache.spark.sql.functions.*;

import com.salespulse.transforms.rollup.Periods;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * {@code fct_incentive_reconciliation}: incentive spend beside results and activity, per payee and
 * per team node, by fiscal month and quarter. Grain: one row per {@code hierarchy} ({@code payee},
 * {@code role}, {@code manager}), {@code node_id} (the payee's User Id, or the team node),
 * {@code period_type} (month, quarter) and {@code period_start}.
 *
 * <p>A payout line counts in the month and quarter holding its compensation period's first day, for
 * the teams its payee belonged to at the end of its paid date. An exception counts with its line
 * ({@code won_not_paid}: in the close date's periods, for the teams of the close date). Results and
 * activity are the rollups' own rows ({@code fct_rep_performance}, {@code fct_team_performance}),
 * so the credited won amount here always equals theirs.
 */
public final class FctIncentiveReconciliation {

  public static final String NAME = "fct_incentive_reconciliation";

  public static final List<String> TYPES = List.of("month", "quarter");

  public static final List<String> COLUMNS = List.of("hierarchy", "node_id", "node_name", "period_type", "period_start",
      "period_end", "fiscal_year", "payout_lines", "commission_paid", "bonus_paid", "spiff_paid", "clawback_amount",
      "draw_paid", "adjustment_amount", "net_paid", "credited_won_amount", "quota_amount", "attainment",
      "effective_rate", "activity_count", "emails_sent", "meetings_held", "connected_calls", "cost_per_activity",
      "paid_on_deals_without_activity", "exception_count", "exception_amount_high", "exception_amount_medium",
      "exception_amount_info", "paid_worked_alignment", "run_id");

  private static final List<String> COMPONENTS = List.of("commission", "bonus", "spiff", "clawback", "draw", "adjustment");
  private static final List<String> PAID_COLUMNS = List.of("commission_paid", "bonus_paid", "spiff_paid",
      "clawback_amount", "draw_paid", "adjustment_amount");
  private static final List<String> KEYS = List.of("hierarchy", "node_id", "period_type", "period_start");

  private FctIncentiveReconciliation() {}

  /**
   * @param payouts as from {@link FctIncentivePayouts#apply}
   * @param exceptions as from {@link FctIncentiveExceptions#apply}
   * @param repPerformance {@code fct_rep_performance}
   * @param teamPerformance {@code fct_team_performance}
   * @param teams {@code dim_teams}
   * @param userVersions {@code stg_crm__user_versions} (payee names)
   */
  public static Dataset<Row> apply(Dataset<Row> payouts, Dataset<Row> exceptions, Dataset<Row> repPerformance,
                                   Dataset<Row> teamPerformance, Dataset<Row> teams, Dataset<Row> userVersions,
                                   ReconcileRules rules, String runId) {
    String tz = rules.timezone();
    int fy = rules.fiscalYearStartMonth();
    // paid amounts and amounts at risk added up in the corporate currency when one is set, like the
    // rollups' won amounts: the lines carry them converted
    payouts = payouts.withColumn("amount", col("amount_in_corporate_currency"));
    exceptions = exceptions.withColumn("amount_at_risk", col("amount_at_risk_in_corporate_currency"));

    // how well pay follows work on each deal: sum over payees of min(paid share, activity share)
    Dataset<Row> payments = payouts.where(col("is_deal_line").and(col("amount").gt(0)));
    Dataset<Row> perPayee = payments.groupBy(col("opportunity_id").as("a_opportunity_id"), col("payee_user_id").as("a_payee"))
        .agg(sum("amount").as("payee_paid"), max("payee_activity_credit").as("payee_credit"),
            max("deal_activity_credit").as("deal_credit"));
    Dataset<Row> alignment = perPayee
        .withColumn("paid_share", col("payee_paid").divide(sum("payee_paid").over(Window.partitionBy("a_opportunity_id"))))
        .withColumn("work_share", when(col("deal_credit").gt(0), col("payee_credit").divide(col("deal_credit")))
            .otherwise(lit(0.0)))
        .groupBy(col("a_opportunity_id"))
        .agg(sum(least(col("paid_share").cast("double"), col("work_share"))).as("deal_alignment"));

    Column positiveDeal = col("is_deal_line").and(col("amount").gt(0));
    List<Column> lineCols = new ArrayList<>(List.of(col("payee_user_id").as("user_id"), col("reference_date"),
        col("period_start_date").as("period_date"), lit(1L).as("line_n")));
    for (int i = 0; i < COMPONENTS.size(); i++) {
      lineCols.add(when(col("component").equalTo(COMPONENTS.get(i)), col("amount")).as(PAID_COLUMNS.get(i)));
    }
    lineCols.add(col("amount").as("net"));
    lineCols.add(when(positiveDeal.and(col("deal_activity_count").equalTo(0)), col("amount")).as("no_activity_paid"));
    lineCols.add(when(positiveDeal, col("amount")).as("aligned_weight"));
    lineCols.add(when(positiveDeal, col("amount").cast("double").multiply(col("deal_alignment"))).as("aligned_amount"));
    Dataset<Row> lineFacts = payouts.join(alignment, col("opportunity_id").equalTo(col("a_opportunity_id")), "left")
        .select(lineCols.toArray(Column[]::new));
    Dataset<Row> exceptionFacts = exceptions.select(col("payee_user_id").as("user_id"), col("reference_date"),
        col("period_date"), lit(1L).as("exception_n"),
        when(col("severity").equalTo("high"), col("amount_at_risk")).as("risk_high"),
        when(col("severity").equalTo("medium"), col("amount_at_risk")).as("risk_medium"),
        when(col("severity").equalTo("info"), col("amount_at_risk")).as("risk_info"));
    Dataset<Row> facts = lineFacts.unionByName(exceptionFacts, true)
        .withColumn("p", explode(array(TYPES.stream()
            .map(t -> struct(lit(t).as("period_type"), Periods.start(t, col("period_date"), fy).as("period_start")))
            .toArray(Column[]::new))))
        .withColumn("period_type", col("p.period_type"))
        .withColumn("period_start", col("p.period_start"))
        .withColumn("reference_at", Periods.endOfDay(col("reference_date"), tz));

    // payee rows, then every team node the payee belonged to at the reference date
    Dataset<Row> byPayee = facts.select(lit("payee").as("hierarchy"), col("user_id").as("node_id"), col("*"));
    Dataset<Row> byTeam = facts.join(teams.select(col("hierarchy"), col("node_id"), col("member_user_id"),
                col("valid_from").as("m_from"), col("valid_to").as("m_to")),
            col("user_id").equalTo(col("member_user_id"))
                .and(col("m_from").isNull().or(col("m_from").leq(col("reference_at"))))
                .and(col("m_to").isNull().or(col("m_to").gt(col("reference_at")))))
        .select(col("hierarchy"), col("node_id"), facts.col("*"));
    Dataset<Row> spend = byPayee.unionByName(byTeam)
        .groupBy(KEYS.stream().map(c -> col(c)).toArray(Column[]::new))
        .agg(sum("line_n").as("payout_lines"), sums().toArray(Column[]::new));

    Dataset<Row> results = repPerformance.where(col("period_type").isin(TYPES.toArray()))
        .select(lit("payee").as("hierarchy"), col("user_id").as("node_id"), col("period_type"), col("period_start"),
            col("won_amount"), col("quota_amount"), col("attainment"), col("activity_count"), col("emails_sent"),
            col("meetings_held"), col("connected_calls"))
        .unionByName(teamPerformance.where(col("period_type").isin(TYPES.toArray()))
            .select(col("hierarchy"), col("node_id"), col("period_type"), col("period_start"), col("won_amount"),
                col("quota_amount"), col("attainment"), col("activity_count"), col("emails_sent"),
                col("meetings_held"), col("connected_calls")));

    Dataset<Row> names = userVersions.where(col("is_current"))
        .select(lit("payee").as("n_hierarchy"), col("user_id").as("n_node_id"), col("full_name").as("n_name"))
        .unionByName(teams.select(col("hierarchy").as("n_hierarchy"), col("node_id").as("n_node_id"),
            col("node_name").as("n_name")).distinct());
    Dataset<Row> nodeNames = names.groupBy("n_hierarchy", "n_node_id").agg(max("n_name").as("node_name"));

    Column net = coalesce(col("net_paid"), lit(0)).cast("decimal(18,2)");
    Column won = coalesce(col("won_amount"), lit(0)).cast("decimal(18,2)");
    Column acts = coalesce(col("activity_count"), lit(0L));
    List<Column> out = new ArrayList<>(List.of(col("hierarchy"), col("node_id"), col("node_name"), col("period_type"),
        col("period_start"), Periods.end(col("period_type"), col("period_start")).as("period_end"),
        Periods.fiscalYear(col("period_start"), fy).as("fiscal_year"),
        coalesce(col("payout_lines"), lit(0L)).as("payout_lines")));
    PAID_COLUMNS.forEach(c -> out.add(coalesce(col(c), lit(0)).cast("decimal(18,2)").as(c)));
    out.addAll(List.of(net.as("net_paid"), won.as("credited_won_amount"), col("quota_amount"), col("attainment"),
        when(won.gt(0), round(net.divide(won), 6).cast("double")).as("effective_rate"),
        acts.as("activity_count"), coalesce(col("emails_sent"), lit(0L)).as("emails_sent"),
        coalesce(col("meetings_held"), lit(0L)).as("meetings_held"),
        coalesce(col("connected_calls"), lit(0L)).as("connected_calls"),
        when(acts.gt(0), round(net.divide(acts), 2).cast("decimal(18,2)")).as("cost_per_activity"),
        coalesce(col("no_activity_paid"), lit(0)).cast("decimal(18,2)").as("paid_on_deals_without_activity"),
        coalesce(col("exception_count"), lit(0L)).as("exception_count"),
        coalesce(col("risk_high"), lit(0)).cast("decimal(18,2)").as("exception_amount_high"),
        coalesce(col("risk_medium"), lit(0)).cast("decimal(18,2)").as("exception_amount_medium"),
        coalesce(col("risk_info"), lit(0)).cast("decimal(18,2)").as("exception_amount_info"),
        when(col("aligned_weight").gt(0), round(col("aligned_amount").divide(col("aligned_weight")), 4))
            .as("paid_worked_alignment"),
        lit(runId).as("run_id")));
    return spend.join(results, scala.jdk.javaapi.CollectionConverters.asScala(KEYS).toSeq(), "full_outer")
        .join(nodeNames, col("hierarchy").equalTo(col("n_hierarchy")).and(col("node_id").equalTo(col("n_node_id"))),
            "left")
        .select(out.toArray(Column[]::new));
  }

  private static List<Column> sums() {
    List<Column> out = new ArrayList<>();
    PAID_COLUMNS.forEach(c -> out.add(sum(c).as(c)));
    out.add(sum("net").as("net_paid"));
    out.add(sum("no_activity_paid").as("no_activity_paid"));
    out.add(sum("aligned_weight").as("aligned_weight"));
    out.add(sum("aligned_amount").as("aligned_amount"));
    out.add(sum("exception_n").as("exception_count"));
    out.add(sum("risk_high").as("risk_high"));
    out.add(sum("risk_medium").as("risk_medium"));
    out.add(sum("risk_info").as("risk_info"));
    return out;
  }
}
