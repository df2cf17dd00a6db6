package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * Builds {@code stg_comp__payouts}: one row per incentive payout line (payout_id). The latest
 * delivery wins; {@code content_hashes} keeps a digest of every distinct content a payout_id was
 * ever delivered with, so a line re-sent with a different amount, payee or deal stays visible.
 */
public final class StgCompPayouts extends StagingTable {

  @Override
  public String name() {
    return "stg_comp__payouts";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("payout_id", "payout_id", true),
        Field.string("payee_user_id", "payee_user_id", true),
        Field.of("period_start", "period_start_date", DATE, true),
        Field.of("period_end", "period_end_date", DATE, true),
        Field.oneOf("component", "component", true, "commission", "bonus", "spiff", "clawback", "draw", "adjustment"),
        Field.string("opportunity_id", "opportunity_id", false),
        Field.of("amount", "amount", MONEY, true),
        Field.string("currency", "currency_code", true),
        Field.of("paid_date", "paid_date", DATE, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("payout_id");
  }

  @Override
  public List<String> orderColumns() {
    return List.of("source_dt", "source_file", "source_record_number");
  }

  /** The content of a line, everything but its id and lineage. */
  public static final List<String> CONTENT = List.of("payee_user_id", "period_start_date", "period_end_date",
      "component", "opportunity_id", "amount", "currency_code", "paid_date");

  @Override
  protected Map<String, Column> collapseAggregates() {
    Column content = to_json(struct(CONTENT.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)));
    return Map.of("content_hashes", array_sort(collect_set(sha2(content, 256))));
  }

  @Override
  protected List<Column> rowRules() {
    return List.of(
        when(col("period_end_date").lt(col("period_start_date")),
            lit("fields 'period_start'/'period_end': the period ends before it starts")),
        when(not(col("currency_code").rlike("^[A-Z]{3}$")),
            lit("field 'currency': expected an ISO 4217 code such as USD")));
  }
}
