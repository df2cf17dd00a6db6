package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.jobs.io.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kept read of a small table comes from the files its Delta version checksum lists, and holds
 * exactly what Delta's own scan holds, a partitioned table's partition columns included; when the
 * checksum cannot say it all, Delta reads the table.
 */
class WarehouseChecksumReadTest {

  @TempDir
  Path tmp;

  static List<String> rows(Dataset<Row> df) {
    return df.orderBy("id").toJSON().collectAsList();
  }

  @Test
  void aTableOfSeveralCommitsReadFromItsChecksumHoldsWhatDeltaReads() {
    SparkSession spark = TestSupport.spark();
    Warehouse w = new Warehouse(spark, TestSupport.uri(tmp.resolve("w")));
    String at = w.location("stg_probe");
    spark.range(0, 5).selectExpr("id", "cast(id * 2 AS int) AS n").write().format("delta").save(at);
    spark.range(5, 8).selectExpr("id", "cast(id * 2 AS int) AS n").write().format("delta").mode("append").save(at);
    // a column added later: the older files lack it, and both reads give them nulls
    spark.sql("ALTER TABLE delta.`" + at + "` ADD COLUMNS (note STRING)");
    spark.range(8, 9).selectExpr("id", "cast(id * 2 AS int) AS n", "'late' AS note").write().format("delta")
        .mode("append").save(at);
    spark.sql("DELETE FROM delta.`" + at + "` WHERE id = 3");   // a file rewritten, one removed from the list

    Dataset<Row> delta = spark.read().format("delta").load(at);
    java.util.Optional<Dataset<Row>> fromChecksum = w.checksumRead("stg_probe");
    assertThat(fromChecksum).as("the table's latest checksum lists its files").isPresent();
    assertThat(fromChecksum.get().columns()).as("columns, in the table's order").containsExactly(delta.columns());
    assertThat(rows(fromChecksum.get())).as("rows read from the checksum's files").isEqualTo(rows(delta))
        .hasSize(8).anyMatch(r -> r.contains("\"note\":\"late\""));
  }

  @Test
  void withoutAUsableChecksumDeltaReadsTheTable() throws IOException {
    SparkSession spark = TestSupport.spark();
    Warehouse w = new Warehouse(spark, TestSupport.uri(tmp.resolve("w")));
    String plain = w.location("stg_plain");
    spark.range(0, 4).write().format("delta").save(plain);
    try (Stream<Path> crcs = Files.list(tmp.resolve("w/stg_plain/_delta_log"))) {
      for (Path crc : crcs.filter(p -> p.toString().endsWith(".crc")).toList()) {
        Files.delete(crc);
      }
    }
    assertThat(w.checksumRead("stg_plain")).as("no checksum for the latest commit").isEmpty();

    String vectors = w.location("stg_vectors");
    spark.range(0, 4).write().format("delta").option("delta.enableDeletionVectors", "true").save(vectors);
    spark.sql("DELETE FROM delta.`" + vectors + "` WHERE id = 1");
    assertThat(w.checksumRead("stg_vectors")).as("deletion vectors (reader protocol 3)").isEmpty();

    String nulls = w.location("fct_nulls");
    spark.range(0, 4).selectExpr("id", "CASE WHEN id > 1 THEN DATE'2026-11-02' END AS d").write().format("delta")
        .partitionBy("d").save(nulls);
    assertThat(w.checksumRead("fct_nulls")).as("a partition value that is null").isEmpty();
    String spaced = w.location("fct_spaced");
    spark.range(0, 4).selectExpr("id", "concat('team ', id % 2) AS node").write().format("delta")
        .partitionBy("node").save(spaced);
    assertThat(w.checksumRead("fct_spaced")).as("a partition value its folder name escapes").isEmpty();
    assertThat(w.checksumRead("stg_missing")).as("no table").isEmpty();
  }

  @Test
  void aPartitionedTableReadFromItsChecksumHoldsWhatDeltaReadsAndPrunesItsFolders() {
    SparkSession spark = TestSupport.spark();
    Warehouse w = new Warehouse(spark, TestSupport.uri(tmp.resolve("w")));
    String at = w.location("fct_parts");
    // the partition columns in the middle and at the end of the table's columns, as in the fact tables
    spark.range(0, 6).selectExpr("id", "DATE'2026-11-01' + CAST(id % 3 AS INT) AS d", "cast(id * 2 AS int) AS n",
        "CASE WHEN id % 2 = 0 THEN 'day' ELSE 'week' END AS kind")
        .write().format("delta").partitionBy("d", "kind").save(at);
    spark.sql("DELETE FROM delta.`" + at + "` WHERE id = 4");
    Dataset<Row> delta = spark.read().format("delta").load(at);
    java.util.Optional<Dataset<Row>> fromChecksum = w.checksumRead("fct_parts");
    assertThat(fromChecksum).as("the partitioned table's checksum lists its files").isPresent();
    assertThat(fromChecksum.get().columns()).as("columns, in the table's order").containsExactly(delta.columns());
    assertThat(fromChecksum.get().schema()).as("types, the partition columns' too").isEqualTo(delta.schema());
    assertThat(rows(fromChecksum.get())).as("rows read from the checksum's files").isEqualTo(rows(delta)).hasSize(5);
    Dataset<Row> oneDay = fromChecksum.get().where("d = DATE'2026-11-02'");
    assertThat(rows(oneDay)).as("a filter on a partition column").isEqualTo(rows(delta.where("d = DATE'2026-11-02'")));
    assertThat(oneDay.queryExecution().executedPlan().toString()).as("the day's folders pruned by the scan")
        .containsPattern("PartitionFilters: \\[[^\\]]*d#\\d+ = 2026-11-02");
  }
}
