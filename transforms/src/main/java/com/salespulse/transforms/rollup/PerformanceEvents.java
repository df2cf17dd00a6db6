package com.salespulse.transforms.rollup;

import static org.apache.spark.sql.functions.*;

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
 * The stage shared by {@link FctRepPerformance} and {@link FctTeamPerformance}: every fact that
 * counts for a person, as one row per person and event, with the instant it happened (for team
 * membership at that time) and the date whose period it counts in.
 * <ul>
 *   <li>activities ({@code fct_activities}) to the credited rep, on the activity date;</li>
 *   <li>deals created, to the owner of the opportunity's first version, on the created date,
 *       with that version's amount as pipeline created;</li>
 *   <li>stage advances (a move to an open stage of higher probability), to the owner at the time;</li>
 *   <li>won and lost deals, on the close date, to the owner when the deal closed, or to the
 *       {@code OpportunitySplit} owners by their share of the splits' total percentage; shares are
 *       rounded to cents and the largest share takes the remainder, so they always add up to the
 *       deal's amount;</li>
 *   <li>quotas, to the quota owner, on the quota period's first day.</li>
 * </ul>
 * Amounts are in the corporate currency when one is configured ({@link RollupRules#currencies}).
 */
public final class PerformanceEvents {

  private PerformanceEvents() {}

  /**
   * The type fractional weights and shares are summed in: exact, so a sum is the same whatever order
   * its rows arrive in (a double's last digit depends on it, and a ratio rounded at a .x5 boundary
   * then differs between two runs over the same rows, e.g. over tables of another file layout).
   */
  public static final String EXACT = "decimal(30,10)";

  /**
   * @param activities {@code fct_activities} (only the dates to recompute are needed)
   * @param credits {@code fct_activity_opportunity_credits} (all dates: activities per won deal)
   * @param opportunityVersions {@code stg_crm__opportunity_versions}
   * @param stageHistory {@code fct_opportunity_stage_history}
   * @param splits {@code stg_crm__opportunity_splits}
   * @param quotas {@code stg_crm__forecasting_quotas}
   */
  public static Dataset<Row> apply(Dataset<Row> activities, Dataset<Row> credits, Dataset<Row> opportunityVersions,
                                   Dataset<Row> stageHistory, Dataset<Row> splits, Dataset<Row> quotas, RollupRules rules) {
    return apply(activities, credits, opportunityVersions, stageHistory, splits, quotas, null, rules);
  }

  /**
   * {@link #apply} with the closed deals restricted to those whose close date the filter keeps: the
   * close dates of the periods recomputed (a deal's close counts only in the periods holding its close
   * date), so that only their credits are counted (the activities of each won deal span its whole life).
   *
   * @param closeDates a filter on {@code close_date}, or null: every closed deal
   */
  public static Dataset<Row> apply(Dataset<Row> activities, Dataset<Row> credits, Dataset<Row> opportunityVersions,
                                   Dataset<Row> stageHistory, Dataset<Row> splits, Dataset<Row> quotas,
                                   Column closeDates, RollupRules rules) {
    String tz = rules.timezone();
    Column one = lit(1);
    Dataset<Row> acts = activities.select(
        col("user_id"), col("occurred_at").as("event_at"), col("activity_date").as("event_date"),
        one.as("activity_n"),
        when(col("activity_type").equalTo("email").and(col("direction").equalTo("outbound")), one).as("email_sent_n"),
        when(col("activity_type").equalTo("email").and(col("direction").equalTo("inbound")), one).as("email_received_n"),
        when(col("activity_type").equalTo("meeting"), one).as("meeting_n"),
        when(col("activity_type").equalTo("call").and(col("call_disposition").equalTo("connected")), one)
            .as("connected_call_n"),
        when(col("activity_type").equalTo("call").and(col("call_disposition").equalTo("connected")),
            col("duration_seconds")).as("call_seconds"),
        col("account_id").as("touched_account_id"), col("opportunity_id").as("touched_opportunity_id"))
        .where(col("user_id").isNotNull());

    Dataset<Row> live = opportunityVersions.where(col("is_current").and(not(col("is_deleted"))))
        .select(col("opportunity_id").as("live_id"));
    Dataset<Row> created = opportunityVersions
        .withColumn("is_first", Versions.isFirst("opportunity_id"))
        .where(col("is_first"))
        .join(live, col("opportunity_id").equalTo(col("live_id")))
        .select(col("owner_user_id").as("user_id"), col("created_at").as("event_at"),
            Periods.localDate(col("created_at"), tz).as("event_date"),
            col("opportunity_id").as("created_opportunity_id"),
            coalesce(rules.currencies().convert(col("amount"), col("currency_code")), lit(0)).as("pipeline_amount"));

    // the owner as of each stage change (the first version also before it)
    Dataset<Row> owners = opportunityVersions.select(col("opportunity_id").as("v_opportunity_id"),
        col("owner_user_id").as("v_owner_user_id"),
        col("valid_from"), col("valid_to"), Versions.isFirst("opportunity_id").as("is_first"));
    Dataset<Row> advances = stageHistory.where(col("is_advance"))
        .join(owners, col("opportunity_id").equalTo(col("v_opportunity_id"))
            .and(col("valid_from").leq(col("entered_at")).or(col("is_first")))
            .and(col("valid_to").isNull().or(col("valid_to").gt(col("entered_at")))))
        .select(col("v_owner_user_id").as("user_id"), col("entered_at").as("event_at"), col("entered_date").as("event_date"),
            one.as("stage_advance_n"));

    // closed deals: the current version, the owner of the version that closed it
    Dataset<Row> closing = closingOwners(opportunityVersions);
    Dataset<Row> closedVersions = opportunityVersions.where(col("is_current").and(not(col("is_deleted"))).and(col("is_closed"))
        .and(closeDates == null ? lit(true) : closeDates));
    Dataset<Row> dealCredits = closeDates == null ? credits
        : credits.join(broadcast(closedVersions.select(col("opportunity_id").as("cd_id"))),
            col("opportunity_id").equalTo(col("cd_id")), "left_semi");
    Dataset<Row> dealActivity = dealCredits.groupBy(col("opportunity_id").as("da_id"))
        .agg(sum(col("credit_weight").cast(EXACT)).as("deal_activity_count"));
    Dataset<Row> closed = closedVersions
        .join(closing, col("opportunity_id").equalTo(col("c_id")), "left")
        .join(dealActivity, col("opportunity_id").equalTo(col("da_id")), "left")
        .select(col("opportunity_id"), col("account_id"),
            coalesce(rules.currencies().convert(col("amount"), col("currency_code")), lit(0)).cast("decimal(18,2)").as("amount"),
            col("is_won"), col("close_date"),
            coalesce(col("closing_owner_id"), col("owner_user_id")).as("closing_owner_id"),
            coalesce(col("closed_at"), col("valid_from")).as("closed_at"),
            datediff(col("close_date"), Periods.localDate(col("created_at"), tz)).as("cycle_days"),
            coalesce(col("deal_activity_count"), lit(0).cast(EXACT)).as("deal_activity_count"));
    Dataset<Row> splitShares = splitShares(splits);
    WindowSpec bySplit = Window.partitionBy("opportunity_id");
    Dataset<Row> credited = closed
        .join(splitShares, col("opportunity_id").equalTo(col("s_opportunity_id")), "left")
        .withColumn("share", coalesce(col("pct").divide(sum("pct").over(bySplit)), lit(1)).cast("decimal(12,10)"))
        .withColumn("rank", row_number().over(bySplit.orderBy(col("pct").desc_nulls_last(), col("s_user_id"))))
        .withColumn("rounded", round(col("amount").multiply(col("share")), 2).cast("decimal(18,2)"))
        .withColumn("credit_amount", when(col("rank").equalTo(1),
                col("amount").minus(coalesce(sum(when(col("rank").gt(1), col("rounded"))).over(bySplit), lit(0))))
            .otherwise(col("rounded")).cast("decimal(18,2)"))
        .select(coalesce(col("s_user_id"), col("closing_owner_id")).as("user_id"), col("closed_at").as("event_at"),
            col("close_date").as("event_date"),
            when(col("is_won"), col("opportunity_id")).as("won_opportunity_id"),
            when(not(col("is_won")), col("opportunity_id")).as("lost_opportunity_id"),
            when(col("is_won"), col("credit_amount")).as("won_amount"),
            when(not(col("is_won")), col("credit_amount")).as("lost_amount"),
            when(col("is_won"), col("share")).as("won_share"),
            when(col("is_won"), col("share").multiply(col("cycle_days")).cast(EXACT)).as("won_cycle_days_x_share"),
            when(col("is_won"), col("share").multiply(col("deal_activity_count")).cast(EXACT))
                .as("won_activities_x_share"));

    Dataset<Row> quota = quotas.select(col("quota_owner_user_id").as("user_id"),
        to_utc_timestamp(col("period_start_date").cast("timestamp"), tz).as("event_at"),
        col("period_start_date").as("event_date"), col("quota_amount"));

    return acts.unionByName(created, true).unionByName(advances, true).unionByName(credited, true)
        .unionByName(quota, true).select(COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
  }

  /**
   * Who closed each deal that is closed in its latest closing: the owner of the first closed version
   * after the last open one, and when. Columns {@code c_id}, {@code closing_owner_id}, {@code closed_at}.
   */
  public static Dataset<Row> closingOwners(Dataset<Row> opportunityVersions) {
    Dataset<Row> lastOpen = opportunityVersions.where(not(col("is_closed")))
        .groupBy(col("opportunity_id").as("lo_id")).agg(max("valid_from").as("last_open_from"));
    return opportunityVersions.where(col("is_closed"))
        .join(lastOpen, col("opportunity_id").equalTo(col("lo_id")), "left")
        .where(col("last_open_from").isNull().or(col("valid_from").gt(col("last_open_from"))))
        .groupBy(col("opportunity_id").as("c_id"))
        .agg(min_by(col("owner_user_id"), col("valid_from")).as("closing_owner_id"), min("valid_from").as("closed_at"));
  }

  /**
   * Live {@code OpportunitySplit} percentages per deal and split owner: {@code s_opportunity_id},
   * {@code s_user_id}, {@code pct}.
   */
  public static Dataset<Row> splitShares(Dataset<Row> splits) {
    return splits.where(not(col("is_deleted")).and(col("split_percentage").gt(0)))
        .groupBy(col("opportunity_id").as("s_opportunity_id"), col("split_owner_user_id").as("s_user_id"))
        .agg(sum("split_percentage").as("pct"));
  }

  public static final List<String> COLUMNS = List.of("user_id", "event_at", "event_date", "activity_n", "email_sent_n",
      "email_received_n", "meeting_n", "connected_call_n", "call_seconds", "touched_account_id", "touched_opportunity_id",
      "created_opportunity_id", "pipeline_amount", "stage_advance_n", "won_opportunity_id", "lost_opportunity_id",
      "won_amount", "lost_amount", "won_share", "won_cycle_days_x_share", "won_activities_x_share", "quota_amount");

  /**
   * Events exploded into the periods they count in, restricted to the periods asked for. A quota
   * counts only in periods at least as long as the quota period.
   *
   * @param periods the periods to compute: {@code period_type}, {@code period_start}
   */
  public static Dataset<Row> inPeriods(Dataset<Row> events, Dataset<Row> periods, RollupRules rules) {
    List<String> quotaTypes = rules.quotaPeriod().equals("month") ? List.of("month", "quarter") : List.of("quarter");
    Dataset<Row> wanted = periods.select(col("period_type").as("w_type"), col("period_start").as("w_start"));
    return events.withColumn("p", explode(Periods.all(col("event_date"), rules.fiscalYearStartMonth())))
        .withColumn("period_type", col("p.period_type"))
        .withColumn("period_start", col("p.period_start"))
        .where(col("quota_amount").isNull().or(col("period_type").isin(quotaTypes.toArray())))
        .join(broadcast(wanted), col("period_type").equalTo(col("w_type")).and(col("period_start").equalTo(col("w_start"))))
        .drop("p", "w_type", "w_start");
  }

  /** Distinct counts: measure name -> the id column counted. */
  static final Map<String, String> DISTINCT = new LinkedHashMap<>();

  static {
    DISTINCT.put("accounts_touched", "touched_account_id");
    DISTINCT.put("deals_touched", "touched_opportunity_id");
    DISTINCT.put("deals_created", "created_opportunity_id");
    DISTINCT.put("won_count", "won_opportunity_id");
    DISTINCT.put("lost_count", "lost_opportunity_id");
  }

  /** The event columns the measures sum; a pre-aggregation ({@link #partialSums}) keeps their names. */
  static final List<String> SUMMED = List.of("activity_n", "email_sent_n", "email_received_n", "meeting_n",
      "connected_call_n", "call_seconds", "pipeline_amount", "stage_advance_n", "won_amount", "lost_amount",
      "quota_amount", "won_share", "won_cycle_days_x_share", "won_activities_x_share");

  /**
   * The measures both performance tables share, aggregated over {@code keys}. Distinct counts are
   * taken on a narrow (keys, measure, id) set rather than with several count_distinct aggregates,
   * which would copy every row once per distinct column.
   */
  public static Dataset<Row> aggregate(Dataset<Row> rows, List<String> keys) {
    return aggregate(rows, ids(rows, keys), keys);
  }

  /**
   * The events' summed columns added up over {@code keys}, under their own names: {@link #aggregate}
   * of these (with {@link #ids} of the same events) equals its aggregate of the events, over
   * any coarser keys. Every sum is exact (integers and decimals), so adding partial sums changes nothing.
   */
  public static Dataset<Row> partialSums(Dataset<Row> rows, List<String> keys) {
    return rows.groupBy(keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .agg(sum(SUMMED.get(0)).as(SUMMED.get(0)), SUMMED.stream().skip(1).map(c -> sum(c).as(c)).toArray(Column[]::new));
  }

  /**
   * The ids the distinct counts count: columns {@code keys}, {@code m} (the measure) and {@code id},
   * one row per event and id (the same id may repeat).
   */
  public static Dataset<Row> ids(Dataset<Row> rows, List<String> keys) {
    Column pairs = array(DISTINCT.entrySet().stream()
        .map(e -> struct(lit(e.getKey()).as("m"), col(e.getValue()).as("id"))).toArray(Column[]::new));
    List<Column> narrow = new ArrayList<>(keys.stream().map(org.apache.spark.sql.functions::col).toList());
    narrow.add(explode(filter(pairs, x -> x.getField("id").isNotNull())).as("x"));
    List<Column> grouped = new ArrayList<>(keys.stream().map(org.apache.spark.sql.functions::col).toList());
    grouped.add(col("x.m").as("m"));
    grouped.add(col("x.id").as("id"));
    return rows.select(narrow.toArray(Column[]::new)).select(grouped.toArray(Column[]::new));
  }

  /**
   * {@link #aggregate} over {@code keys} of rows holding the summed columns (events, or
   * {@link #partialSums} of them) and the ids to count distinct ({@link #ids} over keys at least as
   * fine).
   */
  public static Dataset<Row> aggregate(Dataset<Row> sumRows, Dataset<Row> ids, List<String> keys) {
    Column[] k = keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Dataset<Row> sums = sumRows.groupBy(k).agg(
        coalesce(sum("activity_n"), lit(0L)).as("activity_count"),
        coalesce(sum("email_sent_n"), lit(0L)).as("emails_sent"),
        coalesce(sum("email_received_n"), lit(0L)).as("emails_received"),
        coalesce(sum("meeting_n"), lit(0L)).as("meetings_held"),
        coalesce(sum("connected_call_n"), lit(0L)).as("connected_calls"),
        round(coalesce(sum("call_seconds"), lit(0L)).divide(60.0), 2).as("call_minutes"),
        coalesce(sum("pipeline_amount"), lit(0)).cast("decimal(18,2)").as("pipeline_created"),
        coalesce(sum("stage_advance_n"), lit(0L)).as("stage_advances"),
        coalesce(sum("won_amount"), lit(0)).cast("decimal(18,2)").as("won_amount"),
        coalesce(sum("lost_amount"), lit(0)).cast("decimal(18,2)").as("lost_amount"),
        sum("quota_amount").cast("decimal(18,2)").as("quota_amount"),
        sum("won_share").as("won_share_sum"),
        sum("won_cycle_days_x_share").as("won_cycle_x_share"),
        sum("won_activities_x_share").as("won_activities_x_share"));
    List<Column> idColumns = new ArrayList<>(List.of(k));
    idColumns.add(col("m"));
    idColumns.add(col("id"));
    Dataset<Row> counts = ids.select(idColumns.toArray(Column[]::new)).distinct()
        .groupBy(k).pivot("m", new ArrayList<>(DISTINCT.keySet())).count();
    Dataset<Row> joined = sums.join(counts, scala.jdk.javaapi.CollectionConverters.asScala(keys).toSeq(), "left");
    for (String m : DISTINCT.keySet()) {
      joined = joined.withColumn(m, coalesce(col(m), lit(0L)));
    }
    return joined;
  }

  /** The measure columns of both performance tables, in their DDL order: counts, amounts, then ratios. */
  public static List<Column> measureColumns() {
    List<Column> out = new ArrayList<>(List.of(
        col("activity_count"), col("emails_sent"), col("emails_received"), col("meetings_held"), col("connected_calls"),
        col("call_minutes"), col("accounts_touched"), col("deals_touched"), col("deals_created"), col("pipeline_created"),
        col("stage_advances"), col("won_count"), col("won_amount"), col("lost_count"), col("lost_amount"),
        col("quota_amount")));
    out.addAll(ratios());
    return out;
  }

  /** Ratios derived from {@link #aggregate}. */
  static List<Column> ratios() {
    Column closedAmount = col("won_amount").plus(col("lost_amount"));
    return List.of(
        when(col("quota_amount").gt(0), round(col("won_amount").divide(col("quota_amount")), 4).cast("double")).as("attainment"),
        when(col("won_count").plus(col("lost_count")).gt(0),
            round(col("won_count").divide(col("won_count").plus(col("lost_count"))), 4)).as("win_rate_count"),
        when(closedAmount.gt(0), round(col("won_amount").divide(closedAmount), 4).cast("double")).as("win_rate_amount"),
        when(col("won_share_sum").gt(0), round(col("won_amount").divide(col("won_share_sum")), 2).cast("decimal(18,2)"))
            .as("avg_deal_size"),
        when(col("won_share_sum").gt(0), round(col("won_cycle_x_share").divide(col("won_share_sum")), 1).cast("double"))
            .as("avg_cycle_days"),
        when(col("won_share_sum").gt(0), round(col("won_activities_x_share").divide(col("won_share_sum")), 1).cast("double"))
            .as("activities_per_won_deal"));
  }
}
