package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code maintain} command (weekly): for every table of the warehouse, Delta {@code OPTIMIZE}
 * (bin-packing compaction: only partitions holding several small files are rewritten, so a week's
 * nightly partitions are compacted and older ones left alone), then {@code VACUUM} of the files no
 * version inside the retention still needs. The retention ({@code maintain.vacuum-retention-days})
 * is never below the time-travel window finance relies on ({@code maintain.time-travel-days}); it
 * is set as the table's {@code delta.deletedFileRetentionDuration} (Delta's VACUUM reads it from
 * there and ignores a retention passed to it) and the log is kept for the window
 * ({@code delta.logRetentionDuration}). Tables are maintained {@code ingest.parallelism} at a time.
 * It prints one CSV line per table on stdout: live files and bytes, and the data files stored in
 * the table's folder (live, or removed and not yet vacuumed), before and after.
 */
final class MaintainStep implements Step {

  private static final Logger LOG = LoggerFactory.getLogger(MaintainStep.class);

  /** How long old versions stay readable and their files kept. */
  record Retention(int timeTravelDays, int vacuumRetentionDays) {}

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final Retention retention;
  private final int parallelism;

  MaintainStep(SparkSession spark, Warehouse warehouse, Retention retention, int parallelism) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.retention = retention;
    this.parallelism = parallelism;
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
  record Figures(String table, long filesBefore, long bytesBefore, long filesAfter, long bytesAfter,
                 long[] storedBefore, long[] storedAfter) {}

  @Override
  public String run(Run run) {
    List<Figures> figures = Parallel.map(warehouse.tables(), parallelism, this::maintain);
    System.out.println("table_name,files_before,bytes_before,files_after,bytes_after,stored_files_before,"
        + "stored_bytes_before,stored_files_after,stored_bytes_after");
    for (Figures f : figures) {
      System.out.println(String.join(",", f.table(), String.valueOf(f.filesBefore()), String.valueOf(f.bytesBefore()),
          String.valueOf(f.filesAfter()), String.valueOf(f.bytesAfter()), String.valueOf(f.storedBefore()[0]),
          String.valueOf(f.storedBefore()[1]), String.valueOf(f.storedAfter()[0]), String.valueOf(f.storedAfter()[1])));
    }
    System.out.flush();
    return String.format(Locale.ROOT, "tables=%d files %d -> %d, stored files %d -> %d, stored bytes %d -> %d, "
            + "vacuum retention %d days", figures.size(),
        figures.stream().mapToLong(Figures::filesBefore).sum(), figures.stream().mapToLong(Figures::filesAfter).sum(),
        figures.stream().mapToLong(f -> f.storedBefore()[0]).sum(), figures.stream().mapToLong(f -> f.storedAfter()[0]).sum(),
        figures.stream().mapToLong(f -> f.storedBefore()[1]).sum(), figures.stream().mapToLong(f -> f.storedAfter()[1]).sum(),
        retention.vacuumRetentionDays());
  }

  /** One table: retention properties, compaction when it has several files, VACUUM. */
  private Figures maintain(String table) {
    long t0 = System.nanoTime();
    String location = warehouse.location(table);
    DeltaTable delta = DeltaTable.forPath(spark, location);
    Row before = delta.detail().select("numFiles", "sizeInBytes", "properties").first();
    long[] storedBefore = stored(location);
    keepHistory(location, before.getMap(2));
    if (before.getLong(0) > 1) {
      delta.optimize().executeCompaction();
    }
    // VACUUM keeps delta.deletedFileRetentionDuration (set above); it prints its summary on the
    // console: keep stdout for the report
    scala.Console$.MODULE$.withOut(System.err, new scala.runtime.AbstractFunction0<Object>() {
      @Override
      public Object apply() {
        return delta.vacuum();
      }
    });
    Row after = DeltaTable.forPath(spark, location).detail().select("numFiles", "sizeInBytes").first();
    Figures f = new Figures(table, before.getLong(0), before.getLong(1), after.getLong(0), after.getLong(1),
        storedBefore, stored(location));
    LOG.info("Maintained {}: files {} -> {}, bytes {} -> {}, stored files {} -> {} in {} ms", table, f.filesBefore(),
        f.filesAfter(), f.bytesBefore(), f.bytesAfter(), f.storedBefore()[0], f.storedAfter()[0],
        (System.nanoTime() - t0) / 1_000_000);
    return f;
  }

  /** Data files kept in the table's folder (live or removed but not yet vacuumed): count and bytes. */
  private long[] stored(String location) {
    Path dir = new Path(location);
    try {
      FileSystem fs = dir.getFileSystem(warehouse.hadoopConf());
      org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(dir, true);
      long files = 0;
      long bytes = 0;
      while (it.hasNext()) {
        org.apache.hadoop.fs.LocatedFileStatus f = it.next();
        if (f.getPath().getName().endsWith(".parquet") && !f.getPath().toString().contains("/_delta_log/")) {
          files++;
          bytes += f.getLen();
        }
      }
      return new long[] {files, bytes};
    } catch (java.io.IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot list " + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * Keeps the table's log for the time-travel window and its removed files for the vacuum retention
   * (which VACUUM reads from the table; it is never shorter), when the table says otherwise.
   */
  private void keepHistory(String location, scala.collection.Map<String, String> p) {
    String log = "interval " + retention.timeTravelDays() + " days";
    String deleted = "interval " + retention.vacuumRetentionDays() + " days";
    boolean same = log.equals(p.get("delta.logRetentionDuration").getOrElse(() -> ""))
        && deleted.equals(p.get("delta.deletedFileRetentionDuration").getOrElse(() -> ""));
    if (!same) {
      spark.sql("ALTER TABLE delta.`" + location + "` SET TBLPROPERTIES ('delta.logRetentionDuration' = '" + log
          + "', 'delta.deletedFileRetentionDuration' = '" + deleted + "')");
    }
  }
}
