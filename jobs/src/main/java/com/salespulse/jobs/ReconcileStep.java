package com.salespulse.jobs;

import static org.apache.spark.sql.functions.*;

import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.reconcile.FctIncentiveExceptions;
import com.salespulse.transforms.reconcile.FctIncentivePayouts;
import com.salespulse.transforms.reconcile.FctIncentiveReconciliation;
import com.salespulse.transforms.reconcile.ReconcileRules;
import com.salespulse.transforms.rollup.DimTeams;
import com.salespulse.transforms.rollup.FctRepPerformance;
import com.salespulse.transforms.rollup.FctTeamPerformance;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code reconcile} step: staged payout lines, CRM history, attributed activity and the rollups
 * -> {@code fct_incentive_payouts}, {@code fct_incentive_exceptions} and
 * {@code fct_incentive_reconciliation}. Payout data is small, so the three tables are rebuilt whole
 * every night ({@code --full} changes nothing) and a rerun or backfill of any date leaves what one
 * clean run leaves. "Now" is the latest successful run date in {@code audit_runs}, never the clock.
 */
public final class ReconcileStep implements Step {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcileStep.class);

  /** The tables the payout lines are computed from ({@link FctIncentivePayouts#lines}). */
  private static final java.util.List<String> LINE_INPUTS = java.util.List.of("stg_comp__payouts",
      "stg_crm__opportunity_versions", "stg_crm__opportunity_splits", "stg_crm__user_versions", "fct_activities",
      "fct_activity_opportunity_credits");

  private final Warehouse warehouse;
  private final ReconcileRules rules;
  private final int parallelism;

  public ReconcileStep(Warehouse warehouse, ReconcileRules rules, int parallelism) {
    this.warehouse = warehouse;
    this.rules = rules;
    this.parallelism = parallelism;
  }

  @Override
  public String name() {
    return "reconcile";
  }

  @Override
  public String run(Run run) {
    return run(run.runDate(), run.runId(), run.scope());
  }

  /** Returns the "now" the reconciliation used. */
  String run(LocalDate runDate, String runId, NightScope scope) {
    // "now": the latest date whose rollups were computed (the facts reconciled against)
    LocalDate asOf = AuditRuns.latestSucceeded(warehouse, runDate, "rollup");
    // a warehouse staged by an older release lacks the payout content digests: add the column (empty)
    // before reading it (the tables written below are upgraded by the warehouse's writes)
    warehouse.addMissingColumns("stg_comp__payouts");
    Dataset<Row> opportunityVersions = warehouse.read("stg_crm__opportunity_versions");
    Dataset<Row> splits = warehouse.read("stg_crm__opportunity_splits");
    Dataset<Row> userVersions = warehouse.read("stg_crm__user_versions");
    Dataset<Row> payoutLines = warehouse.read("stg_comp__payouts");
    // paid lines in their currency; deals' amounts (won and not paid) in theirs
    scope.checkCurrencies("stg_comp__payouts", rules.currencies());
    scope.checkCurrencies("stg_crm__opportunity_versions", rules.currencies());
    // each stage is materialised once and its lineage cut (local checkpoints): the next stage reads it
    // several times, and plans built on uncut lineage grow to tens of megabytes of text.
    // The lines (each with every activity on its deal) are taken from the stored table when it was written
    // from the inputs as they are now (a night that staged and re-attributed nothing): only the as-of date
    // moves, and the exceptions and the reconciliation, which depend on it and on the rollups, are recomputed.
    String linesFrom = warehouse.derivedFrom(LINE_INPUTS, AuditRuns.codeVersion() + " " + rules);
    Dataset<Row> stored = warehouse.read(FctIncentivePayouts.NAME);
    // and only from a table holding every line column (a build that adds one keeps its version number)
    boolean keepLines = warehouse.isDerivedFrom(FctIncentivePayouts.NAME, linesFrom)
        && java.util.Set.of(stored.columns()).containsAll(FctIncentivePayouts.COLUMNS);
    if (keepLines) {
      LOG.info("Payout lines as stored in {}: their inputs have not changed since", FctIncentivePayouts.NAME);
    }
    Dataset<Row> lines = (keepLines
        ? FctIncentivePayouts.linesAsOf(stored, asOf)
        : FctIncentivePayouts.lines(payoutLines, opportunityVersions, splits, userVersions,
            warehouse.read("fct_activities"), warehouse.read("fct_activity_opportunity_credits"), asOf, rules))
        .localCheckpoint();
    Dataset<Row> exceptions = FctIncentiveExceptions.apply(lines, opportunityVersions, splits, asOf, rules, runId)
        .localCheckpoint();
    Dataset<Row> payouts = FctIncentivePayouts.apply(lines, exceptions, runId).localCheckpoint();
    Dataset<Row> reconciliation = FctIncentiveReconciliation.apply(payouts, exceptions,
        warehouse.read(FctRepPerformance.NAME), warehouse.read(FctTeamPerformance.NAME), warehouse.read(DimTeams.NAME),
        userVersions, rules, runId);
    // the three tables are built from the materialised stages, not from each other: written side by side
    Parallel.run(parallelism,
        () -> write(FctIncentivePayouts.NAME, payouts, linesFrom),
        () -> write(FctIncentiveExceptions.NAME, exceptions),
        () -> write(FctIncentiveReconciliation.NAME, reconciliation));
    LOG.info("Reconciled payouts as of {}", asOf);
    return "as of " + asOf + (keepLines ? " payout lines kept" : "");
  }

  private void write(String table, Dataset<Row> rows) {
    write(table, rows, null);
  }

  /** Replaces a whole table, recording what it was derived from (null: nothing recorded). */
  private void write(String table, Dataset<Row> rows, String derivedFrom) {
    long t0 = System.nanoTime();
    warehouse.overwrite(table, rows, derivedFrom);
    LOG.info("Wrote {} (whole table) in {} ms", table, (System.nanoTime() - t0) / 1_000_000);
  }
}
