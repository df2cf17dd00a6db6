package com.salespulse.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Configuration: the embedded defaults ({@code conf/local.properties}), then a {@code --conf}
 * file, then command-line options. Keys starting with {@code spark.} go to the SparkSession.
 * Secrets are never read from here: S3 credentials come from the AWS default provider chain.
 */
public final class Settings {

  public static final String INPUT_ROOT = "salespulse.input-root";
  public static final String WAREHOUSE = "salespulse.warehouse";
  public static final String INTERNAL_DOMAINS = "org.internal-domains";
  public static final String FREEMAIL_DOMAINS = "org.freemail-domains";
  public static final String TIMEZONE = "org.timezone";
  public static final String COUNTRY_CODE = "org.default-country-code";
  public static final String MAX_QUARANTINE_SHARE = "ingest.max-quarantine-share";
  public static final String PARALLELISM = "ingest.parallelism";
  public static final String REATTRIBUTION_DAYS = "attribution.reattribution-window-days";
  public static final String LEARN = "attribution.learn";
  public static final String TRAINING_DAYS = "attribution.training-days";
  public static final String MIN_TRAINING_LABELS = "attribution.min-training-labels";
  public static final String RETRAIN_EVERY_DAYS = "attribution.retrain-every-days";

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = values;
  }

  /** Defaults, overlaid with the file (may be null) and then the overrides. */
  public static Settings load(Path confFile, Map<String, String> overrides) {
    Map<String, String> merged = new TreeMap<>();
    try (InputStream in = Settings.class.getResourceAsStream("/conf/local.properties")) {
      if (in == null) {
        throw new IllegalStateException("Cannot load settings: conf/local.properties is missing from the jar");
      }
      merged.putAll(read(new java.io.InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot load settings: " + e.getMessage(), e);
    }
    if (confFile != null) {
      if (!Files.isRegularFile(confFile)) {
        throw new SalesPulseException(ExitCode.USAGE, "Cannot load settings: no such file " + confFile);
      }
      try (Reader r = Files.newBufferedReader(confFile, StandardCharsets.UTF_8)) {
        merged.putAll(read(r));
      } catch (IOException e) {
        throw new SalesPulseException(ExitCode.USAGE, "Cannot load settings from " + confFile + ": " + e.getMessage());
      }
    }
    overrides.forEach((k, v) -> {
      if (v != null) {
        merged.put(k, v);
      }
    });
    return new Settings(merged);
  }

  private static Map<String, String> read(Reader reader) throws IOException {
    Properties p = new Properties();
    p.load(reader);
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
    return out;
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot read setting " + key + ": it is not set");
    }
    return v;
  }

  public String get(String key, String fallback) {
    String v = values.get(key);
    return v == null || v.isBlank() ? fallback : v;
  }

  public double getDouble(String key) {
    try {
      return Double.parseDouble(get(key));
    } catch (NumberFormatException e) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot read setting " + key + ": not a number: " + get(key));
    }
  }

  public int getInt(String key) {
    try {
      return Integer.parseInt(get(key));
    } catch (NumberFormatException e) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot read setting " + key + ": not a whole number: " + get(key));
    }
  }

  public List<String> getList(String key) {
    return Arrays.stream(get(key, "").split(","))
        .map(s -> s.trim().toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** The attribution rules: defaults overlaid with any {@code attribution.*} setting. */
  public com.salespulse.transforms.attribution.AttributionRules attributionRules() {
    var d = com.salespulse.transforms.attribution.AttributionRules.defaults(
        getList(INTERNAL_DOMAINS), getList(FREEMAIL_DOMAINS), get(TIMEZONE, "UTC"));
    return new com.salespulse.transforms.attribution.AttributionRules(d.internalDomains(), d.freemailDomains(),
        d.timezone(),
        (int) number("attribution.window-days", d.windowDays()),
        number("attribution.weight.account", d.weightAccount()),
        number("attribution.weight.contact-role", d.weightContactRole()),
        number("attribution.weight.primary-contact", d.weightPrimaryContact()),
        number("attribution.weight.owner", d.weightOwner()),
        number("attribution.weight.subject", d.weightSubject()),
        number("attribution.weight.thread", d.weightThread()),
        number("attribution.weight.open", d.weightOpen()),
        number("attribution.split-margin", d.splitMargin()),
        (int) number("attribution.split-cap", d.splitCap()),
        get("attribution.rule-version", d.ruleVersion()),
        number("attribution.mislog-rate", d.misLogRate()),
        (int) number("attribution.continuity-days", d.continuityDays()),
        number("attribution.min-credit-weight", d.minCreditWeight()));
  }

  /** The attribution rules, with the range checks a wrong value would otherwise turn into silent nonsense. */
  public com.salespulse.transforms.attribution.AttributionRules checkedAttributionRules() {
    var r = attributionRules();
    if (!(r.misLogRate() > 0 && r.misLogRate() < 1)) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot set attribution.mislog-rate to " + r.misLogRate()
          + ": it must be a share strictly between 0 and 1");
    }
    if (!(r.minCreditWeight() >= 0 && r.minCreditWeight() <= 1)) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot set attribution.min-credit-weight to " + r.minCreditWeight()
          + ": it must be between 0 and 1");
    }
    if (r.continuityDays() < 0 || r.windowDays() < 0 || r.splitCap() < 1) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot set attribution.continuity-days, window-days or split-cap to "
          + r.continuityDays() + ", " + r.windowDays() + ", " + r.splitCap() + ": days must be >= 0 and the cap >= 1");
    }
    return r;
  }

  /** The rollup rules: defaults overlaid with any {@code rollup.*} setting. */
  public com.salespulse.transforms.rollup.RollupRules rollupRules() {
    var d = com.salespulse.transforms.rollup.RollupRules.defaults(get(TIMEZONE, "UTC"));
    try {
      return new com.salespulse.transforms.rollup.RollupRules(d.timezone(),
          (int) number("rollup.fiscal-year-start-month", d.fiscalYearStartMonth()),
          get("rollup.quota-period", d.quotaPeriod()).trim().toLowerCase(Locale.ROOT),
          (int) number("rollup.engagement-window-days", d.engagementWindowDays()),
          (int) number("rollup.stale-days", d.staleDays()),
          (int) number("rollup.ghosted-days", d.ghostedDays()),
          (int) number("rollup.single-threaded-max-contacts", d.singleThreadedMaxContacts()),
          number("rollup.stalled-stage-ratio", d.stalledStageRatio()),
          (int) number("rollup.slipping-pushes", d.slippingPushes()),
          (int) number("rollup.closing-without-meeting-days", d.closingWithoutMeetingDays()),
          number("rollup.pace-ratio-at-risk", d.paceRatioAtRisk()),
          number("rollup.coverage-at-risk", d.coverageAtRisk()));
    } catch (IllegalArgumentException e) {
      throw new SalesPulseException(ExitCode.USAGE, e.getMessage());
    }
  }

  /** The reconciliation rules: defaults overlaid with any {@code reconcile.*} setting. */
  public com.salespulse.transforms.reconcile.ReconcileRules reconcileRules() {
    var d = com.salespulse.transforms.reconcile.ReconcileRules.defaults(get(TIMEZONE, "UTC"));
    try {
      return new com.salespulse.transforms.reconcile.ReconcileRules(d.timezone(),
          (int) number("rollup.fiscal-year-start-month", d.fiscalYearStartMonth()),
          (int) number("reconcile.clawback-days", d.clawbackDays()),
          (int) number("reconcile.won-not-paid-days", d.wonNotPaidDays()),
          (int) number("reconcile.period-grace-days", d.periodGraceDays()),
          number("reconcile.split-tolerance-percent", d.splitTolerancePercent()),
          number("reconcile.min-activity-credit", d.minActivityCredit()));
    } catch (IllegalArgumentException e) {
      throw new SalesPulseException(ExitCode.USAGE, e.getMessage());
    }
  }

  private double number(String key, double fallback) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot read setting " + key + ": not a number: " + v);
    }
  }

  /**
   * A Hadoop configuration for commands that write files without Spark ({@code generate}): the
   * defaults with every {@code spark.hadoop.*} setting applied without its prefix, as Spark does.
   */
  public org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    values.forEach((k, v) -> {
      if (k.startsWith("spark.hadoop.")) {
        conf.set(k.substring("spark.hadoop.".length()), v);
      }
    });
    return conf;
  }

  /** Every {@code spark.*} setting, for the SparkSession builder. */
  public Map<String, String> sparkSettings() {
    Map<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith("spark.")) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** A URI for a setting that names a location: relative local paths become absolute file: URIs. */
  public String location(String key) {
    return Locations.absolute(get(key));
  }
}
