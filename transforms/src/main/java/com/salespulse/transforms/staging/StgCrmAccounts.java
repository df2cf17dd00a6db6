package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** Builds {@code stg_crm__accounts}: current state of each CRM Account, one row per account_id. */
public final class StgCrmAccounts extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__accounts";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "account_id", true),
        Field.string("Name", "account_name", true),
        Field.string("Website", "website", false),
        Field.string("Industry", "industry", false),
        Field.string("Type", "account_type", false),
        Field.string("ParentId", "parent_account_id", false),
        Field.string("OwnerId", "owner_user_id", false),
        Field.flag("IsDeleted", "is_deleted"),
        Field.of("LastModifiedDate", "last_modified_at", TIMESTAMP, true),
        Field.of("SystemModstamp", "system_modified_at", TIMESTAMP, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("account_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    Map<String, Column> derived = new LinkedHashMap<>();
    derived.put("website_domain", websiteDomain(col("website")));
    derived.putAll(crmVersionAt("system_modified_at", "last_modified_at"));
    return derived;
  }

  /** Bare host of a website: no scheme, credentials, port, path or leading {@code www.}. */
  public static Column websiteDomain(Column website) {
    Column host = regexp_extract(lower(trim(website)),
        "^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/]*@)?([^/:?#\\s]+)", 1);
    Column bare = regexp_replace(regexp_replace(host, "^www\\d*\\.", ""), "\\.$", "");
    return when(bare.contains("."), bare);
  }
}
