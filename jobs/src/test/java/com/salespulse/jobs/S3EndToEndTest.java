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
  void generatedDropsWrittenAndIngestedThroughS3a() throws java.io.IOException {
    // generate's endpoint, path style and credentials come only from its --conf file (a fresh Hadoop
    // configuration would not reach the local server): nothing is borrowed from another test's cache
    Path conf = tmp.resolve("generate-s3.properties");
    java.nio.file.Files.writeString(conf, s3.settingsFile("drops"));
    TestSupport.run(ExitCode.SUCCESS, "generate", "--out", "s3a://drops/generated", "--start-date", "2026-11-02",
        "--days", "1", "--reps", "3", "--seed", "5", "--conf", conf.toString());
    assertThat(s3.keys("drops", "generated/comms/email/dt=2026-11-02/")).as("generated objects")
        .contains("generated/comms/email/dt=2026-11-02/_SUCCESS");
    String warehouse = "s3a://warehouse/generated";
    // ingest, the step that reads the drops: every step writing through s3a is run by the example's nightly
    // (one date: a range of dates is the same reads, date by date)
    TestSupport.run(ExitCode.SUCCESS, "ingest", "--run-date", "2026-11-02", "--input-root", "s3a://drops/generated",
        "--warehouse", warehouse);
    Row audit = TestSupport.lastAudit(warehouse, "2026-11-02");
    assertThat(audit.<String>getAs("status")).as("status").isEqualTo("succeeded");
    for (Row c : audit.<Row>getList(audit.fieldIndex("dataset_counts"))) {
      assertThat(c.getLong(3)).as("conservation for %s", c.getString(0)).isEqualTo(c.getLong(4) + c.getLong(5) + c.getLong(6));
    }
    assertThat(TestSupport.table(warehouse, "stg_comms__emails").count()).as("emails staged").isPositive();
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
