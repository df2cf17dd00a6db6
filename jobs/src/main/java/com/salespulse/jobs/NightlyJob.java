package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
import com.salespulse.jobs.io.WarehouseLease;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ingest}, {@code attribute}, {@code rollup}, {@code reconcile} and {@code nightly}: one logical date, read -> transform ->
 * write, step by step. {@code nightly} runs every stage in order: ingest, attribute, rollup, reconcile. Each attempt is recorded
 * in {@code audit_runs}, whatever its outcome.
 */
public final class NightlyJob {

  private static final Logger LOG = LoggerFactory.getLogger(NightlyJob.class);

  private NightlyJob() {}

  static Options options() {
    Options o = new Options();
    o.addOption(SalesPulse.required("run-date", "YYYY-MM-DD", "logical date of the drop to process (Airflow {{ ds }})"));
    o.addOption(SalesPulse.opt("to-date", "YYYY-MM-DD",
        "also run every later date up to this one, in order, one attempt per date (a local backfill)"));
    o.addOption(SalesPulse.opt("full", null,
        "recompute every fact from all staged data instead of the dates and periods this night can change"));
    SalesPulse.addCommon(o, true);
    return o;
  }

  static ExitCode run(CommandLine cl, String command) {
    LocalDate first = SalesPulse.date(cl, "run-date");
    LocalDate last = cl.hasOption("to-date") ? SalesPulse.date(cl, "to-date") : first;
    if (last.isBefore(first)) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot run " + command + ": --to-date " + last + " is before --run-date " + first);
    }
    Settings settings = SalesPulse.settings(cl);
    SparkSession spark = SparkSessions.create(settings, "salespulse-" + command);
    boolean full = cl.hasOption("full");
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      runDate(spark, settings, command, d, full);
    }
    return ExitCode.SUCCESS;
  }

  /** The nightly pipeline, in order: every step command is one of these, {@code nightly} is all of them. */
  static final List<String> PIPELINE = List.of("ingest", "attribute", "rollup", "reconcile");

  /** The steps a command runs: the nightly's end with the report when report.nightly=true. */
  static List<String> steps(String command, Settings settings) {
    if (!command.equals("nightly")) {
      return List.of(command);
    }
    if (!settings.reportNightly()) {
      return PIPELINE;
    }
    List<String> withReport = new ArrayList<>(PIPELINE);
    withReport.add("report");
    return withReport;
  }

  /** A step by name, wired to its configuration. */
  static Step step(String name, SparkSession spark, Warehouse warehouse, Settings settings) {
    return switch (name) {
      case "ingest" -> new IngestStep(spark, warehouse, settings.location(Settings.INPUT_ROOT),
          settings.maxQuarantineShare(), settings.countryCode(), settings.parallelism(), settings.privacy());
      case "attribute" -> attributeStep(spark, warehouse, settings);
      case "train-attribution" -> new Step() {
        @Override
        public String name() {
          return "train-attribution";
        }

        @Override
        public String run(Run run) {
          AttributeStep attribute = attributeStep(spark, warehouse, settings);
          if (!attribute.train(run.runDate())) {
            throw new SalesPulseException(ExitCode.FAILURE, "Cannot train an attribution model for " + run.runDate()
                + ": too few activities logged in the CRM against one of their candidate deals (see the log; "
                + "attribution.min-training-labels)");
          }
          return "model " + attribute.modelFor(run.runDate()).version();
        }
      };
      case "rollup" -> new RollupStep(spark, warehouse, settings.rollupRules(),
          settings.reattributionDays(), settings.parallelism());
      case "reconcile" -> new ReconcileStep(warehouse, settings.reconcileRules(), settings.parallelism());
      case "report" -> ReportCommand.step(spark, warehouse, settings);
      case "maintain" -> new MaintainStep(spark, warehouse, settings.retention(), settings.parallelism());
      default -> throw new SalesPulseException(ExitCode.USAGE, "Cannot run step " + name + ": no such step");
    };
  }

  /** One attempt at one logical date, recorded in audit_runs whatever its outcome. */
  static void runDate(SparkSession spark, Settings settings, String command, LocalDate runDate, boolean full) {
    String warehouseRoot = settings.location(Settings.WAREHOUSE);
    String inputRoot = settings.location(Settings.INPUT_ROOT);
    Warehouse warehouse = new Warehouse(spark, warehouseRoot, settings.rowsPerFile(), settings.stagingRowsPerFile());
    String attemptId = UUID.randomUUID().toString();
    Instant started = Instant.now();
    List<DatasetCounts> counts = new ArrayList<>();
    List<StepResult> results = new ArrayList<>();
    ExitCode exit = ExitCode.SUCCESS;
    String message = null;
    Throwable failure = null;
    Instant stepStarted = started;
    SparkWork work = SparkWork.of(spark.sparkContext());
    work.tag(attemptId);
    SparkWork.Counts stepWork = work.settled(attemptId);
    LOG.info("BEGIN {} run_date={} run_id={} attempt={} input={} warehouse={}", command, runDate,
        AuditRuns.runId(runDate), attemptId, inputRoot, warehouseRoot);
    WarehouseLease lease = null;
    try {
      lease = WarehouseLease.acquire(warehouseRoot, spark.sparkContext().hadoopConfiguration(), attemptId, command,
          runDate, settings.leaseStaleAfter());
      lease.tookOver().ifPresent(dead -> AuditRuns.recordAbandoned(spark, warehouse, dead, attemptId));
      Step.Run run = new Step.Run(runDate, AuditRuns.runId(runDate), full, counts, new NightScope(warehouse, inputRoot, runDate));
      warehouse.drainCommits();
      for (String name : steps(command, settings)) {
        lease.check();
        stepStarted = Instant.now();
        stepWork = work.settled(attemptId);
        Step step = step(name, spark, warehouse, settings);
        if (step.keepsReads()) {
          warehouse.keepReads();
        } else {
          warehouse.releaseReads();
        }
        results.add(runStep(step, run, warehouse, work, attemptId, stepWork));
      }
    } catch (Throwable e) {
      // Spark's AnalysisException is checked in Java's eyes but thrown anyway; out of memory and the
      // like fail the attempt too, and audit_runs must say so
      failure = e;
      exit = e instanceof SalesPulseException spe ? spe.exitCode() : ExitCode.FAILURE;
      message = e instanceof SalesPulseException ? e.getMessage() : e.toString();
      if (lease != null && results.size() < steps(command, settings).size()) {
        String name = steps(command, settings).get(results.size());
        results.add(new StepResult(name, AuditRuns.status(exit), stepStarted, Instant.now(), warehouse.drainCommits(),
            message, work.settled(attemptId).minus(stepWork)));
      }
      throw e;
    } finally {
      warehouse.releaseReads();
      Instant ended = Instant.now();
      try {
        AuditRuns.record(spark, warehouse, attemptId, command, runDate, started, ended, exit, message, counts, results);
      } catch (RuntimeException auditError) {
        // never mask the attempt's own error with the audit's
        if (failure != null) {
          failure.addSuppressed(auditError);
          LOG.error("Cannot record the failed attempt {} in {}: {}", attemptId, AuditRuns.NAME, auditError.toString());
        } else {
          throw new SalesPulseException(ExitCode.FAILURE, "Cannot record the attempt " + attemptId + " in "
              + AuditRuns.NAME + ": " + auditError.getMessage(), auditError);
        }
      }
      if (lease != null) {
        lease.close();
      }
      work.untag(attemptId);
      long read = counts.stream().mapToLong(DatasetCounts::rowsRead).sum();
      long quarantined = counts.stream().mapToLong(DatasetCounts::rowsQuarantined).sum();
      LOG.info("END {} run_date={} status={} rows_read={} rows_quarantined={} in {} ms", command, runDate,
          AuditRuns.status(exit), read, quarantined, ended.toEpochMilli() - started.toEpochMilli());
    }
  }

  /** Runs one step, timing it and collecting the commits it made and the Spark work it caused. */
  private static StepResult runStep(Step step, Step.Run run, Warehouse warehouse, SparkWork work, String attemptId,
                                    SparkWork.Counts before) {
    LOG.info("BEGIN step {} run_date={}", step.name(), run.runDate());
    Instant t0 = Instant.now();
    String detail = step.run(run);
    Instant t1 = Instant.now();
    StepResult r = new StepResult(step.name(), "succeeded", t0, t1, warehouse.drainCommits(), detail,
        work.settled(attemptId).minus(before));
    LOG.info("END step {} run_date={} commits={} rows_written={} spark_jobs={} spark_tasks={} {} in {} ms", step.name(),
        run.runDate(), r.tables().size(), r.rowsWritten(), r.work().jobs(), r.work().tasks(),
        detail == null ? "" : detail, r.durationMs());
    return r;
  }

  private static AttributeStep attributeStep(SparkSession spark, Warehouse warehouse, Settings settings) {
    return new AttributeStep(spark, warehouse, settings.attributionRules(),
        settings.reattributionDays(), settings.learning(), settings.parallelism(), settings.compileFromCandidates());
  }

  static void stopSpark() {
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
  }
}
