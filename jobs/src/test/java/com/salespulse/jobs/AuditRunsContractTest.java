package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.jobs.io.Warehouse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of audit_runs, the one table written by the jobs module rather than a transform
 * (the transforms' TableContractTest checks every other table of sql/tables): the rows the job
 * appends have exactly the DDL's columns and types, in order.
 */
class AuditRunsContractTest {

  @Test
  void theAuditRowSchemaIsTheDdl() {
    StructType ddl = Warehouse.ddlSchema(AuditRuns.NAME);
    assertThat(AuditRuns.SCHEMA.fieldNames()).as("audit_runs columns, in the DDL's order")
        .containsExactly(ddl.fieldNames());
    for (StructField f : ddl.fields()) {
      assertThat(AuditRuns.SCHEMA.apply(f.name()).dataType().catalogString()).as("audit_runs.%s type", f.name())
          .isEqualTo(f.dataType().catalogString());
    }
    assertThat(Arrays.stream(ddl.fieldNames())).as("the grain").contains("attempt_id");
  }

  @Test
  void anAuditTableWrittenBeforeTheSparkWorkWasRecordedTakesTheNewFields(@TempDir Path tmp) {
    SparkSession spark = TestSupport.spark();
    Warehouse warehouse = new Warehouse(spark, tmp.toUri().toString());
    // audit_runs as an older release created it: steps without spark_jobs and spark_tasks
    String old = Warehouse.ddl(AuditRuns.NAME).replace(", spark_jobs: BIGINT, spark_tasks: BIGINT>>", ">>")
        .replaceFirst("(?i)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+audit_runs\\b",
            "CREATE TABLE IF NOT EXISTS delta.`" + warehouse.location(AuditRuns.NAME) + "`");
    spark.sql(old.replaceAll(";\\s*$", ""));
    assertThat(spark.read().format("delta").load(warehouse.location(AuditRuns.NAME)).schema().simpleString())
        .as("the old table").doesNotContain("spark_jobs");
    Instant at = Instant.parse("2026-11-02T03:00:00Z");
    AuditRuns.record(spark, warehouse, "a1", "nightly", LocalDate.parse("2026-11-02"), at, at.plusSeconds(5),
        ExitCode.SUCCESS, null, List.of(), List.of(new StepResult("ingest", "succeeded", at, at.plusSeconds(5),
            List.of(), "datasets=0", new SparkWork.Counts(7, 11))));
    Row step = spark.read().format("delta").load(warehouse.location(AuditRuns.NAME))
        .selectExpr("steps[0].spark_jobs", "steps[0].spark_tasks").first();
    assertThat(step.getLong(0)).as("spark_jobs of the step").isEqualTo(7L);
    assertThat(step.getLong(1)).as("spark_tasks of the step").isEqualTo(11L);
  }
}
