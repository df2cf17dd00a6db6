package com.salespulse.transforms.rollup;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * {@code fct_opportunity_engagement_daily}: one row per opportunity open at the end of a snapshot
 * date (or closed with that close date), with its engagement and risk flags as of that date.
 * Everything is as of the end of the snapshot date in the org timezone: the opportunity version
 * valid then, activities up to that day, close-date pushes recorded by then, and stage medians
 * from deals won before the snapshot's month began. So a snapshot recomputed later from the same
 * data is the same. Each deal keeps its amount in its own currency beside the amount in the org's
 * corporate currency ({@link com.salespulse.transforms.CurrencyConversion}), which is what queries add
 * up or rank deals by.
 */
public final class FctOpportunityEngagementDaily {

  public static final String NAME = "fct_opportunity_engagement_daily";

  public static final List<String> RISK_FLAGS = List.of("is_stale", "is_ghosted", "is_single_threaded",
      "is_stalled_in_stage", "is_close_date_slipping", "is_closing_without_meeting");

  private FctOpportunityEngagementDaily() {}

  /**
   * @param opportunityVersions {@code stg_crm__opportunity_versions}
   * @param history {@code stg_crm__opportunity_history}
   * @param stageHistory {@code fct_opportunity_stage_history}
   * @param activities {@code fct_activities}
   * @param credits {@code fct_activity_opportunity_credits}
   * @param contactRoles {@code stg_crm__opportunity_contact_roles}
   * @param from first snapshot date
   * @param to last snapshot date
   */
  public static Dataset<Row> apply(Dataset<Row> opportunityVersions, Dataset<Row> history, Dataset<Row> stageHistory,
                                   Dataset<Row> activities, Dataset<Row> credits, Dataset<Row> contactRoles,
                                   LocalDate from, LocalDate to, RollupRules rules, String runId) {
    return apply(opportunityVersions, history, stageHistory, activities, credits, contactRoles, null, from, to, rules,
        runId);
  }

  /**
   * The snapshots of {@code from} to {@code to}, continuing from the day before.
   *
   * <p>A deal's last activity and last two-way touch reach back through its whole history. With
   * {@code previous}, this table's rows of the day before {@code from} (as {@link #previous} selects
   * them), they continue from that day's values instead, and the activity before the 30-day window is
   * not read at all (on a warehouse of a year, the window is a tenth of the history). The result is the
   * same as from the history provided every deal snapshotted from {@code from} to {@code to} has a row
   * that day and that row is still what this transform gives for it: a night's recompute starts at the
   * first activity date it changed, so the days before it stand, and a deal the stored snapshots of that
   * day do not hold ({@link #uncovered}) gets its row from {@link #lastTouches}.
   *
   * @param previous {@link #previous} of the day before {@code from} (with {@link #lastTouches} of the
   *     deals it lacks), or null: from the whole history
   */
  public static Dataset<Row> apply(Dataset<Row> opportunityVersions, Dataset<Row> history, Dataset<Row> stageHistory,
                                   Dataset<Row> activities, Dataset<Row> credits, Dataset<Row> contactRoles,
                                   Dataset<Row> previous, LocalDate from, LocalDate to, RollupRules rules, String runId) {
    String tz = rules.timezone();
    int n = rules.engagementWindowDays();
    Column first = lit(Date.valueOf(from));
    Column last = lit(Date.valueOf(to));

    Dataset<Row> snapshots = snapshots(opportunityVersions, from, to, tz);

    // Activity credited to each deal, per day; days before the 30-day windows collapse to one row.
    Column horizon = date_sub(first, n);
    Dataset<Row> credited = credited(credits, activities).where(col("activity_date").leq(last));
    Column twoWay = twoWay();
    // weights summed exactly: the same sums whatever order the rows come in (PerformanceEvents.EXACT)
    Column w = col("credit_weight").cast(PerformanceEvents.EXACT);
    Column none = lit(0).cast(PerformanceEvents.EXACT);
    Dataset<Row> recent = credited.where(col("activity_date").gt(horizon))
        .groupBy(col("opportunity_id"), col("activity_date").as("day")).agg(
            sum(w).as("activity_w"),
            sum(when(col("activity_type").equalTo("email"), w).otherwise(none)).as("email_w"),
            sum(when(col("activity_type").equalTo("meeting"), w).otherwise(none)).as("meeting_w"),
            sum(when(col("activity_type").equalTo("call"), w).otherwise(none)).as("call_w"),
            sum(when(twoWay, w).otherwise(none)).as("two_way_w"),
            sum(when(col("direction").equalTo("outbound"), w).otherwise(none)).as("outbound_w"),
            max(when(twoWay, col("activity_date"))).as("two_way_day"))
        .withColumn("activity_day", col("day"))
        .withColumn("outbound_gw", col("outbound_w"))
        .withColumn("two_way_gw", col("two_way_w"));
    // before the windows, only the latest activity and two-way touch of each deal count: from the
    // history, or as the day before stands (one row per deal, dated that day)
    Dataset<Row> older = previous == null
        ? credited.where(col("activity_date").leq(horizon))
            .groupBy("opportunity_id").agg(max("activity_date").as("day"), max(when(twoWay, col("activity_date"))).as("two_way_day"))
            .withColumn("activity_day", col("day"))
        : previous.select(col("opportunity_id"), lit(Date.valueOf(from.minusDays(1))).as("day"),
            col("last_two_way_touch_date").as("two_way_day"), col("last_activity_date").as("activity_day"));
    Dataset<Row> roles = contactRoles.where(not(col("is_deleted")))
        .select(col("opportunity_id").as("r_opportunity_id"), col("contact_id").as("r_contact_id"));
    // each outside contact on a deal's activities in the window, as the days it counts in: a day's
    // contact counts until n days later, so a contact seen again within n days extends its span
    // instead of counting twice (+1 where a span starts, -1 where it ends; the running sum of these
    // on a date is the distinct contacts of the n days to it)
    Dataset<Row> contactDays = credited.where(col("activity_date").gt(horizon))
        .select(col("opportunity_id"), col("activity_date").as("day"), explode(col("contact_ids")).as("contact_id"))
        .distinct()
        .join(roles, col("opportunity_id").equalTo(col("r_opportunity_id")).and(col("contact_id").equalTo(col("r_contact_id"))),
            "left")
        .withColumn("has_role", col("r_contact_id").isNotNull())
        .withColumn("prev_day", lag(col("day"), 1).over(Window.partitionBy("opportunity_id", "contact_id").orderBy("day")));
    Column roleN = when(col("has_role"), lit(1)).otherwise(lit(0));
    Dataset<Row> contacts = contactDays
        .select(col("opportunity_id"),
            when(col("prev_day").isNull(), col("day")).otherwise(greatest(col("day"), date_add(col("prev_day"), n))).as("day"),
            lit(1).as("contact_n"), roleN.as("role_contact_n"))
        .unionByName(contactDays.select(col("opportunity_id"), date_add(col("day"), n).as("day"),
            lit(-1).as("contact_n"), negate(roleN).as("role_contact_n")));
    // a day's weights leave the n-day sums n days later and the ghosting sums g days later: negated
    // copies dated then, so every windowed sum is a running sum (exact in decimal), one pass over a
    // deal's days instead of re-adding each window
    int g = rules.ghostedDays();
    Dataset<Row> expired = recent.select(col("opportunity_id"), date_add(col("day"), n).as("day"),
            negate(col("activity_w")).as("activity_w"), negate(col("email_w")).as("email_w"),
            negate(col("meeting_w")).as("meeting_w"), negate(col("call_w")).as("call_w"),
            negate(col("two_way_w")).as("two_way_w"), negate(col("outbound_w")).as("outbound_w"))
        .unionByName(recent.select(col("opportunity_id"), date_add(col("day"), g).as("day"),
            negate(col("outbound_w")).as("outbound_gw"), negate(col("two_way_w")).as("two_way_gw")), true);
    Dataset<Row> pushes = history.where(not(col("is_deleted")))
        .withColumn("prev_close", lag(col("close_date"), 1).over(Window.partitionBy("opportunity_id")
            .orderBy(col("created_at"), col("opportunity_history_id"))))
        .where(col("close_date").gt(col("prev_close")))
        .groupBy(col("opportunity_id"), Periods.localDate(col("created_at"), tz).as("day"))
        .agg(count(lit(1)).cast("int").as("push_n"))
        .where(col("day").leq(last));

    Dataset<Row> events = snapshots.select(col("opportunity_id"), col("snapshot_date").as("day"), lit(true).as("is_snapshot"))
        .unionByName(recent, true).unionByName(expired, true).unionByName(older, true).unionByName(contacts, true)
        .unionByName(pushes, true)
        .withColumn("day_n", datediff(col("day"), lit("1970-01-01")));
    WindowSpec toDate = Window.partitionBy("opportunity_id").orderBy("day_n")
        .rangeBetween(Window.unboundedPreceding(), 0);
    Dataset<Row> measured = events.select(
            col("opportunity_id").as("m_opportunity_id"), col("day").as("m_snapshot_date"), col("is_snapshot"),
            round(coalesce(sum("activity_w").over(toDate), none), 3).cast("double").as("activity_count_30d"),
            round(coalesce(sum("email_w").over(toDate), none), 3).cast("double").as("email_count_30d"),
            round(coalesce(sum("meeting_w").over(toDate), none), 3).cast("double").as("meeting_count_30d"),
            round(coalesce(sum("call_w").over(toDate), none), 3).cast("double").as("call_count_30d"),
            round(coalesce(sum("two_way_w").over(toDate), none), 3).cast("double").as("two_way_touch_count_30d"),
            round(coalesce(sum("outbound_w").over(toDate), none), 3).cast("double").as("outbound_count_30d"),
            coalesce(sum("outbound_gw").over(toDate), none).as("outbound_g"),
            coalesce(sum("two_way_gw").over(toDate), none).as("two_way_g"),
            coalesce(sum("contact_n").over(toDate), lit(0)).cast("int").as("contacts_engaged_30d"),
            coalesce(sum("role_contact_n").over(toDate), lit(0)).cast("int").as("contact_roles_engaged_30d"),
            max("activity_day").over(toDate).as("last_activity_date"),
            max("two_way_day").over(toDate).as("last_two_way_touch_date"),
            coalesce(sum("push_n").over(toDate), lit(0)).cast("int").as("close_date_push_count"))
        .where(col("is_snapshot"));

    // Stage as of the end of the snapshot date, and the median days won deals spent in it.
    Dataset<Row> stages = stageHistory.select(col("opportunity_id").as("s_opportunity_id"), col("stage_name"),
        col("entered_at"), col("exited_at"), col("entered_date").as("stage_entered_date"));
    Dataset<Row> wonAt = stageHistory.where(col("is_closed_stage").and(col("opportunity_outcome").equalTo("won")))
        .select(col("opportunity_id").as("w_opportunity_id"), col("entered_date").as("won_date"));
    Dataset<Row> months = snapshots.select(trunc(col("snapshot_date"), "month").as("month_start")).distinct();
    Dataset<Row> medians = stageHistory.where(not(col("is_closed_stage")).and(col("exited_at").isNotNull()))
        .join(wonAt, col("opportunity_id").equalTo(col("w_opportunity_id")))
        .join(broadcast(months), col("won_date").lt(col("month_start")))
        .groupBy(col("month_start").as("md_month_start"), col("stage_name").as("md_stage_name"))
        .agg(percentile(col("duration_days"), lit(0.5)).as("won_stage_median_days"));

    Dataset<Row> rolesPerDeal = roles.groupBy(col("r_opportunity_id").as("c_opportunity_id"))
        .agg(count(lit(1)).cast("int").as("contact_role_count"));
    Column eod = Periods.endOfDay(col("snapshot_date"), tz);
    Dataset<Row> joined = snapshots
        .join(measured, col("opportunity_id").equalTo(col("m_opportunity_id"))
            .and(col("snapshot_date").equalTo(col("m_snapshot_date"))))
        .join(stages, col("opportunity_id").equalTo(col("s_opportunity_id")).and(col("entered_at").lt(eod))
            .and(col("exited_at").isNull().or(col("exited_at").geq(eod))), "left")
        .withColumn("month_start", trunc(col("snapshot_date"), "month"))
        .join(medians, col("month_start").equalTo(col("md_month_start"))
            .and(coalesce(col("stage_name"), col("version_stage_name")).equalTo(col("md_stage_name"))), "left")
        .join(rolesPerDeal, col("opportunity_id").equalTo(col("c_opportunity_id")), "left");

    Column daysSinceActivity = datediff(col("snapshot_date"), col("last_activity_date"));
    Column daysSinceTwoWay = datediff(col("snapshot_date"), col("last_two_way_touch_date"));
    Column daysOpen = datediff(col("snapshot_date"), col("created_date"));
    Column daysInStage = datediff(col("snapshot_date"), coalesce(col("stage_entered_date"), col("created_date")));
    Column open = not(col("is_closed"));
    Column stale = open.and(coalesce(daysSinceActivity, daysOpen).gt(rules.staleDays()));
    Column ghosted = open.and(col("outbound_g").gt(0)).and(col("two_way_g").equalTo(0))
        .and(coalesce(daysSinceTwoWay.gt(rules.ghostedDays()), lit(true)));
    Column singleThreaded = open.and(col("activity_count_30d").gt(0))
        .and(col("contacts_engaged_30d").leq(rules.singleThreadedMaxContacts()));
    Column stalled = open.and(coalesce(daysInStage.gt(col("won_stage_median_days").multiply(rules.stalledStageRatio())),
        lit(false)));
    Column slipping = open.and(col("close_date_push_count").geq(rules.slippingPushes())
        .or(col("close_date").lt(col("snapshot_date"))));
    Column closingWithoutMeeting = open.and(col("close_date").between(col("snapshot_date"),
            date_add(col("snapshot_date"), rules.closingWithoutMeetingDays())))
        .and(col("meeting_count_30d").equalTo(0));
    Column[] flags = {stale, ghosted, singleThreaded, stalled, slipping, closingWithoutMeeting};
    Column[] reasons = new Column[flags.length];
    for (int i = 0; i < flags.length; i++) {
      reasons[i] = when(flags[i], lit(RISK_FLAGS.get(i).substring(3)));
    }
    return joined.select(
        col("opportunity_id"), col("snapshot_date"), col("account_id"), col("owner_user_id"),
        coalesce(col("stage_name"), col("version_stage_name")).as("stage_name"),
        col("amount"), col("currency_code"),
        rules.currencies().convert(col("amount"), col("currency_code")).as("amount_in_corporate_currency"),
        col("close_date"), col("forecast_category_name"),
        col("is_closed"), col("is_won"), daysOpen.as("days_open"),
        coalesce(col("stage_entered_date"), col("created_date")).as("stage_entered_date"), daysInStage.as("days_in_stage"),
        round(col("won_stage_median_days"), 3).as("won_stage_median_days"),
        col("close_date_push_count"),
        col("activity_count_30d"), col("email_count_30d"), col("meeting_count_30d"), col("call_count_30d"),
        col("two_way_touch_count_30d"), col("outbound_count_30d"),
        col("contacts_engaged_30d"), col("contact_roles_engaged_30d"),
        coalesce(col("contact_role_count"), lit(0)).as("contact_role_count"),
        col("last_activity_date"), daysSinceActivity.as("days_since_last_activity"),
        col("last_two_way_touch_date"), daysSinceTwoWay.as("days_since_last_two_way_touch"),
        stale.as("is_stale"), ghosted.as("is_ghosted"), singleThreaded.as("is_single_threaded"),
        stalled.as("is_stalled_in_stage"), slipping.as("is_close_date_slipping"),
        closingWithoutMeeting.as("is_closing_without_meeting"),
        concat_ws(",", reasons).as("risk_reasons"),
        lit(runId).as("run_id"));
  }

  /** One row per deal and snapshot date: the version valid at the end of each date (the first version also before it). */
  private static Dataset<Row> snapshots(Dataset<Row> opportunityVersions, LocalDate from, LocalDate to, String tz) {
    Column first = lit(Date.valueOf(from));
    Column last = lit(Date.valueOf(to));
    Column createdDate = Periods.localDate(col("created_at"), tz);
    Column coverFrom = when(Versions.isFirst("opportunity_id"), createdDate)
        .otherwise(Periods.localDate(col("valid_from"), tz));
    Column coverTo = coalesce(date_sub(Periods.localDate(col("valid_to"), tz), 1), last);
    return opportunityVersions
        .withColumn("cover_from", greatest(coverFrom, createdDate, first))
        .withColumn("cover_to", least(coverTo, last))
        .where(col("cover_from").leq(col("cover_to")))
        .withColumn("snapshot_date", explode(sequence(col("cover_from"), col("cover_to"))))
        .where(not(col("is_deleted")).and(not(col("is_closed")).or(col("close_date").equalTo(col("snapshot_date")))))
        .select(col("opportunity_id"), col("snapshot_date"), col("account_id"), col("owner_user_id"),
            col("stage_name").as("version_stage_name"), col("amount"), col("currency_code"), col("close_date"),
            col("forecast_category_name"), col("is_closed"), col("is_won"), createdDate.as("created_date"));
  }

  /**
   * What {@link #apply} continues from: the deals' last activity and last two-way touch in this
   * table's rows of one snapshot date.
   *
   * @param stored {@code fct_opportunity_engagement_daily}
   */
  public static Dataset<Row> previous(Dataset<Row> stored, LocalDate date) {
    return stored.where(col("snapshot_date").equalTo(lit(Date.valueOf(date))))
        .select(col("opportunity_id"), col("last_activity_date"), col("last_two_way_touch_date"));
  }

  /**
   * The deals snapshotted from {@code from} to {@code to} that {@code previous} has no row for (a deal
   * created, reopened or closed with a later close date since, or a day never rolled up): they continue
   * from {@link #lastTouches} instead.
   */
  public static Dataset<Row> uncovered(Dataset<Row> opportunityVersions, Dataset<Row> previous, LocalDate from,
                                       LocalDate to, RollupRules rules) {
    return snapshots(opportunityVersions, from, to, rules.timezone()).select(col("opportunity_id")).distinct()
        .join(previous, scala.jdk.javaapi.CollectionConverters.asScala(List.of("opportunity_id")).toSeq(), "left_anti")
        .select(col("opportunity_id"));
  }

  /**
   * What {@link #apply} continues from for deals the stored snapshots of {@code date} do not hold
   * ({@link #uncovered}): their last activity and last two-way touch up to the end of {@code date}, from
   * the history, which is what a snapshot of that date holds (the columns of {@link #previous}; no row for
   * a deal never credited by then). So a night continues every deal from the day before its first
   * recomputed date, a deal created, reopened or closed with a later close date since included (most
   * nights that re-attribute see one), and reads the history of those deals alone, not of every deal.
   *
   * @param activities {@code fct_activities}
   * @param credits {@code fct_activity_opportunity_credits}
   * @param deals the deals, column {@code opportunity_id}
   */
  public static Dataset<Row> lastTouches(Dataset<Row> activities, Dataset<Row> credits, Dataset<Row> deals,
                                         LocalDate date) {
    Column upTo = col("activity_date").leq(lit(Date.valueOf(date)));
    Dataset<Row> theirs = credits.where(upTo).join(deals.select(col("opportunity_id")),
        scala.jdk.javaapi.CollectionConverters.asScala(List.of("opportunity_id")).toSeq(), "left_semi");
    return credited(theirs, activities.where(upTo))
        .groupBy("opportunity_id")
        .agg(max("activity_date").as("last_activity_date"),
            max(when(twoWay(), col("activity_date"))).as("last_two_way_touch_date"))
        .select(col("opportunity_id"), col("last_activity_date"), col("last_two_way_touch_date"));
  }

  /**
   * Each credit with its activity's type, direction, disposition and contacts: joined on the activity's
   * date too, both tables' clustering column, so a filter on the date skips the credits' row groups
   * outside it as well as the activities'.
   */
  private static Dataset<Row> credited(Dataset<Row> credits, Dataset<Row> activities) {
    return credits.select(col("activity_id"), col("opportunity_id"), col("credit_weight"), col("activity_date"))
        .join(activities.select(col("activity_id"), col("activity_type"), col("direction"), col("call_disposition"),
            col("contact_ids"), col("activity_date")),
            scala.jdk.javaapi.CollectionConverters.asScala(List.of("activity_id", "activity_date")).toSeq());
  }

  /** A two-way touch: a meeting, an inbound email, a connected call. */
  private static Column twoWay() {
    return col("activity_type").equalTo("meeting")
        .or(col("activity_type").equalTo("email").and(col("direction").equalTo("inbound")))
        .or(col("activity_type").equalTo("call").and(col("call_disposition").equalTo("connected")));
  }
}
