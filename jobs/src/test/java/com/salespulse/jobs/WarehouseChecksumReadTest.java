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
 * exactly what Delta's own scan holds; when the checksum cannot say it all, Delta reads the table.
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

    String partitioned = w.location("stg_partitioned");
    spark.range(0, 4).selectExpr("id", "id % 2 AS part").write().format("delta").partitionBy("part").save(partitioned);
    assertThat(w.checksumRead("stg_partitioned")).as("a partitioned table").isEmpty();
    assertThat(w.checksumRead("stg_missing")).as("no table").isEmpty();
  }
}
