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

  /** The defaults documented in the README (also in conf/local.properties). */
  public static AttributionRules defaults(List<String> internalDomains, List<String> freemailDomains, String timezone) {
    return new AttributionRules(internalDomains, freemailDomains, timezone, 14, 1.0, 3.0, 1.5, 2.0, 5.0, 4.0, 0.5,
        1.0, 3, "v2", 0.05, 180, 0.05);
  }
}
