package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code maintain} command (weekly): for every table of the warehouse, Delta {@code OPTIMIZE}
 * (bin-packing compaction: only partitions holding several small files are rewritten, so a week's
 * nightly partitions are compacted and older ones left alone), then {@code VACUUM} of the files no
 * version inside the retention still needs. The retention ({@code maintain.vacuum-retention-days})
 * is never below the time-travel window finance relies on ({@code maintain.time-travel-days}),
 * and each table's log and deleted files are kept that long too ({@code delta.logRetentionDuration},
 * {@code delta.deletedFileRetentionDuration}). It prints one CSV line per table on stdout: files
 * and bytes before and after.
 */
final class MaintainStep implements Step {

  private static final Logger LOG = LoggerFactory.getLogger(MaintainStep.class);

  /** How long old versions stay readable and their files kept. */
  record Retention(int timeTravelDays, int vacuumRetentionDays) {}

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final Retention retention;

  MaintainStep(SparkSession spark, Warehouse warehouse, Retention retention) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.retention = retention;
  }

  @Override
  public String name() {
    return "maintain";
  }

  /** It rewrites every table: nothing it reads may be kept. */
  @Override
  public boolean keepsReads() {
    return false;
  }

  /** What each table held before and after. */
  record Figures(String table, long filesBefore, long bytesBefore, long filesAfter, long bytesAfter) {}

  @Override
  public String run(Run run) {
    List<Figures> figures = new ArrayList<>();
    for (String table : warehouse.tables()) {
      long t0 = System.nanoTime();
      String location = warehouse.location(table);
      DeltaTable delta = DeltaTable.forPath(spark, location);
      Row before = delta.detail().select("numFiles", "sizeInBytes").first();
      keepHistory(location);
      delta.optimize().executeCompaction();
      // Delta's VACUUM prints its summary on the console: keep stdout for the report
      scala.Console$.MODULE$.withOut(System.err, new scala.runtime.AbstractFunction0<Object>() {
        @Override
        public Object apply() {
          return delta.vacuum(retention.vacuumRetentionDays() * 24.0);
        }
      });
      Row after = DeltaTable.forPath(spark, location).detail().select("numFiles", "sizeInBytes").first();
      Figures f = new Figures(table, before.getLong(0), before.getLong(1), after.getLong(0), after.getLong(1));
      figures.add(f);
      LOG.info("Maintained {}: files {} -> {}, bytes {} -> {} in {} ms", table, f.filesBefore(), f.filesAfter(),
          f.bytesBefore(), f.bytesAfter(), (System.nanoTime() - t0) / 1_000_000);
    }
    System.out.println("table_name,files_before,bytes_before,files_after,bytes_after");
    for (Figures f : figures) {
      System.out.println(String.join(",", f.table(), String.valueOf(f.filesBefore()), String.valueOf(f.bytesBefore()),
          String.valueOf(f.filesAfter()), String.valueOf(f.bytesAfter())));
    }
    System.out.flush();
    long filesBefore = figures.stream().mapToLong(Figures::filesBefore).sum();
    long filesAfter = figures.stream().mapToLong(Figures::filesAfter).sum();
    long bytesBefore = figures.stream().mapToLong(Figures::bytesBefore).sum();
    long bytesAfter = figures.stream().mapToLong(Figures::bytesAfter).sum();
    return String.format(Locale.ROOT, "tables=%d files %d -> %d bytes %d -> %d vacuum retention %d days",
        figures.size(), filesBefore, filesAfter, bytesBefore, bytesAfter, retention.vacuumRetentionDays());
  }

  /** Sets the table's log and deleted-file retention to the time-travel window when it says otherwise. */
  private void keepHistory(String location) {
    String want = "interval " + retention.timeTravelDays() + " days";
    Row props = DeltaTable.forPath(spark, location).detail().select("properties").first();
    scala.collection.Map<String, String> p = props.getMap(0);
    boolean same = want.equals(p.get("delta.logRetentionDuration").getOrElse(() -> ""))
        && want.equals(p.get("delta.deletedFileRetentionDuration").getOrElse(() -> ""));
    if (!same) {
      spark.sql("ALTER TABLE delta.`" + location + "` SET TBLPROPERTIES ('delta.logRetentionDuration' = '" + want
          + "', 'delta.deletedFileRetentionDuration' = '" + want + "')");
    }
  }
}
