package com.salespulse.jobs;

import static org.apache.spark.sql.functions.*;

import com.salespulse.jobs.io.Warehouse;
import com.salespulse.jobs.io.WarehouseLease;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Appends one row per run attempt to {@code audit_runs}. */
public final class AuditRuns {

  public static final String NAME = "audit_runs";

  static final StructType COUNTS = DataTypes.createStructType(List.of(
      DataTypes.createStructField("dataset", DataTypes.StringType, true),
      DataTypes.createStructField("table_name", DataTypes.StringType, true),
      DataTypes.createStructField("files", DataTypes.IntegerType, true),
      DataTypes.createStructField("rows_read", DataTypes.LongType, true),
      DataTypes.createStructField("rows_staged", DataTypes.LongType, true),
      DataTypes.createStructField("rows_quarantined", DataTypes.LongType, true),
      DataTypes.createStructField("rows_duplicate", DataTypes.LongType, true)));

  static final StructType COMMIT = DataTypes.createStructType(List.of(
      DataTypes.createStructField("table_name", DataTypes.StringType, true),
      DataTypes.createStructField("operation", DataTypes.StringType, true),
      DataTypes.createStructField("table_version", DataTypes.LongType, true),
      DataTypes.createStructField("rows_written", DataTypes.LongType, true)));

  static final StructType STEP = DataTypes.createStructType(List.of(
      DataTypes.createStructField("step", DataTypes.StringType, true),
      DataTypes.createStructField("status", DataTypes.StringType, true),
      DataTypes.createStructField("started_at", DataTypes.TimestampType, true),
      DataTypes.createStructField("ended_at", DataTypes.TimestampType, true),
      DataTypes.createStructField("duration_ms", DataTypes.LongType, true),
      DataTypes.createStructField("rows_written", DataTypes.LongType, true),
      DataTypes.createStructField("tables_written", DataTypes.createArrayType(COMMIT), true),
      DataTypes.createStructField("detail", DataTypes.StringType, true),
      DataTypes.createStructField("spark_jobs", DataTypes.LongType, true),
      DataTypes.createStructField("spark_tasks", DataTypes.LongType, true)));

  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("run_id", DataTypes.StringType, true),
      DataTypes.createStructField("attempt_id", DataTypes.StringType, true),
      DataTypes.createStructField("command", DataTypes.StringType, true),
      DataTypes.createStructField("run_date", DataTypes.DateType, true),
      DataTypes.createStructField("started_at", DataTypes.TimestampType, true),
      DataTypes.createStructField("ended_at", DataTypes.TimestampType, true),
      DataTypes.createStructField("status", DataTypes.StringType, true),
      DataTypes.createStructField("exit_code", DataTypes.IntegerType, true),
      DataTypes.createStructField("message", DataTypes.StringType, true),
      DataTypes.createStructField("dataset_counts", DataTypes.createArrayType(COUNTS), true),
      DataTypes.createStructField("code_version", DataTypes.StringType, true),
      DataTypes.createStructField("steps", DataTypes.createArrayType(STEP), true)));

  private AuditRuns() {}

  /** The deterministic id of a logical run: the same for every attempt and rerun of a date. */
  public static String runId(LocalDate runDate) {
    return "salespulse-" + runDate;
  }

  public static String codeVersion() {
    try (InputStream in = AuditRuns.class.getResourceAsStream("/salespulse-version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  public static void record(SparkSession spark, Warehouse warehouse, String attemptId, String command,
                            LocalDate runDate, Instant startedAt, Instant endedAt, ExitCode exit, String message,
                            List<DatasetCounts> counts, List<StepResult> steps) {
    List<Row> countRows = counts.stream()
        .map(c -> RowFactory.create(c.dataset(), c.tableName(), c.files(), c.rowsRead(), c.rowsStaged(),
            c.rowsQuarantined(), c.rowsDuplicate()))
        .toList();
    Row row = RowFactory.create(runId(runDate), attemptId, command, Date.valueOf(runDate),
        Timestamp.from(startedAt), Timestamp.from(endedAt), status(exit), exit.code, message,
        seq(countRows), codeVersion(), seq(steps.stream().map(AuditRuns::stepRow).toList()));
    // a warehouse written by an older release gains the columns added since
    warehouse.addMissingColumns(NAME);
    warehouse.append(NAME, spark.createDataFrame(List.of(row), SCHEMA));
  }

  /**
   * Records an attempt that died without ending (killed, out of memory, machine lost), found when a
   * later run took over its stale warehouse lease: status {@code abandoned}, from when it took the
   * lease to its last renewal, no exit code.
   */
  public static void recordAbandoned(SparkSession spark, Warehouse warehouse, WarehouseLease.Holder dead,
                                     String takenOverBy) {
    LocalDate runDate;
    try {
      runDate = LocalDate.parse(dead.runDate());
    } catch (java.time.format.DateTimeParseException e) {
      return; // an unreadable lease file: nothing reliable to record
    }
    if (dead.acquiredAt() == null || dead.renewedAt() == null) {
      return;
    }
    Row row = RowFactory.create(runId(runDate), dead.attemptId(), dead.command(), Date.valueOf(runDate),
        Timestamp.from(dead.acquiredAt()), Timestamp.from(dead.renewedAt()), "abandoned", null,
        "The attempt died without ending (killed, out of memory or machine lost): its warehouse lease was last "
            + "renewed at " + dead.renewedAt() + " and was taken over by attempt " + takenOverBy
            + "; rerun the date if no later run did",
        seq(List.of()), null, seq(List.of()));
    warehouse.addMissingColumns(NAME);
    warehouse.append(NAME, spark.createDataFrame(List.of(row), SCHEMA));
  }

  private static Row stepRow(StepResult r) {
    List<Row> commits = r.tables().stream()
        .map(c -> RowFactory.create(c.tableName(), c.operation(), c.version(), c.rowsWritten())).toList();
    return RowFactory.create(r.step(), r.status(), Timestamp.from(r.startedAt()), Timestamp.from(r.endedAt()),
        r.durationMs(), r.rowsWritten(), seq(commits), r.detail(), r.work().jobs(), r.work().tasks());
  }

  private static scala.collection.immutable.Seq<Row> seq(List<Row> rows) {
    return scala.jdk.javaapi.CollectionConverters.asScala(rows).toSeq();
  }

  /**
   * "Now" for the facts that need one: the latest run date at which this step succeeded (its
   * facts exist up to there), or this run's date when later. Never the clock, so a rerun of any
   * date reproduces the latest run's view; a later date that was only ingested does not move it.
   */
  public static LocalDate latestSucceeded(Warehouse warehouse, LocalDate runDate, String step) {
    warehouse.addMissingColumns(NAME);
    Row r = com.salespulse.transforms.scope.RecomputeScope.latestSuccess(warehouse.read(NAME), step).first();
    return com.salespulse.transforms.scope.RecomputeScope.now(r.isNullAt(0) ? null : r.getDate(0).toLocalDate(), runDate);
  }

  /**
   * The first activity date the attribute step re-attributed for this run date, over its attempts
   * that succeeded (their detail, {@link AttributeStep#DATES}); null when none did.
   */
  static LocalDate attributedFrom(Warehouse warehouse, LocalDate runDate) {
    if (!warehouse.exists(NAME)) {
      return null;
    }
    warehouse.addMissingColumns(NAME);
    Row r = warehouse.read(NAME).where(col("run_date").equalTo(lit(Date.valueOf(runDate))))
        .select(explode(col("steps")).as("s"))
        .where(col("s.step").equalTo("attribute").and(col("s.status").equalTo("succeeded")))
        .select(to_date(nullif(regexp_extract(col("s.detail"),
            "^" + java.util.regex.Pattern.quote(AttributeStep.DATES) + "(\\d{4}-\\d{2}-\\d{2})\\.\\.", 1), lit("")))
            .as("from"))
        .agg(min("from")).first();
    return r.isNullAt(0) ? null : r.getDate(0).toLocalDate();
  }

  /** When the latest successful run of a command started, if there was one. */
  static java.util.Optional<java.time.Instant> lastSucceededStart(Warehouse warehouse, String command) {
    if (!warehouse.exists(NAME)) {
      return java.util.Optional.empty();
    }
    Row r = warehouse.read(NAME).where(org.apache.spark.sql.functions.col("command").equalTo(command)
            .and(org.apache.spark.sql.functions.col("status").equalTo("succeeded")))
        .agg(org.apache.spark.sql.functions.max("started_at")).first();
    return r.isNullAt(0) ? java.util.Optional.empty() : java.util.Optional.of(r.getTimestamp(0).toInstant());
  }

  static String status(ExitCode exit) {
    return switch (exit) {
      case SUCCESS -> "succeeded";
      case INPUT_REJECTED -> "rejected";
      case NOT_LANDED -> "not_landed";
      case LOCKED -> "locked";
      case USAGE, FAILURE -> "failed";
    };
  }
}
