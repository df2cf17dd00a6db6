package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
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

  /** One attempt at one logical date, recorded in audit_runs whatever its outcome. */
  static void runDate(SparkSession spark, Settings settings, String command, LocalDate runDate, boolean full) {
    String warehouseRoot = settings.location(Settings.WAREHOUSE);
    String inputRoot = settings.location(Settings.INPUT_ROOT);
    Warehouse warehouse = new Warehouse(spark, warehouseRoot);
    String attemptId = UUID.randomUUID().toString();
    Instant started = Instant.now();
    List<DatasetCounts> counts = new ArrayList<>();
    ExitCode exit = ExitCode.SUCCESS;
    String message = null;
    LOG.info("BEGIN {} run_date={} run_id={} attempt={} input={} warehouse={}", command, runDate,
        AuditRuns.runId(runDate), attemptId, inputRoot, warehouseRoot);
    try {
      boolean all = command.equals("nightly");
      if (all || command.equals("ingest")) {
        step("ingest", runDate, () -> new IngestStep(spark, warehouse, inputRoot,
          settings.getDouble(Settings.MAX_QUARANTINE_SHARE), settings.get(Settings.COUNTRY_CODE, "1"),
          settings.getInt(Settings.PARALLELISM))
          .run(runDate, AuditRuns.runId(runDate), counts));
      }
      if (command.equals("train-attribution")) {
        step("train-attribution", runDate, () -> {
          if (!attributeStep(spark, warehouse, settings).train(runDate)) {
            throw new SalesPulseException(ExitCode.FAILURE, "Cannot train an attribution model for " + runDate
                + ": too few activities logged in the CRM against one of their candidate deals (see the log; "
                + "attribution.min-training-labels)");
          }
        });
      }
      if (all || command.equals("attribute")) {
        step("attribute", runDate, () -> attributeStep(spark, warehouse, settings)
            .run(runDate, AuditRuns.runId(runDate), full));
      }
      if (all || command.equals("rollup")) {
        step("rollup", runDate, () -> new RollupStep(spark, warehouse, settings.rollupRules(),
            settings.getInt(Settings.REATTRIBUTION_DAYS), settings.getInt(Settings.PARALLELISM)).run(runDate, AuditRuns.runId(runDate), full));
      }
      if (all || command.equals("reconcile")) {
        step("reconcile", runDate, () -> new ReconcileStep(warehouse, settings.reconcileRules())
            .run(runDate, AuditRuns.runId(runDate)));
      }
    } catch (SalesPulseException e) {
      exit = e.exitCode();
      message = e.getMessage();
      throw e;
    } catch (Error e) {
      // out of memory and the like: the attempt failed, and audit_runs must say so
      exit = ExitCode.FAILURE;
      message = e.toString();
      throw e;
    } catch (Exception e) {
      // Spark's AnalysisException is checked in Java's eyes but thrown anyway
      exit = ExitCode.FAILURE;
      message = e.toString();
      throw e;
    } finally {
      Instant ended = Instant.now();
      AuditRuns.record(spark, warehouse, attemptId, command, runDate, started, ended, exit, message, counts);
      long read = counts.stream().mapToLong(DatasetCounts::rowsRead).sum();
      long quarantined = counts.stream().mapToLong(DatasetCounts::rowsQuarantined).sum();
      LOG.info("END {} run_date={} status={} rows_read={} rows_quarantined={} in {} ms", command, runDate,
          AuditRuns.status(exit), read, quarantined, ended.toEpochMilli() - started.toEpochMilli());
    }
  }

  private static AttributeStep attributeStep(SparkSession spark, Warehouse warehouse, Settings settings) {
    return new AttributeStep(spark, warehouse, settings.checkedAttributionRules(), settings.getInt(Settings.REATTRIBUTION_DAYS),
        new AttributeStep.Learning(Boolean.parseBoolean(settings.get(Settings.LEARN, "true")),
            settings.getInt(Settings.TRAINING_DAYS), settings.getInt(Settings.MIN_TRAINING_LABELS),
            settings.getInt(Settings.RETRAIN_EVERY_DAYS)));
  }

  private static void step(String name, LocalDate runDate, Runnable body) {
    long t0 = System.nanoTime();
    LOG.info("BEGIN step {} run_date={}", name, runDate);
    body.run();
    LOG.info("END step {} run_date={} in {} ms", name, runDate, (System.nanoTime() - t0) / 1_000_000);
  }

  static void stopSpark() {
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
  }
}
