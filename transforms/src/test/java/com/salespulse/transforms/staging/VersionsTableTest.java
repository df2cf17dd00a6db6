package com.salespulse.transforms.staging;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class VersionsTableTest {

  final StgCrmUsers users = new StgCrmUsers();
  final StgCrmUserVersions versions = new StgCrmUserVersions();

  Dataset<Row> night(String date, String modstamp, String manager) {
    ParseRules rules = new ParseRules("salespulse-" + date, LocalDate.parse(date), LocalDate.parse(date), "1");
    Dataset<Row> raw = new RawRows(users)
        .add("u-" + date + ".csv", 1, StagingTableTest.user("005A", "a@maventech.com", modstamp, manager)).build();
    return users.validate(raw, rules).where(col(StagingTable.REJECT_REASON).isNull());
  }

  /** Applies nights in order, each merged as the job does (replace the touched records' rows). */
  Dataset<Row> load(List<Dataset<Row>> nights) {
    Dataset<Row> stored = nights.get(0).sparkSession().createDataFrame(List.of(),
        versions.apply(nights.get(0), nights.get(0).limit(0).select(versions.columns().stream()
            .filter(c -> !List.of("valid_from", "valid_to", "is_current").contains(c)).map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new))
            .withColumn("valid_from", col("version_at")).withColumn("valid_to", col("version_at"))
            .withColumn("is_current", org.apache.spark.sql.functions.lit(true))).schema());
    for (Dataset<Row> n : nights) {
      Dataset<Row> touched = versions.apply(n, stored).cache();
      stored = stored.join(touched.select("user_id").distinct(), scala.jdk.javaapi.CollectionConverters.asScala(List.of("user_id")).toSeq(), "left_anti")
          .unionByName(touched);
      stored = stored.localCheckpoint();
    }
    return stored.orderBy("valid_from");
  }

  @Test
  void managerAsOfAnyTimeWhateverTheLoadOrder() {
    Dataset<Row> d1 = night("2026-11-01", "2026-11-01T09:00:00Z", "005M1");
    Dataset<Row> d2 = night("2026-11-10", "2026-11-10T09:00:00Z", "005M2");
    List<Row> inOrder = load(List.of(d1, d2)).collectAsList();
    List<Row> reversed = load(List.of(d2, d1)).collectAsList();
    List<Row> twice = load(List.of(d1, d2, d1, d2)).collectAsList();
    assertThat(inOrder).as("two versions").hasSize(2);
    assertThat(inOrder.get(0).<String>getAs("manager_user_id")).as("first manager").isEqualTo("005M1");
    assertThat(inOrder.get(0).<java.sql.Timestamp>getAs("valid_to")).as("first version ends when the second starts")
        .isEqualTo(inOrder.get(1).<java.sql.Timestamp>getAs("valid_from"));
    assertThat(inOrder.get(1).<Boolean>getAs("is_current")).as("second is current").isTrue();
    assertThat(inOrder.get(1).<java.sql.Timestamp>getAs("valid_to")).as("current has no end").isNull();
    assertThat(reversed).as("loading the later night first gives the same history").isEqualTo(inOrder);
    assertThat(twice).as("reloading nights changes nothing").isEqualTo(inOrder);
  }
}
