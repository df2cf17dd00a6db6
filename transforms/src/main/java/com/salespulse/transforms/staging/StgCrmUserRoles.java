package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** Builds {@code stg_crm__user_roles}: current state of each CRM UserRole, one row per user_role_id. */
public final class StgCrmUserRoles extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__user_roles";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "user_role_id", true),
        Field.string("Name", "role_name", true),
        Field.string("ParentRoleId", "parent_role_id", false),
        Field.of("LastModifiedDate", "last_modified_at", TIMESTAMP, false),
        Field.of("SystemModstamp", "system_modified_at", TIMESTAMP, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("user_role_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    return crmVersionAt("system_modified_at", "last_modified_at");
  }
}
