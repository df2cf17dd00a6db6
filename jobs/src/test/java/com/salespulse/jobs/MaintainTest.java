package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.jobs.io.Warehouse;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maintain}: small files compacted, fact tables clustered by their Z-order column, only
 * what was written since the last maintenance, a table of an older layout rewritten in its DDL's,
 * nothing changed in the rows, history kept for time travel.
 *
 * <p>Its tests share nothing (each its own warehouse): they may run at the same time, on both of the
 * test JVM's lanes.
 */
@Execution(ExecutionMode.CONCURRENT)
class MaintainTest {

  @TempDir
  Path tmp;

  @Test
  void maintainCompactsSmallFilesKeepsRowsAndTheTimeTravelWindowAndReports() throws Exception {
    String uri = TestSupport.uri(tmp.resolve("warehouse"));
    Warehouse w = new Warehouse(TestSupport.spark(), uri);
    StructType schema = Warehouse.ddlSchema("quarantine_records");
    // three nights' small writes into one partition: three files
    for (int i = 1; i <= 3; i++) {
      Object[] values = new Object[schema.size()];
      values[schema.fieldIndex("run_date")] = Date.valueOf("2026-11-25");
      values[schema.fieldIndex("dataset")] = "comms/call";
      values[schema.fieldIndex("record_number")] = (long) i;
      w.append("quarantine_records", TestSupport.spark().createDataFrame(List.of(RowFactory.create(values)), schema));
    }
    List<String> rowsBefore = TestSupport.tableRows(uri, "quarantine_records");

    String report = TestSupport.stdout("maintain", "--run-date", "2026-11-29", "--warehouse", uri);

    assertThat(report.lines().toList()).as("the report, one line per table")
        .startsWith("table_name,files_before,bytes_before,files_after,bytes_after,stored_files_before,"
            + "stored_bytes_before,stored_files_after,stored_bytes_after,partitions_optimized")
        .anyMatch(l -> l.matches("quarantine_records,3,\\d+,1,\\d+,3,\\d+,4,\\d+,1"));
    assertThat(TestSupport.tableRows(uri, "quarantine_records")).as("the same rows").isEqualTo(rowsBefore);
    DeltaTable t = DeltaTable.forPath(TestSupport.spark(), uri + "/quarantine_records");
    assertThat(t.history().select("operation").as(Encoders.STRING()).collectAsList()).as("what maintain did")
        .contains("OPTIMIZE", "SET TBLPROPERTIES");
    Row props = t.detail().select("properties").first();
    assertThat(props.<String, String>getJavaMap(0)).as("log and deleted files kept for the time-travel window")
        .containsEntry("delta.logRetentionDuration", "interval 30 days")
        .containsEntry("delta.deletedFileRetentionDuration", "interval 30 days");
    Row audit = TestSupport.lastAudit(uri, "2026-11-29");
    assertThat(audit.<String>getAs("command")).as("recorded").isEqualTo("maintain");
    assertThat(audit.<Row>getList(audit.fieldIndex("steps")).get(0).<String>getAs("detail")).as("totals")
        .contains("vacuum retention 30 days");

    // the vacuum retention may never be shorter than the time travel finance relies on
    Path conf = tmp.resolve("short.properties");
    Files.writeString(conf, "maintain.vacuum-retention-days=10\n");
    TestSupport.run(ExitCode.USAGE, "maintain", "--run-date", "2026-11-29", "--warehouse", uri, "--conf",
        conf.toString());
  }

  /**
   * A table derived whole from staging (a dimension, the stage history, the payout lines) is kept by
   * the next night when its inputs did not change since it was written: a {@code maintain} in between
   * (properties set, files compacted and vacuumed: no row changed) does not make it recompute, a new
   * row in an input does.
   */
  @Test
  void maintainLeavesATableDerivedFromUnchangedInputsDerivedFromThem() throws Exception {
    String uri = TestSupport.uri(tmp.resolve("warehouse"));
    Warehouse w = new Warehouse(TestSupport.spark(), uri);
    StructType roles = Warehouse.ddlSchema("stg_crm__user_roles");
    Object[] role = new Object[roles.size()];
    role[roles.fieldIndex("user_role_id")] = "00E000000000001";
    w.append("stg_crm__user_roles", TestSupport.spark().createDataFrame(List.of(RowFactory.create(role)), roles));
    String from = w.derivedFrom(List.of("stg_crm__user_roles"), "rules");
    StructType teams = Warehouse.ddlSchema("dim_teams");
    w.overwrite("dim_teams", TestSupport.spark().createDataFrame(List.of(RowFactory.create(new Object[teams.size()])),
        teams), from);
    assertThat(w.isDerivedFrom("dim_teams", from)).as("written from the roles as they are").isTrue();
    long rolesVersion = DeltaTable.forPath(TestSupport.spark(), uri + "/stg_crm__user_roles").history(1)
        .select("version").as(Encoders.LONG()).first();

    TestSupport.stdout("maintain", "--run-date", "2026-11-29", "--warehouse", uri);

    for (String table : List.of("stg_crm__user_roles", "dim_teams")) {
      assertThat(DeltaTable.forPath(TestSupport.spark(), uri + "/" + table).history(1).select("operation")
          .as(Encoders.STRING()).first()).as("maintain's last commit on %s", table)
          .isIn(Warehouse.SAME_ROWS_OPERATIONS);
    }
    assertThat(DeltaTable.forPath(TestSupport.spark(), uri + "/stg_crm__user_roles").history(1).select("version")
        .as(Encoders.LONG()).first()).as("maintain committed on the roles").isGreaterThan(rolesVersion);
    assertThat(w.derivedFrom(List.of("stg_crm__user_roles"), "rules")).as("the roles' rows as they were")
        .isEqualTo(from);
    assertThat(w.isDerivedFrom("dim_teams", from)).as("the teams still derived from them").isTrue();

    role[roles.fieldIndex("user_role_id")] = "00E000000000002";
    w.append("stg_crm__user_roles", TestSupport.spark().createDataFrame(List.of(RowFactory.create(role)), roles));
    String now = w.derivedFrom(List.of("stg_crm__user_roles"), "rules");
    assertThat(now).as("a role added").isNotEqualTo(from);
    assertThat(w.isDerivedFrom("dim_teams", now)).as("the teams derived from the roles before").isFalse();
  }

  /** One activity row of {@code fct_activities}: its id, date, rep and deal. */
  static Row activity(StructType schema, String id, String date, String user, String deal) {
    Object[] values = new Object[schema.size()];
    values[schema.fieldIndex("activity_id")] = id;
    values[schema.fieldIndex("activity_date")] = Date.valueOf(date);
    values[schema.fieldIndex("user_id")] = user;
    values[schema.fieldIndex("opportunity_id")] = deal;
    return RowFactory.create(values);
  }

  /** One quarantined record of a run date. */
  static Row rejected(StructType schema, String runDate, long recordNumber) {
    Object[] values = new Object[schema.size()];
    values[schema.fieldIndex("run_date")] = Date.valueOf(runDate);
    values[schema.fieldIndex("dataset")] = "comms/call";
    values[schema.fieldIndex("record_number")] = recordNumber;
    return RowFactory.create(values);
  }

  /** Sets every data file of a table's folder a week back, as if written before the last maintenance. */
  static void age(Path table) throws java.io.IOException {
    java.nio.file.attribute.FileTime weekAgo = java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(java.time.Duration.ofDays(7)));
    try (java.util.stream.Stream<Path> files = Files.walk(table)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log")).toList()) {
        Files.setLastModifiedTime(f, weekAgo);
      }
    }
  }

  @Test
  void maintainClustersAFactTableWrittenSinceItsLastRunByItsZorderColumn() throws Exception {
    String uri = TestSupport.uri(tmp.resolve("warehouse"));
    Warehouse w = new Warehouse(TestSupport.spark(), uri);
    StructType schema = Warehouse.ddlSchema("fct_activities");
    assertThat(Warehouse.zorderColumns("fct_activities")).as("the DDL's zorder line").containsExactly("activity_date");
    assertThat(Warehouse.partitionColumns("fct_activities")).as("the fact tables are not partitioned").isEmpty();
    // four nights' writes, two dates each
    for (String user : List.of("u2", "u1")) {
      for (String night : List.of("a", "b")) {
        w.append("fct_activities", TestSupport.spark().createDataFrame(List.of(
            activity(schema, user + night + "1", "2026-11-21", user, "o9"),
            activity(schema, user + night + "2", "2026-11-20", user, "o1")), schema));
      }
    }
    List<String> rowsBefore = TestSupport.tableRows(uri, "fct_activities");
    String first = TestSupport.stdout("maintain", "--run-date", "2026-11-22", "--warehouse", uri);
    assertThat(first.lines().toList()).as("the first maintenance clusters the table into one file")
        .anyMatch(l -> l.matches("fct_activities,4,\\d+,1,\\d+,\\d+,\\d+,\\d+,\\d+,1"));
    DeltaTable t = DeltaTable.forPath(TestSupport.spark(), uri + "/fct_activities");
    Row optimize = t.history().where("operation = 'OPTIMIZE'").select("operationParameters").first();
    assertThat(optimize.<String, String>getJavaMap(0).get("zOrderBy")).as("clustered by")
        .isEqualTo("[\"activity_date\"]");
    assertThat(TestSupport.tableRows(uri, "fct_activities")).as("the same rows").isEqualTo(rowsBefore);

    // a week later: two more files, both written before the last maintenance (as if): left alone
    for (String user : List.of("u2", "u1")) {
      w.append("fct_activities", TestSupport.spark().createDataFrame(List.of(
          activity(schema, "19" + user, "2026-11-19", user, "o5")), schema));
    }
    age(tmp.resolve("warehouse/fct_activities"));
    String second = TestSupport.stdout("maintain", "--run-date", "2026-11-29", "--warehouse", uri);
    assertThat(second.lines().toList()).as("nothing written since the last maintenance")
        .anyMatch(l -> l.matches("fct_activities,3,\\d+,3,\\d+,\\d+,\\d+,\\d+,\\d+,0"));
    assertThat(t.history().where("operation = 'OPTIMIZE'").count()).as("optimized once").isEqualTo(1);
  }

  @Test
  void maintainOptimizesOnlyThePartitionsWrittenSinceItsLastRun() throws Exception {
    String uri = TestSupport.uri(tmp.resolve("warehouse"));
    Warehouse w = new Warehouse(TestSupport.spark(), uri);
    StructType schema = Warehouse.ddlSchema("quarantine_records");
    assertThat(Warehouse.partitionColumns("quarantine_records")).as("the DDL's layout").containsExactly("run_date");
    // two runs' writes into each of two run-date partitions
    for (String day : List.of("2026-11-20", "2026-11-21")) {
      for (long n : List.of(1L, 2L)) {
        w.append("quarantine_records", TestSupport.spark().createDataFrame(List.of(rejected(schema, day, n)), schema));
      }
    }
    List<String> rowsBefore = TestSupport.tableRows(uri, "quarantine_records");
    String first = TestSupport.stdout("maintain", "--run-date", "2026-11-22", "--warehouse", uri);
    assertThat(first.lines().toList()).as("the first maintenance compacts every partition")
        .anyMatch(l -> l.matches("quarantine_records,4,\\d+,2,\\d+,\\d+,\\d+,\\d+,\\d+,2"));
    assertThat(TestSupport.tableRows(uri, "quarantine_records")).as("the same rows").isEqualTo(rowsBefore);

    // a week later: the files so far are old, and so are two written into a new partition since (as
    // if before the last maintenance); one night writes two files into another: only it is compacted
    for (long n : List.of(1L, 2L)) {
      w.append("quarantine_records", TestSupport.spark().createDataFrame(List.of(rejected(schema, "2026-11-19", n)), schema));
    }
    age(tmp.resolve("warehouse/quarantine_records"));
    for (long n : List.of(1L, 2L)) {
      w.append("quarantine_records", TestSupport.spark().createDataFrame(List.of(rejected(schema, "2026-11-22", n)), schema));
    }
    String second = TestSupport.stdout("maintain", "--run-date", "2026-11-29", "--warehouse", uri);
    assertThat(second.lines().toList()).as("the next maintenance compacts the new partition alone")
        .anyMatch(l -> l.matches("quarantine_records,\\d+,\\d+,\\d+,\\d+,\\d+,\\d+,\\d+,\\d+,1"));
    DeltaTable t = DeltaTable.forPath(TestSupport.spark(), uri + "/quarantine_records");
    Row latest = t.history().where("operation = 'OPTIMIZE'").orderBy(org.apache.spark.sql.functions.col("version").desc())
        .select("operationParameters").first();
    assertThat(latest.<String, String>getJavaMap(0).get("predicate")).as("the partitions it optimized")
        .contains("2026-11-22").doesNotContain("2026-11-19").doesNotContain("2026-11-20").doesNotContain("2026-11-21");
    assertThat(TestSupport.table(uri, "quarantine_records").where("run_date = DATE'2026-11-19'").inputFiles())
        .as("files of the partition written before the last maintenance, left alone").hasSize(2);
  }

  @Test
  void maintainRewritesAFactTableAnOlderReleasePartitionedInTheLayoutOfItsDdl() throws Exception {
    String uri = TestSupport.uri(tmp.resolve("warehouse"));
    String location = uri + "/fct_activities";
    // the table as releases before the twenty-second session created it: partitioned by its date (and
    // without table properties), then given this release's statistics columns by a night's first write
    String ddl = Warehouse.ddl("fct_activities")
        .replaceFirst("CREATE TABLE IF NOT EXISTS fct_activities", "CREATE TABLE delta.`" + location + "`")
        .replaceFirst("(?m)^USING DELTA$", "USING DELTA\nPARTITIONED BY (activity_date)")
        .replaceFirst("(?s)\\s*TBLPROPERTIES\\s*\\(.*", "");
    TestSupport.spark().sql(ddl);
    assertThat(new Warehouse(TestSupport.spark(), uri).setDdlProperties("fct_activities"))
        .as("statistics columns of the partitioned table: not its partition column")
        .containsExactly(java.util.Map.entry(Warehouse.STATS_COLUMNS, "occurred_at"));
    StructType schema = Warehouse.ddlSchema("fct_activities");
    for (String date : List.of("2026-11-20", "2026-11-21")) {
      TestSupport.spark().createDataFrame(List.of(activity(schema, date + "a", date, "u1", "o1"),
          activity(schema, date + "b", date, "u2", "o2")), schema).write().format("delta").mode("append").save(location);
    }
    DeltaTable t = DeltaTable.forPath(TestSupport.spark(), location);
    assertThat(t.detail().first().<String>getList(t.detail().first().fieldIndex("partitionColumns")))
        .as("set up partitioned").containsExactly("activity_date");
    List<String> rowsBefore = TestSupport.tableRows(uri, "fct_activities");
    String description = t.detail().first().getAs("description");

    TestSupport.stdout("maintain", "--run-date", "2026-11-22", "--warehouse", uri);

    Row detail = DeltaTable.forPath(TestSupport.spark(), location).detail().first();
    assertThat(detail.<String>getList(detail.fieldIndex("partitionColumns"))).as("the DDL's layout now").isEmpty();
    assertThat(detail.<String>getAs("description")).as("the table's comment kept").isEqualTo(description)
        .startsWith("Activities attributed");
    assertThat(TestSupport.table(uri, "fct_activities").schema().apply("user_id").getComment().isDefined())
        .as("the columns' comments kept").isTrue();
    assertThat(TestSupport.tableRows(uri, "fct_activities")).as("the same rows").isEqualTo(rowsBefore);
    assertThat(TestSupport.table(uri, "fct_activities").inputFiles()).as("compacted into one file").hasSize(1);
    assertThat(TestSupport.spark().read().format("delta").option("versionAsOf", 3).load(location).count())
        .as("the partitioned versions still readable").isEqualTo(4);
    Row relaid = DeltaTable.forPath(TestSupport.spark(), location).detail().first();
    assertThat(relaid.<String, String>getJavaMap(relaid.fieldIndex("properties")))
        .as("the DDL's statistics columns, its date included, for the writes to come")
        .containsEntry(Warehouse.STATS_COLUMNS, "occurred_at,activity_date");
    assertThat(TestSupport.statisticsColumns(uri, "fct_activities")).as("the rewritten files' statistics columns")
        .isNotEmpty().allSatisfy(cols -> assertThat(cols).as("a file's").contains("activity_date"));
  }

  @Test
  void aClusteredTableIsWrittenInBoundedFilesSortedByDateAndANightRewritesOnlyTheFilesOfItsDates() throws Exception {
    String uri = TestSupport.uri(tmp.resolve("warehouse"));
    long perFile = 1_000;
    Warehouse w = new Warehouse(TestSupport.spark(), uri, perFile);
    // a first load into the empty table: 30 dates of rows, more than one file holds, dealt round-robin to
    // four tasks (each task's rows span every date): written in ranges of dates, one per task
    String month = "activity_date >= DATE'2026-09-01' AND activity_date <= DATE'2026-09-30'";
    w.replaceWhere("fct_activities", activities("a", 2 * perFile + perFile / 5, "2026-09-01", 30).repartition(4), month);
    assertDisjointSpans(fileSpans(uri), perFile, "a first load");
    // a recompute of the whole history (--full) into the table now full: the same
    w.replaceWhere("fct_activities", activities("a", 2 * perFile + perFile / 5, "2026-09-01", 30).repartition(4), month,
        true);
    assertDisjointSpans(fileSpans(uri), perFile, "a full recompute");
    java.util.Set<String> before = new java.util.HashSet<>(List.of(TestSupport.table(uri, "fct_activities").inputFiles()));

    // a night replaces its last three dates
    w.replaceWhere("fct_activities", activities("n", 300, "2026-09-28", 3),
        "activity_date >= DATE'2026-09-28' AND activity_date <= DATE'2026-09-30'");
    java.util.Set<String> after = new java.util.HashSet<>(List.of(TestSupport.table(uri, "fct_activities").inputFiles()));
    java.util.Set<String> kept = new java.util.HashSet<>(before);
    kept.retainAll(after);
    assertThat(kept).as("the files holding no row of the night's dates are kept as they are")
        .hasSize(before.size() - 1);
    assertThat(TestSupport.table(uri, "fct_activities").where("activity_date >= DATE'2026-09-28'").count())
        .as("the night's rows replace those of its dates").isEqualTo(300);
  }

  @Test
  void maintainCutsAClusteredTableWrittenAsOneFileIntoFilesOfBoundedRowsBySpansOfDates() throws Exception {
    String uri = TestSupport.uri(tmp.resolve("warehouse"));
    new Warehouse(TestSupport.spark(), uri).ensure("fct_activities");
    long perFile = 1_000;
    Path conf = Files.writeString(tmp.resolve("small-files.properties"), "warehouse.rows-per-file=" + perFile + "\n");
    // one file, as releases before this one wrote a first load, written before the last maintenance
    // (as if): a table of one oversized file is cut up whenever it was written
    activities("a", perFile + perFile / 2, "2026-09-01", 30).coalesce(1)
        .write().format("delta").mode("append").save(uri + "/fct_activities");
    assertThat(TestSupport.table(uri, "fct_activities").inputFiles()).as("set up as one file").hasSize(1);
    TestSupport.stdout("maintain", "--run-date", "2026-09-24", "--warehouse", uri);
    age(tmp.resolve("warehouse/fct_activities"));
    List<String> rowsBefore = TestSupport.tableRows(uri, "fct_activities");

    String report = TestSupport.stdout("maintain", "--run-date", "2026-10-01", "--warehouse", uri, "--conf",
        conf.toString());

    assertThat(report.lines().toList()).as("one file optimized").anyMatch(l -> l.matches("fct_activities,1,.*,1"));
    List<Row> files = fileSpans(uri);
    assertThat(files).as("cut into files of about %d rows", perFile).hasSizeGreaterThan(1);
    for (int i = 1; i < files.size(); i++) {
      assertThat(files.get(i).getDate(1)).as("each file a span of dates of its own")
          .isAfterOrEqualTo(files.get(i - 1).getDate(2));
    }
    assertThat(TestSupport.tableRows(uri, "fct_activities")).as("the same rows").isEqualTo(rowsBefore);
  }

  private static void assertDisjointSpans(List<Row> files, long perFile, String write) {
    assertThat(files).as("%s: files of at most %d rows", write, perFile).hasSizeGreaterThan(2)
        .allMatch(r -> r.getLong(3) <= perFile);
    for (int i = 1; i < files.size(); i++) {
      assertThat(files.get(i).getDate(1)).as("%s: each file a span of dates of its own, after the one before", write)
          .isAfterOrEqualTo(files.get(i - 1).getDate(2));
    }
  }

  /** {@code n} activities of {@code days} dates from {@code first}, ids prefixed, the other columns null. */
  private static org.apache.spark.sql.Dataset<Row> activities(String prefix, long n, String first, int days) {
    StructType schema = Warehouse.ddlSchema("fct_activities");
    org.apache.spark.sql.Dataset<Row> ids = TestSupport.spark().range(n).toDF();
    return ids.select(java.util.Arrays.stream(schema.fields()).map(f -> switch (f.name()) {
      case "activity_id" -> org.apache.spark.sql.functions.concat(org.apache.spark.sql.functions.lit(prefix),
          ids.col("id").cast("string")).as(f.name());
      case "activity_date" -> org.apache.spark.sql.functions.date_add(
          org.apache.spark.sql.functions.lit(Date.valueOf(first)), ids.col("id").mod(days).cast("int")).as(f.name());
      default -> org.apache.spark.sql.functions.lit(null).cast(f.dataType()).as(f.name());
    }).toArray(org.apache.spark.sql.Column[]::new));
  }

  /** Each data file of the table: its path, first and last activity date, rows; by first date. */
  private static List<Row> fileSpans(String uri) {
    return TestSupport.table(uri, "fct_activities").groupBy(org.apache.spark.sql.functions.input_file_name())
        .agg(org.apache.spark.sql.functions.min("activity_date"), org.apache.spark.sql.functions.max("activity_date"),
            org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)))
        .orderBy(org.apache.spark.sql.functions.col("min(activity_date)")).collectAsList();
  }

  @Test
  void thePartitionPredicateNamesEachFolderEscapedAsSql() {
    assertThat(MaintainStep.partitionPredicate(List.of("activity_date=2026-11-20", "activity_date=2026-11-22")))
        .as("one partition column").isEqualTo("`activity_date` IN ('2026-11-20', '2026-11-22')");
    assertThat(MaintainStep.partitionPredicate(List.of("period_type=week/period_start=2026-11-16",
        "period_type=o%27brien/period_start=__HIVE_DEFAULT_PARTITION__"))).as("predicate")
        .isEqualTo("(`period_type` = 'week' AND `period_start` = '2026-11-16') OR "
            + "(`period_type` = 'o\\'brien' AND `period_start` IS NULL)");
  }
}
