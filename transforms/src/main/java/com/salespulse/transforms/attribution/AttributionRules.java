package com.salespulse.transforms.attribution;

import java.util.List;

/**
 * Everything attribution decides with, from configuration: the company's domains, free-mail
 * domains, the org timezone, the candidate window, the configured evidence weights (used when no
 * learned model is available, and for the first-pass thread pick), how far back conversation
 * continuity looks, how often a logged CRM link names the wrong deal, and the smallest credit
 * weight worth a row. {@code ruleVersion} is stamped on every output row, so a change of settings
 * is visible in the data.
 */
public record AttributionRules(
    List<String> internalDomains,
    List<String> freemailDomains,
    String timezone,
    int windowDays,
    double weightAccount,
    double weightContactRole,
    double weightPrimaryContact,
    double weightOwner,
    double weightSubject,
    double weightThread,
    double weightOpen,
    double splitMargin,
    int splitCap,
    String ruleVersion,
    double misLogRate,
    int continuityDays,
    double minCreditWeight) {

  public static final String INTERNAL_DOMAINS = "org.internal-domains";
  public static final String FREEMAIL_DOMAINS = "org.freemail-domains";
  public static final String TIMEZONE = "org.timezone";
  public static final String RULE_VERSION = "attribution.rule-version";
  public static final String WINDOW_DAYS = "attribution.window-days";
  public static final String WEIGHT = "attribution.weight.";
  public static final String SPLIT_MARGIN = "attribution.split-margin";
  public static final String SPLIT_CAP = "attribution.split-cap";
  public static final String MISLOG_RATE = "attribution.mislog-rate";
  public static final String CONTINUITY_DAYS = "attribution.continuity-days";
  public static final String MIN_CREDIT_WEIGHT = "attribution.min-credit-weight";

  /** The rules from configuration (defaults in conf/local.properties), range-checked. */
  public static AttributionRules from(com.salespulse.transforms.ConfigValues c) {
    List<String> internal = c.list(INTERNAL_DOMAINS);
    if (internal.isEmpty()) {
      throw new IllegalArgumentException("Cannot set " + INTERNAL_DOMAINS + " to nothing: attribution needs the "
          + "company's own email domains to tell reps from customers");
    }
    double maxWeight = 1000;
    return new AttributionRules(internal, c.list(FREEMAIL_DOMAINS), c.timezone(TIMEZONE),
        c.integer(WINDOW_DAYS, 0, 3650),
        c.decimal(WEIGHT + "account", 0, maxWeight),
        c.decimal(WEIGHT + "contact-role", 0, maxWeight),
        c.decimal(WEIGHT + "primary-contact", 0, maxWeight),
        c.decimal(WEIGHT + "owner", 0, maxWeight),
        c.decimal(WEIGHT + "subject", 0, maxWeight),
        c.decimal(WEIGHT + "thread", 0, maxWeight),
        c.decimal(WEIGHT + "open", 0, maxWeight),
        c.decimal(SPLIT_MARGIN, 0, maxWeight),
        c.integer(SPLIT_CAP, 1, 100),
        c.text(RULE_VERSION),
        openShare(c, MISLOG_RATE),
        c.integer(CONTINUITY_DAYS, 0, 3650),
        c.decimal(MIN_CREDIT_WEIGHT, 0, 1));
  }

  /** A share strictly between 0 and 1 (the odds of a logged link need both outcomes possible). */
  private static double openShare(com.salespulse.transforms.ConfigValues c, String key) {
    double v = c.decimal(key, 0, 1);
    if (v == 0 || v == 1) {
      throw new IllegalArgumentException("Cannot set " + key + " to " + v + ": must be strictly between 0 and 1");
    }
    return v;
  }
}
