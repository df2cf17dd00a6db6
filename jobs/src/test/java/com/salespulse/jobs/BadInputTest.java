package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input: quarantined with reasons, rejected above the threshold, missing columns, not landed.
 *
 * <p>Its tests share nothing (each its own drop and warehouse): they may run at the same time, on both
 * of the test JVM's lanes.
 */
@Execution(ExecutionMode.CONCURRENT)
class BadInputTest {

  static final String DAY = "2026-11-25";

  @TempDir
  Path tmp;

  /**
   * The example drop with records only in the datasets a test is about (the others land empty, so
   * ingest stages nothing for them: each test pays for its own datasets only).
   */
  Path drop(String... datasets) throws IOException {
    return TestSupport.exampleDropWithRecordsOnlyIn(tmp.resolve("drop"), datasets);
  }

  String warehouse() {
    return tmp.resolve("warehouse").toUri().toString().replaceAll("/$", "");
  }

  static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  Path conf(String maxShare) throws IOException {
    Path conf = tmp.resolve("test.properties");
    Files.writeString(conf, "ingest.max-quarantine-share=" + maxShare + "\n");
    return conf;
  }

  static final String[] CALLS_AND_EMAILS = {"comms/call", "comms/email"};

  Path badDrop() throws IOException {
    Path drop = drop(CALLS_AND_EMAILS);
    Path calls = drop.resolve("comms/call/dt=" + DAY + "/calls.csv");
    append(calls, "call000000000099AAA,2026-11-20T10:00:00Z,30,sideways,li.park@maventech.com,+17885079604,connected\n");
    append(calls, "call000000000098AAA,2026-11-20T10:00:00Z,30,outbound,li.park@maventech.com\n");
    Path emails = drop.resolve("comms/email/dt=" + DAY + "/part-0001.jsonl");
    append(emails, "{\"message_id\": \"<broken@x>\", \"sent_at\": \n");
    append(emails, "{\"message_id\": \"<m99@x>\", \"sent_at\": \"2026-02-30T10:00:00Z\", \"from\": \"li.park@maventech.com\", \"to\": [\"a@b.com\"]}\n");
    return drop;
  }

  @Test
  void badRowsAreQuarantinedWithFileRecordFieldAndReason() throws IOException {
    Path drop = badDrop();
    String[] args = {"ingest", "--run-date", DAY, "--input-root", drop.toString(), "--warehouse", warehouse(),
        "--conf", conf("0.5").toString()};
    TestSupport.run(ExitCode.SUCCESS, args);
    List<Row> q = TestSupport.table(warehouse(), "quarantine_records").orderBy("dataset", "record_number").collectAsList();
    assertThat(q).as("quarantined rows").hasSize(4);
    Row sideways = q.get(0);
    assertThat(sideways.<String>getAs("dataset")).as("dataset").isEqualTo("comms/call");
    assertThat(sideways.<String>getAs("source_file")).as("file").endsWith("comms/call/dt=2026-11-25/calls.csv");
    assertThat(sideways.<Long>getAs("record_number")).as("record number").isEqualTo(12L);
    assertThat(sideways.<String>getAs("field_name")).as("field").isEqualTo("direction");
    assertThat(sideways.<String>getAs("reason")).as("reason")
        .isEqualTo("field 'direction': expected one of outbound|inbound, got 'sideways'");
    assertThat(sideways.<String>getAs("raw_record")).as("raw text").contains("sideways");
    assertThat(q.get(1).<String>getAs("reason")).as("short CSV row").contains("has 5 fields, the header has 7");
    assertThat(q.get(2).<String>getAs("reason")).as("bad JSON").startsWith("malformed JSON at line 10");
    assertThat(q.get(2).<String>getAs("field_name")).as("unreadable record").isEqualTo("<record>");
    assertThat(q.get(3).<String>getAs("reason")).as("impossible date").startsWith("field 'sent_at': expected an ISO-8601 timestamp");

    Row audit = TestSupport.lastAudit(warehouse(), DAY);
    for (Row c : audit.<Row>getList(audit.fieldIndex("dataset_counts"))) {
      assertThat(c.getLong(3)).as("conservation for %s", c.getString(0)).isEqualTo(c.getLong(4) + c.getLong(5) + c.getLong(6));
    }
    assertThat(TestSupport.table(warehouse(), "stg_comms__calls").count()).as("good calls staged").isEqualTo(11);

    TestSupport.run(ExitCode.SUCCESS, args);
    assertThat(TestSupport.table(warehouse(), "quarantine_records").count()).as("a rerun replaces its quarantine rows").isEqualTo(4);
  }

  @Test
  void tooManyBadRowsRejectTheRunAndChangeNoStagingTable() throws IOException {
    Path drop = drop(CALLS_AND_EMAILS);
    String warehouse = warehouse();
    TestSupport.run(ExitCode.SUCCESS, "ingest", "--run-date", DAY, "--input-root", drop.toString(), "--warehouse", warehouse);
    Map<String, Long> before = TestSupport.versions(tmp.resolve("warehouse"));
    assertThat(before).as("the good run's staging tables").containsKeys("stg_comms__calls", "stg_comms__emails");

    Path bad = badDrop();
    TestSupport.run(ExitCode.INPUT_REJECTED, "ingest", "--run-date", DAY, "--input-root", bad.toString(), "--warehouse", warehouse);
    Map<String, Long> after = TestSupport.versions(tmp.resolve("warehouse"));
    // no commit at all (a table at the same Delta version holds the same rows), but the quarantine's
    assertThat(after.keySet()).as("tables after the rejected run").isEqualTo(before.keySet());
    for (String table : before.keySet()) {
      if (!table.equals("quarantine_records") && !table.equals(AuditRuns.NAME)) {
        assertThat(after.get(table)).as("%s: Delta version after a rejected run", table).isEqualTo(before.get(table));
      }
    }
    assertThat(TestSupport.table(warehouse, "quarantine_records").count()).as("the rejected rows are kept for inspection")
        .isEqualTo(4);
    Row audit = TestSupport.lastAudit(warehouse, DAY);
    assertThat(audit.<String>getAs("status")).as("status").isEqualTo("rejected");
    assertThat(audit.<Integer>getAs("exit_code")).as("exit code").isEqualTo(65);
    assertThat(audit.<String>getAs("message")).as("message names the datasets and why")
        .contains("comms/call quarantined 2 of 13 rows").contains("comms/email quarantined 2 of 20 rows").contains("1.00% allowed");
    List<Row> steps = audit.getList(audit.fieldIndex("steps"));
    assertThat(steps).as("the step that failed, recorded with its outcome and its commits").hasSize(1);
    assertThat(steps.get(0).<String>getAs("step")).as("step").isEqualTo("ingest");
    assertThat(steps.get(0).<String>getAs("status")).as("step status").isEqualTo("rejected");
    assertThat(steps.get(0).<Row>getList(steps.get(0).fieldIndex("tables_written")).stream().map(r -> r.getString(0)).toList())
        .as("its one commit: the quarantine rows").containsExactly("quarantine_records");
  }

  /** Rewrites each line of a gzipped CSV file. */
  static void rewriteGz(Path file, java.util.function.UnaryOperator<String> line) throws IOException {
    List<String> lines;
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
      out.write((String.join("\n", lines.stream().map(line).toList()) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aRetypedColumnQuarantinesItsRowsNamingTheFieldAndAnExtraColumnIsIgnoredWithAWarning() throws IOException {
    Path drop = drop("crm/Opportunity");
    // schema drift in the CRM export: Amount now text with a currency sign and thousands separator
    rewriteGz(drop.resolve("crm/Opportunity/dt=" + DAY + "/Opportunity.csv.gz"),
        l -> l.replaceFirst(",(\\d+)(\\d{3})\\.00,USD,", ",\"\\$$1,$2.00\",USD,"));
    String warehouse = warehouse();
    TestSupport.run(ExitCode.INPUT_REJECTED, "ingest", "--run-date", DAY, "--input-root", drop.toString(),
        "--warehouse", warehouse);
    List<Row> q = TestSupport.table(warehouse, "quarantine_records").where("dataset = 'crm/Opportunity'")
        .orderBy("record_number").collectAsList();
    assertThat(q).as("every retyped row quarantined, none staged with a null amount").hasSize(5);
    assertThat(q.get(0).<String>getAs("field_name")).as("the field named").isEqualTo("Amount");
    assertThat(q.get(0).<String>getAs("reason")).as("why")
        .isEqualTo("field 'Amount': expected a decimal number, got '$12,000.00'");
    assertThat(TestSupport.lastAudit(warehouse, DAY).<String>getAs("message")).as("the reject threshold tripped")
        .contains("crm/Opportunity quarantined 5 of 5 rows");
    assertThat(Files.exists(tmp.resolve("warehouse/stg_crm__opportunities/_delta_log"))
        && TestSupport.table(warehouse, "stg_crm__opportunities").count() > 0).as("nothing staged").isFalse();

    // a column the contract does not name: read around, with one warning per dataset and run
    Path clean = TestSupport.exampleDropWithRecordsOnlyIn(tmp.resolve("drop2"), "crm/Opportunity");
    boolean[] header = {true};
    rewriteGz(clean.resolve("crm/Opportunity/dt=" + DAY + "/Opportunity.csv.gz"), l -> {
      String out = l + (header[0] ? ",Region__c" : ",EMEA");
      header[0] = false;
      return out;
    });
    String w2 = tmp.resolve("warehouse2").toUri().toString();
    TestSupport.run(ExitCode.SUCCESS, "ingest", "--run-date", DAY, "--input-root", clean.toString(), "--warehouse", w2);
    assertThat(TestSupport.table(w2, "stg_crm__opportunities").count()).as("deals staged").isEqualTo(5);
    assertThat(TestSupport.table(w2, "stg_crm__opportunities").columns()).as("the extra column is not staged")
        .doesNotContain("Region__c", "region__c");
    Row audit = TestSupport.lastAudit(w2, DAY);
    assertThat(audit.<Row>getList(audit.fieldIndex("steps")).get(0).<String>getAs("detail"))
        .as("the ignored column recorded with the ingest step").endsWith(" ignored_columns=crm/Opportunity:Region__c");
  }

  @Test
  void aFileMissingARequiredColumnFailsTheRunNamingFileAndColumn() throws IOException {
    Path drop = drop("crm/User");
    Path users = drop.resolve("crm/User/dt=" + DAY + "/User.csv");
    List<String> lines = Files.readAllLines(users);
    Files.write(users, lines.stream().map(l -> l.replaceFirst("^([^,]*,[^,]*,[^,]*,[^,]*),[^,]*,", "$1,")).toList());
    String warehouse = warehouse();
    TestSupport.run(ExitCode.INPUT_REJECTED, "ingest", "--run-date", DAY, "--input-root", drop.toString(), "--warehouse", warehouse);
    Row audit = TestSupport.lastAudit(warehouse, DAY);
    assertThat(audit.<String>getAs("message")).as("message")
        .contains("Cannot ingest ").contains("crm/User/dt=2026-11-25/User.csv").contains("required column 'Email' is missing");
    assertThat(new com.salespulse.jobs.io.Warehouse(TestSupport.spark(), warehouse).tables())
        .as("no staging table was created").doesNotContain("stg_crm__users");
  }

  @Test
  void aDatasetWithoutSuccessMarkerIsNotLandedYet() throws IOException {
    Path drop = drop("comms/call");
    Files.delete(drop.resolve("comms/call/dt=" + DAY + "/_SUCCESS"));
    String warehouse = warehouse();
    TestSupport.run(ExitCode.NOT_LANDED, "nightly", "--run-date", DAY, "--input-root", drop.toString(), "--warehouse", warehouse);
    Row audit = TestSupport.lastAudit(warehouse, DAY);
    assertThat(audit.<String>getAs("status")).as("status").isEqualTo("not_landed");
    assertThat(audit.<String>getAs("message")).as("message").contains("comms/call/dt=2026-11-25 (no _SUCCESS yet)");
    TestSupport.run(ExitCode.NOT_LANDED, "nightly", "--run-date", "2026-11-26", "--input-root", drop.toString(), "--warehouse", warehouse);
  }

  @Test
  void badArgumentsExitWithUsage() {
    TestSupport.run(ExitCode.USAGE, "ingest", "--run-date", "25/11/2026");
    TestSupport.run(ExitCode.USAGE, "frobnicate");
    TestSupport.run(ExitCode.USAGE, "sql", "--warehouse", warehouse());
    TestSupport.run(ExitCode.SUCCESS, "nightly", "--help");
  }
}
