package com.salespulse.jobs.io;

import com.salespulse.jobs.ExitCode;
import com.salespulse.jobs.SalesPulseException;
import com.salespulse.transforms.staging.StagingTable;
import com.salespulse.transforms.staging.VersionsTable;
import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Delta warehouse: one table per folder below the root, each created from its DDL in
 * {@code sql/tables/<name>.sql} (the single source of its schema and comments).
 */
public final class Warehouse {

  /** One Delta commit made through this warehouse: the table, Delta's operation, version and rows written. */
  public record Commit(String tableName, String operation, long version, long rowsWritten) {}

  private final SparkSession spark;
  private final String root;
  private final java.util.concurrent.ConcurrentLinkedQueue<Commit> commits = new java.util.concurrent.ConcurrentLinkedQueue<>();

  public Warehouse(SparkSession spark, String root) {
    this.spark = spark;
    this.root = root.replaceAll("/+$", "");
  }

  public String root() {
    return root;
  }

  public String location(String table) {
    return root + "/" + table;
  }

  public boolean exists(String table) {
    return DeltaTable.isDeltaTable(spark, location(table));
  }

  /** The DDL of a table as shipped in {@code sql/tables/}. */
  public static String ddl(String table) {
    try (InputStream in = Warehouse.class.getResourceAsStream("/sql/tables/" + table + ".sql")) {
      if (in == null) {
        throw new IllegalStateException("Cannot create table " + table + ": no DDL sql/tables/" + table + ".sql");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read DDL of " + table + ": " + e.getMessage(), e);
    }
  }

  /** The columns of a table's DDL, in order, with their comments. */
  public static org.apache.spark.sql.types.StructType ddlSchema(String table) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?s)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+\\w+\\s*\\((.*)\\)\\s*USING").matcher(ddl(table));
    if (!m.find()) {
      throw new IllegalStateException("Cannot read the columns of the DDL of " + table);
    }
    return org.apache.spark.sql.types.StructType.fromDDL(m.group(1));
  }

  /** Creates the table from its DDL at its location when it does not exist yet. */
  public void ensure(String table) {
    if (exists(table)) {
      return;
    }
    String sql = ddl(table).replaceFirst("(?i)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+" + table + "\\b",
        "CREATE TABLE IF NOT EXISTS delta.`" + location(table) + "`");
    spark.sql(sql.replaceAll(";\\s*$", ""));
  }

  /**
   * Upgrades a stored table to its DDL: adds (with their comments) the columns the DDL has and the
   * table lacks, so a warehouse written by an older release keeps working. Returns what it added.
   */
  public List<String> addMissingColumns(String table) {
    if (!exists(table)) {
      return List.of();
    }
    java.util.Set<String> have = java.util.Set.of(spark.read().format("delta").load(location(table)).columns());
    List<String> added = new ArrayList<>();
    List<String> defs = new ArrayList<>();
    for (org.apache.spark.sql.types.StructField f : ddlSchema(table).fields()) {
      if (!have.contains(f.name())) {
        added.add(f.name());
        defs.add(f.toDDL());
      }
    }
    if (!defs.isEmpty()) {
      spark.sql("ALTER TABLE delta.`" + location(table) + "` ADD COLUMNS (" + String.join(", ", defs) + ")");
    }
    return added;
  }

  public Dataset<Row> read(String table) {
    ensure(table);
    return spark.read().format("delta").load(location(table));
  }

  /**
   * Upserts a batch (one row per key) into a staging table: a row replaces the stored one only
   * when its order columns are greater, and union columns accumulate, so loading nights in any
   * order, or twice, gives the same table.
   */
  public void upsert(StagingTable t, Dataset<Row> batch) {
    ensure(t.name());
    String on = t.keyColumns().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
    String newer = "struct(" + prefixed("s", t.orderColumns()) + ") > struct(" + prefixed("t", t.orderColumns()) + ")";
    Map<String, String> all = new LinkedHashMap<>();
    Map<String, String> unions = new LinkedHashMap<>();
    for (String c : t.columns()) {
      all.put(c, "s." + c);
    }
    for (String u : t.unionColumns()) {
      // coalesce: a row stored before the column existed (upgraded table) holds null
      String merged = "array_sort(array_union(coalesce(t." + u + ", s." + u + "), s." + u + "))";
      all.put(u, merged);
      unions.put(u, merged);
    }
    DeltaMergeBuilder m = DeltaTable.forPath(spark, location(t.name())).as("t")
        .merge(batch.as("s"), on)
        .whenMatched(newer).updateExpr(all);
    if (!unions.isEmpty()) {
      String grows = unions.entrySet().stream()
          .map(e -> "t." + e.getKey() + " IS NULL OR size(" + e.getValue() + ") > size(t." + e.getKey() + ")")
          .collect(Collectors.joining(" OR "));
      m = m.whenMatched(grows).updateExpr(unions);
    }
    m.whenNotMatched().insertAll().execute();
    recordCommit(t.name());
  }

  /** Merges recomputed versions (all versions of each touched record) into a versions table. */
  public void mergeVersions(VersionsTable v, Dataset<Row> versions) {
    ensure(v.name());
    String on = v.keyColumns().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
    DeltaTable.forPath(spark, location(v.name())).as("t")
        .merge(versions.as("s"), on)
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .execute();
    recordCommit(v.name());
  }

  /** Replaces the rows matching a predicate (e.g. one run date) with these rows. */
  public void replaceWhere(String table, Dataset<Row> rows, String predicate) {
    ensure(table);
    rows.write().format("delta").mode("overwrite").option("replaceWhere", predicate).save(location(table));
    recordCommit(table);
  }

  /** Replaces the whole table with these rows (the DDL's schema and comments are kept). */
  public void overwrite(String table, Dataset<Row> rows) {
    ensure(table);
    rows.write().format("delta").mode("overwrite").save(location(table));
    recordCommit(table);
  }

  /**
   * Appends rows. Fields added inside a nested column since a table was created (e.g. a new field
   * of an array of structs) are merged into its schema; anything else that differs still fails.
   */
  public void append(String table, Dataset<Row> rows) {
    ensure(table);
    rows.write().format("delta").mode("append").option("mergeSchema", "true").save(location(table));
  }

  /**
   * The commits made through this warehouse since the last call (audit appends excepted), oldest
   * first, with the rows each wrote from Delta's own operation metrics (no count of the data).
   */
  public List<Commit> drainCommits() {
    List<Commit> out = new ArrayList<>();
    for (Commit c; (c = commits.poll()) != null; ) {
      out.add(c);
    }
    return out;
  }

  /** Rows written by a commit: output rows of a write; rows inserted or updated by a merge. */
  private void recordCommit(String table) {
    Row h = DeltaTable.forPath(spark, location(table)).history(1).select("version", "operation", "operationMetrics")
        .first();
    Map<String, String> m = h.isNullAt(2) ? Map.of() : h.getJavaMap(2);
    long rows = h.getString(1).equals("MERGE")
        ? metric(m, "numTargetRowsInserted") + metric(m, "numTargetRowsUpdated")
        : metric(m, "numOutputRows");
    commits.add(new Commit(table, h.getString(1), h.getLong(0), rows));
  }

  private static long metric(Map<String, String> metrics, String name) {
    String v = metrics.get(name);
    return v == null ? 0L : Long.parseLong(v);
  }

  /** Names of the Delta tables under the root. */
  public List<String> tables() {
    return folders(root, "_delta_log");
  }

  /** Sorted names of the folders directly below {@code dir} that hold {@code child}; none when dir does not exist. */
  public List<String> folders(String dir, String child) {
    List<String> out = new ArrayList<>();
    try {
      Path d = new Path(dir);
      FileSystem fs = d.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(d)) {
        return out;
      }
      for (FileStatus s : fs.listStatus(d)) {
        if (s.isDirectory() && fs.exists(new Path(s.getPath(), child))) {
          out.add(s.getPath().getName());
        }
      }
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot list " + dir + ": " + e.getMessage(), e);
    }
    out.sort(String::compareTo);
    return out;
  }

  private static String prefixed(String alias, List<String> cols) {
    return cols.stream().map(c -> alias + "." + c).collect(Collectors.joining(", "));
  }
}
