package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** Builds {@code stg_crm__opportunities}: current state of each CRM Opportunity, one row per opportunity_id. */
public final class StgCrmOpportunities extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__opportunities";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "opportunity_id", true),
        Field.string("AccountId", "account_id", false),
        Field.string("OwnerId", "owner_user_id", true),
        Field.string("Name", "opportunity_name", true),
        Field.string("StageName", "stage_name", true),
        Field.of("Amount", "amount", MONEY, false),
        Field.string("CurrencyIsoCode", "currency_code", false),
        Field.of("CloseDate", "close_date", DATE, true),
        Field.of("IsClosed", "is_closed", BOOLEAN, true),
        Field.of("IsWon", "is_won", BOOLEAN, true),
        Field.of("Probability", "probability", PERCENT, false),
        Field.string("ForecastCategoryName", "forecast_category_name", false),
        Field.string("Type", "opportunity_type", false),
        Field.of("CreatedDate", "created_at", TIMESTAMP, true),
        Field.flag("IsDeleted", "is_deleted"),
        Field.of("LastModifiedDate", "last_modified_at", TIMESTAMP, true),
        Field.of("SystemModstamp", "system_modified_at", TIMESTAMP, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("opportunity_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    return crmVersionAt("system_modified_at", "last_modified_at");
  }

  @Override
  protected List<Column> rowRules() {
    return List.of(when(col("is_won").and(not(col("is_closed"))),
        lit("fields 'IsWon'/'IsClosed': a won opportunity must be closed")));
  }
}
