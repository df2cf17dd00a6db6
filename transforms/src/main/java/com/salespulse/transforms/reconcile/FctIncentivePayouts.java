package com.salespulse.transforms.reconcile;

import static org.apache.spark.sql.functions.*;

import com.salespulse.transforms.rollup.PerformanceEvents;
import com.salespulse.transforms.rollup.Periods;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code fct_incentive_payouts}: every payout line beside the deal it pays on, the payee's credit
 * on that deal and the work behind it. Grain: one row per {@code payout_id}.
 *
 * <p>"At paid" is the end of the line's paid date (its period's last day when it has none) in the
 * org timezone; when the warehouse's history of the deal or the payee starts later, their oldest
 * known version stands for that time. "Now" is the end of the as-of date (the latest run date).
 * The payee's credit share is their {@code OpportunitySplit} percentage over the deal's total, or 1
 * for the owner of the version that closed the deal (the current owner while it never closed) when
 * the deal has no splits, as in the rollups.
 */
public final class FctIncentivePayouts {

  public static final String NAME = "fct_incentive_payouts";

  public static final List<String> COLUMNS = List.of("payout_id", "payee_user_id", "payee_name", "component",
      "period_start_date", "period_end_date", "opportunity_id", "amount", "currency_code",
      "amount_in_corporate_currency", "paid_date", "reference_date", "is_deal_line", "delivery_versions", "is_payee_known", "is_payee_active_at_paid", "is_deal_known",
      "deal_stage_name_at_paid", "is_deal_won_at_paid", "deal_amount_at_paid", "deal_currency_code_at_paid",
      "deal_owner_user_id_at_paid", "deal_close_date_at_paid", "deal_stage_name", "is_deal_won", "is_deal_deleted",
      "deal_amount", "deal_owner_user_id", "deal_close_date", "deal_left_won_at", "closing_owner_user_id",
      "split_percentage_total", "payee_split_percentage", "payee_credit_share", "is_payee_credited",
      "payee_activity_count", "payee_activity_credit", "payee_last_activity_date", "deal_activity_count",
      "deal_activity_credit", "deal_last_activity_date", "exception_count", "max_severity", "as_of_date", "run_id");

  private FctIncentivePayouts() {}

  /**
   * The payout lines with their evidence, everything of the table but the exception columns: the
   * input of {@link FctIncentiveExceptions} and of {@link #apply}.
   *
   * @param payouts {@code stg_comp__payouts}
   * @param opportunityVersions {@code stg_crm__opportunity_versions}
   * @param splits {@code stg_crm__opportunity_splits}
   * @param userVersions {@code stg_crm__user_versions}
   * @param activities {@code fct_activities} (the credited rep of each activity)
   * @param credits {@code fct_activity_opportunity_credits}
   */
  public static Dataset<Row> lines(Dataset<Row> payouts, Dataset<Row> opportunityVersions, Dataset<Row> splits,
                                   Dataset<Row> userVersions, Dataset<Row> activities, Dataset<Row> credits,
                                   LocalDate asOf, ReconcileRules rules) {
    String tz = rules.timezone();
    Dataset<Row> base = resolveIds(resolveIds(payouts, "opportunity_id", opportunityVersions), "payee_user_id",
            userVersions.withColumnRenamed("user_id", "payee_user_id"))
        .select(col("payout_id"), col("payee_user_id"), col("component"),
            col("period_start_date"), col("period_end_date"), col("opportunity_id"), col("amount"),
            col("currency_code"), col("paid_date"),
            coalesce(col("paid_date"), col("period_end_date")).as("reference_date"),
            coalesce(size(col("content_hashes")), lit(1)).as("delivery_versions"))
        .withColumn("reference_at", Periods.endOfDay(col("reference_date"), tz))
        .withColumn("is_deal_line", col("opportunity_id").isNotNull());

    // the deal at paid, now, and when it first stopped being won after the payment
    Dataset<Row> versions = opportunityVersions.select(col("opportunity_id").as("v_id"),
        struct(col("stage_name"), col("is_won"), col("amount"), col("currency_code"), col("owner_user_id"),
            col("close_date"), col("is_deleted")).as("v"),
        col("valid_from"), col("valid_to"), col("is_won").as("v_is_won"), col("is_deleted").as("v_is_deleted"));
    Column atPaid = col("valid_from").lt(col("reference_at"))
        .and(col("valid_to").isNull().or(col("valid_to").geq(col("reference_at"))));
    Column leftWon = col("valid_from").geq(col("reference_at")).and(not(col("v_is_won")).or(col("v_is_deleted")));
    Dataset<Row> deals = base.where(col("is_deal_line")).select(col("payout_id").as("d_payout_id"),
            col("opportunity_id").as("d_opportunity_id"), col("reference_at").as("d_reference_at"))
        .join(versions, col("d_opportunity_id").equalTo(col("v_id")))
        .withColumn("reference_at", col("d_reference_at"))
        .groupBy(col("d_payout_id"))
        .agg(max_by(col("v"), when(atPaid, lit(1L)).otherwise(lit(0L)).multiply(lit(Long.MAX_VALUE / 2))
                .minus(unix_micros(col("valid_from")))).as("at_paid"),
            max_by(col("v"), col("valid_from")).as("now"),
            min(when(leftWon, col("valid_from"))).as("left_won_at"));

    // who is credited with each deal: split owners, else the owner who closed it (or owns it)
    Dataset<Row> closing = PerformanceEvents.closingOwners(opportunityVersions);
    Dataset<Row> shares = PerformanceEvents.splitShares(splits);
    Dataset<Row> totals = shares.groupBy(col("s_opportunity_id").as("t_opportunity_id"))
        .agg(sum("pct").cast("decimal(9,4)").as("split_percentage_total"));

    // attributed activity on the paid deals, by person and by anyone: the deal is the activity's primary
    // or gets at least min-activity-credit of it (a faint secondary credit is not work on the deal)
    Dataset<Row> paidDeals = base.where(col("is_deal_line")).select(col("opportunity_id").as("p_id")).distinct();
    Dataset<Row> worked = credits.join(paidDeals, col("opportunity_id").equalTo(col("p_id")), "left_semi")
        .where(col("is_primary").or(col("credit_weight").geq(lit(rules.minActivityCredit()))))
        .select(col("activity_id").as("c_activity_id"), col("opportunity_id").as("w_opportunity_id"),
            col("credit_weight"), col("activity_date").as("w_date"))
        .join(activities.select(col("activity_id"), col("user_id").as("w_user_id")),
            col("c_activity_id").equalTo(col("activity_id")), "left");
    Dataset<Row> byPerson = worked.where(col("w_user_id").isNotNull())
        .groupBy(col("w_opportunity_id").as("pw_opportunity_id"), col("w_user_id").as("pw_user_id"))
        .agg(count(lit(1)).as("payee_activity_count"), sum("credit_weight").as("payee_activity_credit"),
            max("w_date").as("payee_last_activity_date"));
    Dataset<Row> byDeal = worked.groupBy(col("w_opportunity_id").as("dw_opportunity_id"))
        .agg(count(lit(1)).as("deal_activity_count"), sum("credit_weight").as("deal_activity_credit"),
            max("w_date").as("deal_last_activity_date"));

    // the payee: known, active at paid, name now
    Dataset<Row> payees = base.select(col("payout_id").as("u_payout_id"), col("payee_user_id").as("u_id"),
            col("reference_at").as("u_reference_at"))
        .join(userVersions.select(col("user_id"), col("is_active"), col("full_name"), col("valid_from"), col("valid_to")),
            col("u_id").equalTo(col("user_id")))
        .withColumn("reference_at", col("u_reference_at"))
        .groupBy(col("u_payout_id"))
        .agg(max_by(col("is_active"), when(atPaid, lit(1L)).otherwise(lit(0L)).multiply(lit(Long.MAX_VALUE / 2))
                .minus(unix_micros(col("valid_from")))).as("is_payee_active_at_paid"),
            max_by(col("full_name"), col("valid_from")).as("payee_name"));

    Column total = col("split_percentage_total");
    Column creditedOwner = coalesce(col("closing_owner_id"), col("now.owner_user_id"));
    Column payeePct = coalesce(col("pct"), lit(0)).cast("decimal(9,4)");
    return base
        .join(deals, col("payout_id").equalTo(col("d_payout_id")), "left")
        .join(payees, col("payout_id").equalTo(col("u_payout_id")), "left")
        .join(closing, col("opportunity_id").equalTo(col("c_id")), "left")
        .join(totals, col("opportunity_id").equalTo(col("t_opportunity_id")), "left")
        .join(shares, col("opportunity_id").equalTo(col("s_opportunity_id"))
            .and(col("payee_user_id").equalTo(col("s_user_id"))), "left")
        .join(byPerson, col("opportunity_id").equalTo(col("pw_opportunity_id"))
            .and(col("payee_user_id").equalTo(col("pw_user_id"))), "left")
        .join(byDeal, col("opportunity_id").equalTo(col("dw_opportunity_id")), "left")
        .select(col("payout_id"), col("payee_user_id"), col("payee_name"), col("component"),
            col("period_start_date"), col("period_end_date"), col("opportunity_id"), col("amount"),
            col("currency_code"),
            rules.currencies().convert(col("amount"), col("currency_code")).as("amount_in_corporate_currency"),
            col("paid_date"), col("reference_date"), col("is_deal_line"),
            col("delivery_versions"),
            col("u_payout_id").isNotNull().as("is_payee_known"),
            col("is_payee_active_at_paid"),
            when(col("is_deal_line"), col("d_payout_id").isNotNull()).as("is_deal_known"),
            col("at_paid.stage_name").as("deal_stage_name_at_paid"),
            col("at_paid.is_won").and(not(col("at_paid.is_deleted"))).as("is_deal_won_at_paid"),
            col("at_paid.amount").as("deal_amount_at_paid"),
            col("at_paid.currency_code").as("deal_currency_code_at_paid"),
            col("at_paid.owner_user_id").as("deal_owner_user_id_at_paid"),
            col("at_paid.close_date").as("deal_close_date_at_paid"),
            col("now.stage_name").as("deal_stage_name"),
            col("now.is_won").and(not(col("now.is_deleted"))).as("is_deal_won"),
            col("now.is_deleted").as("is_deal_deleted"),
            col("now.amount").as("deal_amount"),
            col("now.owner_user_id").as("deal_owner_user_id"),
            col("now.close_date").as("deal_close_date"),
            when(col("at_paid.is_won").and(not(col("at_paid.is_deleted"))), col("left_won_at")).as("deal_left_won_at"),
            when(col("d_payout_id").isNotNull(), creditedOwner).as("closing_owner_user_id"),
            when(col("d_payout_id").isNotNull(), coalesce(total, lit(0)).cast("decimal(9,4)")).as("split_percentage_total"),
            when(col("d_payout_id").isNotNull(), payeePct).as("payee_split_percentage"),
            when(col("d_payout_id").isNotNull(), when(total.gt(0), round(payeePct.divide(total), 6).cast("double"))
                .when(col("payee_user_id").equalTo(creditedOwner), lit(1.0)).otherwise(lit(0.0)))
                .as("payee_credit_share"),
            when(col("d_payout_id").isNotNull(),
                col("payee_user_id").equalTo(creditedOwner).or(payeePct.gt(0))).as("is_payee_credited"),
            when(col("is_deal_line"), coalesce(col("payee_activity_count"), lit(0L))).as("payee_activity_count"),
            when(col("is_deal_line"), round(coalesce(col("payee_activity_credit"), lit(0.0)), 4))
                .as("payee_activity_credit"),
            col("payee_last_activity_date"),
            when(col("is_deal_line"), coalesce(col("deal_activity_count"), lit(0L))).as("deal_activity_count"),
            when(col("is_deal_line"), round(coalesce(col("deal_activity_credit"), lit(0.0)), 4))
                .as("deal_activity_credit"),
            col("deal_last_activity_date"),
            lit(Date.valueOf(asOf)).as("as_of_date"));
  }

  /**
   * Salesforce ids come in a 15-character case-sensitive form and an 18-character form (the same 15
   * plus a checksum of their case); compensation systems often export the short one. A 15-character
   * id becomes the CRM's 18-character id that starts with it; any other id is kept as written.
   */
  static Dataset<Row> resolveIds(Dataset<Row> rows, String column, Dataset<Row> crm) {
    Dataset<Row> longIds = crm.select(col(column).as("r_long")).distinct().where(length(col("r_long")).equalTo(18))
        .select(substring(col("r_long"), 1, 15).as("r_short"), col("r_long"));
    return rows.join(longIds, length(col(column)).equalTo(15).and(col(column).equalTo(col("r_short"))), "left")
        .withColumn(column, coalesce(col("r_long"), col(column)))
        .drop("r_short", "r_long");
  }

  /**
   * The lines as {@link #lines} gives them, from this table as stored, for another as-of date: the
   * lines depend on the date only through {@code as_of_date}, so a table written from the same inputs
   * (same versions, same code and rules) holds them already.
   *
   * @param stored {@code fct_incentive_payouts}
   */
  public static Dataset<Row> linesAsOf(Dataset<Row> stored, LocalDate asOf) {
    return stored.select(COLUMNS.stream()
        .filter(c -> !List.of("exception_count", "max_severity", "run_id").contains(c))
        .map(c -> c.equals("as_of_date") ? lit(Date.valueOf(asOf)).as(c) : col(c))
        .toArray(Column[]::new));
  }

  /** The table: the lines with how many exceptions each raised and the worst severity. */
  public static Dataset<Row> apply(Dataset<Row> lines, Dataset<Row> exceptions, String runId) {
    Dataset<Row> perLine = exceptions.where(col("payout_id").isNotNull())
        .groupBy(col("payout_id").as("e_payout_id"))
        .agg(count(lit(1)).as("n"),
            min(FctIncentiveExceptions.severityRank(col("severity"))).as("worst"));
    return lines.join(perLine, col("payout_id").equalTo(col("e_payout_id")), "left")
        .withColumn("exception_count", coalesce(col("n"), lit(0L)))
        .withColumn("max_severity", FctIncentiveExceptions.severityOfRank(col("worst")))
        .withColumn("run_id", lit(runId))
        .select(COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
  }
}
