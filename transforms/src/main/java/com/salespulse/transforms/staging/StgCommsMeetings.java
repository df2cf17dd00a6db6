package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;

/** Builds {@code stg_comms__meetings}: one row per distinct calendar event (event_id). */
public final class StgCommsMeetings extends CommsTable {

  @Override
  public String name() {
    return "stg_comms__meetings";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("event_id", "event_id", true),
        Field.of("start_at", "start_at", TIMESTAMP, true),
        Field.of("end_at", "end_at", TIMESTAMP, true),
        Field.of("organizer", "organizer_email", EMAIL, true),
        Field.of("attendees", "attendees", ATTENDEES, true),
        Field.string("subject", "subject", false),
        Field.oneOf("status", "status", true, "confirmed", "cancelled"),
        Field.of("mailbox", "mailbox", EMAIL, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("event_id");
  }

  @Override
  protected List<Column> rowRules() {
    return List.of(when(col("end_at").lt(col("start_at")),
        lit("fields 'start_at'/'end_at': the meeting ends before it starts")));
  }
}
