package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** Builds {@code stg_crm__opportunity_history}: one row per OpportunityHistory record (a stage, amount or close-date change). */
public final class StgCrmOpportunityHistory extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__opportunity_history";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "opportunity_history_id", true),
        Field.string("OpportunityId", "opportunity_id", true),
        Field.string("StageName", "stage_name", true),
        Field.of("Amount", "amount", MONEY, false),
        Field.of("CloseDate", "close_date", DATE, false),
        Field.of("Probability", "probability", PERCENT, false),
        Field.of("CreatedDate", "created_at", TIMESTAMP, true),
        Field.flag("IsDeleted", "is_deleted"));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("opportunity_history_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    return crmVersionAt("created_at");
  }
}
