package com.salespulse.transforms.staging;

/** Builds {@code stg_crm__opportunity_versions}: one row per Opportunity version (stage, owner, amount over time). */
public final class StgCrmOpportunityVersions extends VersionsTable {

  public StgCrmOpportunityVersions() {
    super(new StgCrmOpportunities());
  }

  @Override
  public String name() {
    return "stg_crm__opportunity_versions";
  }
}
