package com.salespulse.jobs;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's SparkSession: Delta's extension and catalog, then the {@code spark.*} settings of the
 * configuration ({@code conf/local.properties} overlaid with {@code --conf}). A setting that
 * {@code spark-submit} already passed (a {@code spark.*} system property) is left as the submitter
 * set it, and a session already running in this JVM (an embedding application, the tests) is used
 * as it is.
 */
public final class SparkSessions {

  private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

  /** Settings the job cannot run without; everything else comes from configuration. */
  static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  static final String TIMEZONE = "spark.sql.session.timeZone";

  private SparkSessions() {}

  public static SparkSession create(Settings settings, String appName) {
    scala.Option<SparkSession> running = SparkSession.getDefaultSession();
    if (running.isDefined()) {
      checkTimezone(running.get().conf().get(TIMEZONE), "the running SparkSession");
      return running.get();
    }
    warmCaseMappings();
    SparkSession.Builder b = SparkSession.builder()
        .appName(appName)
        .config("spark.sql.extensions", DELTA_EXTENSION)
        .config("spark.sql.catalog.spark_catalog", DELTA_CATALOG);
    settings.sparkSettings().forEach((k, v) -> {
      String submitted = System.getProperty(k);
      if (submitted == null) {
        b.config(k, v);
      } else if (!submitted.equals(v)) {
        LOG.info("Keeping {} as spark-submit passed it (the configuration says otherwise)", k);
      }
    });
    SparkSession spark = b.getOrCreate();
    checkTimezone(spark.conf().get(TIMEZONE), "spark-submit or the configuration");
    return spark;
  }

  /**
   * Spark's ICU case mappings ({@code lower}, {@code upper} on strings, which staging and the currency
   * checks use) build their tables once per JVM, on the first string they map: 2 to 5 s of one core,
   * which the first query using them otherwise waits for. Built here on a daemon thread while the
   * session starts instead (the same tables, so the same results); a query that needs them sooner
   * waits for the class to finish initialising, as it would have anyway.
   */
  private static void warmCaseMappings() {
    Thread t = new Thread(() -> {
      try {
        Class.forName("org.apache.spark.sql.catalyst.util.CollationAwareUTF8String", true,
            SparkSessions.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        LOG.debug("Case mappings not prepared ahead: {}", e.toString());
      }
    }, "salespulse-warm-case-mappings");
    t.setDaemon(true);
    t.start();
  }

  /** Timestamps are stored and compared in UTC; org-timezone cuts happen explicitly. */
  private static void checkTimezone(String tz, String source) {
    if (!"UTC".equals(tz) && !"Etc/UTC".equals(tz)) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot run with " + TIMEZONE + "=" + tz + " (from " + source
          + "): SalesPulse stores and compares timestamps in UTC; set it to UTC and the org's zone in org.timezone");
    }
  }
}
