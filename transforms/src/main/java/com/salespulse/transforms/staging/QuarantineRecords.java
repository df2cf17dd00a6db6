package com.salespulse.transforms.staging;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Builds {@code quarantine_records}: one row per input record that could not be staged. */
public final class QuarantineRecords {

  public static final String NAME = "quarantine_records";

  private QuarantineRecords() {}

  /** The rejected rows of validated rows (as from {@link StagingTable#validate}) of one dataset. */
  public static Dataset<Row> apply(Dataset<Row> validated, String dataset, String tableName, LocalDate runDate) {
    return validated
        .where(col(StagingTable.REJECT_REASON).isNotNull())
        .select(
            col("run_id"),
            lit(runDate.toString()).cast("date").as("run_date"),
            lit(dataset).as("dataset"),
            lit(tableName).as("table_name"),
            col("source_file"),
            col("source_record_number").as("record_number"),
            col(StagingTable.REJECT_FIELD).as("field_name"),
            col(StagingTable.REJECT_REASON).as("reason"),
            col(StagingTable.RAW_RECORD).as("raw_record"));
  }
}
