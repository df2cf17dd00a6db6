package com.salespulse.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  public static final String INTERNAL_DOMAINS = com.salespulse.transforms.attribution.AttributionRules.INTERNAL_DOMAINS;
  public static final String FREEMAIL_DOMAINS = com.salespulse.transforms.attribution.AttributionRules.FREEMAIL_DOMAINS;
  public static final String TIMEZONE = com.salespulse.transforms.attribution.AttributionRules.TIMEZONE;
  public static final String COUNTRY_CODE = "org.default-country-code";
  public static final String MAX_QUARANTINE_SHARE = "ingest.max-quarantine-share";
  public static final String PARALLELISM = "ingest.parallelism";
  public static final String ROWS_PER_FILE = "warehouse.rows-per-file";
  public static final String STAGING_ROWS_PER_FILE = "warehouse.staging-rows-per-file";
  public static final String LEASE_STALE_AFTER = "lease.stale-after-seconds";
  public static final String PSEUDONYMISE = "privacy.pseudonymise-external";
  public static final String TIME_TRAVEL_DAYS = "maintain.time-travel-days";
  public static final String VACUUM_RETENTION_DAYS = "maintain.vacuum-retention-days";
  public static final String KEY_ENV = "privacy.key-env";
  public static final String REPORT_NIGHTLY = "report.nightly";
  public static final String REPORT_PERIOD = "report.period";
  /** The periods a report can cover to date. */
  public static final List<String> REPORT_PERIODS = List.of("quarter", "month");
  /** The shortest pseudonymisation key accepted (characters). */
  static final int MIN_KEY_LENGTH = 32;
  public static final String REATTRIBUTION_DAYS = "attribution.reattribution-window-days";
  public static final String LEARN = "attribution.learn";
  public static final String TRAINING_DAYS = "attribution.training-days";
  public static final String MIN_TRAINING_LABELS = "attribution.min-training-labels";
  public static final String RETRAIN_EVERY_DAYS = "attribution.retrain-every-days";
  public static final String COMPILE_FROM_CANDIDATES = "attribution.compile-from-candidates";

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

  /** The configuration as typed, range-checked values (every default in conf/local.properties). */
  public com.salespulse.transforms.ConfigValues values() {
    return new com.salespulse.transforms.ConfigValues(values);
  }

  private com.salespulse.transforms.attribution.AttributionRules attribution;
  private com.salespulse.transforms.rollup.RollupRules rollup;
  private com.salespulse.transforms.reconcile.ReconcileRules reconcile;

  /**
   * Reads and checks every setting a run uses, once, so a wrong value fails before any work with
   * "Cannot set KEY to VALUE: reason" (exit code 64).
   */
  public Settings validate() {
    typed(() -> {
      attribution = com.salespulse.transforms.attribution.AttributionRules.from(values());
      rollup = com.salespulse.transforms.rollup.RollupRules.from(values());
      reconcile = com.salespulse.transforms.reconcile.ReconcileRules.from(values());
      maxQuarantineShare();
      parallelism();
      rowsPerFile();
      stagingRowsPerFile();
      countryCode();
      reattributionDays();
      learning();
      leaseStaleAfter();
      privacy();
      retention();
      reportNightly();
      reportPeriod();
      return null;
    });
    return this;
  }

  /** Whether the nightly ends with the report step. */
  public boolean reportNightly() {
    return typed(() -> values().bool(REPORT_NIGHTLY));
  }

  /** The period the nightly's report covers to date. */
  public String reportPeriod() {
    return typed(() -> values().choice(REPORT_PERIOD, REPORT_PERIODS.toArray(String[]::new)));
  }

  /** Runs a typed read, turning a bad value into a usage error. */
  static <T> T typed(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new SalesPulseException(ExitCode.USAGE, e.getMessage());
    }
  }

  /** A dataset quarantining a larger share of its rows fails the run. */
  public double maxQuarantineShare() {
    return typed(() -> values().decimal(MAX_QUARANTINE_SHARE, 0, 1));
  }

  /** Datasets read and staged at once; independent rollup writes at once. */
  public int parallelism() {
    return typed(() -> values().integer(PARALLELISM, 1, 256));
  }

  /** The most rows a data file of a table clustered by date holds (the fact tables). */
  public long rowsPerFile() {
    return typed(() -> (long) values().integer(ROWS_PER_FILE, 100, 1_000_000_000));
  }

  /** The most rows a data file of a staging table clustered by date holds (records sent again are recent). */
  public long stagingRowsPerFile() {
    return typed(() -> (long) values().integer(STAGING_ROWS_PER_FILE, 100, 1_000_000_000));
  }

  /** How long a run's lease of the warehouse lasts without renewal (a dead run's lease is then taken over). */
  public java.time.Duration leaseStaleAfter() {
    return java.time.Duration.ofSeconds(typed(() -> values().integer(LEASE_STALE_AFTER, 5, 86_400)));
  }

  /**
   * Whether ingest pseudonymises outside people's addresses and numbers, and with which key: read
   * from the environment variable that privacy.key-env names, never from a file or the command line.
   */
  public IngestStep.Privacy privacy() {
    if (!typed(() -> values().bool(PSEUDONYMISE))) {
      return IngestStep.Privacy.OFF;
    }
    String envName = get(KEY_ENV);
    if (envName == null || !envName.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot set " + KEY_ENV + " to " + envName
          + ": must name an environment variable");
    }
    String secret = Environment.get(envName);
    if (secret == null || secret.length() < MIN_KEY_LENGTH) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot set " + PSEUDONYMISE + " to true: the environment variable "
          + envName + " holds no key of at least " + MIN_KEY_LENGTH + " characters (the key is read from the "
          + "environment only)");
    }
    return new IngestStep.Privacy(attributionRules().internalDomains(),
        com.salespulse.transforms.staging.Pseudonymise.key(secret));
  }

  /** How long old table versions stay readable (time travel) and their files kept by VACUUM. */
  public MaintainStep.Retention retention() {
    return typed(() -> {
      int travel = values().integer(TIME_TRAVEL_DAYS, 7, 3650);
      int vacuum = values().integer(VACUUM_RETENTION_DAYS, 7, 3650);
      if (vacuum < travel) {
        throw new IllegalArgumentException("Cannot set " + VACUUM_RETENTION_DAYS + " to " + vacuum + ": must be at least "
            + TIME_TRAVEL_DAYS + " (" + travel + "), the time travel finance relies on");
      }
      return new MaintainStep.Retention(travel, vacuum);
    });
  }

  /** Calling code given to phone numbers written without one. */
  public String countryCode() {
    return String.valueOf(typed(() -> values().integer(COUNTRY_CODE, 1, 999)));
  }

  /** Days of activity each run recomputes. */
  public int reattributionDays() {
    return typed(() -> values().integer(REATTRIBUTION_DAYS, 0, 3650));
  }

  /** Candidate deals of an attribute run from which its queries are compiled. */
  public long compileFromCandidates() {
    return typed(() -> (long) values().integer(COMPILE_FROM_CANDIDATES, 0, Integer.MAX_VALUE));
  }

  /** How the org's attribution model is kept. */
  public AttributeStep.Learning learning() {
    return typed(() -> {
      var v = values();
      return new AttributeStep.Learning(v.bool(LEARN), v.integer(TRAINING_DAYS, 1, 3650),
          v.integer(MIN_TRAINING_LABELS, 1, Integer.MAX_VALUE), v.integer(RETRAIN_EVERY_DAYS, 0, 3650));
    });
  }

  /** The attribution rules from configuration, checked. */
  public synchronized com.salespulse.transforms.attribution.AttributionRules attributionRules() {
    if (attribution == null) {
      attribution = typed(() -> com.salespulse.transforms.attribution.AttributionRules.from(values()));
    }
    return attribution;
  }

  /** The rollup rules from configuration, checked. */
  public synchronized com.salespulse.transforms.rollup.RollupRules rollupRules() {
    if (rollup == null) {
      rollup = typed(() -> com.salespulse.transforms.rollup.RollupRules.from(values()));
    }
    return rollup;
  }

  /** The reconciliation rules from configuration, checked. */
  public synchronized com.salespulse.transforms.reconcile.ReconcileRules reconcileRules() {
    if (reconcile == null) {
      reconcile = typed(() -> com.salespulse.transforms.reconcile.ReconcileRules.from(values()));
    }
    return reconcile;
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
