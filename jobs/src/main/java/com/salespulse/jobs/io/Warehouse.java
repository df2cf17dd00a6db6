package com.salespulse.jobs.io;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import com.salespulse.jobs.ExitCode;
import com.salespulse.jobs.SalesPulseException;
import com.salespulse.transforms.staging.StagingTable;
import com.salespulse.transforms.staging.VersionsTable;
import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Delta warehouse: one table per folder below the root, each created from its DDL in
 * {@code sql/tables/<name>.sql} (the single source of its schema and comments).
 */
public final class Warehouse {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Warehouse.class);
  /** The run log, read by several steps of an attempt (their "now") and appended to at its end. */
  private static final String AUDIT_RUNS = "audit_runs";

  /** One Delta commit made through this warehouse: the table, Delta's operation, version and rows written. */
  public record Commit(String tableName, String operation, long version, long rowsWritten) {}

  private final SparkSession spark;
  private final String root;
  private final long rowsPerClusteredFile;
  private final long rowsPerStagingFile;
  private final java.util.concurrent.ConcurrentLinkedQueue<Commit> commits = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** Tables known to exist (a table is never dropped during a run): checked once, not on every read. */
  private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Reads kept for the attempt (see {@link #read}), by table. */
  private final Map<String, Dataset<Row>> kept = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean keepReads;

  public Warehouse(SparkSession spark, String root) {
    this(spark, root, ROWS_PER_CLUSTERED_FILE);
  }

  /** A warehouse whose clustered tables' files hold at most {@code rowsPerClusteredFile} rows ({@code warehouse.rows-per-file}). */
  public Warehouse(SparkSession spark, String root, long rowsPerClusteredFile) {
    this(spark, root, rowsPerClusteredFile, ROWS_PER_STAGING_FILE);
  }

  /**
   * A warehouse whose clustered fact tables' files hold at most {@code rowsPerClusteredFile} rows
   * ({@code warehouse.rows-per-file}) and clustered staging tables' at most {@code rowsPerStagingFile}
   * ({@code warehouse.staging-rows-per-file}).
   */
  public Warehouse(SparkSession spark, String root, long rowsPerClusteredFile, long rowsPerStagingFile) {
    this.spark = spark;
    this.root = root.replaceAll("/+$", "");
    this.rowsPerClusteredFile = rowsPerClusteredFile;
    this.rowsPerStagingFile = rowsPerStagingFile;
  }

  public String root() {
    return root;
  }

  public String location(String table) {
    return root + "/" + table;
  }

  private final Map<String, Object> creating = new java.util.concurrent.ConcurrentHashMap<>();
  /** Tables this warehouse brought to this release's DDL before writing to them ({@link #ensureForWrite}). */
  private final java.util.Set<String> upgraded = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Whether the table has a Delta commit: a listing of its log. Delta's own check
   * ({@code DeltaTable.isDeltaTable}) loads the table's snapshot, and a night with nothing to stage asks
   * this of each of its 18 staging tables and writes none of them (the ingest step of a quiet night of
   * the benchmark's org: 1.9-2.4 s before, 1.2-1.8 s after).
   */
  public boolean exists(String table) {
    if (known.contains(table)) {
      return true;
    }
    boolean exists = latestCommitFile(table).isPresent();
    if (exists) {
      known.add(table);
    }
    return exists;
  }

  /** Whether this release ships a DDL for the table (a folder of the warehouse may be someone else's). */
  public static boolean hasDdl(String table) {
    return Warehouse.class.getResource("/sql/tables/" + table + ".sql") != null;
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

  /**
   * The columns a table's files are clustered by (Z-order) when maintained: its DDL's
   * {@code -- zorder:} line, or none.
   */
  public static List<String> zorderColumns(String table) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^-- zorder: ([a-z_, ]+?)(\\s*\\(.*)?$")
        .matcher(ddl(table));
    return m.find() ? java.util.Arrays.stream(m.group(1).split(",")).map(String::trim).toList() : List.of();
  }

  /** The columns a table's DDL partitions it by ({@code PARTITIONED BY}), in order, or none. */
  public static List<String> partitionColumns(String table) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?mi)^\\s*PARTITIONED\\s+BY\\s*\\(([^)]*)\\)")
        .matcher(ddl(table));
    return m.find() ? java.util.Arrays.stream(m.group(1).split(",")).map(String::trim).toList() : List.of();
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
    // one creation of a table at a time in this process (threads stage tables in parallel)
    synchronized (creating.computeIfAbsent(table, t -> new Object())) {
      if (exists(table)) {
        return;
      }
      clearAbortedCreation(table);
      long t0 = System.nanoTime();
      String sql = ddl(table).replaceFirst("(?i)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+" + table + "\\b",
          "CREATE TABLE IF NOT EXISTS delta.`" + location(table) + "`");
      spark.sql(sql.replaceAll(";\\s*$", ""));
      LOG.debug("Created {} in {} ms", table, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /**
   * Before a write: the table created from its DDL when missing, and, once per table and warehouse,
   * given the columns this release's DDL adds ({@link #addMissingColumns}): a write of rows with a
   * column the stored table lacks would fail (an overwrite, a replaceWhere) or drop it (a merge), so
   * every step writing a table written by an older release upgrades it first, whichever it is.
   */
  private void ensureForWrite(String table) {
    ensure(table);
    if (upgraded.add(table)) {
      addMissingColumns(table);
      setDdlProperties(table);
    }
  }

  private static final java.util.regex.Pattern TBLPROPERTIES =
      java.util.regex.Pattern.compile("(?is)\\bTBLPROPERTIES\\s*\\((.*?)\\)\\s*;?\\s*$");
  private static final java.util.regex.Pattern PROPERTY =
      java.util.regex.Pattern.compile("'([^']*)'\\s*=\\s*'([^']*)'");

  /** The table properties a table's DDL sets ({@code TBLPROPERTIES}, at its end), in order; none without. */
  public static Map<String, String> ddlProperties(String table) {
    Map<String, String> out = new LinkedHashMap<>();
    java.util.regex.Matcher m = TBLPROPERTIES.matcher(ddl(table));
    if (m.find()) {
      java.util.regex.Matcher p = PROPERTY.matcher(m.group(1));
      while (p.find()) {
        out.put(p.group(1), p.group(2));
      }
    }
    return out;
  }

  /** The table property naming the columns Delta keeps per-file statistics on. */
  public static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  /**
   * Gives a stored table the properties its DDL sets and it lacks or holds otherwise (a table created
   * by an older release): one {@code ALTER TABLE}, only when one differs. Delta keeps no statistics on
   * partition columns (an older release's tables were partitioned by date): they are left out of the
   * statistics columns. Returns what it set.
   */
  public Map<String, String> setDdlProperties(String table) {
    Map<String, String> want = new LinkedHashMap<>(ddlProperties(table));
    if (want.isEmpty() || !exists(table)) {
      return Map.of();
    }
    StoredMetadata stored = storedMetadata(table);
    // (none left: the property is not set, and Delta keeps its default columns)
    want.computeIfPresent(STATS_COLUMNS, (k, v) -> java.util.Arrays.stream(v.split(","))
        .filter(c -> !stored.partitionColumns().contains(c)).collect(Collectors.collectingAndThen(
            Collectors.joining(","), kept -> kept.isEmpty() ? null : kept)));
    Map<String, String> set = new LinkedHashMap<>();
    want.forEach((k, v) -> {
      if (!v.equals(stored.properties().get(k))) {
        set.put(k, v);
      }
    });
    if (!set.isEmpty()) {
      spark.sql("ALTER TABLE delta.`" + location(table) + "` SET TBLPROPERTIES (" + set.entrySet().stream()
          .map(e -> "'" + e.getKey() + "' = '" + e.getValue() + "'").collect(Collectors.joining(", ")) + ")");
      forget(table);
      LOG.info("Upgraded {} to this release's DDL: set {}", table, set);
    }
    return set;
  }

  /** A stored table's properties and partition columns. */
  private record StoredMetadata(Map<String, String> properties, List<String> partitionColumns) {}

  /**
   * A table's properties and partition columns as stored: from its latest version's checksum when it
   * has one (a small read, no Spark work), else from Delta's detail of the table.
   */
  private StoredMetadata storedMetadata(String table) {
    Optional<Checksum> sum = latestChecksum(table);
    if (sum.isPresent() && sum.get().json().path("metadata").path("partitionColumns").isArray()) {
      com.fasterxml.jackson.databind.JsonNode metadata = sum.get().json().path("metadata");
      Map<String, String> properties = new LinkedHashMap<>();
      metadata.path("configuration").fields().forEachRemaining(e -> properties.put(e.getKey(), e.getValue().asText()));
      List<String> partitions = new ArrayList<>();
      metadata.path("partitionColumns").forEach(c -> partitions.add(c.asText()));
      return new StoredMetadata(properties, partitions);
    }
    Row detail = DeltaTable.forPath(spark, location(table)).detail().select("properties", "partitionColumns").first();
    return new StoredMetadata(detail.getJavaMap(0), detail.getList(1));
  }

  /**
   * A run killed while creating a table can leave its folder with a {@code _delta_log} but no
   * commit: not a Delta table, yet a folder that {@code CREATE TABLE IF NOT EXISTS} takes for one
   * (and then every write fails with "doesn't exist"). Such remains hold nothing that was ever
   * committed, so they are removed before the table is created. A folder holding anything else
   * without a commit is not touched: the creation fails naming it.
   */
  private void clearAbortedCreation(String table) {
    Path dir = new Path(location(table));
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf());
      if (!fs.exists(dir)) {
        return;
      }
      for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(dir)) {
        if (!f.getPath().getName().equals("_delta_log")) {
          throw new IllegalStateException("Cannot create table " + table + ": its folder " + dir
              + " holds files but no Delta commit; move them away and rerun");
        }
      }
      LOG.warn("Removing the remains of a creation of {} that never committed (a run killed while creating it): {}",
          table, dir);
      fs.delete(dir, true);
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot check the folder of " + table + ": " + e.getMessage(), e);
    }
  }

  /**
   * The columns of a table's DDL that the stored table lacks (a table written by an older release;
   * the step that writes it adds them, {@link #addMissingColumns}); none when it does not exist.
   */
  public List<String> missingColumns(String table) {
    if (!exists(table)) {
      return List.of();
    }
    java.util.Set<String> have = java.util.Set.of(storedColumns(table));
    List<String> missing = new ArrayList<>();
    for (org.apache.spark.sql.types.StructField f : ddlSchema(table).fields()) {
      if (!have.contains(f.name())) {
        missing.add(f.name());
      }
    }
    return missing;
  }

  /**
   * The stored table's column names: from the schema its latest Delta version checksum records when it
   * has one (a small read), else from Delta's snapshot of the table (which loads it: about a tenth of a
   * second each, and a night asks this of a dozen tables).
   */
  private String[] storedColumns(String table) {
    java.util.Optional<com.fasterxml.jackson.databind.JsonNode> metadata = latestChecksum(table)
        .map(c -> c.json().path("metadata"))
        .filter(m -> m.path("schemaString").isTextual());
    if (metadata.isPresent()) {
      try {
        return schemaOf(metadata.get()).fieldNames();
      } catch (RuntimeException e) {
        LOG.debug("{}: schema of its checksum not read ({})", table, e.getMessage());
      }
    }
    return spark.read().format("delta").load(location(table)).columns();
  }

  /** The table schema a Delta {@code metaData} action (as a checksum holds it) records. */
  private static org.apache.spark.sql.types.StructType schemaOf(com.fasterxml.jackson.databind.JsonNode metadata) {
    return (org.apache.spark.sql.types.StructType) org.apache.spark.sql.types.DataType.fromJson(
        metadata.path("schemaString").asText());
  }

  /**
   * Upgrades a stored table to its DDL: adds (with their comments) the columns the DDL has and the
   * table lacks, so a warehouse written by an older release keeps working. Returns what it added.
   */
  public List<String> addMissingColumns(String table) {
    List<String> added = missingColumns(table);
    List<String> defs = new ArrayList<>();
    for (org.apache.spark.sql.types.StructField f : ddlSchema(table).fields()) {
      if (added.contains(f.name())) {
        defs.add(f.toDDL());
      }
    }
    if (!defs.isEmpty()) {
      spark.sql("ALTER TABLE delta.`" + location(table) + "` ADD COLUMNS (" + String.join(", ", defs) + ")");
      forget(table);
      LOG.info("Upgraded {} to this release's DDL: added {}", table, added);
    }
    return added;
  }

  /**
   * A table as stored now. While reads are kept ({@link #keepReads}), a staging or dimension table
   * (and {@code audit_runs}) is scanned once: its first read (from the files its Delta checksum lists
   * when it can, {@link #checksumRead}) is checkpointed (executors' memory, spilling to disk) and every
   * later read in the attempt reuses it, until this warehouse writes the table or
   * {@link #releaseReads} is called.
   */
  public Dataset<Row> read(String table) {
    ensure(table);
    if (!keepReads || !(table.startsWith("stg_") || table.startsWith("dim_") || table.equals(AUDIT_RUNS))) {
      return latest(table);
    }
    return kept.computeIfAbsent(table, t -> latest(t).localCheckpoint());
  }

  /**
   * The table's latest version: from the files its checksum lists when it can ({@link #checksumRead}),
   * else by Delta. Never kept (see {@link #read}), and the table is not created when missing.
   */
  public Dataset<Row> latest(String table) {
    return checksumRead(table).orElseGet(() -> load(table));
  }

  /** A Delta version checksum: its file's name and its content. */
  private record Checksum(String file, com.fasterxml.jackson.databind.JsonNode json) {}

  /**
   * The Delta version checksum ({@code _delta_log/<version>.crc}) of a table's latest commit; empty
   * when the table has no commit, the commit no checksum, or the checksum cannot be read.
   */
  private java.util.Optional<Checksum> latestChecksum(String table) {
    java.util.Optional<Path> commit = latestCommitFile(table);
    if (commit.isEmpty()) {
      return java.util.Optional.empty();
    }
    Path crc = new Path(commit.get().getParent(), commit.get().getName().replace(".json", ".crc"));
    try {
      FileSystem fs = crc.getFileSystem(hadoopConf());
      if (!fs.exists(crc)) {
        return java.util.Optional.empty();
      }
      try (InputStream in = fs.open(crc)) {
        com.fasterxml.jackson.databind.JsonNode sum = JSON.readTree(in);
        return sum != null && sum.isObject() ? java.util.Optional.of(new Checksum(crc.getName(), sum))
            : java.util.Optional.empty();
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("{}: checksum {} not read ({})", table, crc, e.getMessage());
      return java.util.Optional.empty();
    }
  }

  /**
   * The table at its latest version, read from the data files its Delta version checksum lists
   * ({@code _delta_log/<version>.crc}, field {@code allFiles}: the protocol's "Version Checksum File",
   * which Delta writes with every commit of a table of few files). The rows are those of Delta's own
   * scan, without the Spark jobs Delta runs before the first scan of each table version (rebuilding
   * the table's state from its log and aggregating it, three or four jobs per table and version
   * whatever its size: on tiny staging tables most of a night's reads). Empty, and Delta reads the
   * table, whenever the checksum does not say it all: no checksum for the latest commit, no file list
   * in it, a list that disagrees with its own file count or size, a reader protocol above 1 (deletion
   * vectors, column mapping and other features that change how files are read), or a partitioned
   * table whose files are not where their partition values say ({@code <column>=<value>/}, values of
   * letters, digits, {@code . _ -} only) or whose values are null. A partitioned table's partition
   * columns come from the files' folders, as Delta wrote them, and a filter on them prunes the folders.
   */
  public java.util.Optional<Dataset<Row>> checksumRead(String table) {
    java.util.Optional<Checksum> checksum = latestChecksum(table);
    if (checksum.isEmpty()) {
      return java.util.Optional.empty();
    }
    com.fasterxml.jackson.databind.JsonNode sum = checksum.get().json();
    String crc = checksum.get().file();
    com.fasterxml.jackson.databind.JsonNode files = sum.path("allFiles");
    com.fasterxml.jackson.databind.JsonNode metadata = sum.path("metadata");
    if (!files.isArray() || files.size() != sum.path("numFiles").asLong(-1)
        || sum.path("protocol").path("minReaderVersion").asInt(-1) != 1
        || !metadata.path("partitionColumns").isArray() || !metadata.path("schemaString").isTextual()) {
      return java.util.Optional.empty();
    }
    List<String> partitionColumns = new ArrayList<>();
    metadata.path("partitionColumns").forEach(c -> partitionColumns.add(c.asText()));
    List<String> paths = new ArrayList<>();
    long bytes = 0;
    for (com.fasterxml.jackson.databind.JsonNode f : files) {
      if (f.hasNonNull("deletionVector") || !f.path("path").isTextual()) {
        return java.util.Optional.empty();
      }
      // a relative path is a URI relative to the table's folder (percent-encoded), as in the log
      String path = f.path("path").asText();
      java.net.URI uri = java.net.URI.create(path);
      if (!partitionColumns.isEmpty() && (uri.isAbsolute() || !inPartitionFolders(uri.getPath(), partitionColumns,
          f.path("partitionValues")))) {
        return java.util.Optional.empty();
      }
      paths.add(uri.isAbsolute() ? path : new Path(new Path(location(table)), new Path(uri)).toString());
      bytes += f.path("size").asLong();
    }
    if (bytes != sum.path("tableSizeBytes").asLong(-1)) {
      return java.util.Optional.empty();
    }
    org.apache.spark.sql.types.StructType schema = schemaOf(metadata);
    LOG.debug("{}: read from the {} files its checksum {} lists", table, paths.size(), crc);
    if (paths.isEmpty()) {
      return java.util.Optional.of(spark.createDataFrame(List.of(), schema));
    }
    // the partition columns from the folders below the table's (typed by the schema, put last by the
    // reader): back in the table's column order
    Dataset<Row> rows = spark.read().schema(schema).option("basePath", location(table))
        .parquet(paths.toArray(String[]::new));
    return java.util.Optional.of(partitionColumns.isEmpty() ? rows
        : rows.select(java.util.Arrays.stream(schema.fieldNames()).map(rows::col).toArray(Column[]::new)));
  }

  /** A partition value the folder name holds as it is (no escaping, no null marker). */
  private static final java.util.regex.Pattern PLAIN_PARTITION_VALUE = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+");

  /** Whether a file's relative path starts with its partition values' folders, in the table's order. */
  static boolean inPartitionFolders(String relativePath, List<String> columns,
                                    com.fasterxml.jackson.databind.JsonNode values) {
    StringBuilder prefix = new StringBuilder();
    for (String c : columns) {
      com.fasterxml.jackson.databind.JsonNode v = values.path(c);
      if (!v.isTextual() || !PLAIN_PARTITION_VALUE.matcher(v.asText()).matches()
          || !PLAIN_PARTITION_VALUE.matcher(c).matches()) {
        return false;
      }
      prefix.append(c).append('=').append(v.asText()).append('/');
    }
    return relativePath.startsWith(prefix.toString());
  }

  /** The Hadoop configuration the warehouse's file systems are opened with. */
  public org.apache.hadoop.conf.Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  private Dataset<Row> load(String table) {
    return spark.read().format("delta").load(location(table));
  }

  /**
   * Keeps what is read from now on (see {@link #read}): a step's inputs are read by many queries
   * (each scan of a Delta table lists its files with a query and a Spark job of its own), and
   * several steps read the same staging tables.
   */
  public void keepReads() {
    keepReads = true;
  }

  /** Drops every kept read and stops keeping them. */
  public void releaseReads() {
    keepReads = false;
    for (String t : List.copyOf(kept.keySet())) {
      forget(t);
    }
  }

  /** Drops the kept read of a table this warehouse just changed: later reads see the new version. */
  private void forget(String table) {
    Dataset<Row> d = kept.remove(table);
    if (d != null) {
      d.unpersist(false);
    }
  }

  /**
   * Upserts a batch (one row per key) into a staging table: a row replaces the stored one only
   * when its order columns are greater, and union columns accumulate, so loading nights in any
   * order, or twice, gives the same table.
   */
  public void upsert(StagingTable t, Dataset<Row> batch) {
    if (appendedToEmpty(t.name(), batch)) {
      return;
    }
    String on = t.keyColumns().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
    // the copy that ranks higher wins (StagingTable.order: a same-version re-send never replaces the first copy)
    Column newer = t.order(c -> col("s." + c))
        .gt(t.order(c -> col("t." + c)));
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
    String grows = unions.isEmpty() ? null : unions.entrySet().stream()
        .map(e -> "t." + e.getKey() + " IS NULL OR size(" + e.getValue() + ") > size(t." + e.getKey() + ")")
        .collect(Collectors.joining(" OR "));
    // a copy that changes nothing (its key stored, not newer, no union value added: a record sent again
    // unchanged) is left out of the merge, which would otherwise rewrite every file it matches
    Column changes = grows == null ? newer : newer.or(expr(grows));
    Optional<Dataset<Row>> merging = toMerge(t.name(), batch, on, expr(on).and(coalesce(not(changes), lit(false))));
    if (merging.isEmpty()) {
      return;
    }
    if (fitsOneFile(t.name())) {
      // the merge's clauses, row by row: the first that applies gives the row
      rewriteWhole(t.name(), merging.get(), t.keyColumns(), c -> when(newer, expr(all.get(c)))
          .when(grows == null ? lit(false) : expr(grows), expr(unions.getOrDefault(c, "t." + c))));
      return;
    }
    long before = latestVersion(t.name());
    DeltaMergeBuilder m = DeltaTable.forPath(spark, location(t.name())).as("t")
        .merge(merging.get().as("s"), on)
        .whenMatched(newer).updateExpr(all);
    if (grows != null) {
      m = m.whenMatched(grows).updateExpr(unions);
    }
    m.whenNotMatched().insertAll().execute();
    recordCommitSince(t.name(), before);
  }

  /** Merges recomputed versions (all versions of each touched record) into a versions table. */
  public void mergeVersions(VersionsTable v, Dataset<Row> versions) {
    if (appendedToEmpty(v.name(), versions)) {
      return;
    }
    String on = v.keyColumns().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
    // a version stored exactly as recomputed is left out: the versions of a record sent again
    // unchanged (a full-snapshot export) come back as stored, lineage included (StagingTable.order)
    String same = v.columns().stream().filter(c -> !v.keyColumns().contains(c))
        .map(c -> "t." + c + " <=> s." + c).collect(Collectors.joining(" AND "));
    Optional<Dataset<Row>> merging = toMerge(v.name(), versions, on, expr(on + " AND " + same));
    if (merging.isEmpty()) {
      return;
    }
    if (fitsOneFile(v.name())) {
      // update all, insert all: a source row replaces its stored one
      rewriteWhole(v.name(), merging.get(), v.keyColumns(), c -> when(lit(true), col("s." + c)));
      return;
    }
    long before = latestVersion(v.name());
    DeltaTable.forPath(spark, location(v.name())).as("t")
        .merge(merging.get().as("s"), on)
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .execute();
    recordCommitSince(v.name(), before);
  }

  /**
   * Whether a staging table's stored rows fit one data file ({@code warehouse.staging-rows-per-file}),
   * by the row counts its latest checksum lists (no Spark work; false when it lists none). A merge that
   * updates a row of such a table rewrites the file holding it, which is most of the table, with a
   * Delta merge's machinery: its source materialised, a join to find the files, a join to rewrite
   * them, 8 to 10 Spark jobs and a second or more of planning between them (a night of changes'
   * deals: 5.8 s for 819 stored records). {@link #rewriteWhole} writes the same rows in one job.
   */
  private boolean fitsOneFile(String table) {
    OptionalLong rows = storedRows(table);
    return rows.isPresent() && rows.getAsLong() <= rowsPerFile(table);
  }

  /**
   * The rows a table holds at its latest version, from the per-file statistics its checksum lists
   * ({@code numRecords} of each file); empty when the checksum or a file's count is missing.
   */
  private OptionalLong storedRows(String table) {
    Optional<Checksum> checksum = latestChecksum(table);
    if (checksum.isEmpty()) {
      return OptionalLong.empty();
    }
    com.fasterxml.jackson.databind.JsonNode files = checksum.get().json().path("allFiles");
    if (!files.isArray() || files.size() != checksum.get().json().path("numFiles").asLong(-1)) {
      return OptionalLong.empty();
    }
    long rows = 0;
    for (com.fasterxml.jackson.databind.JsonNode f : files) {
      try {
        com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(f.path("stats").asText("{}")).path("numRecords");
        if (!n.canConvertToLong() || f.hasNonNull("deletionVector")) {
          return OptionalLong.empty();
        }
        rows += n.asLong();
      } catch (IOException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(rows);
  }

  /**
   * What a {@code MERGE} of {@code changing} ({@code s}) into the table ({@code t}) on its key leaves,
   * written as the whole table: a stored row no source row matches stays as it is, a source row no
   * stored row matches is inserted, and a matched row takes, column by column, what {@code matched}
   * gives (its {@code otherwise} the stored value). The commit is an overwrite; the rows it records as
   * written are the source's (inserted or updated), as a merge's metrics count them.
   */
  private void rewriteWhole(String table, Dataset<Row> changing, List<String> keys,
                            java.util.function.Function<String, Column> matched) {
    Dataset<Row> stored = latest(table);
    Column on = keys.stream().map(k -> col("t." + k).equalTo(col("s." + k))).reduce(Column::and).orElseThrow();
    Column storedOnly = col("s._sp_source").isNull();
    Column sourceOnly = col("t._sp_stored").isNull();
    java.util.Set<String> source = java.util.Set.of(changing.columns());
    // a stored column the source lacks (none after the upgrade to the DDL) keeps its values, as in a merge
    Column[] out = java.util.Arrays.stream(stored.columns())
        .map(c -> !source.contains(c) ? col("t." + c).as(c)
            : when(storedOnly, col("t." + c)).when(sourceOnly, col("s." + c))
                .otherwise(matched.apply(c).otherwise(col("t." + c))).as(c))
        .toArray(Column[]::new);
    Dataset<Row> rows = stored.withColumn("_sp_stored", lit(true)).as("t")
        .join(changing.withColumn("_sp_source", lit(true)).as("s"), on, "full_outer")
        .select(out);
    overwrite(table, rows, null, changing.count());
  }

  /**
   * Whether a table holds no row because nothing was ever written to it: its only commit is its
   * creation (a look at its Delta log, no Spark work). Merging into such a table inserts every row,
   * so a plain append does the same work without the merge's joins.
   */
  public boolean isEmpty(String table) {
    return latestCommit(table).map(c -> c.version() == 0 && c.info().path("operation").asText().equals("CREATE TABLE"))
        .orElse(false);
  }

  /**
   * Creates the table when missing and, when it is empty, appends the rows in its stored column
   * order (the columns a merge's insert-all would fill) instead of merging: the first load of a table.
   * Returns whether it did.
   */
  private boolean appendedToEmpty(String table, Dataset<Row> rows) {
    ensureForWrite(table);
    if (!isEmpty(table)) {
      return false;
    }
    // a first load, the whole history: in ranges of the clustering column, one per task
    appendRows(table, rows, true);
    return true;
  }

  /**
   * Appends rows in the table's stored column order (the columns a merge's insert-all fills); a
   * clustered table's {@code ranged} ({@link #writer}).
   */
  private void appendRows(String table, Dataset<Row> rows, boolean ranged) {
    Column[] cols = java.util.Arrays.stream(read(table).columns()).map(rows::col).toArray(Column[]::new);
    writer(table, rows.select(cols), ranged).mode("append").save(location(table));
    recordCommit(table);
  }

  /**
   * The default of {@code warehouse.rows-per-file}: at most this many rows per data file of a fact
   * table clustered by its DDL's {@code -- zorder:} columns. A night replaces a span of dates, and Delta
   * rewrites every file holding a row of the span, so a table kept in one file (a first load wrote a
   * year of activity as one) was rewritten whole every night (2.7M activity rows for 16 days).
   */
  public static final long ROWS_PER_CLUSTERED_FILE = 250_000;

  /**
   * The default of {@code warehouse.staging-rows-per-file}: at most this many rows per data file of a
   * staging table clustered by its DDL's {@code -- zorder:} column (the record's date). A staging
   * {@code MERGE} that updates a stored record rewrites the whole file holding it: kept in one file,
   * the emails of a history load were copied whole for the dozen re-sent messages of a night (48,135
   * rows for 12; a 2,000-rep year's 975,000). Records sent again are recent ones, which sit in the
   * newest file when the files hold spans of dates. Smaller than a fact table's: a merge copies every
   * row of a file it touches through a join, where a fact table's replace only writes new rows.
   */
  public static final long ROWS_PER_STAGING_FILE = 20_000;

  /**
   * The Delta writer of a table's rows: a clustered table's sorted by its columns within each write
   * task, in files of bounded rows. Delta's optimized write (on in the local settings) then gathers the
   * tasks' rows into large bins, which interleaves the sorted runs of a write of several tasks: fine for
   * a night's rows (recent dates anyway, as one file). Rows that make a table's whole history are
   * {@code ranged}: a first load of a staging table or a fact table, a fact table recomputed whole
   * ({@code --full}). Their files must each hold a span of dates of its own, or every later night's merge
   * or replace of its recent dates rewrites all of them (interleaved, a first load's three email files
   * each spanned every date; a 2,000-rep year's first night after its history load wrote 2.7M activity
   * rows for 16 days) until {@code maintain} clusters them. Rows that fit one file are written as one.
   */
  private org.apache.spark.sql.DataFrameWriter<Row> writer(String table, Dataset<Row> rows, boolean ranged) {
    List<String> zorder = zorderColumns(table);
    if (zorder.isEmpty()) {
      return rows.write().format("delta");
    }
    Column[] by = zorder.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    boolean split = false;
    if (ranged) {
      // computed once: the range partitioning samples its input before shuffling it, and on the rows' own
      // plan that sampling computes them twice (a year's engagement snapshots: 456 -> 611 s); the count
      // that sizes the ranges reads the checkpoint too
      rows = rows.localCheckpoint();
      long n = rows.count();
      long perFile = rowsPerFile(table);
      if (n > perFile) {
        // one range per task, about four fifths of a file's bound: each task writes one file of a span of
        // its own, without the optimized write (which would bin the tasks' rows together again)
        int ranges = (int) Math.min(10_000, (5 * n + 4 * perFile - 1) / (4 * perFile));
        LOG.info("Writing {} rows of {} in {} ranges of {}", n, table, ranges, zorder);
        rows = rows.repartitionByRange(ranges, by);
        split = true;
      }
    }
    org.apache.spark.sql.DataFrameWriter<Row> w = rows.sortWithinPartitions(by)
        .write().format("delta").option("maxRecordsPerFile", rowsPerFile(table));
    return split ? w.option("optimizeWrite", "false") : w;
  }

  /**
   * The most rows a data file of a clustered table holds: {@code warehouse.staging-rows-per-file} for a
   * staging table, {@code warehouse.rows-per-file} for any other.
   */
  public long rowsPerFile(String table) {
    return table.startsWith("stg_") ? rowsPerStagingFile : rowsPerClusteredFile;
  }

  /**
   * Replaces the rows of one partition of a table partitioned by {@code column} with these rows (all of
   * that partition). A partition never written (no folder) is appended to: a replace would first have
   * Delta reconstruct the table's file list to find what to remove, an append only adds files (a night
   * of changes' 2 quarantined rows: 6.5 and 6.7 s from its last dataset read to its first staging merge
   * with a replace, 3.1 and 3.5 s with an append).
   */
  public void replacePartition(String table, Dataset<Row> rows, String column, LocalDate value) {
    if (hasPartitionFolder(table, column + "=" + value)) {
      replaceWhere(table, rows, column + " = DATE'" + value + "'");
    } else {
      ensureForWrite(table);
      appendRows(table, rows, false);
    }
  }

  /** Replaces the rows matching a predicate (e.g. one run date) with these rows. */
  public void replaceWhere(String table, Dataset<Row> rows, String predicate) {
    replaceWhere(table, rows, predicate, false);
  }

  /**
   * Replaces the rows matching a predicate with these rows, which are the table's whole history when
   * {@code whole} ({@code --full}) or when the table is empty (a first load): then written in ranges of
   * its clustering columns ({@link #writer}).
   */
  public void replaceWhere(String table, Dataset<Row> rows, String predicate, boolean whole) {
    ensureForWrite(table);
    writer(table, rows, whole || isEmpty(table)).mode("overwrite").option("replaceWhere", predicate)
        .save(location(table));
    recordCommit(table);
  }

  /** Replaces the whole table with these rows (the DDL's schema and comments are kept). */
  public void overwrite(String table, Dataset<Row> rows) {
    overwrite(table, rows, null);
  }

  /**
   * Replaces the whole table with rows derived from other tables, recording what they were derived
   * from ({@link #derivedFrom}) as the commit's {@code userMetadata} (shown by DESCRIBE HISTORY).
   */
  public void overwrite(String table, Dataset<Row> rows, String derivedFrom) {
    overwrite(table, rows, derivedFrom, -1);
  }

  /** {@link #overwrite(String, Dataset, String)}, recording {@code rowsWritten} rows when not -1. */
  private void overwrite(String table, Dataset<Row> rows, String derivedFrom, long rowsWritten) {
    ensureForWrite(table);
    org.apache.spark.sql.DataFrameWriter<Row> w = writer(table, rows, true).mode("overwrite");
    if (derivedFrom != null) {
      w = w.option("userMetadata", derivedFrom);
    }
    w.save(location(table));
    recordCommit(table, rowsWritten);
  }

  /**
   * What a table derived whole from these input tables would be derived from now: each input at
   * the version of its latest commit that changed rows (see {@link #latestDataCommit}), and a digest
   * of everything else it depends on (code version, rules, dates). No Spark work: a listing of each
   * input's Delta log, and a read of its newest commits.
   */
  public String derivedFrom(List<String> inputs, String settings) {
    StringBuilder sb = new StringBuilder("derived from");
    for (String input : inputs) {
      long version = latestDataCommit(input).map(LogCommit::version).orElseGet(() -> latestVersion(input));
      sb.append(' ').append(input).append('@').append(version);
    }
    return sb.append(" settings ").append(sha256(settings).substring(0, 16)).toString();
  }

  /**
   * Whether a table's latest commit that changed rows was a write derived from exactly this (same
   * input versions, same settings): then recomputing it would write the same rows, and the night can
   * keep it as it is. Table maintenance since (a weekly {@code maintain}) keeps the rows as they were.
   */
  public boolean isDerivedFrom(String table, String derivedFrom) {
    return latestDataCommit(table).map(c -> derivedFrom.equals(c.info().path("userMetadata").asText(null)))
        .orElse(false);
  }

  /**
   * Delta operations that leave a table's rows as they were: what {@code maintain} commits on a
   * table (files compacted and clustered, old files vacuumed, properties set to the DDL's). A schema
   * change or a rewrite of the rows is not among them.
   */
  public static final java.util.Set<String> SAME_ROWS_OPERATIONS = java.util.Set.of(
      "OPTIMIZE", "VACUUM START", "VACUUM END", "SET TBLPROPERTIES", "UNSET TBLPROPERTIES");

  /**
   * The table's newest commit that may have changed its rows: the newest commit, or, when that and
   * the commits before it were table maintenance ({@link #SAME_ROWS_OPERATIONS}), the commit before
   * them. Without it the first night after a {@code maintain} recomputed every table derived whole
   * (the dimensions, the stage history, the payout lines: 48 more Spark jobs and 2 more commits in the
   * rollup of the benchmark's night of changes). Empty when the table does not exist, or when the log
   * kept no such commit (its older entries cleaned up): a caller then recomputes.
   */
  private java.util.Optional<LogCommit> latestDataCommit(String table) {
    for (Path file : commitFilesNewestFirst(table)) {
      LogCommit c = commitAt(table, file);
      if (!SAME_ROWS_OPERATIONS.contains(c.info().path("operation").asText())) {
        return java.util.Optional.of(c);
      }
    }
    return java.util.Optional.empty();
  }

  private static String sha256(String s) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot digest settings: " + e.getMessage(), e);
    }
  }

  /**
   * Appends rows. Fields added inside a nested column since a table was created (e.g. a new field
   * of an array of structs) are merged into its schema; anything else that differs still fails.
   */
  public void append(String table, Dataset<Row> rows) {
    ensureForWrite(table);
    rows.write().format("delta").mode("append").option("mergeSchema", "true").save(location(table));
    forget(table);
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

  private static final java.util.regex.Pattern COMMIT_FILE = java.util.regex.Pattern.compile("\\d{20}\\.json");
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** A commit of a table, read from its Delta log: its version and its {@code commitInfo} action. */
  private record LogCommit(long version, com.fasterxml.jackson.databind.JsonNode info) {}

  /** The newest commit file of a table's Delta log (a listing, no read); empty when the table has none. */
  private java.util.Optional<Path> latestCommitFile(String table) {
    return commitFilesNewestFirst(table).stream().findFirst();
  }

  /** The commit files of a table's Delta log, newest first (a listing, no read); none when it has no log. */
  private List<Path> commitFilesNewestFirst(String table) {
    Path log = new Path(location(table), "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(log)) {
        return List.of();
      }
      List<Path> files = new ArrayList<>();
      for (FileStatus s : fs.listStatus(log, f -> COMMIT_FILE.matcher(f.getName()).matches())) {
        files.add(s.getPath());
      }
      files.sort(java.util.Comparator.comparing(Path::getName).reversed());
      return files;
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot list " + log + ": " + e.getMessage(), e);
    }
  }

  private static long versionOf(Path commitFile) {
    return Long.parseLong(commitFile.getName().substring(0, 20));
  }

  /**
   * The table's newest commit, from its own entry in the Delta log (the {@code commitInfo} action of
   * {@code _delta_log/<version>.json}): a listing and one small read, instead of the Spark job of
   * Delta's history API. Empty when the table does not exist.
   */
  private java.util.Optional<LogCommit> latestCommit(String table) {
    return latestCommitFile(table).map(file -> commitAt(table, file));
  }

  /** Reads one commit file of a table's Delta log: its version and its {@code commitInfo} action. */
  private LogCommit commitAt(String table, Path file) {
    try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
        file.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(file), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("{\"commitInfo\"")) {
          return new LogCommit(versionOf(file), JSON.readTree(line).get("commitInfo"));
        }
      }
      throw new IOException("no commitInfo action");
    } catch (IOException | RuntimeException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot read the commit of " + table + " in " + file
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * The rows of a merge source ({@code s}) that a {@code MERGE} into the table ({@code t}) must apply, or
   * empty when no merge is needed. The rows that would change the table are those no stored row
   * matches on {@code unchanged} (same key, nothing the merge would write), computed once (a local
   * checkpoint, which the merge's own source materialisation reads instead of joining again). None (a
   * rerun, a full-snapshot export of records stored already): the merge, whose join and commit would
   * change nothing, is not run. Only new keys (most nights of most tables: new emails, calls, tasks,
   * history rows): they are appended here, which inserts the same rows without the merge's search of
   * the table's files for matches.
   *
   * @param on the key equality of {@code s} and {@code t} (keys are unique in a staging table)
   * @param unchanged {@code on} and nothing to write
   */
  private Optional<Dataset<Row>> toMerge(String table, Dataset<Row> rows, String on, Column unchanged) {
    // the stored rows from the files the table's checksum lists when it lists them (no Delta scan: its
    // preparation, rebuilding and listing the table's state, was most of a small merge's planning)
    Dataset<Row> stored = latest(table).withColumn("_sp_stored", lit(true));
    // a left join on the key, then the unchanged copies dropped: the same rows as an anti-join on
    // `unchanged` (one stored row per key), each marked with whether its key is stored
    Dataset<Row> changing = rows.as("s").join(stored.as("t"), expr(on), "left")
        .where(not(coalesce(unchanged, lit(false))))
        .select(col("s.*"), coalesce(col("t._sp_stored"), lit(false)).as("_sp_stored"))
        .localCheckpoint();
    if (changing.isEmpty()) {
      LOG.debug("{}: every record of the batch stored already, no merge", table);
      return Optional.empty();
    }
    // asked only when something changes: a batch stored already costs one look, as before
    if (changing.where(col("_sp_stored")).isEmpty()) {
      appendRows(table, changing.drop("_sp_stored"), false);
      return Optional.empty();
    }
    return Optional.of(changing.drop("_sp_stored"));
  }

  /** The version of a table's latest commit (-1 without one): a listing of its Delta log. */
  private long latestVersion(String table) {
    return latestCommitFile(table).map(Warehouse::versionOf).orElse(-1L);
  }

  /**
   * Records the latest commit of a table when a merge made one: Delta commits nothing for a merge
   * that neither updates nor inserts a row (a batch sent again unchanged), and the table stays at
   * its version.
   */
  private void recordCommitSince(String table, long before) {
    if (latestVersion(table) > before) {
      recordCommit(table);
    } else {
      LOG.debug("{}: nothing changed, no commit", table);
    }
  }

  /** Records the table's latest commit: version, operation, rows written (output rows of a write; rows inserted or updated by a merge). */
  private void recordCommit(String table) {
    recordCommit(table, -1);
  }

  /** {@link #recordCommit(String)}, with the rows written when not -1 (else from the commit's metrics). */
  private void recordCommit(String table, long rowsWritten) {
    forget(table);
    LogCommit c = latestCommit(table).orElseThrow(() -> new SalesPulseException(ExitCode.FAILURE,
        "Cannot read the latest commit of " + table + ": the table has none"));
    String operation = c.info().path("operation").asText();
    com.fasterxml.jackson.databind.JsonNode m = c.info().path("operationMetrics");
    long rows = rowsWritten >= 0 ? rowsWritten : operation.equals("MERGE")
        ? metric(m, "numTargetRowsInserted") + metric(m, "numTargetRowsUpdated")
        : metric(m, "numOutputRows");
    commits.add(new Commit(table, operation, c.version(), rows));
  }

  private static long metric(com.fasterxml.jackson.databind.JsonNode metrics, String name) {
    com.fasterxml.jackson.databind.JsonNode v = metrics.get(name);
    return v == null ? 0L : Long.parseLong(v.asText());
  }


  /**
   * Whether a partition folder (e.g. {@code run_date=2026-11-02}) was ever written below a table: when
   * not, the table has no row of that partition. (A folder whose rows were replaced stays until VACUUM.)
   */
  public boolean hasPartitionFolder(String table, String partition) {
    Path p = new Path(location(table), partition);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot check " + p + ": " + e.getMessage(), e);
    }
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
}
