package com.salespulse.jobs;

import static org.apache.spark.sql.functions.*;

import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.rollup.DimTeams;
import com.salespulse.transforms.rollup.DimUsers;
import com.salespulse.transforms.rollup.FctOpportunityEngagementDaily;
import com.salespulse.transforms.rollup.FctOpportunityStageHistory;
import com.salespulse.transforms.rollup.FctRepPerformance;
import com.salespulse.transforms.rollup.FctTeamPerformance;
import com.salespulse.transforms.rollup.PerformanceEvents;
import com.salespulse.transforms.rollup.Periods;
import com.salespulse.transforms.scope.RecomputeScope;
import com.salespulse.transforms.rollup.RollupRules;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rollup} step: staging and attributed activity -> {@code dim_users}, {@code dim_teams},
 * {@code fct_opportunity_stage_history}, {@code fct_opportunity_engagement_daily},
 * {@code fct_rep_performance} and {@code fct_team_performance}.
 *
 * <p>What a run for date R recomputes (a full recompute, {@code --full}, recomputes everything):
 * <ul>
 *   <li>the dimensions and stage history: rebuilt whole when a staging table they are built from
 *       changed since they were written (each write records the input versions it read, and the code
 *       version and rules, in its commit's {@code userMetadata}), else kept as they are;</li>
 *   <li>engagement snapshots: the dates of the run's re-attribution window, up to the latest run
 *       date (at most R + 2), since those are the dates whose inputs the night can change; from R
 *       alone on a night that re-attributes nothing (nothing staged, no new model);</li>
 *   <li>performance: the day, week, month and quarter periods holding any date the night can
 *       change: the window's dates, the created, close (old and new) and stage-change dates of
 *       opportunities, splits and history staged that night, the periods of quotas staged that
 *       night, and every date from the start of a user version staged that night (team moves).</li>
 * </ul>
 * Each recomputed set is replaced whole, so reruns and backfills in any order converge on one
 * clean run's tables. "Now" is the latest run date recorded in {@code audit_runs}, never the clock.
 */
public final class RollupStep implements Step {

  private static final Logger LOG = LoggerFactory.getLogger(RollupStep.class);

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final RollupRules rules;
  private final int reattributionDays;
  private final int parallelism;

  public RollupStep(SparkSession spark, Warehouse warehouse, RollupRules rules, int reattributionDays, int parallelism) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.rules = rules;
    this.reattributionDays = reattributionDays;
    this.parallelism = parallelism;
  }

  @Override
  public String name() {
    return "rollup";
  }

  @Override
  public String run(Run run) {
    return run(run.runDate(), run.runId(), run.full(), run.scope());
  }

  /** Returns the snapshot dates and the number of periods recomputed. */
  String run(LocalDate runDate, String runId, boolean full, NightScope scope) {
    // a table written by an older release gets this release's new columns first; a whole table that
    // got one is then recomputed (its latest commit is the ALTER, not a write derived from its inputs)
    List.of(DimUsers.NAME, DimTeams.NAME, FctOpportunityStageHistory.NAME,
        FctRepPerformance.NAME, FctTeamPerformance.NAME).forEach(warehouse::addMissingColumns);
    // the rows of an engagement table upgraded now hold nothing in its new columns: no snapshot continues from them
    boolean upgradedEngagement = !warehouse.addMissingColumns(FctOpportunityEngagementDaily.NAME).isEmpty();
    // "now" for the early-warning flags: the latest date whose activities were attributed
    LocalDate latest = AuditRuns.latestSucceeded(warehouse, runDate, "attribute");
    LocalDate to = RecomputeScope.lastDate(runDate, latest);
    Dataset<Row> activities = warehouse.read("fct_activities");
    Dataset<Row> credits = warehouse.read("fct_activity_opportunity_credits");
    LocalDate from = full ? earliest(activities, runDate)
        : scope.rollupStart(reattributionDays, rules.timezone());
    LOG.info("Rollup {}: snapshots {} to {}, now = {}", full ? "full recompute" : "incremental", from, to, latest);

    Dataset<Row> userVersions = warehouse.read("stg_crm__user_versions");
    Dataset<Row> oppVersions = warehouse.read("stg_crm__opportunity_versions");
    Dataset<Row> opportunities = warehouse.read("stg_crm__opportunities");
    Dataset<Row> history = warehouse.read("stg_crm__opportunity_history");
    scope.checkCurrencies("stg_crm__opportunity_versions", rules.currencies());

    // dimensions, stage history and the periods to recompute do not depend on each other; the stage
    // history and the teams are read again below, so they are materialised once instead of re-read.
    // A whole table whose inputs did not change since it was written (same versions, same code and
    // rules) is kept as it is: no Spark work, no commit (--full recomputes it anyway).
    String settings = AuditRuns.codeVersion() + " " + rules;
    String stageFrom = warehouse.derivedFrom(List.of("stg_crm__opportunity_history", "stg_crm__opportunities"), settings);
    String usersFrom = warehouse.derivedFrom(List.of("stg_crm__user_versions", "stg_crm__users", "stg_crm__user_roles"),
        settings);
    String teamsFrom = warehouse.derivedFrom(List.of("stg_crm__user_versions", "stg_crm__user_roles"), settings);
    boolean keepStages = !full && warehouse.isDerivedFrom(FctOpportunityStageHistory.NAME, stageFrom);
    boolean keepUsers = !full && warehouse.isDerivedFrom(DimUsers.NAME, usersFrom);
    boolean keepTeams = !full && warehouse.isDerivedFrom(DimTeams.NAME, teamsFrom);
    Dataset<Row> stageHistory = keepStages ? warehouse.read(FctOpportunityStageHistory.NAME)
        : FctOpportunityStageHistory.apply(history, opportunities, rules, runId).localCheckpoint();
    // the roles are read only when a dimension built from them is rebuilt
    Dataset<Row> teams = keepTeams ? warehouse.read(DimTeams.NAME)
        : teams(userVersions, warehouse.read("stg_crm__user_roles")).localCheckpoint();
    List<String> kept = new java.util.ArrayList<>();
    if (keepUsers) {
      kept.add(DimUsers.NAME);
    }
    if (keepTeams) {
      kept.add(DimTeams.NAME);
    }
    if (keepStages) {
      kept.add(FctOpportunityStageHistory.NAME);
    }
    if (!kept.isEmpty()) {
      LOG.info("Kept {}: their inputs have not changed since they were written", kept);
    }
    java.util.concurrent.atomic.AtomicReference<List<Row>> found = new java.util.concurrent.atomic.AtomicReference<>();
    Parallel.run(parallelism,
        () -> {
          if (!keepUsers) {
            writeWhole(DimUsers.NAME, DimUsers.apply(userVersions, warehouse.read("stg_crm__users"),
                warehouse.read("stg_crm__user_roles")), usersFrom);
          }
        },
        () -> {
          if (!keepTeams) {
            writeWhole(DimTeams.NAME, teams, teamsFrom);
          }
        },
        () -> {
          if (!keepStages) {
            writeWhole(FctOpportunityStageHistory.NAME, stageHistory, stageFrom);
          }
        },
        () -> found.set(full ? List.of() : (scope.reattributes()
            ? RecomputeScope.periods(runDate, from, to, oppVersions, history,
                warehouse.read("stg_crm__opportunity_splits"), warehouse.read("stg_crm__forecasting_quotas"), userVersions,
                credits, rules.timezone(), rules.fiscalYearStartMonth())
            // a quiet night: nothing staged, nothing re-attributed, only its own date's periods
            : RecomputeScope.windowPeriods(spark, from, to, rules.fiscalYearStartMonth())).collectAsList()));
    List<Row> periods = found.get();

    // engagement snapshots beside the performance tables (rep first: the team table reads it)
    java.util.concurrent.atomic.AtomicBoolean continued = new java.util.concurrent.atomic.AtomicBoolean();
    Parallel.run(parallelism,
        () -> {
          Dataset<Row> previous = full || upgradedEngagement ? null
              : previousSnapshots(oppVersions, activities, credits, from, to, continued);
          // continuing from the day before, the snapshots read only the activity of their windows, which
          // the transform reads four times (its day sums and its contacts, entering and leaving): read once
          Column window = col("activity_date").gt(lit(Date.valueOf(from.minusDays(rules.engagementWindowDays()))))
              .and(col("activity_date").leq(lit(Date.valueOf(to))));
          write(FctOpportunityEngagementDaily.NAME,
              FctOpportunityEngagementDaily.apply(oppVersions, history, stageHistory,
                  previous == null ? activities : activities.where(window).localCheckpoint(),
                  previous == null ? credits : credits.where(window).localCheckpoint(),
                  warehouse.read("stg_crm__opportunity_contact_roles"), previous, from, to, rules, runId),
              "snapshot_date >= DATE'" + from + "' AND snapshot_date <= DATE'" + to + "'", full);
        },
        () -> performance(full, periods, activities, credits, oppVersions, stageHistory, userVersions, opportunities,
            teams, latest, runId));
    return "snapshots " + from + ".." + to + " periods " + (full ? "all" : String.valueOf(periods.size()))
        + (kept.isEmpty() ? "" : " kept " + String.join(",", kept))
        + (continued.get() ? " engagement continued from " + from.minusDays(1) : "");
  }

  /**
   * What the engagement snapshots from {@code from} to {@code to} continue from
   * ({@link FctOpportunityEngagementDaily#apply}): the stored snapshots of the day before {@code from},
   * and for the deals snapshotted from {@code from} that those do not hold (created, reopened or closed
   * with a later close date since, or a day never rolled up) their last touches up to that day from the
   * history ({@link FctOpportunityEngagementDaily#lastTouches}); null on a first load, whose snapshots
   * read each deal's whole history. The days before {@code from} stand: a night recomputes from the first
   * activity date it changed. Most nights that re-attribute see a deal created in their window; they read
   * those deals' history instead of every deal's (a 2,000-rep year's night of changes read every deal's).
   */
  private Dataset<Row> previousSnapshots(Dataset<Row> oppVersions, Dataset<Row> activities, Dataset<Row> credits,
                                         LocalDate from, LocalDate to,
                                         java.util.concurrent.atomic.AtomicBoolean continued) {
    LocalDate day = from.minusDays(1);
    warehouse.ensure(FctOpportunityEngagementDaily.NAME);
    if (warehouse.isEmpty(FctOpportunityEngagementDaily.NAME)) {
      return null; // a first load: nothing to continue from
    }
    Dataset<Row> stored = FctOpportunityEngagementDaily.previous(warehouse.read(FctOpportunityEngagementDaily.NAME), day)
        .localCheckpoint();
    // a few deals a night (every deal after a day never rolled up): collected, a small table to join
    List<Row> uncovered = FctOpportunityEngagementDaily.uncovered(oppVersions, stored, from, to, rules).collectAsList();
    continued.set(true);
    if (uncovered.isEmpty()) {
      LOG.info("Engagement snapshots continue from those of {}", day);
      return stored;
    }
    LOG.info("Engagement snapshots continue from those of {}, and for {} deals they do not hold from those deals' "
        + "history up to that day", day, uncovered.size());
    Dataset<Row> deals = spark.createDataFrame(uncovered, new org.apache.spark.sql.types.StructType()
        .add("opportunity_id", org.apache.spark.sql.types.DataTypes.StringType));
    return stored.unionByName(FctOpportunityEngagementDaily.lastTouches(activities, credits, deals, day))
        .localCheckpoint();
  }

  /** The teams: the hierarchies' depths, from their small edge lists, size the closure's plan (no action inside it). */
  private static Dataset<Row> teams(Dataset<Row> userVersions, Dataset<Row> roles) {
    DimTeams.Levels levels;
    try {
      levels = DimTeams.levels(DimTeams.roleEdges(roles).collectAsList(), DimTeams.managerEdges(userVersions).collectAsList());
    } catch (IllegalArgumentException e) {
      // a cycle (or an absurd depth) in the exported hierarchy: the export is fixed and the date rerun
      throw new SalesPulseException(ExitCode.INPUT_REJECTED, e.getMessage(), e);
    }
    return DimTeams.apply(userVersions, roles, levels);
  }

  private void performance(boolean full, List<Row> periods, Dataset<Row> activities, Dataset<Row> credits,
                           Dataset<Row> oppVersions, Dataset<Row> stageHistory, Dataset<Row> userVersions,
                           Dataset<Row> opportunities, Dataset<Row> teams, LocalDate latest, String runId) {
    if (!full && periods.isEmpty()) {
      LOG.info("No period to recompute");
      return;
    }
    // the events are a union of five parts, each with its sources' partitions (16 on a quiet night, for a
    // dozen rows), and six jobs read them: rebalanced, they are a few partitions (a quiet night's rollup
    // and reconciliation: 467 -> 366 tasks, 10.3 -> 4.5 s deserialising them; a first load's rollup took
    // the same time). Checkpointed rather than cached: a cached plan is printed whole inside the plan of
    // every query that reads it, at each adaptive re-plan (a quiet night's rollup built 37 plan texts
    // over the 200,000-character cap, 6 now; 27.1 -> 24.4 s over three alternating pairs).
    Dataset<Row> events = PerformanceEvents.apply(full ? activities : activities.where(RecomputeScope.activityDates(periods)), credits,
            oppVersions, stageHistory, warehouse.read("stg_crm__opportunity_splits"),
            warehouse.read("stg_crm__forecasting_quotas"), full ? null : RecomputeScope.datesIn(periods, "close_date"), rules)
        .hint("rebalance").localCheckpoint();
    Dataset<Row> wanted = full
        ? events.select(explode(Periods.all(col("event_date"), rules.fiscalYearStartMonth())).as("p"))
            .select(col("p.period_type").as("period_type"), col("p.period_start").as("period_start")).distinct()
        : spark.createDataFrame(periods, periodSchema());
    String predicate = full ? null : RecomputeScope.periodPredicate(periods);
    // the team rows are built from the rep rows of the same periods: materialised once, not re-read
    Dataset<Row> repRows = FctRepPerformance.apply(events, wanted, userVersions, opportunities, latest, rules, runId)
        .localCheckpoint();
    write(FctRepPerformance.NAME, repRows, predicate, full);
    write(FctTeamPerformance.NAME, FctTeamPerformance.apply(events, wanted, teams, repRows, rules, runId), predicate,
        full);
    LOG.info("Rolled up {} periods", full ? "all" : periods.size());
  }

  /**
   * Writes the part of a table the predicate selects (all of it when null); {@code whole}: the rows are
   * the table's whole history ({@code --full}), written in ranges of its dates.
   */
  private void write(String table, Dataset<Row> rows, String predicate, boolean whole) {
    long t0 = System.nanoTime();
    if (predicate == null) {
      warehouse.overwrite(table, rows);
    } else {
      warehouse.replaceWhere(table, rows, predicate, whole);
    }
    LOG.info("Wrote {} ({}) in {} ms", table, predicate == null ? "whole table" : "recomputed part",
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** Writes a whole table derived from other tables, recording what it was derived from. */
  private void writeWhole(String table, Dataset<Row> rows, String derivedFrom) {
    long t0 = System.nanoTime();
    warehouse.overwrite(table, rows, derivedFrom);
    LOG.info("Wrote {} (whole table) in {} ms", table, (System.nanoTime() - t0) / 1_000_000);
  }

  private static LocalDate earliest(Dataset<Row> activities, LocalDate runDate) {
    Row r = activities.agg(min("activity_date")).first();
    return r.isNullAt(0) || r.getDate(0).toLocalDate().isAfter(runDate) ? runDate : r.getDate(0).toLocalDate();
  }

  private static org.apache.spark.sql.types.StructType periodSchema() {
    return new org.apache.spark.sql.types.StructType()
        .add("period_type", org.apache.spark.sql.types.DataTypes.StringType)
        .add("period_start", org.apache.spark.sql.types.DataTypes.DateType);
  }

}
