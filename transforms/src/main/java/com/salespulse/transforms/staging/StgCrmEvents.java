package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** Builds {@code stg_crm__events}: current state of each CRM Event (a logged meeting), one row per event_id. */
public final class StgCrmEvents extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__events";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "event_id", true),
        Field.string("OwnerId", "owner_user_id", true),
        Field.string("WhatId", "what_id", false),
        Field.string("WhoId", "who_id", false),
        Field.string("Subject", "subject", false),
        Field.of("StartDateTime", "start_at", TIMESTAMP, true),
        Field.of("EndDateTime", "end_at", TIMESTAMP, false),
        Field.of("CreatedDate", "created_at", TIMESTAMP, true),
        Field.flag("IsDeleted", "is_deleted"),
        Field.of("LastModifiedDate", "last_modified_at", TIMESTAMP, true),
        Field.of("SystemModstamp", "system_modified_at", TIMESTAMP, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("event_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    return crmVersionAt("system_modified_at", "last_modified_at");
  }

  @Override
  protected List<Column> rowRules() {
    return List.of(when(col("end_at").lt(col("start_at")),
        lit("fields 'StartDateTime'/'EndDateTime': the event ends before it starts")));
  }
}
