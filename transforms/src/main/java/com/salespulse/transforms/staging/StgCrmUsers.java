package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** Builds {@code stg_crm__users}: current state of each CRM User, one row per user_id. */
public final class StgCrmUsers extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__users";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "user_id", true),
        Field.of("Email", "email", EMAIL, true),
        Field.of("IsActive", "is_active", BOOLEAN, true),
        Field.string("FirstName", "first_name", false),
        Field.string("LastName", "last_name", false),
        Field.string("Name", "full_name", false),
        Field.string("ManagerId", "manager_user_id", false),
        Field.string("UserRoleId", "user_role_id", false),
        Field.string("Title", "title", false),
        Field.string("Department", "department", false),
        Field.string("EmployeeNumber", "employee_number", false),
        Field.of("Phone", "phone", PHONE, false),
        Field.of("MobilePhone", "mobile_phone", PHONE, false),
        Field.of("LastModifiedDate", "last_modified_at", TIMESTAMP, true),
        Field.of("SystemModstamp", "system_modified_at", TIMESTAMP, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("user_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    return crmVersionAt("system_modified_at", "last_modified_at");
  }
}
