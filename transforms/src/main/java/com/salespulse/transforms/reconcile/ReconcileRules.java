package com.salespulse.transforms.reconcile;

/**
 * Everything the incentive reconciliation decides with, from configuration ({@code reconcile.*}
 * and the org calendar).
 *
 * @param timezone org timezone: a paid date ends at midnight there
 * @param fiscalYearStartMonth first month of the fiscal year (quarters of the reconciliation table)
 * @param clawbackDays days after a paid deal leaves Closed Won before a missing clawback is an exception
 * @param wonNotPaidDays days after a won deal's close date before a credited person without a line is an exception
 * @param periodGraceDays days either side of a line's compensation period its deal may close in
 * @param splitTolerancePercent split percentages of a deal may add up to 100 plus this before credit_over_100
 * @param minActivityCredit an activity counts as work on a deal when the deal is its primary or gets at least this credit
 * @param currencies the currency paid amounts are added up in (the rollups' won amounts are in it too)
 */
public record ReconcileRules(
    String timezone,
    int fiscalYearStartMonth,
    int clawbackDays,
    int wonNotPaidDays,
    int periodGraceDays,
    double splitTolerancePercent,
    double minActivityCredit,
    com.salespulse.transforms.CurrencyConversion currencies) {

  public ReconcileRules {
    if (fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12) {
      throw new IllegalArgumentException("Cannot use fiscal year start month " + fiscalYearStartMonth + ": must be 1-12");
    }
    if (clawbackDays < 0 || wonNotPaidDays < 0 || periodGraceDays < 0) {
      throw new IllegalArgumentException("Cannot set reconcile.clawback-days, won-not-paid-days or period-grace-days to "
          + clawbackDays + ", " + wonNotPaidDays + ", " + periodGraceDays + ": days must be >= 0");
    }
    if (splitTolerancePercent < 0 || splitTolerancePercent >= 100) {
      throw new IllegalArgumentException("Cannot set reconcile.split-tolerance-percent to " + splitTolerancePercent
          + ": must be in [0, 100)");
    }
    if (minActivityCredit < 0 || minActivityCredit > 1) {
      throw new IllegalArgumentException("Cannot set reconcile.min-activity-credit to " + minActivityCredit
          + ": must be a credit weight in [0, 1]");
    }
  }

  public static final String CLAWBACK_DAYS = "reconcile.clawback-days";
  public static final String WON_NOT_PAID_DAYS = "reconcile.won-not-paid-days";
  public static final String PERIOD_GRACE_DAYS = "reconcile.period-grace-days";
  public static final String SPLIT_TOLERANCE_PERCENT = "reconcile.split-tolerance-percent";
  public static final String MIN_ACTIVITY_CREDIT = "reconcile.min-activity-credit";

  /** The rules from configuration (defaults in conf/local.properties), range-checked. */
  public static ReconcileRules from(com.salespulse.transforms.ConfigValues c) {
    return new ReconcileRules(c.timezone(com.salespulse.transforms.attribution.AttributionRules.TIMEZONE),
        c.integer(com.salespulse.transforms.rollup.RollupRules.FISCAL_YEAR_START_MONTH, 1, 12),
        c.integer(CLAWBACK_DAYS, 0, 3650),
        c.integer(WON_NOT_PAID_DAYS, 0, 3650),
        c.integer(PERIOD_GRACE_DAYS, 0, 3650),
        c.decimal(SPLIT_TOLERANCE_PERCENT, 0, 99.99),
        c.decimal(MIN_ACTIVITY_CREDIT, 0, 1),
        com.salespulse.transforms.CurrencyConversion.from(c));
  }
}
