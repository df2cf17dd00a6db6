package com.salespulse.transforms.staging;

/** Builds {@code stg_crm__user_versions}: one row per User version (manager, role, ... over time). */
public final class StgCrmUserVersions extends VersionsTable {

  public StgCrmUserVersions() {
    super(new StgCrmUsers());
  }

  @Override
  public String name() {
    return "stg_crm__user_versions";
  }
}
