package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet files, CSV fields spanning lines, byte-order marks and ignored file names. */
class FileFormatsTest {

  @TempDir
  Path tmp;

  @Test
  void parquetMultilineCsvAndBomAreReadAsTheContractSays() throws Exception {
    Path drop = tmp.resolve("drop");
    TestSupport.copyTree(TestSupport.exampleDrop(), drop);
    String day = "dt=2026-11-25";

    // calls as Parquet with typed columns, written by Spark, in place of the CSV: three files, two of
    // one schema (read as one scan) and one whose duration is text (a scan of its own), named with a space
    Path calls = drop.resolve("comms/call/" + day);
    org.apache.spark.sql.Dataset<Row> typed = TestSupport.spark().read().option("header", "true")
        .csv(calls.resolve("calls.csv").toString())
        .selectExpr("call_id", "to_timestamp(started_at) AS started_at", "CAST(duration_seconds AS INT) AS duration_seconds",
            "direction", "user_email", "counterpart_number", "disposition");
    parquet(typed.where("call_id <= 'call000000000004AAA'"), calls.resolve("calls.parquet"));
    parquet(typed.where("call_id > 'call000000000004AAA' AND call_id <= 'call000000000008AAA'"),
        calls.resolve("calls 2.parquet"));
    parquet(typed.where("call_id > 'call000000000008AAA'").withColumn("duration_seconds",
        org.apache.spark.sql.functions.col("duration_seconds").cast("string")), calls.resolve("calls-3.parquet"));
    Files.delete(calls.resolve("calls.csv"));
    Files.writeString(calls.resolve("README.txt"), "not data: ignored with a warning");

    // an account name with a line break inside quotes, and a UTF-8 byte-order mark
    Path accounts = drop.resolve("crm/Account/" + day + "/Account.csv");
    String text = Files.readString(accounts).replace("Globex Systems,", "\"Globex\nSystems, Inc.\",");
    Files.writeString(accounts, "\uFEFF" + text, StandardCharsets.UTF_8);

    String warehouse = tmp.resolve("warehouse").toUri().toString().replaceAll("/$", "");
    TestSupport.run(ExitCode.SUCCESS, "ingest", "--run-date", "2026-11-25", "--input-root", drop.toString(),
        "--warehouse", warehouse);

    Row call = TestSupport.table(warehouse, "stg_comms__calls").where("call_id = 'call000000000002AAA'").first();
    assertThat(call.<java.sql.Timestamp>getAs("started_at").toInstant().toString()).as("timestamp from Parquet")
        .isEqualTo("2026-11-14T13:09:00Z");
    assertThat(call.<Integer>getAs("duration_seconds")).as("integer from Parquet").isEqualTo(246);
    assertThat(call.<String>getAs("source_file")).as("source file").endsWith("/calls.parquet");
    assertThat(TestSupport.table(warehouse, "stg_comms__calls").count()).as("all Parquet rows").isEqualTo(11);
    java.util.Map<String, String> perFile = new java.util.TreeMap<>();
    TestSupport.table(warehouse, "stg_comms__calls").groupBy("source_file")
        .agg(org.apache.spark.sql.functions.expr("concat(count(*), ' rows, numbered ', min(source_record_number), '..', "
            + "max(source_record_number), ', durations ', sum(duration_seconds))"))
        .collectAsList().forEach(r -> perFile.put(r.getString(0).replaceAll(".*/", ""), r.getString(1)));
    java.util.Map<String, String> expected = new java.util.TreeMap<>();
    for (String f : java.util.List.of("calls.parquet", "calls 2.parquet", "calls-3.parquet")) {
      org.apache.spark.sql.Dataset<Row> written = TestSupport.spark().read().parquet(calls.resolve(f).toString());
      expected.put(f, written.count() + " rows, numbered 1.." + written.count() + ", durations "
          + written.selectExpr("sum(CAST(duration_seconds AS INT))").first().get(0));
    }
    assertThat(perFile).as("each staged call names its own file (as the drop lists it) and its position there")
        .isEqualTo(expected);

    Row globex = TestSupport.table(warehouse, "stg_crm__accounts").where("account_id = '001000000000001AAA'").first();
    assertThat(globex.<String>getAs("account_name")).as("quoted field spanning lines").isEqualTo("Globex\nSystems, Inc.");
    Row initech = TestSupport.table(warehouse, "stg_crm__accounts").where("account_id = '001000000000002AAA'").first();
    assertThat(initech.<Long>getAs("source_record_number")).as("record number after a multi-line record").isEqualTo(2L);
    assertThat(TestSupport.table(warehouse, "quarantine_records").count()).as("nothing quarantined").isZero();
  }

  @Test
  void aFileThatIsNotParquetFailsTheRunNamingIt() throws Exception {
    Path drop = tmp.resolve("drop");
    TestSupport.copyTree(TestSupport.exampleDrop(), drop);
    Path calls = drop.resolve("comms/call/dt=2026-11-25");
    Files.delete(calls.resolve("calls.csv"));
    Files.writeString(calls.resolve("calls.parquet"), "call_id,started_at\ncall1,2026-11-25T10:00:00Z\n");
    String warehouse = tmp.resolve("warehouse").toUri().toString().replaceAll("/$", "");
    TestSupport.run(ExitCode.INPUT_REJECTED, "ingest", "--run-date", "2026-11-25", "--input-root", drop.toString(),
        "--warehouse", warehouse);
    assertThat(TestSupport.lastAudit(warehouse, "2026-11-25").<String>getAs("message")).as("message")
        .contains("Cannot ingest ").contains("comms/call/dt=2026-11-25/calls.parquet").contains("cannot be read as Parquet");
  }

  /** Writes a dataset as one Parquet file (Spark writes a folder, in the test's own folder, not the drop's). */
  void parquet(org.apache.spark.sql.Dataset<Row> rows, Path file) throws java.io.IOException {
    Path dir = Files.createTempDirectory(tmp, "parquet");
    rows.coalesce(1).write().mode("overwrite").parquet(dir.toString());
    try (Stream<Path> s = Files.list(dir)) {
      Files.move(s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow(), file);
    }
  }
}
