package com.salespulse.transforms.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a nightly trains the org's attribution model first. */
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
}
