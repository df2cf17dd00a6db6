package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** Builds {@code stg_crm__opportunity_contact_roles}: current state of each OpportunityContactRole, one row per opportunity_contact_role_id. */
public final class StgCrmOpportunityContactRoles extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__opportunity_contact_roles";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "opportunity_contact_role_id", true),
        Field.string("OpportunityId", "opportunity_id", true),
        Field.string("ContactId", "contact_id", true),
        Field.string("Role", "contact_role", false),
        Field.flag("IsPrimary", "is_primary"),
        Field.flag("IsDeleted", "is_deleted"),
        Field.of("LastModifiedDate", "last_modified_at", TIMESTAMP, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("opportunity_contact_role_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    return crmVersionAt("last_modified_at");
  }
}
