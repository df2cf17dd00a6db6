package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;

/** Builds {@code stg_comms__calls}: one row per dialer call (call_id). */
public final class StgCommsCalls extends StagingTable {

  @Override
  public String name() {
    return "stg_comms__calls";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("call_id", "call_id", true),
        Field.of("started_at", "started_at", TIMESTAMP, true),
        Field.of("duration_seconds", "duration_seconds", INTEGER, true),
        Field.oneOf("direction", "direction", true, "outbound", "inbound"),
        Field.of("user_email", "user_email", EMAIL, true),
        Field.of("counterpart_number", "counterpart_phone", PHONE, true),
        Field.oneOf("disposition", "disposition", true, "connected", "no_answer", "voicemail", "busy", "failed"));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("call_id");
  }

  @Override
  public List<String> orderColumns() {
    return List.of("source_dt", "source_file", "source_record_number");
  }

  @Override
  protected List<Column> rowRules() {
    return List.of(when(col("duration_seconds").lt(0),
        lit("field 'duration_seconds': expected an integer >= 0")));
  }
}
