package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drops read and the warehouse written through s3a:// against a real S3-compatible server. Its tests
 * use prefixes of their own on the one server: they may run at the same time, on both of the test
 * JVM's lanes.
 */
@Execution(ExecutionMode.CONCURRENT)
class S3EndToEndTest {

  @TempDir
  static Path tmp;
  static S3Server s3;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Server.start(tmp);
    for (String bucket : List.of("drops", "warehouse")) {
      s3.createBucket(bucket);
      s3.configure(TestSupport.spark().sparkContext().hadoopConfiguration(), bucket);
    }
    closeS3aFileSystems();
  }

  /**
   * Drops this class's s3a file systems from Hadoop's per-JVM cache (the next use builds them from the
   * configuration as it is then); the other file systems are in use by the tests running beside this one.
   */
  static void closeS3aFileSystems() throws java.io.IOException {
    org.apache.hadoop.conf.Configuration conf = TestSupport.spark().sparkContext().hadoopConfiguration();
    for (String bucket : List.of("drops", "warehouse")) {
      FileSystem.get(java.net.URI.create("s3a://" + bucket + "/"), conf).close();
    }
  }

  @AfterAll
  static void stopServer() throws java.io.IOException {
    // no configured s3a file system outlives this class in Hadoop's per-JVM cache
    closeS3aFileSystems();
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void exampleDropUploadedWithTheSdkIsIngestedThroughS3a() throws Exception {
    s3.upload(TestSupport.exampleDrop(), "drops", "example");
    assertThat(s3.keys("drops", "example/crm/User/")).as("uploaded objects")
        .contains("example/crm/User/dt=2026-11-25/User.csv", "example/crm/User/dt=2026-11-25/_SUCCESS");
    String warehouse = "s3a://warehouse/example";
    TestSupport.run(ExitCode.SUCCESS, "nightly", "--run-date", "2026-11-25", "--input-root", "s3a://drops/example",
        "--warehouse", warehouse);
    Row audit = TestSupport.lastAudit(warehouse, "2026-11-25");
    Map<String, Long> staged = audit.<Row>getList(audit.fieldIndex("dataset_counts")).stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(4)));
    assertThat(staged).as("staged per dataset through S3").containsEntry("crm/Contact", 12L)
        .containsEntry("comms/email", 18L).containsEntry("comms/meeting", 5L).containsEntry("comp/payout", 4L);
    assertThat(TestSupport.table(warehouse, "stg_crm__opportunities").count()).as("opportunities in the S3 warehouse").isEqualTo(5);
    for (String fact : List.of("fct_activities", "fct_rep_performance", "fct_opportunity_engagement_daily",
        "fct_incentive_payouts")) {
      assertThat(TestSupport.table(warehouse, fact).count()).as("%s written through s3a by the nightly", fact).isPositive();
    }
    assertThat(s3.keys("warehouse", "example/stg_crm__users/_delta_log/")).as("Delta log objects written to S3")
        .anyMatch(k -> k.endsWith("00000000000000000000.json"));
    assertThat(TestSupport.stdout("sql", "--warehouse", warehouse, "-e", "SELECT count(*) AS n FROM stg_comms__calls"))
        .as("sql over the S3 warehouse").isEqualTo("n\r\n11\r\n");
  }

  @Test
  void generatedDropsWrittenThroughS3aHoldWhatTheGeneratorWritesLocally() throws java.io.IOException {
    // generate's endpoint, path style and credentials come only from its --conf file (a fresh Hadoop
    // configuration would not reach the local server): nothing is borrowed from another test's cache
    Path conf = tmp.resolve("generate-s3.properties");
    java.nio.file.Files.writeString(conf, s3.settingsFile("drops"));
    String[] org = {"--start-date", "2026-11-02", "--days", "1", "--reps", "3", "--seed", "5"};
    TestSupport.run(ExitCode.SUCCESS, concat(new String[] {"generate", "--out", "s3a://drops/generated", "--conf",
        conf.toString()}, org));
    // the same org written to a folder (same seed, same bytes): every file is an object with its bytes, and
    // nothing else is there. Reading drops through s3a is the example drop's nightly, above.
    Path local = tmp.resolve("generated");
    TestSupport.run(ExitCode.SUCCESS, concat(new String[] {"generate", "--out", local.toString()}, org));
    for (String tree : List.of("generated", "generated-truth")) {
      Map<String, String> expected = new java.util.TreeMap<>();
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(tmp.resolve(tree))) {
        for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
          expected.put(tree + "/" + tmp.resolve(tree).relativize(f).toString().replace('\\', '/'),
              base64(java.nio.file.Files.readAllBytes(f)));
        }
      }
      Map<String, String> objects = new java.util.TreeMap<>();
      for (String key : s3.keys("drops", tree + "/")) {
        objects.put(key, base64(s3.client().getObjectAsBytes(b -> b.bucket("drops").key(key)).asByteArray()));
      }
      assertThat(expected).as("%s: the files written locally", tree).isNotEmpty();
      assertThat(objects).as("%s: the objects written through s3a, key by key", tree).isEqualTo(expected);
    }
    assertThat(s3.keys("drops", "generated/comms/email/dt=2026-11-02/")).as("a dataset's success marker")
        .contains("generated/comms/email/dt=2026-11-02/_SUCCESS");
  }

  /** A file's bytes as text that compares by value (some generated files are Parquet). */
  static String base64(byte[] bytes) {
    return java.util.Base64.getEncoder().encodeToString(bytes);
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The lease through s3a: of runs racing for it, exactly one gets it each round (S3A's conditional
   * create, a PUT with If-None-Match, against a server that honours it).
   */
  @Test
  void ofRunsRacingForTheLeaseOnS3ExactlyOneGetsItEachRound() throws Exception {
    org.apache.hadoop.conf.Configuration conf = TestSupport.spark().sparkContext().hadoopConfiguration();
    String root = "s3a://warehouse/lease-race";
    assertThat(new org.apache.hadoop.fs.Path(root).getFileSystem(conf).hasPathCapability(
        new org.apache.hadoop.fs.Path(root), "fs.option.create.conditional.overwrite"))
        .as("s3a creates a file only if absent").isTrue();
    com.salespulse.jobs.io.LeaseRace.assertOneHolderPerRound(root, conf, 10);
  }
}
