package com.salespulse.transforms.staging;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import org.apache.spark.sql.Column;

/**
 * What one run knows when it parses a drop: the logical run date (never the clock), the run id, the
 * drop's date, and the organisation's phone default. Timestamps later than two days after the run
 * date or before 2000 are impossible for a nightly export and are rejected.
 */
public record ParseRules(String runId, LocalDate runDate, LocalDate sourceDate, String defaultCountryCode) {

  public Column earliestTimestamp() {
    return lit("2000-01-01T00:00:00Z").cast("timestamp");
  }

  public Column latestTimestamp() {
    return lit(runDate.plusDays(2) + "T00:00:00Z").cast("timestamp");
  }

  /** The run's logical ingestion time: midnight UTC after the run date. */
  public Column ingestedAt() {
    return lit(runDate.plusDays(1) + "T00:00:00Z").cast("timestamp");
  }
}
