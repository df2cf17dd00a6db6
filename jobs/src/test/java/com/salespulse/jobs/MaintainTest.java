package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.jobs.io.Warehouse;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maintain}: small files compacted, fact partitions clustered by their Z-order columns, only
 * what was written since the last maintenance, nothing changed in the rows, history kept for time
 * travel.
 *
 * <p>Its tests share nothing (each its own warehouse): they may run at the same time, on both of the
 * test JVM's lanes.
 */
@Execution(ExecutionMode.CONCURRENT)
class MaintainTest {

  @TempDir
  Path tmp;

  @Test
  void maintainCompactsSmallFilesKeepsRowsAndTheTimeTravelWindowAndReports() throws Exception {
    String uri = TestSupport.uri(tmp.resolve("warehouse"));
    Warehouse w = new Warehouse(TestSupport.spark(), uri);
    StructType schema = Warehouse.ddlSchema("quarantine_records");
    // three nights' small writes into one partition: three files
    for (int i = 1; i <= 3; i++) {
      Object[] values = new Object[schema.size()];
      values[schema.fieldIndex("run_date")] = Date.valueOf("2026-11-25");
      values[schema.fieldIndex("dataset")] = "comms/call";
      values[schema.fieldIndex("record_number")] = (long) i;
      w.append("quarantine_records", TestSupport.spark().createDataFrame(List.of(RowFactory.create(values)), schema));
    }
    List<String> rowsBefore = TestSupport.tableRows(uri, "quarantine_records");

    String report = TestSupport.stdout("maintain", "--run-date", "2026-11-29", "--warehouse", uri);

    assertThat(report.lines().toList()).as("the report, one line per table")
        .startsWith("table_name,files_before,bytes_before,files_after,bytes_after,stored_files_before,"
            + "stored_bytes_before,stored_files_after,stored_bytes_after,partitions_optimized")
        .anyMatch(l -> l.matches("quarantine_records,3,\\d+,1,\\d+,3,\\d+,4,\\d+,1"));
    assertThat(TestSupport.tableRows(uri, "quarantine_records")).as("the same rows").isEqualTo(rowsBefore);
    DeltaTable t = DeltaTable.forPath(TestSupport.spark(), uri + "/quarantine_records");
    assertThat(t.history().select("operation").as(Encoders.STRING()).collectAsList()).as("what maintain did")
        .contains("OPTIMIZE", "SET TBLPROPERTIES");
    Row props = t.detail().select("properties").first();
    assertThat(props.<String, String>getJavaMap(0)).as("log and deleted files kept for the time-travel window")
        .containsEntry("delta.logRetentionDuration", "interval 30 days")
        .containsEntry("delta.deletedFileRetentionDuration", "interval 30 days");
    Row audit = TestSupport.lastAudit(uri, "2026-11-29");
    assertThat(audit.<String>getAs("command")).as("recorded").isEqualTo("maintain");
    assertThat(audit.<Row>getList(audit.fieldIndex("steps")).get(0).<String>getAs("detail")).as("totals")
        .contains("vacuum retention 30 days");

    // the vacuum retention may never be shorter than the time travel finance relies on
    Path conf = tmp.resolve("short.properties");
    Files.writeString(conf, "maintain.vacuum-retention-days=10\n");
    TestSupport.run(ExitCode.USAGE, "maintain", "--run-date", "2026-11-29", "--warehouse", uri, "--conf",
        conf.toString());
  }

  /** One activity row of {@code fct_activities}: its id, date (the partition), rep and deal. */
  static Row activity(StructType schema, String id, String date, String user, String deal) {
    Object[] values = new Object[schema.size()];
    values[schema.fieldIndex("activity_id")] = id;
    values[schema.fieldIndex("activity_date")] = Date.valueOf(date);
    values[schema.fieldIndex("user_id")] = user;
    values[schema.fieldIndex("opportunity_id")] = deal;
    return RowFactory.create(values);
  }

  @Test
  void maintainClustersThePartitionsWrittenSinceItsLastRunByTheirZorderColumns() throws Exception {
    String uri = TestSupport.uri(tmp.resolve("warehouse"));
    Warehouse w = new Warehouse(TestSupport.spark(), uri);
    StructType schema = Warehouse.ddlSchema("fct_activities");
    assertThat(Warehouse.zorderColumns("fct_activities")).as("the DDL's zorder line").containsExactly("user_id",
        "opportunity_id");
    // two nights' writes into each of two date partitions
    for (String date : List.of("2026-11-20", "2026-11-21")) {
      for (String user : List.of("u2", "u1")) {
        w.append("fct_activities", TestSupport.spark().createDataFrame(List.of(
            activity(schema, date + user + "a", date, user, "o9"), activity(schema, date + user + "b", date, user, "o1")),
            schema));
      }
    }
    List<String> rowsBefore = TestSupport.tableRows(uri, "fct_activities");
    String first = TestSupport.stdout("maintain", "--run-date", "2026-11-22", "--warehouse", uri);
    assertThat(first.lines().toList()).as("the first maintenance clusters every partition")
        .anyMatch(l -> l.matches("fct_activities,\\d+,\\d+,2,\\d+,\\d+,\\d+,\\d+,\\d+,2"));
    DeltaTable t = DeltaTable.forPath(TestSupport.spark(), uri + "/fct_activities");
    Row optimize = t.history().where("operation = 'OPTIMIZE'").select("operationParameters").first();
    assertThat(optimize.<String, String>getJavaMap(0).get("zOrderBy")).as("clustered by")
        .isEqualTo("[\"user_id\",\"opportunity_id\"]");
    assertThat(TestSupport.tableRows(uri, "fct_activities")).as("the same rows").isEqualTo(rowsBefore);

    // a week later: the files so far are old, and so are two written into a new partition since (as
    // if before the last maintenance); one night writes two files into another: only it is clustered
    for (String user : List.of("u2", "u1")) {
      w.append("fct_activities", TestSupport.spark().createDataFrame(List.of(
          activity(schema, "19" + user, "2026-11-19", user, "o5")), schema));
    }
    java.nio.file.attribute.FileTime weekAgo = java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(java.time.Duration.ofDays(7)));
    try (java.util.stream.Stream<Path> files = Files.walk(tmp.resolve("warehouse/fct_activities"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log")).toList()) {
        Files.setLastModifiedTime(f, weekAgo);
      }
    }
    for (String user : List.of("u2", "u1")) {
      w.append("fct_activities", TestSupport.spark().createDataFrame(List.of(
          activity(schema, "22" + user, "2026-11-22", user, "o5")), schema));
    }
    String second = TestSupport.stdout("maintain", "--run-date", "2026-11-29", "--warehouse", uri);
    assertThat(second.lines().toList()).as("the next maintenance clusters the new partition alone")
        .anyMatch(l -> l.matches("fct_activities,\\d+,\\d+,\\d+,\\d+,\\d+,\\d+,\\d+,\\d+,1"));
    Row latest = t.history().where("operation = 'OPTIMIZE'").orderBy(org.apache.spark.sql.functions.col("version").desc())
        .select("operationParameters").first();
    assertThat(latest.<String, String>getJavaMap(0).get("predicate")).as("the partitions it optimized")
        .contains("2026-11-22").doesNotContain("2026-11-19").doesNotContain("2026-11-20").doesNotContain("2026-11-21");
    assertThat(TestSupport.table(uri, "fct_activities").where("activity_date = DATE'2026-11-19'").inputFiles())
        .as("files of the partition written before the last maintenance, left alone").hasSize(2);
  }

  @Test
  void thePartitionPredicateNamesEachFolderEscapedAsSql() {
    assertThat(MaintainStep.partitionPredicate(List.of("activity_date=2026-11-20", "activity_date=2026-11-22")))
        .as("one partition column").isEqualTo("`activity_date` IN ('2026-11-20', '2026-11-22')");
    assertThat(MaintainStep.partitionPredicate(List.of("period_type=week/period_start=2026-11-16",
        "period_type=o%27brien/period_start=__HIVE_DEFAULT_PARTITION__"))).as("predicate")
        .isEqualTo("(`period_type` = 'week' AND `period_start` = '2026-11-16') OR "
            + "(`period_type` = 'o\\'brien' AND `period_start` IS NULL)");
  }
}
