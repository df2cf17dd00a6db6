package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** Builds {@code stg_crm__forecasting_quotas}: current state of each ForecastingQuota, one row per forecasting_quota_id. */
public final class StgCrmForecastingQuotas extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__forecasting_quotas";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "forecasting_quota_id", true),
        Field.string("QuotaOwnerId", "quota_owner_user_id", true),
        Field.of("StartDate", "period_start_date", DATE, true),
        Field.of("QuotaAmount", "quota_amount", MONEY, true),
        Field.of("LastModifiedDate", "last_modified_at", TIMESTAMP, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("forecasting_quota_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    return crmVersionAt("last_modified_at");
  }
}
