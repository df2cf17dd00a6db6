package com.salespulse.transforms.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a nightly trains the org's attribution model first, and on which activities. */
class RetrainScheduleTest {

  static final LocalDate R = LocalDate.parse("2026-11-10");

  @Test
  void aNightTrainsWhenNoModelIsYoungerThanTheSchedule() {
    assertThat(AttributionTraining.isRetrainDue(Optional.empty(), R, 7)).as("no model yet").isTrue();
    assertThat(AttributionTraining.isRetrainDue(Optional.of(R.minusDays(7)), R, 7)).as("a week old").isTrue();
    assertThat(AttributionTraining.isRetrainDue(Optional.of(R.minusDays(6)), R, 7)).as("six days old").isFalse();
    assertThat(AttributionTraining.isRetrainDue(Optional.of(R), R, 7)).as("trained for this date").isFalse();
    assertThat(AttributionTraining.isRetrainDue(Optional.empty(), R, 0)).as("0: only train-attribution trains")
        .isFalse();
  }

  @Test
  void trainingOnAWiderWindowsStagesKeepsTheHorizonsActivitiesOnly() {
    org.apache.spark.sql.SparkSession spark = com.salespulse.transforms.TestSpark.get();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> acts = spark.sql("SELECT activity_id, "
        + "CAST(d AS DATE) activity_date FROM VALUES ('a', '2026-05-12'), ('b', '2026-05-13'), ('c', '2026-11-10'), "
        + "('d', '2026-11-11') AS t(activity_id, d)");
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> candidates = spark.sql("SELECT activity_id, opportunity_id "
        + "FROM VALUES ('a', 'O1'), ('b', 'O1'), ('b', 'O2'), ('c', 'O3'), ('d', 'O3') AS t(activity_id, opportunity_id)");
    assertThat(AttributionTraining.inHorizon(candidates, acts, R.minusDays(181), R)
        .selectExpr("activity_id || '/' || opportunity_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .as("the candidates of activities dated 2026-05-13..2026-11-10, every one of theirs")
        .containsExactlyInAnyOrder("b/O1", "b/O2", "c/O3");
  }
}
