package com.salespulse.transforms.rollup;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code fct_team_performance}: the measures of {@link FctRepPerformance} per team node and period,
 * for both hierarchies of {@link DimTeams}. Each event counts in the teams its person belonged to
 * when it happened (the closure row valid at the event's instant), once per node, so a manager's
 * figures are the sum over everyone beneath them with no double counting, and a rep moving teams
 * moves only later events. Grain: one row per {@code hierarchy}, {@code node_id},
 * {@code period_type} and {@code period_start}.
 */
public final class FctTeamPerformance {

  public static final String NAME = "fct_team_performance";

  /**
   * The node of each hierarchy holding the events of people in no node of it when they happened (no
   * role; no manager and nobody to manage; or not in the User export at all), at depth 0 beside the
   * top nodes, so that the top of a hierarchy adds up to the whole org. It has no row in dim_teams.
   */
  public static final String UNASSIGNED = "(unassigned)";
  static final String UNASSIGNED_NAME = "Unassigned";

  private FctTeamPerformance() {}

  /**
   * @param events as from {@link PerformanceEvents#apply}
   * @param periods the periods to compute
   * @param teams {@code dim_teams}
   * @param repPerformance {@code fct_rep_performance} rows of those periods (attainment spread)
   */
  public static Dataset<Row> apply(Dataset<Row> events, Dataset<Row> periods, Dataset<Row> teams,
                                   Dataset<Row> repPerformance, RollupRules rules, String runId) {
    // manager nodes with nobody beneath them are not teams
    Dataset<Row> nodes = teams.where(col("hierarchy").equalTo("role").or(col("distance").gt(0)))
        .select(col("hierarchy").as("n_hierarchy"), col("node_id").as("n_node_id")).distinct();
    Dataset<Row> membership = teams.join(nodes, col("hierarchy").equalTo(col("n_hierarchy"))
        .and(col("node_id").equalTo(col("n_node_id")))).drop("n_hierarchy", "n_node_id");
    Dataset<Row> names = membership.groupBy(col("hierarchy").as("nm_hierarchy"), col("node_id").as("nm_node_id"))
        .agg(max_by(col("node_name"), col("is_current")).as("node_name"),
            max_by(col("node_depth"), col("is_current")).as("node_depth"));

    // each event in the nodes its person belonged to when it happened; an event of someone in no node
    // of a hierarchy then (no role, nobody to manage and no manager, or missing from the User export)
    // counts in that hierarchy's UNASSIGNED node, so the top of each hierarchy adds up to everyone
    // (one left join per hierarchy: an event matching no membership row keeps a null node).
    // A person's nodes change only at the instants their membership rows start or end, so the events
    // are first added up per person, period and span between two such instants (and their ids made
    // distinct there): the nodes are then joined to a few rows per person and period instead of to
    // every event, hundreds of thousands on a first load. The membership, a few rows per person, is
    // broadcast.
    Dataset<Row> spans = segments(membership);
    Dataset<Row> segmented = PerformanceEvents.inPeriods(events, periods, rules)
        .join(broadcast(spans), col("user_id").equalTo(col("b_user_id")), "left")
        .withColumn("segment_at", segmentAt(col("event_at"), col("bounds")));
    List<String> segmentKeys = List.of("user_id", "segment_at", "period_type", "period_start");
    Dataset<Row> sums = place(PerformanceEvents.partialSums(segmented, segmentKeys), membership);
    Dataset<Row> ids = place(PerformanceEvents.ids(segmented, segmentKeys).distinct(), membership);
    Dataset<Row> unassigned = sums.where(col("node_id").equalTo(UNASSIGNED));
    Dataset<Row> perNode = PerformanceEvents.aggregate(sums, ids,
            List.of("hierarchy", "node_id", "period_type", "period_start"))
        .withColumn("period_end", Periods.end(col("period_type"), col("period_start")));

    // headcount: members at any time during the period; spread of their attainment in it
    Dataset<Row> wanted = periods.select(col("period_type").as("h_type"), col("period_start").as("h_start"),
        Periods.end(col("period_type"), col("period_start")).as("h_end"));
    Dataset<Row> members = membership.join(broadcast(wanted),
            col("valid_from").isNull().or(col("valid_from").lt(Periods.endOfDay(col("h_end"), rules.timezone())))
                .and(col("valid_to").isNull().or(col("valid_to").gt(to_utc_timestamp(col("h_start").cast("timestamp"),
                    rules.timezone())))))
        .select(col("hierarchy").as("h_hierarchy"), col("node_id").as("h_node_id"), col("h_type"), col("h_start"),
            col("member_user_id"))
        // the unassigned node's people: those with an event counted in it
        .unionByName(unassigned.select(col("hierarchy").as("h_hierarchy"), col("node_id").as("h_node_id"),
            col("period_type").as("h_type"), col("period_start").as("h_start"), col("user_id").as("member_user_id")))
        .distinct();
    Dataset<Row> attainment = repPerformance.where(col("attainment").isNotNull())
        .select(col("user_id").as("a_user_id"), col("period_type").as("a_type"), col("period_start").as("a_start"),
            col("attainment"));
    Dataset<Row> spread = members
        .join(attainment, col("member_user_id").equalTo(col("a_user_id")).and(col("h_type").equalTo(col("a_type")))
            .and(col("h_start").equalTo(col("a_start"))), "left")
        .groupBy("h_hierarchy", "h_node_id", "h_type", "h_start")
        .agg(count_distinct(col("member_user_id")).as("headcount"),
            count_distinct(col("a_user_id")).as("reps_with_quota"),
            count_distinct(when(col("attainment").geq(1), col("a_user_id"))).as("reps_at_or_above_quota"),
            min("attainment").as("attainment_min"),
            round(percentile(col("attainment"), lit(0.5)), 4).as("attainment_median"),
            max("attainment").as("attainment_max"));

    Column isUnassigned = col("node_id").equalTo(UNASSIGNED);
    List<Column> out = new ArrayList<>(List.of(
        col("hierarchy"), col("node_id"),
        when(isUnassigned, lit(UNASSIGNED_NAME)).otherwise(col("node_name")).as("node_name"),
        when(isUnassigned, lit(0)).otherwise(col("node_depth")).as("node_depth"),
        col("period_type"), col("period_start"), col("period_end"),
        Periods.fiscalYear(col("period_start"), rules.fiscalYearStartMonth()).as("fiscal_year"),
        coalesce(col("headcount"), lit(0L)).as("headcount")));
    out.addAll(PerformanceEvents.measureColumns());
    out.addAll(List.of(
        coalesce(col("reps_with_quota"), lit(0L)).as("reps_with_quota"),
        coalesce(col("reps_at_or_above_quota"), lit(0L)).as("reps_at_or_above_quota"),
        col("attainment_min"), col("attainment_median"), col("attainment_max"),
        lit(runId).as("run_id")));
    return perNode
        .join(broadcast(names), col("hierarchy").equalTo(col("nm_hierarchy")).and(col("node_id").equalTo(col("nm_node_id"))),
            "left")
        .join(spread, col("hierarchy").equalTo(col("h_hierarchy")).and(col("node_id").equalTo(col("h_node_id")))
            .and(col("period_type").equalTo(col("h_type"))).and(col("period_start").equalTo(col("h_start"))), "left")
        .select(out.toArray(Column[]::new));
  }

  /**
   * Per person with membership rows: {@code b_user_id} and {@code bounds}, the sorted instants at which
   * any of their rows starts or ends. Between two of them every row is valid throughout or not at all.
   */
  private static Dataset<Row> segments(Dataset<Row> membership) {
    return membership.groupBy(col("member_user_id").as("b_user_id"))
        .agg(array_sort(array_distinct(filter(flatten(collect_list(array(col("valid_from"), col("valid_to")))),
            x -> x.isNotNull()))).as("bounds"));
  }

  /**
   * An instant at which a person's membership rows are valid exactly as at {@code at}: the latest of
   * their bounds at or before it, or just before the first; null when {@code at} is null or they have
   * no bound (then the rows valid at null, as at {@code at}, are those valid always).
   */
  private static Column segmentAt(Column at, Column bounds) {
    return when(at.isNotNull(), coalesce(array_max(filter(bounds, b -> b.leq(at))),
        timestamp_micros(unix_micros(array_min(bounds)).minus(1))));
  }

  /**
   * Rows of one person, segment and period (as from {@link #segmentAt}) in the nodes of each
   * hierarchy their person belonged to then, or its UNASSIGNED node: adds {@code hierarchy} and
   * {@code node_id}.
   */
  private static Dataset<Row> place(Dataset<Row> rows, Dataset<Row> membership) {
    return rows.withColumn("hierarchy", explode(array(lit("role"), lit("manager"))))
        .join(broadcast(membership.select(col("hierarchy").as("m_hierarchy"), col("node_id"), col("member_user_id"),
                col("valid_from"), col("valid_to"))),
            col("hierarchy").equalTo(col("m_hierarchy")).and(col("user_id").equalTo(col("member_user_id")))
                .and(DimTeams.validAt(col("segment_at"))), "left")
        .withColumn("node_id", coalesce(col("node_id"), lit(UNASSIGNED)))
        .drop("m_hierarchy", "member_user_id", "valid_from", "valid_to");
  }
}
