package com.salespulse.jobs;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.jobs.io.InputDataset;
import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.staging.StagingTable;
import com.salespulse.transforms.staging.VersionsTable;
import java.nio.file.Path;
import java.sql.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staging tables of dated records ({@code -- zorder:} in their DDL) are kept in files of at most
 * {@code warehouse.staging-rows-per-file} rows, each a span of the record's date, so a night's merge
 * that updates records sent again (recent ones) rewrites only the file holding them.
 */
class StagingLayoutTest {

  @TempDir
  Path tmp;

  @Test
  void aStagingTableIsWrittenInBoundedFilesByDateAndAMergeOfRecentRecordsRewritesOnlyTheNewestFile() {
    String uri = TestSupport.uri(tmp.resolve("warehouse"));
    long perFile = 1_000;
    Warehouse w = new Warehouse(TestSupport.spark(), uri, Warehouse.ROWS_PER_CLUSTERED_FILE, perFile);
    StagingTable emails = InputDataset.EMAIL.table;
    assertThat(Warehouse.zorderColumns(emails.name())).as("the DDL's zorder line").containsExactly("sent_at");
    assertThat(w.rowsPerFile(emails.name())).as("a staging table's bound").isEqualTo(perFile);
    assertThat(w.rowsPerFile("fct_activities")).as("a fact table's bound").isEqualTo(Warehouse.ROWS_PER_CLUSTERED_FILE);

    // a history load: 2,500 messages over 50 days, dealt round-robin to four tasks (each holds every date)
    w.upsert(emails, emails("m", 0, 2_500, 50, "2026-08-01", "2026-09-20", "rep@maventech.com").repartition(4));
    List<Row> files = fileSpans(uri, emails.name());
    assertThat(files).as("files of at most %d rows", perFile).hasSizeGreaterThan(2)
        .allMatch(r -> r.getLong(3) <= perFile);
    for (int i = 1; i < files.size(); i++) {
      assertThat(files.get(i).getTimestamp(1)).as("each file a span of sent_at of its own, after the one before")
          .isAfterOrEqualTo(files.get(i - 1).getTimestamp(2));
    }
    Set<String> before = Set.of(TestSupport.table(uri, emails.name()).inputFiles());

    // a night: the last 5 messages again, from a second mailbox, and 20 new ones
    w.upsert(emails, emails("m", 2_495, 5, 1, "2026-09-19", "2026-09-21", "se@maventech.com")
        .unionByName(emails("n", 0, 20, 1, "2026-09-20", "2026-09-21", "rep@maventech.com")));

    Set<String> kept = new HashSet<>(before);
    kept.retainAll(Set.of(TestSupport.table(uri, emails.name()).inputFiles()));
    assertThat(kept).as("the files holding no message sent again are kept as they are").hasSize(before.size() - 1);
    Dataset<Row> stored = TestSupport.table(uri, emails.name());
    assertThat(stored.count()).as("2,500 messages and 20 new").isEqualTo(2_520);
    assertThat(stored.where(col("message_id").equalTo("m2499")).first().<String>getList(
        stored.schema().fieldIndex("mailboxes"))).as("a message sent again: both mailboxes")
        .containsExactly("rep@maventech.com", "se@maventech.com");
    assertThat(stored.where(col("message_id").startsWith("m").and(col("source_dt").equalTo(Date.valueOf("2026-09-21"))))
        .count()).as("the 5 messages sent again come from the second drop").isEqualTo(5);
  }

  @Test
  void aTableWhoseRowsFitOneFileIsRewrittenWholeWithTheRowsAMergeLeaves() {
    // the same nights into a warehouse whose staging tables never fit one file (every upsert merges) and
    // into one whose always do (every upsert that updates a stored row rewrites the table)
    Warehouse merging = new Warehouse(TestSupport.spark(), TestSupport.uri(tmp.resolve("merging")),
        Warehouse.ROWS_PER_CLUSTERED_FILE, 1);
    Warehouse rewriting = new Warehouse(TestSupport.spark(), TestSupport.uri(tmp.resolve("rewriting")),
        Warehouse.ROWS_PER_CLUSTERED_FILE, 1_000_000);
    StagingTable emails = InputDataset.EMAIL.table;
    VersionsTable deals = InputDataset.OPPORTUNITY.versions().orElseThrow();
    java.util.Map<Warehouse, List<Warehouse.Commit>> commits = new java.util.HashMap<>();
    for (Warehouse w : List.of(merging, rewriting)) {
      w.upsert(emails, emails("m", 0, 40, 10, "2026-09-01", "2026-09-20", "rep@maventech.com"));
      w.mergeVersions(deals, versions(
          version("o1", "2026-09-01T10:00:00Z", null, "Prospecting", "2026-09-20"),
          version("o2", "2026-09-02T10:00:00Z", null, "Prospecting", "2026-09-20")));
      w.drainCommits();
      // a night: m0-m4 sent again by a later drop from a second mailbox (newer, and a mailbox added);
      // m5-m9 by an earlier drop from a third (not newer, a mailbox added: the mailboxes only); m10-m14
      // by an earlier drop from the first (nothing to change); and five new messages
      w.upsert(emails, emails("m", 0, 5, 1, "2026-09-01", "2026-09-21", "se@maventech.com")
          .unionByName(emails("m", 5, 5, 1, "2026-09-02", "2026-09-19", "csm@maventech.com"))
          .unionByName(emails("m", 10, 5, 1, "2026-09-03", "2026-09-19", "rep@maventech.com"))
          .unionByName(emails("n", 0, 5, 1, "2026-09-20", "2026-09-21", "rep@maventech.com")));
      // o1 moved on: its first version closed, a second one added; a new deal o3
      w.mergeVersions(deals, versions(
          version("o1", "2026-09-01T10:00:00Z", "2026-09-21T09:00:00Z", "Prospecting", "2026-09-20"),
          version("o1", "2026-09-21T09:00:00Z", null, "Negotiation", "2026-09-21"),
          version("o3", "2026-09-21T11:00:00Z", null, "Prospecting", "2026-09-21")));
      commits.put(w, w.drainCommits());
    }
    assertThat(commits.get(merging)).as("the night's commits, merged")
        .extracting(Warehouse.Commit::operation).containsExactly("MERGE", "MERGE");
    assertThat(commits.get(rewriting)).as("the night's commits, rewritten whole")
        .extracting(Warehouse.Commit::operation).containsExactly("WRITE", "WRITE");
    assertThat(commits.get(rewriting)).as("rows written: inserted or updated, as the merge's metrics count them")
        .extracting(Warehouse.Commit::rowsWritten)
        .containsExactlyElementsOf(commits.get(merging).stream().map(Warehouse.Commit::rowsWritten).toList());
    assertThat(commits.get(merging)).extracting(Warehouse.Commit::rowsWritten).as("10 messages updated, 5 new; 3 versions")
        .containsExactly(15L, 3L);
    for (String t : List.of(emails.name(), deals.name())) {
      Dataset<Row> a = TestSupport.table(merging.root(), t);
      Dataset<Row> b = TestSupport.table(rewriting.root(), t);
      assertThat(a.exceptAll(b).count() + b.exceptAll(a).count()).as("%s: rows of one warehouse only", t).isZero();
    }
    Dataset<Row> stored = TestSupport.table(rewriting.root(), emails.name());
    assertThat(stored.count()).as("40 messages and 5 new").isEqualTo(45);
    assertThat(stored.where(col("message_id").equalTo("m7")).first().<String>getList(stored.schema().fieldIndex("mailboxes")))
        .as("a message sent again by an earlier drop: its mailbox added").containsExactly("csm@maventech.com",
            "rep@maventech.com");
    assertThat(stored.where(col("source_dt").equalTo(Date.valueOf("2026-09-21"))).count())
        .as("the later drop's copies win, the earlier drops' do not").isEqualTo(10);
    assertThat(TestSupport.table(rewriting.root(), deals.name()).where("is_current").count()).as("current versions")
        .isEqualTo(3);
  }

  /** Versions of deals as stored, from {@link #version} rows; other columns null. */
  private static Dataset<Row> versions(java.util.Map<String, Object>... rows) {
    StructType schema = Warehouse.ddlSchema("stg_crm__opportunity_versions");
    return TestSupport.spark().createDataFrame(java.util.Arrays.stream(rows)
        .map(r -> org.apache.spark.sql.RowFactory.create(java.util.Arrays.stream(schema.fieldNames()).map(r::get).toArray()))
        .toList(), schema);
  }

  /** A deal's version valid from {@code from} to {@code to} (null: current), from the drop of {@code sourceDt}. */
  private static java.util.Map<String, Object> version(String id, String from, String to, String stage, String sourceDt) {
    java.util.Map<String, Object> r = new java.util.HashMap<>();
    r.put("opportunity_id", id);
    r.put("stage_name", stage);
    r.put("version_at", java.sql.Timestamp.from(java.time.Instant.parse(from)));
    r.put("valid_from", java.sql.Timestamp.from(java.time.Instant.parse(from)));
    r.put("valid_to", to == null ? null : java.sql.Timestamp.from(java.time.Instant.parse(to)));
    r.put("is_current", to == null);
    r.put("source_dt", Date.valueOf(sourceDt));
    return r;
  }

  /**
   * {@code n} staged messages {@code <prefix><from>..}, spread in id order over {@code days} days
   * from {@code first}, from a drop of {@code sourceDt} and one mailbox; other columns null.
   */
  private static Dataset<Row> emails(String prefix, long from, long n, int days, String first, String sourceDt,
                                     String mailbox) {
    StructType schema = Warehouse.ddlSchema("stg_comms__emails");
    Dataset<Row> ids = TestSupport.spark().range(from, from + n).toDF();
    return ids.select(java.util.Arrays.stream(schema.fields()).map(f -> switch (f.name()) {
      case "message_id" -> concat(lit(prefix), ids.col("id").cast("string")).as(f.name());
      case "sent_at" -> to_timestamp(date_add(lit(Date.valueOf(first)),
          ids.col("id").minus(from).multiply(days).divide(n).cast("int"))).as(f.name());
      case "mailboxes" -> array(lit(mailbox)).as(f.name());
      case "source_dt" -> lit(Date.valueOf(sourceDt)).as(f.name());
      case "source_file" -> lit("comms/email/dt=" + sourceDt + "/" + mailbox + ".csv").as(f.name());
      case "source_record_number" -> ids.col("id").plus(1).as(f.name());
      default -> lit(null).cast(f.dataType()).as(f.name());
    }).toArray(org.apache.spark.sql.Column[]::new));
  }

  /** Each data file of the table: its path, first and last sent_at, rows; by first sent_at. */
  private static List<Row> fileSpans(String uri, String table) {
    return TestSupport.table(uri, table).groupBy(input_file_name())
        .agg(min("sent_at"), max("sent_at"), count(lit(1)))
        .orderBy(col("min(sent_at)")).collectAsList();
  }
}
