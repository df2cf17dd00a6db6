package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * Builds {@code stg_crm__tasks}: current state of each CRM Task (calls, emails and to-dos reps
 * logged against a deal or an account), one row per task_id. {@code TaskSubtype} is kept as
 * written: subtypes other than Call and Email (to-dos, list emails, cadence steps) are not
 * activities but are staged all the same.
 */
public final class StgCrmTasks extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__tasks";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "task_id", true),
        Field.string("OwnerId", "owner_user_id", true),
        Field.string("WhatId", "what_id", false),
        Field.string("WhoId", "who_id", false),
        Field.string("Subject", "subject", false),
        Field.of("ActivityDate", "activity_date", DATE, false),
        Field.string("TaskSubtype", "task_subtype", false),
        Field.string("CallObject", "call_object", false),
        Field.of("CallDurationInSeconds", "call_duration_seconds", INTEGER, false),
        Field.string("Status", "status", false),
        Field.of("CreatedDate", "created_at", TIMESTAMP, true),
        Field.flag("IsDeleted", "is_deleted"),
        Field.of("LastModifiedDate", "last_modified_at", TIMESTAMP, true),
        Field.of("SystemModstamp", "system_modified_at", TIMESTAMP, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("task_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    return crmVersionAt("system_modified_at", "last_modified_at");
  }

  @Override
  protected List<Column> rowRules() {
    return List.of(when(col("call_duration_seconds").lt(0),
        lit("field 'CallDurationInSeconds': expected an integer >= 0")));
  }
}
