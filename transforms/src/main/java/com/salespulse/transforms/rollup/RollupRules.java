package com.salespulse.transforms.rollup;

/**
 * Everything the rollups decide with, from configuration: the org timezone and fiscal calendar,
 * the quota period, the thresholds of the deal risk flags and the rep early warning, and the
 * currency won, lost and pipeline amounts are added up in.
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
    double coverageAtRisk,
    com.salespulse.transforms.CurrencyConversion currencies) {

  public RollupRules {
    if (fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12) {
      throw new IllegalArgumentException("Cannot use fiscal year start month " + fiscalYearStartMonth + ": must be 1-12");
    }
    if (!quotaPeriod.equals("month") && !quotaPeriod.equals("quarter")) {
      throw new IllegalArgumentException("Cannot use quota period " + quotaPeriod + ": must be month or quarter");
    }
  }

  public static final String FISCAL_YEAR_START_MONTH = "rollup.fiscal-year-start-month";
  public static final String QUOTA_PERIOD = "rollup.quota-period";
  public static final String ENGAGEMENT_WINDOW_DAYS = "rollup.engagement-window-days";
  public static final String STALE_DAYS = "rollup.stale-days";
  public static final String GHOSTED_DAYS = "rollup.ghosted-days";
  public static final String SINGLE_THREADED_MAX_CONTACTS = "rollup.single-threaded-max-contacts";
  public static final String STALLED_STAGE_RATIO = "rollup.stalled-stage-ratio";
  public static final String SLIPPING_PUSHES = "rollup.slipping-pushes";
  public static final String CLOSING_WITHOUT_MEETING_DAYS = "rollup.closing-without-meeting-days";
  public static final String PACE_RATIO_AT_RISK = "rollup.pace-ratio-at-risk";
  public static final String COVERAGE_AT_RISK = "rollup.coverage-at-risk";

  /** The rules from configuration (defaults in conf/local.properties), range-checked. */
  public static RollupRules from(com.salespulse.transforms.ConfigValues c) {
    return new RollupRules(c.timezone(com.salespulse.transforms.attribution.AttributionRules.TIMEZONE),
        c.integer(FISCAL_YEAR_START_MONTH, 1, 12),
        c.choice(QUOTA_PERIOD, "month", "quarter"),
        c.integer(ENGAGEMENT_WINDOW_DAYS, 1, 3650),
        c.integer(STALE_DAYS, 1, 3650),
        c.integer(GHOSTED_DAYS, 1, 3650),
        c.integer(SINGLE_THREADED_MAX_CONTACTS, 0, 1000),
        c.decimal(STALLED_STAGE_RATIO, 0, 1000),
        c.integer(SLIPPING_PUSHES, 1, 1000),
        c.integer(CLOSING_WITHOUT_MEETING_DAYS, 0, 3650),
        c.decimal(PACE_RATIO_AT_RISK, 0, 1000),
        c.decimal(COVERAGE_AT_RISK, 0, 1000),
        com.salespulse.transforms.CurrencyConversion.from(c));
  }
}
