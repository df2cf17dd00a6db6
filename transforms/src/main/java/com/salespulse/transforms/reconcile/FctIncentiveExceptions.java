package com.salespulse.transforms.reconcile;

import static org.apache.spark.sql.functions.*;

import com.salespulse.transforms.rollup.PerformanceEvents;
import com.salespulse.transforms.rollup.Periods;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * {@code fct_incentive_exceptions}: every reason to look at a payout line again. Grain: one row per
 * {@code exception_id}, which is one payout line and exception code, or, for {@code won_not_paid},
 * one won deal and credited person without a line.
 *
 * <p>A "deal line" names an opportunity; a "payment" is a deal line with a positive amount; a
 * "reversal" is a deal line with a negative amount (a clawback or a negative adjustment).
 */
public final class FctIncentiveExceptions {

  public static final String NAME = "fct_incentive_exceptions";

  /** Every code and its severity, in the order of the README's table. */
  public static final Map<String, String> SEVERITY = new LinkedHashMap<>();

  static {
    SEVERITY.put("paid_not_won", "high");
    SEVERITY.put("missing_clawback", "high");
    SEVERITY.put("duplicate_payout", "high");
    SEVERITY.put("payee_not_credited", "high");
    SEVERITY.put("credit_over_100", "high");
    SEVERITY.put("unknown_deal", "high");
    SEVERITY.put("unknown_payee", "high");
    SEVERITY.put("deal_without_activity", "medium");
    SEVERITY.put("out_of_period", "medium");
    SEVERITY.put("won_not_paid", "medium");
    SEVERITY.put("clawback_without_payout", "medium");
    SEVERITY.put("currency_mismatch", "medium");
    SEVERITY.put("payee_without_activity", "info");
    SEVERITY.put("inactive_payee", "info");
  }

  public static final List<String> COLUMNS = List.of("exception_id", "exception_code", "severity", "payout_id",
      "opportunity_id", "payee_user_id", "component", "amount", "amount_at_risk", "currency_code",
      "amount_in_corporate_currency", "amount_at_risk_in_corporate_currency", "evidence", "related_payout_id",
      "reference_date", "period_date", "as_of_date", "run_id");

  private FctIncentiveExceptions() {}

  /**
   * @param lines as from {@link FctIncentivePayouts#lines}
   * @param opportunityVersions {@code stg_crm__opportunity_versions} (won deals without a line)
   * @param splits {@code stg_crm__opportunity_splits}
   * @param asOf the latest run date: grace periods are counted up to its end
   */
  public static Dataset<Row> apply(Dataset<Row> lines, Dataset<Row> opportunityVersions, Dataset<Row> splits,
                                   LocalDate asOf, ReconcileRules rules, String runId) {
    Column deal = col("is_deal_line").and(col("is_deal_known"));
    Column payment = deal.and(col("amount").gt(0));
    Column now = lit(Date.valueOf(asOf));

    // relations between lines of the same payee and deal
    Dataset<Row> dealLines = lines.where(col("is_deal_line"));
    WindowSpec byPayeeDeal = Window.partitionBy("payee_user_id", "opportunity_id").orderBy("reference_date", "payout_id")
        .rowsBetween(Window.unboundedPreceding(), -1);
    WindowSpec byComponent = Window.partitionBy("payee_user_id", "opportunity_id", "component")
        .orderBy("reference_date", "payout_id").rowsBetween(Window.unboundedPreceding(), -1);
    WindowSpec whole = Window.partitionBy("payee_user_id", "opportunity_id");
    Dataset<Row> related = dealLines.select(col("payout_id").as("r_payout_id"),
        coalesce(sum(when(col("amount").gt(0), 1)).over(byComponent), lit(0L)).as("payments_before"),
        coalesce(sum(when(col("amount").lt(0), 1)).over(byPayeeDeal), lit(0L)).as("reversals_before"),
        first(when(col("amount").gt(0), col("payout_id")), true).over(byComponent).as("first_payment_id"),
        count(when(col("amount").gt(0), 1)).over(whole).as("payments"),
        max(when(col("amount").lt(0), col("reference_date"))).over(whole).as("last_reversal_date"));
    Dataset<Row> l = lines.join(related, col("payout_id").equalTo(col("r_payout_id")), "left");

    Column leftWonDate = Periods.localDate(col("deal_left_won_at"), rules.timezone());
    Column overPct = col("split_percentage_total").minus(lit(100));
    Column graceStart = date_sub(col("period_start_date"), rules.periodGraceDays());
    Column graceEnd = date_add(col("period_end_date"), rules.periodGraceDays());
    Column closeAtPaid = coalesce(col("deal_close_date_at_paid"), col("deal_close_date"));

    List<Dataset<Row>> found = new ArrayList<>();
    found.add(raise(l, "unknown_payee", not(col("is_payee_known")), col("amount"),
        concat(lit("payee "), col("payee_user_id"), lit(" is no CRM user")), null));
    found.add(raise(l, "inactive_payee", col("is_payee_known").and(not(col("is_payee_active_at_paid"))), col("amount"),
        concat(lit("payee "), col("payee_user_id"), lit(" was inactive on "), col("reference_date")), null));
    found.add(raise(l, "unknown_deal", col("is_deal_line").and(not(col("is_deal_known"))), col("amount"),
        concat(lit("opportunity "), col("opportunity_id"), lit(" is in no CRM drop")), null));
    found.add(raise(l, "paid_not_won", payment.and(not(coalesce(col("is_deal_won_at_paid"), lit(false)))),
        col("amount"), concat(lit("stage on "), col("reference_date"), lit(": "),
            coalesce(col("deal_stage_name_at_paid"), lit("unknown"))), null));
    found.add(raise(l, "missing_clawback", payment.and(col("deal_left_won_at").isNotNull())
            .and(col("last_reversal_date").isNull().or(col("last_reversal_date").lt(col("reference_date"))))
            .and(date_add(leftWonDate, rules.clawbackDays()).leq(now)),
        col("amount"), concat(lit("left Closed Won on "), leftWonDate, lit(" (now "),
            coalesce(col("deal_stage_name"), lit("deleted")), lit("); no reversal after "), col("reference_date")), null));
    Column repeated = col("payments_before").gt(col("reversals_before"));
    Column redelivered = col("delivery_versions").gt(1);
    found.add(raise(l, "duplicate_payout", payment.and(repeated).or(redelivered), col("amount"),
        concat_ws("; ",
            when(payment.and(repeated), concat(lit("paid again for "), col("component"), lit(" on this deal after "),
                col("first_payment_id"), lit(" with no reversal between"))),
            when(redelivered, concat(lit("payout_id delivered with "), col("delivery_versions"),
                lit(" different contents")))),
        when(payment.and(repeated), col("first_payment_id"))));
    found.add(raise(l, "payee_not_credited", payment.and(not(col("is_payee_credited"))), col("amount"),
        concat(lit("credited: "), when(col("split_percentage_total").gt(0), lit("split owners"))
            .otherwise(concat(lit("owner "), coalesce(col("closing_owner_user_id"), lit("unknown"))))), null));
    found.add(raise(l, "credit_over_100", payment.and(overPct.gt(lit(rules.splitTolerancePercent()))),
        round(col("amount").minus(col("amount").multiply(lit(100)).divide(col("split_percentage_total"))), 2),
        concat(lit("split percentages add up to "), col("split_percentage_total"), lit("%")), null));
    found.add(raise(l, "deal_without_activity", payment.and(col("deal_activity_count").equalTo(0)), col("amount"),
        lit("no attributed activity on the deal by anyone"), null));
    found.add(raise(l, "payee_without_activity",
        payment.and(col("deal_activity_count").gt(0)).and(col("payee_activity_count").equalTo(0)), col("amount"),
        concat(lit("the deal's "), col("deal_activity_count"), lit(" activities were all by others")), null));
    found.add(raise(l, "out_of_period", payment.and(closeAtPaid.lt(graceStart).or(closeAtPaid.gt(graceEnd))),
        col("amount"), concat(lit("closes "), closeAtPaid, lit(", period "), col("period_start_date"), lit(" to "),
            col("period_end_date"), lit(" ± "), lit(rules.periodGraceDays()), lit(" days")), null));
    found.add(raise(l, "clawback_without_payout", deal.and(col("amount").lt(0)).and(col("payments").equalTo(0)),
        negate(col("amount")), lit("reversal on a deal this payee was never paid on"), null));
    found.add(raise(l, "currency_mismatch", deal.and(col("deal_currency_code_at_paid").isNotNull())
            .and(col("currency_code").notEqual(col("deal_currency_code_at_paid"))), col("amount"),
        concat(lit("paid in "), col("currency_code"), lit(", deal in "), col("deal_currency_code_at_paid")), null));
    found.add(wonNotPaid(lines, opportunityVersions, splits, asOf, rules));

    Dataset<Row> all = found.get(0);
    for (Dataset<Row> d : found.subList(1, found.size())) {
      all = all.unionByName(d);
    }
    return all
        .withColumn("severity", severity(col("exception_code")))
        .withColumn("exception_id", sha2(concat_ws("|", col("exception_code"), coalesce(col("payout_id"), lit("")),
            coalesce(col("opportunity_id"), lit("")), coalesce(col("payee_user_id"), lit(""))), 256))
        .withColumn("amount_in_corporate_currency", rules.currencies().convert(col("amount"), col("currency_code")))
        .withColumn("amount_at_risk_in_corporate_currency",
            rules.currencies().convert(col("amount_at_risk"), col("currency_code")))
        .withColumn("as_of_date", now)
        .withColumn("run_id", lit(runId))
        .select(COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
  }

  /** One exception row per line matching {@code when}. */
  private static Dataset<Row> raise(Dataset<Row> lines, String code, Column when, Column atRisk, Column evidence,
                                    Column related) {
    return lines.where(coalesce(when, lit(false))).select(lit(code).as("exception_code"), col("payout_id"),
        col("opportunity_id"), col("payee_user_id"), col("component"), col("amount"),
        atRisk.cast("decimal(18,2)").as("amount_at_risk"), col("currency_code"), evidence.as("evidence"),
        (related == null ? lit(null).cast("string") : related).as("related_payout_id"), col("reference_date"),
        col("period_start_date").as("period_date"));
  }

  /**
   * Won deals closed at least {@code wonNotPaidDays} ago, on or after the first compensation period
   * of any deal line (the compensation data's start), whose credited people (split owners, else the
   * owner who closed it) have no payment on it.
   */
  static Dataset<Row> wonNotPaid(Dataset<Row> lines, Dataset<Row> opportunityVersions, Dataset<Row> splits,
                                 LocalDate asOf, ReconcileRules rules) {
    Dataset<Row> start = lines.where(col("is_deal_line")).agg(min("period_start_date").as("coverage_start"));
    Dataset<Row> won = opportunityVersions
        .where(col("is_current").and(col("is_won")).and(not(col("is_deleted"))))
        .crossJoin(start)
        .where(col("close_date").geq(col("coverage_start"))
            .and(col("close_date").leq(lit(Date.valueOf(asOf.minusDays(rules.wonNotPaidDays()))))))
        .join(PerformanceEvents.closingOwners(opportunityVersions), col("opportunity_id").equalTo(col("c_id")), "left");
    Dataset<Row> shares = PerformanceEvents.splitShares(splits);
    Dataset<Row> credited = won.join(shares, col("opportunity_id").equalTo(col("s_opportunity_id")), "left")
        .select(col("opportunity_id"), coalesce(col("s_user_id"), col("closing_owner_id"), col("owner_user_id"))
                .as("payee_user_id"), col("close_date"), col("amount").as("deal_amount"), col("currency_code"),
            col("pct"));
    Dataset<Row> paid = lines.where(col("is_deal_line").and(col("amount").gt(0)))
        .select(col("opportunity_id").as("p_opportunity_id"), col("payee_user_id").as("p_payee_user_id"));
    return credited.join(paid, col("opportunity_id").equalTo(col("p_opportunity_id"))
            .and(col("payee_user_id").equalTo(col("p_payee_user_id"))), "left_anti")
        .select(lit("won_not_paid").as("exception_code"), lit(null).cast("string").as("payout_id"),
            col("opportunity_id"), col("payee_user_id"), lit(null).cast("string").as("component"),
            lit(null).cast("decimal(18,2)").as("amount"), lit(null).cast("decimal(18,2)").as("amount_at_risk"),
            col("currency_code"),
            concat(lit("won on "), col("close_date"), lit(" for "), col("deal_amount"), lit(" "), col("currency_code"),
                when(col("pct").isNotNull(), concat(lit(", split "), col("pct"), lit("%"))).otherwise(lit("")),
                lit("; no payment to this person")).as("evidence"),
            lit(null).cast("string").as("related_payout_id"), col("close_date").as("reference_date"),
            col("close_date").as("period_date"));
  }

  public static Column severity(Column code) {
    Column out = null;
    for (Map.Entry<String, String> e : SEVERITY.entrySet()) {
      out = out == null ? when(code.equalTo(e.getKey()), e.getValue()) : out.when(code.equalTo(e.getKey()), e.getValue());
    }
    return out;
  }

  /** high = 1, medium = 2, info = 3: the smallest is the worst. */
  static Column severityRank(Column severity) {
    return when(severity.equalTo("high"), 1).when(severity.equalTo("medium"), 2).otherwise(3);
  }

  static Column severityOfRank(Column rank) {
    return when(rank.equalTo(1), "high").when(rank.equalTo(2), "medium").when(rank.equalTo(3), "info");
  }
}
