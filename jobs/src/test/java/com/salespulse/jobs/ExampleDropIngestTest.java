package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract's example drop, ingested from a local folder. */
class ExampleDropIngestTest {

  @TempDir
  static Path tmp;
  static String warehouse;

  static java.util.List<ExitCode> exits;

  /** Two runs of the date started at once into a new warehouse: one ingests, the other is refused. */
  @BeforeAll
  static void ingest() throws Exception {
    warehouse = tmp.resolve("warehouse").toUri().toString().replaceAll("/$", "");
    TestSupport.spark();
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.List<java.util.concurrent.Future<ExitCode>> runs = new java.util.ArrayList<>();
      for (int i = 0; i < 2; i++) {
        runs.add(two.submit(() -> {
          start.await();
          return SalesPulse.run(new String[] {"ingest", "--run-date", "2026-11-25",
              "--input-root", TestSupport.exampleDrop().toString(), "--warehouse", warehouse});
        }));
      }
      start.countDown();
      exits = new java.util.ArrayList<>();
      for (var r : runs) {
        exits.add(r.get());
      }
    } finally {
      two.shutdownNow();
    }
  }

  @Test
  void ofTwoRunsStartedAtOnceOneProceedsAndTheOtherIsRefusedBeforeAnyWork() {
    assertThat(exits).as("exit codes of two ingests started at once").containsExactlyInAnyOrder(ExitCode.SUCCESS,
        ExitCode.LOCKED);
    List<Row> audits = TestSupport.table(warehouse, AuditRuns.NAME).orderBy("status").collectAsList();
    assertThat(audits).as("both attempts recorded").extracting(r -> r.<String>getAs("status"))
        .containsExactly("locked", "succeeded");
    Row locked = audits.get(0);
    assertThat(locked.<String>getAs("message")).as("the refusal names the run holding the warehouse")
        .startsWith("Cannot run ingest for 2026-11-25: another run holds the warehouse: attempt "
            + audits.get(1).<String>getAs("attempt_id"));
    assertThat(locked.getList(locked.fieldIndex("steps"))).as("the refused attempt ran no step").isEmpty();
    assertThat(locked.getList(locked.fieldIndex("dataset_counts"))).as("and read nothing").isEmpty();
    assertThat(java.nio.file.Files.exists(tmp.resolve("warehouse/_lease/00000000000000000001.json")))
        .as("the lease file").isTrue();
  }

  @Test
  void everyDatasetIsStagedWithRowConservation() {
    Row audit = TestSupport.table(warehouse, AuditRuns.NAME).where("status = 'succeeded'").first();
    assertThat(audit.<String>getAs("run_id")).as("run id").isEqualTo("salespulse-2026-11-25");
    List<Row> counts = audit.getList(audit.fieldIndex("dataset_counts"));
    Map<String, Long> staged = counts.stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(4)));
    assertThat(staged).as("records staged per dataset").containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("crm/User", 4L), Map.entry("crm/UserRole", 2L), Map.entry("crm/Account", 3L),
        Map.entry("crm/Contact", 12L), Map.entry("crm/Opportunity", 5L), Map.entry("crm/OpportunityHistory", 11L),
        Map.entry("crm/OpportunityContactRole", 9L), Map.entry("crm/ForecastingQuota", 2L),
        Map.entry("comms/email", 18L), Map.entry("comms/meeting", 5L), Map.entry("comms/call", 11L),
        Map.entry("comp/payout", 4L), Map.entry("crm/Task", 5L), Map.entry("crm/Event", 2L),
        Map.entry("crm/EmailMessage", 5L)));
    for (Row c : counts) {
      assertThat(c.getLong(3)).as("rows read = staged + quarantined + duplicates for %s", c.getString(0))
          .isEqualTo(c.getLong(4) + c.getLong(5) + c.getLong(6));
    }
    Row meetings = counts.stream().filter(r -> r.getString(0).equals("comms/meeting")).findFirst().orElseThrow();
    assertThat(meetings.getLong(6)).as("per-calendar meeting copies collapsed").isEqualTo(2L);
    for (String t : List.of("stg_crm__users", "stg_crm__contacts", "stg_comms__emails", "stg_comp__payouts")) {
      long rows = TestSupport.table(warehouse, t).count();
      long fromAudit = counts.stream().filter(r -> r.getString(1).equals(t)).findFirst().orElseThrow().getLong(4);
      assertThat(rows).as("rows in %s", t).isEqualTo(fromAudit);
    }
    assertThat(TestSupport.table(warehouse, "quarantine_records").count()).as("nothing quarantined").isZero();
  }

  @Test
  void aFirstLoadAppendsToTheTablesItCreatedAndALaterDropMerges() {
    // a staging table created empty takes its first batch as a plain append (no merge's joins)
    for (String t : List.of("stg_crm__contacts", "stg_crm__user_versions")) {
      assertThat(io.delta.tables.DeltaTable.forPath(TestSupport.spark(), warehouse + "/" + t).history()
          .orderBy("version").select("operation").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
          .as("commits of %s after the first load", t).containsExactly("CREATE TABLE", "WRITE");
    }
    com.salespulse.jobs.io.Warehouse w = new com.salespulse.jobs.io.Warehouse(TestSupport.spark(), warehouse);
    assertThat(w.isEmpty("stg_crm__contacts")).as("a loaded table is not empty").isFalse();
    w.ensure("fct_activities");
    assertThat(w.isEmpty("fct_activities")).as("a table only created is empty").isTrue();
  }

  @Test
  void aBatchOfNewKeysIsAppendedAndABatchThatChangesAStoredRecordIsMerged() throws Exception {
    // the next night: one contact sent again with a later stamp and a new title, one new task
    Path copy = tmp.resolve("next-warehouse");
    TestSupport.copyTree(Path.of(java.net.URI.create(warehouse)), copy);
    Path drop = tmp.resolve("next-drop");
    TestSupport.copyTree(TestSupport.exampleDrop(), drop);
    TestSupport.quietNight(drop, "2026-11-25", "2026-11-26");
    Path day = Path.of("dt=2026-11-25");
    List<String> contacts = Files.readAllLines(drop.resolve("crm/Contact").resolve(day).resolve("Contact.csv"));
    String changed = contacts.get(1).replace("Director of IT", "CIO")
        .replace("2026-11-25T23:00:00.000Z,2026-11-25T23:00:00.000Z", "2026-11-26T09:00:00.000Z,2026-11-26T09:00:00.000Z");
    assertThat(changed).as("the contact changed").isNotEqualTo(contacts.get(1));
    Files.write(drop.resolve("crm/Contact/dt=2026-11-26/Contact.csv"), List.of(contacts.get(0), changed));
    List<String> tasks = Files.readAllLines(drop.resolve("crm/Task").resolve(day).resolve("Task.csv"));
    String added = tasks.get(1).replaceFirst("^00T000000000001AAA", "00T000000000999AAA");
    Files.write(drop.resolve("crm/Task/dt=2026-11-26/Task.csv"), List.of(tasks.get(0), added));
    String uri = TestSupport.uri(copy);
    TestSupport.run(ExitCode.SUCCESS, "ingest", "--run-date", "2026-11-26", "--input-root", drop.toString(),
        "--warehouse", uri);
    java.util.function.Function<String, Row> lastCommit = t -> io.delta.tables.DeltaTable.forPath(TestSupport.spark(),
        copy.resolve(t).toString()).history(1).select("operation", "operationMetrics").first();
    Row task = lastCommit.apply("stg_crm__tasks");
    assertThat(task.getString(0)).as("a new task only: appended, no merge").isEqualTo("WRITE");
    assertThat(task.<String, String>getJavaMap(1).get("numOutputRows")).as("the new task").isEqualTo("1");
    assertThat(TestSupport.table(uri, "stg_crm__tasks").count()).as("tasks after the night")
        .isEqualTo(TestSupport.table(warehouse, "stg_crm__tasks").count() + 1);
    Row contact = lastCommit.apply("stg_crm__contacts");
    // the example's contacts fit one file: the table is rewritten whole with the rows a merge would leave
    assertThat(contact.getString(0)).as("a stored contact changed: the table rewritten").isEqualTo("WRITE");
    Row audit = TestSupport.lastAudit(uri, "2026-11-26");
    Row ingest = audit.<Row>getList(audit.fieldIndex("steps")).get(0);
    assertThat(ingest.<Row>getList(ingest.fieldIndex("tables_written")))
        .as("rows written to the contacts: the one updated, as a merge counts them")
        .filteredOn(c -> c.<String>getAs("table_name").equals("stg_crm__contacts"))
        .extracting(c -> c.<Long>getAs("rows_written")).containsExactly(1L);
    assertThat(TestSupport.table(uri, "stg_crm__contacts").where("title = 'CIO'").count()).as("the new title")
        .isEqualTo(1);
    assertThat(TestSupport.table(uri, "stg_crm__contacts").count()).as("no contact added")
        .isEqualTo(TestSupport.table(warehouse, "stg_crm__contacts").count());
  }

  @Test
  void aDropThatSendsEveryRecordAgainUnchangedStagesNothingNew() throws Exception {
    // a full-snapshot export: the next night's drop holds the same records again (same stamps, same
    // content). They merge into the stored rows without counting as staged that night, so the night's
    // recompute scope (records whose source_dt is the run date) stays what changed, not everything
    Path copy = tmp.resolve("resent-warehouse");
    TestSupport.copyTree(Path.of(java.net.URI.create(warehouse)), copy);
    Path resent = tmp.resolve("resent-drop");
    try (Stream<Path> files = Files.walk(TestSupport.exampleDrop())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = resent.resolve(TestSupport.exampleDrop().relativize(f).toString()
            .replace("dt=2026-11-25", "dt=2026-11-26"));
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
    String uri = TestSupport.uri(copy);
    List<String> crm = List.of("stg_crm__users", "stg_crm__user_versions", "stg_crm__accounts", "stg_crm__contacts",
        "stg_crm__opportunities", "stg_crm__opportunity_versions", "stg_crm__opportunity_history",
        "stg_crm__tasks", "stg_crm__events", "stg_crm__email_messages");
    Map<String, Long> versions = TestSupport.versions(copy);
    TestSupport.run(ExitCode.SUCCESS, "ingest", "--run-date", "2026-11-26", "--input-root", resent.toString(),
        "--warehouse", uri);
    Map<String, Long> after = TestSupport.versions(copy);
    for (String t : crm) {
      Row r = TestSupport.table(uri, t).selectExpr("count(*)", "count_if(source_dt = DATE'2026-11-26')").first();
      assertThat(r.getLong(0)).as("%s rows after the re-send", t).isEqualTo(TestSupport.table(warehouse, t).count());
      assertThat(r.getLong(1)).as("%s rows counted as staged by the re-send", t).isZero();
      // no version rewritten with the values it had: the table is left at its version, so what is
      // derived from it (the dimensions, the stage history) is kept by the next rollup
      assertThat(after.get(t)).as("%s Delta version after the re-send", t).isEqualTo(versions.get(t));
    }
    Row audit = TestSupport.lastAudit(uri, "2026-11-26");
    Row ingest = audit.<Row>getList(audit.fieldIndex("steps")).get(0);
    assertThat(ingest.<Row>getList(ingest.fieldIndex("tables_written")))
        .as("commits of the re-send's ingest (the comms re-sent are staged again: the latest delivery wins)")
        .extracting(c -> c.<String>getAs("table_name")).doesNotContainAnyElementsOf(crm);
  }

  @Test
  void valuesAreTypedAndNormalised() {
    Row dana = TestSupport.table(warehouse, "stg_crm__users").where("user_id = '005000000000003AAA'").first();
    assertThat(dana.<String>getAs("manager_user_id")).as("manager").isEqualTo("005000000000002AAA");
    Row reply = TestSupport.table(warehouse, "stg_comms__emails")
        .where("message_id = '<m000000000003AAA@mail.globexsystems.com>'").first();
    assertThat(reply.<String>getAs("from_email")).as("display name removed").isEqualTo("ben.quinn1@globexsystems.com");
    assertThat(reply.<java.sql.Timestamp>getAs("sent_at").toInstant().toString()).as("offset applied")
        .isEqualTo("2026-09-30T08:31:00Z");
    Row meeting = TestSupport.table(warehouse, "stg_comms__meetings")
        .where("event_id = 'evt000000000001AAA@maventech.com'").first();
    assertThat(meeting.<String>getList(meeting.fieldIndex("mailboxes"))).as("calendars holding the meeting")
        .containsExactly("dana.reyes@maventech.com", "omar.quinn@maventech.com");
    Row call = TestSupport.table(warehouse, "stg_comms__calls").where("call_id = 'call000000000001AAA'").first();
    assertThat(call.<String>getAs("counterpart_phone")).as("E.164").isEqualTo("+12637907499");
    Row account = TestSupport.table(warehouse, "stg_crm__accounts").where("account_id = '001000000000001AAA'").first();
    assertThat(account.<String>getAs("website_domain")).as("website domain").isEqualTo("globexsystems.com");
    assertThat(TestSupport.table(warehouse, "stg_crm__user_versions").count()).as("one version per user so far").isEqualTo(4);
  }

  @Test
  void crmLoggedActivitiesAreStaged() {
    Row task = TestSupport.table(warehouse, "stg_crm__tasks").where("task_id = '00T000000000005AAA'").first();
    assertThat(task.<String>getAs("call_object")).as("a call logged by hand has no dialer id").isNull();
    assertThat(task.<String>getAs("task_subtype")).as("subtype").isEqualTo("Call");
    assertThat(task.<java.sql.Date>getAs("activity_date").toString()).as("activity date").isEqualTo("2026-09-01");
    Row message = TestSupport.table(warehouse, "stg_crm__email_messages").where("email_message_id = '02s000000000002AAA'").first();
    assertThat(message.<String>getAs("message_key")).as("Message-ID without brackets")
        .isEqualTo("m000000000002AAA@mail.maventech.com");
    assertThat(message.<java.sql.Timestamp>getAs("message_at").toInstant().toString()).as("offset applied")
        .isEqualTo("2026-09-28T12:08:00Z");
    assertThat(message.<String>getList(message.fieldIndex("to_emails"))).as("recipients")
        .containsExactly("vic.uribe3@globexsystems.com");
    Row event = TestSupport.table(warehouse, "stg_crm__events").where("event_id = '00U000000000001AAA'").first();
    assertThat(event.<String>getAs("what_id")).as("logged against").isEqualTo("006000000000002AAA");
  }

  @Test
  void aTableWrittenByAnOlderReleaseGetsTheNewColumnsWithTheirComments() {
    String old = tmp.resolve("older").toUri().toString().replaceAll("/$", "");
    TestSupport.spark().sql("CREATE TABLE delta.`" + old + "/fct_activities` (activity_id STRING, activity_date DATE) "
        + "USING DELTA PARTITIONED BY (activity_date)");
    com.salespulse.jobs.io.Warehouse w = new com.salespulse.jobs.io.Warehouse(TestSupport.spark(), old);
    assertThat(w.addMissingColumns("fct_activities")).as("columns added").contains("opportunity_id", "model_version")
        .doesNotContain("activity_id");
    assertThat(TestSupport.table(old, "fct_activities").columns()).as("the table now has the DDL's columns")
        .contains("is_logged", "logged_opportunity_id", "attribution_confidence");
    List<Row> cols = TestSupport.spark().sql("DESCRIBE TABLE delta.`" + old + "/fct_activities`").collectAsList();
    assertThat(cols.stream().filter(r -> r.getString(0).equals("model_version")).findFirst().orElseThrow().getString(2))
        .as("comment of an added column").startsWith("Model that scored the deals");
    assertThat(w.addMissingColumns("fct_activities")).as("nothing more to add").isEmpty();
    // and the table properties its DDL sets (the columns its files keep statistics on), once
    // (Delta keeps no statistics on a partition column: the older table's activity_date is left out)
    assertThat(com.salespulse.jobs.io.Warehouse.ddlProperties("fct_activities"))
        .as("the DDL's").containsEntry(com.salespulse.jobs.io.Warehouse.STATS_COLUMNS, "occurred_at,activity_date");
    assertThat(w.setDdlProperties("fct_activities")).as("properties set on the older table")
        .containsExactly(Map.entry(com.salespulse.jobs.io.Warehouse.STATS_COLUMNS, "occurred_at"));
    Row detail = TestSupport.spark().sql("DESCRIBE DETAIL delta.`" + old + "/fct_activities`").first();
    assertThat(detail.<String, String>getJavaMap(detail.fieldIndex("properties"))).as("stored")
        .containsEntry(com.salespulse.jobs.io.Warehouse.STATS_COLUMNS, "occurred_at");
    assertThat(w.setDdlProperties("fct_activities")).as("nothing more to set").isEmpty();

    // a whole table the rollup keeps while its inputs are unchanged is recomputed once it got new
    // columns: its latest commit is then the upgrade, not a write derived from those inputs
    TestSupport.spark().sql("SELECT 'manager' AS hierarchy, '005A' AS node_id").write().format("delta")
        .option("userMetadata", "derived from stg_crm__user_versions@3").save(old + "/dim_teams");
    assertThat(w.isDerivedFrom("dim_teams", "derived from stg_crm__user_versions@3")).as("kept before").isTrue();
    // the report does not run on it before a nightly has upgraded it (it names what is missing)
    assertThat(w.missingColumns("dim_teams")).as("what the report names").contains("is_first_line");
    TestSupport.run(ExitCode.FAILURE, "report", "--warehouse", old, "--out", tmp.resolve("old-report.html").toString());
    assertThat(w.addMissingColumns("dim_teams")).as("columns added to dim_teams").contains("is_first_line");
    assertThat(w.isDerivedFrom("dim_teams", "derived from stg_crm__user_versions@3"))
        .as("kept after its upgrade: no, recomputed with the new columns filled").isFalse();
  }

  @Test
  void sqlCommandPrintsCsvWithAHeader() {
    String out = TestSupport.stdout("sql", "--warehouse", warehouse, "-e",
        "SELECT user_id, email FROM stg_crm__users WHERE user_id IN ('005000000000001AAA', '005000000000003AAA') ORDER BY user_id");
    assertThat(out.lines().toList()).as("CSV on stdout").containsExactly(
        "user_id,email", "005000000000001AAA,vera.stone@maventech.com", "005000000000003AAA,dana.reyes@maventech.com");
  }

  /**
   * Delta keeps per-file statistics only on the columns a table's DDL names (the dates a night
   * replaces and queries filter by): every other column's would be computed row by row, by an
   * interpreted projection whose cost grows with the square of the column count, on every write.
   */
  @Test
  void filesKeepStatisticsOnlyOnTheColumnsTheDdlNames() throws Exception {
    String table = "stg_comms__emails";
    List<String> named = List.of(com.salespulse.jobs.io.Warehouse.ddlProperties(table)
        .get(com.salespulse.jobs.io.Warehouse.STATS_COLUMNS).split(","));
    assertThat(named).as("the DDL's statistics columns").containsExactly("sent_at", "source_dt");
    List<java.util.Set<String>> statsColumns = TestSupport.statisticsColumns(warehouse, table);
    assertThat(statsColumns).as("statistics columns of each file written to %s", table).isNotEmpty()
        .allSatisfy(cols -> assertThat(cols).as("a file's statistics").containsExactlyInAnyOrderElementsOf(named));
  }

  @Test
  void tablesCarryTheirDdlComments() {
    Row detail = TestSupport.spark().sql("DESCRIBE DETAIL delta.`" + warehouse + "/stg_comms__emails`").first();
    assertThat(detail.<String>getAs("description")).as("table comment").contains("Grain: one row per distinct message_id");
    List<Row> cols = TestSupport.spark().sql("DESCRIBE TABLE delta.`" + warehouse + "/stg_comms__emails`").collectAsList();
    assertThat(cols.stream().filter(r -> r.getString(0).equals("mailboxes")).findFirst().orElseThrow().getString(2))
        .as("column comment").startsWith("Sorted lower-case addresses");
  }
}
