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
 * of the table (of a partitioned table, of the partitions) written since the last successful
 * {@code maintain} (all of it the first time) that holds at least two live files: a table whose DDL
 * names {@code -- zorder:} columns has its files clustered by them (the fact tables by their date:
 * a night's {@code replaceWhere} of a span of dates then rewrites only the files holding it, and a
 * query on dates skips the others; in files of at most {@code warehouse.rows-per-file} rows; the
 * staging tables of dated records by their date, in files of at most
 * {@code warehouse.staging-rows-per-file} rows, so that a merge updating recent records rewrites only
 * the newest files), any other table has them compacted. What was not written since, and a table or partition of one file
 * (already as compact and as clustered as it can be), is left alone; a clustered table that is one
 * file of more rows than that (an older release's first load) is cut up whenever it was written. A
 * table whose partitioning differs from its DDL's (written by an older release) is first rewritten in
 * the DDL's layout, with statistics on its date, and given the DDL's statistics columns. Then
 * {@code VACUUM} of the files no version inside the retention still needs. The retention
 * ({@code maintain.vacuum-retention-days}) is never below the time-travel window finance relies on
 * ({@code maintain.time-travel-days}); it is set as the table's
 * {@code delta.deletedFileRetentionDuration} (Delta's VACUUM reads it from there and ignores a
 * retention passed to it) and the log is kept for the window ({@code delta.logRetentionDuration}).
 * Tables are maintained {@code ingest.parallelism} at a time. It prints one CSV line per table on
 * stdout: live files and bytes, and the data files stored in the table's folder (live, or removed
 * and not yet vacuumed), before and after, and the partitions optimized.
 *
 * <p>"Written since" compares the files' modification times with the start of the last successful
 * {@code maintain} in {@code audit_runs}, less an hour for clock skew between the machine and the
 * store: a partition optimized twice costs a rewrite, never a wrong row.
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
                 long[] storedBefore, long[] storedAfter, int partitionsOptimized) {}

  /** Slack for clock skew between this machine and the store when comparing modification times. */
  static final java.time.Duration SKEW = java.time.Duration.ofHours(1);

  /**
   * A table's folder: data files stored (live, or removed and not yet vacuumed) with their bytes,
   * and each partition folder (relative to the table, "" when unpartitioned) with its newest file's
   * modification time.
   */
  record Listing(long files, long bytes, java.util.Map<String, Long> newestByPartition) {
    long[] stored() {
      return new long[] {files, bytes};
    }

    /**
     * The partition folders holding a file modified after this instant (all of them when null) and
     * at least {@code minFiles} live files (two: one file is already as compact and as clustered as it can be).
     */
    List<String> toOptimize(java.time.Instant since, java.util.Map<String, Integer> liveFiles, int minFiles) {
      return newestByPartition.entrySet().stream()
          .filter(e -> since == null || e.getValue() > since.toEpochMilli())
          .map(java.util.Map.Entry::getKey)
          .filter(p -> liveFiles.getOrDefault(p, 0) >= minFiles)
          .sorted().toList();
    }
  }

  @Override
  public String run(Run run) {
    java.time.Instant since = AuditRuns.lastSucceededStart(warehouse, "maintain").map(t -> t.minus(SKEW)).orElse(null);
    LOG.info("Optimizing the partitions written {}", since == null ? "ever (first maintenance)" : "since " + since);
    List<Figures> figures = Parallel.map(warehouse.tables(), parallelism, t -> maintain(t, since));
    System.out.println("table_name,files_before,bytes_before,files_after,bytes_after,stored_files_before,"
        + "stored_bytes_before,stored_files_after,stored_bytes_after,partitions_optimized");
    for (Figures f : figures) {
      System.out.println(String.join(",", f.table(), String.valueOf(f.filesBefore()), String.valueOf(f.bytesBefore()),
          String.valueOf(f.filesAfter()), String.valueOf(f.bytesAfter()), String.valueOf(f.storedBefore()[0]),
          String.valueOf(f.storedBefore()[1]), String.valueOf(f.storedAfter()[0]), String.valueOf(f.storedAfter()[1]),
          String.valueOf(f.partitionsOptimized())));
    }
    System.out.flush();
    return String.format(Locale.ROOT, "tables=%d files %d -> %d, stored files %d -> %d, stored bytes %d -> %d, "
            + "vacuum retention %d days", figures.size(),
        figures.stream().mapToLong(Figures::filesBefore).sum(), figures.stream().mapToLong(Figures::filesAfter).sum(),
        figures.stream().mapToLong(f -> f.storedBefore()[0]).sum(), figures.stream().mapToLong(f -> f.storedAfter()[0]).sum(),
        figures.stream().mapToLong(f -> f.storedBefore()[1]).sum(), figures.stream().mapToLong(f -> f.storedAfter()[1]).sum(),
        retention.vacuumRetentionDays());
  }

  /**
   * One table: retention properties; the partitions written since the last maintenance clustered by
   * the table's Z-order columns, or compacted when the table has none and several files; VACUUM.
   */
  private Figures maintain(String table, java.time.Instant since) {
    long t0 = System.nanoTime();
    String location = warehouse.location(table);
    DeltaTable delta = DeltaTable.forPath(spark, location);
    Row before = delta.detail().select("numFiles", "sizeInBytes", "properties", "partitionColumns").first();
    Listing listing = list(location);
    keepHistory(location, before.getMap(2));
    List<String> layout = Warehouse.partitionColumns(table);
    boolean relaid = !before.<String>getList(3).equals(layout);
    if (relaid) {
      relayout(table, before.getList(3), layout);
    }
    // after a relayout, the table as rewritten: its files are all new
    DeltaTable current = relaid ? DeltaTable.forPath(spark, location) : delta;
    long files = relaid ? current.detail().select("numFiles").first().getLong(0) : before.getLong(0);
    List<String> zorder = Warehouse.zorderColumns(table);
    // a clustered table's files hold at most warehouse.rows-per-file rows (a staging table's,
    // warehouse.staging-rows-per-file): OPTIMIZE ZORDER cuts the rows into ranges of at most its
    // maxFileSize bytes, so that size is set from the table's bytes per row; one file holding more rows
    // than that (a table written whole) is cut up too
    long rows = zorder.isEmpty() ? 0 : current.toDF().count();
    long perFile = warehouse.rowsPerFile(table);
    boolean oversized = rows > perFile;
    List<String> partitions = files < 2 && !oversized ? List.of()
        : (relaid ? list(location) : listing).toOptimize(files < 2 ? null : since, liveFiles(location),
            oversized ? 1 : 2);
    if (!partitions.isEmpty()) {
      DeltaTable target = current;
      if (!zorder.isEmpty()) {
        long bytes = relaid ? current.detail().select("sizeInBytes").first().getLong(0) : before.getLong(1);
        // a session of its own: tables are maintained side by side, each with its own file size
        SparkSession own = spark.newSession();
        // Delta cuts the bytes into floor(bytes / maxFileSize) ranges: as many as files of perFile rows
        long ranges = Math.max(1, (rows + perFile - 1) / perFile);
        own.conf().set("spark.databricks.delta.optimize.maxFileSize", String.valueOf(Math.max(1L, bytes / ranges)));
        target = DeltaTable.forPath(own, location);
      }
      io.delta.tables.DeltaOptimizeBuilder optimize = target.optimize();
      if (!layout.isEmpty()) {
        optimize = optimize.where(partitionPredicate(partitions));
      }
      if (zorder.isEmpty()) {
        optimize.executeCompaction();
      } else {
        optimize.executeZOrderBy(zorder.toArray(String[]::new));
      }
    }
    int optimized = partitions.size();
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
        listing.stored(), list(location).stored(), optimized);
    LOG.info("Maintained {}: {} partitions optimized{}, files {} -> {}, bytes {} -> {}, stored files {} -> {} in {} ms",
        table, f.partitionsOptimized(), zorder.isEmpty() ? "" : " (Z-order " + zorder + ")", f.filesBefore(),
        f.filesAfter(), f.bytesBefore(), f.bytesAfter(), f.storedBefore()[0], f.storedAfter()[0],
        (System.nanoTime() - t0) / 1_000_000);
    return f;
  }

  /**
   * A table written by an older release in another partitioning than its DDL's now (the fact tables
   * were partitioned by date or period until the twenty-second session): rewritten once in the DDL's
   * layout, one Delta commit of the same rows (the versions before it stay readable for the
   * time-travel window). Then optimized as any table whose files were all written since.
   */
  private void relayout(String table, List<String> stored, List<String> layout) {
    long t0 = System.nanoTime();
    String location = warehouse.location(table);
    // the statistics columns a partitioned table was given leave out its partition columns (Delta keeps
    // none on them), which the new layout needs (a night replaces by date): the rewrite keeps Delta's
    // default columns, and the DDL's are set after it, for the writes to come
    spark.sql("ALTER TABLE delta.`" + location + "` UNSET TBLPROPERTIES IF EXISTS ('" + Warehouse.STATS_COLUMNS + "')");
    spark.read().format("delta").load(location).write().format("delta").mode("overwrite")
        .option("overwriteSchema", "true").partitionBy(layout.toArray(String[]::new)).save(location);
    warehouse.setDdlProperties(table);
    LOG.info("Rewrote {} partitioned by {} instead of {} in {} ms", table, layout, stored,
        (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * The SQL predicate selecting these partition folders ({@code k=v/k2=v2}, Hive-style escaped, as
   * Delta writes them).
   */
  static String partitionPredicate(List<String> folders) {
    if (folders.stream().allMatch(f -> !f.contains("/") && !f.endsWith("=__HIVE_DEFAULT_PARTITION__"))
        && folders.stream().map(f -> f.substring(0, f.indexOf('='))).distinct().count() == 1) {
      String column = folders.get(0).substring(0, folders.get(0).indexOf('='));
      return "`" + column + "` IN (" + String.join(", ", folders.stream()
          .map(f -> literal(unescape(f.substring(f.indexOf('=') + 1)))).toList()) + ")";
    }
    List<String> terms = new ArrayList<>();
    for (String folder : folders) {
      List<String> parts = new ArrayList<>();
      for (String kv : folder.split("/")) {
        int eq = kv.indexOf('=');
        String column = kv.substring(0, eq);
        String value = unescape(kv.substring(eq + 1));
        parts.add(value.equals("__HIVE_DEFAULT_PARTITION__") ? "`" + column + "` IS NULL"
            : "`" + column + "` = " + literal(value));
      }
      terms.add("(" + String.join(" AND ", parts) + ")");
    }
    return String.join(" OR ", terms);
  }

  /** A SQL string literal. */
  private static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Undoes Hive's path escaping ({@code %XX}) of a partition value. */
  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The live files of a table per partition folder (relative to the table, "" when unpartitioned). */
  private java.util.Map<String, Integer> liveFiles(String location) {
    String root = new Path(location).toUri().getPath().replaceAll("/$", "");
    java.util.Map<String, Integer> out = new java.util.HashMap<>();
    for (String f : spark.read().format("delta").load(location).inputFiles()) {
      out.merge(relativeFolder(root, new Path(f)), 1, Integer::sum);
    }
    return out;
  }

  /** A file's folder relative to the table's root path ("" for the root itself). */
  private static String relativeFolder(String root, Path file) {
    String parent = file.getParent().toUri().getPath();
    return parent.length() > root.length() ? parent.substring(root.length() + 1) : "";
  }

  /** The table's folder as {@link Listing} describes it. */
  private Listing list(String location) {
    Path dir = new Path(location);
    try {
      FileSystem fs = dir.getFileSystem(warehouse.hadoopConf());
      String root = fs.makeQualified(dir).toUri().getPath().replaceAll("/$", "");
      org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(dir, true);
      long files = 0;
      long bytes = 0;
      java.util.Map<String, Long> newest = new java.util.TreeMap<>();
      while (it.hasNext()) {
        org.apache.hadoop.fs.LocatedFileStatus f = it.next();
        String path = f.getPath().toString();
        if (f.getPath().getName().endsWith(".parquet") && !path.contains("/_delta_log/")) {
          files++;
          bytes += f.getLen();
          newest.merge(relativeFolder(root, f.getPath()), f.getModificationTime(), Math::max);
        }
      }
      return new Listing(files, bytes, newest);
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
