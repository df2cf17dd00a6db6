package com.salespulse.transforms.rollup;

/**
 * Everything the rollups decide with, from configuration: the org timezone and fiscal calendar,
 * the quota period, and the thresholds of the deal risk flags and the rep early warning.
 */
public record RollupRules(
    String timezone,
    int fiscalYearStartMonth,
    String quotaPeriod,
    int engagementWindowDays,
    int staleDays,
    int ghostedDays,
    int singleThreadedMaxContacts,
    double stalledStageRatio,
    int slippingPushes,
    int closingWithoutMeetingDays,
    double paceRatioAtRisk,
    double coverageAtRisk) {

  public RollupRules {
    if (fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12) {
      throw new IllegalArgumentException("Cannot use fiscal year start month " + fiscalYearStartMonth + ": must be 1-12");
    }
    if (!quotaPeriod.equals("month") && !quotaPeriod.equals("quarter")) {
      throw new IllegalArgumentException("Cannot use quota period " + quotaPeriod + ": must be month or quarter");
    }
  }

  /** The defaults documented in the README (also in conf/local.properties). */
  public static RollupRules defaults(String timezone) {
    return new RollupRules(timezone, 1, "quarter", 30, 14, 7, 1, 1.5, 2, 14, 0.6, 1.0);
  }
}
