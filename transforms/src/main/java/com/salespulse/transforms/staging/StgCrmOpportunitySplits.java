package com.salespulse.transforms.staging;

import static com.salespulse.transforms.staging.Field.Kind.*;
import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** Builds {@code stg_crm__opportunity_splits}: current state of each OpportunitySplit (optional object), one row per opportunity_split_id. */
public final class StgCrmOpportunitySplits extends StagingTable {

  @Override
  public String name() {
    return "stg_crm__opportunity_splits";
  }

  @Override
  public List<Field> fields() {
    return List.of(
        Field.string("Id", "opportunity_split_id", true),
        Field.string("OpportunityId", "opportunity_id", true),
        Field.string("SplitOwnerId", "split_owner_user_id", true),
        Field.of("SplitPercentage", "split_percentage", PERCENT, true),
        Field.of("SplitAmount", "split_amount", MONEY, false),
        Field.flag("IsDeleted", "is_deleted"),
        Field.of("LastModifiedDate", "last_modified_at", TIMESTAMP, false));
  }

  @Override
  public List<String> keyColumns() {
    return List.of("opportunity_split_id");
  }

  @Override
  protected Map<String, Column> derivedColumns() {
    return crmVersionAt("last_modified_at");
  }

  @Override
  protected List<Column> rowRules() {
    return List.of(when(not(col("split_percentage").between(0, 100)),
        lit("field 'SplitPercentage': expected a percentage from 0 to 100")));
  }
}
