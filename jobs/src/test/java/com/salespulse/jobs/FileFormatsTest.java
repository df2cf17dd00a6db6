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

    // calls as Parquet with typed columns, written by Spark, in place of the CSV
    Path calls = drop.resolve("comms/call/" + day);
    Path staging = tmp.resolve("parquet");
    TestSupport.spark().read().option("header", "true").csv(calls.resolve("calls.csv").toString())
        .selectExpr("call_id", "to_timestamp(started_at) AS started_at", "CAST(duration_seconds AS INT) AS duration_seconds",
            "direction", "user_email", "counterpart_number", "disposition")
        .coalesce(1).write().parquet(staging.toString());
    try (Stream<Path> s = Files.list(staging)) {
      Path part = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.copy(part, calls.resolve("calls.parquet"));
    }
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
    assertThat(call.<String>getAs("source_file")).as("source file").endsWith("calls.parquet");
    assertThat(TestSupport.table(warehouse, "stg_comms__calls").count()).as("all Parquet rows").isEqualTo(11);

    Row globex = TestSupport.table(warehouse, "stg_crm__accounts").where("account_id = '001000000000001AAA'").first();
    assertThat(globex.<String>getAs("account_name")).as("quoted field spanning lines").isEqualTo("Globex\nSystems, Inc.");
    Row initech = TestSupport.table(warehouse, "stg_crm__accounts").where("account_id = '001000000000002AAA'").first();
    assertThat(initech.<Long>getAs("source_record_number")).as("record number after a multi-line record").isEqualTo(2L);
    assertThat(TestSupport.table(warehouse, "quarantine_records").count()).as("nothing quarantined").isZero();
  }
}
