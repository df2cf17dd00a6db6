package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** Builds {@code stg_crm__contacts}: current state of each CRM Contact, one row per contact_id. */
public final class StgCrmContacts extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__contacts";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "contact_id", true),
        Field.string("AccountId", "account_id", false),
        Field.string("FirstName", "first_name", false),
        Field.string("LastName", "last_name", false),
        Field.of("Email", "email", EMAIL, false),
        Field.of("Phone", "phone", PHONE, false),
        Field.of("MobilePhone", "mobile_phone", PHONE, false),
        Field.string("Title", "title", false),
        Field.flag("IsDeleted", "is_deleted"),
        Field.of("LastModifiedDate", "last_modified_at", TIMESTAMP, true),
        Field.of("SystemModstamp", "system_modified_at", TIMESTAMP, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("contact_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    return crmVersionAt("system_modified_at", "last_modified_at");
  }
}
