package com.salespulse.transforms;

import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of a test JVM. The build runs these tests in the jobs module's test
 * JVM (jobs/pom.xml: one JIT warm-up for the whole suite), whose session carries Delta's extension
 * and the jobs tests' settings: there a {@link Shared} service supplies that session, so that
 * whichever test asks first, the JVM has one session and it is the jobs tests' one. Run on their own
 * (an IDE), these tests build the session below.
 */
public final class TestSpark {

  /** The session of a test JVM that runs these tests beside others (a service: META-INF/services). */
  public interface Shared extends Supplier<SparkSession> {}

  private static SparkSession spark;

  private TestSpark() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      Iterator<Shared> shared = ServiceLoader.load(Shared.class).iterator();
      spark = shared.hasNext() ? shared.next().get() : own();
    }
    return spark;
  }

  private static SparkSession own() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("salespulse-transforms-tests")
        .config("spark.sql.session.timeZone", "UTC")
        // sized for tiny hand-built data (as the jobs tests' TestSupport.TEST_SPARK): one shuffle
        // partition, no adaptive re-planning, expressions interpreted rather than compiled
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        // Spark sizes its sort and aggregation pages from the heap (64 MB with the tests' 8 GB), and
        // every sort, join and aggregate of a few rows allocated and zeroed one: 1 MB pages hold them
        .config("spark.buffer.pageSize", "1m")
        // one partition per leaf of tiny data: each task pays its closures' deserialisation and its
        // projections' code generation (as TestSupport.TEST_SPARK in the jobs tests)
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        // as in conf/local.properties: the text of large plans (posted to listeners even without a UI)
        // can take more memory than the data
        .config("spark.sql.maxPlanStringLength", "200000")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }
}
