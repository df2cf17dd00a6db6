package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The shared SparkSession of the jobs test JVM, and helpers to build drops and read warehouses. */
final class TestSupport {

  private static SparkSession spark;
  private static Map<String, List<String>> goldenContents;
  private static final Object GOLDEN_CONTENTS_LOCK = new Object();

  /**
   * Spark sized for the tests' tiny data, over conf/local.properties: one shuffle partition, no
   * adaptive re-planning, one partition for Delta's log replay, and expressions interpreted instead
   * of compiled (on a few hundred rows, generating and compiling code took a quarter of a night's
   * time; the results are the same). Commands run in-process use this session as it is
   * (SparkSessions never reconfigures a running session).
   */
  static final Map<String, String> TEST_SPARK = testSpark();

  /** {@link #TEST_SPARK}, read from test-spark.properties (the settings' reasons are written there). */
  private static Map<String, String> testSpark() {
    java.util.Properties p = new java.util.Properties();
    try (java.io.InputStream in = TestSupport.class.getResourceAsStream("/test-spark.properties")) {
      if (in == null) {
        throw new IOException("not found");
      }
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read test-spark.properties from the test classpath: " + e, e);
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * The golden org, generated once per test JVM: 6 reps, a week of history in one drop (dated
   * GOLDEN_FIRST, deals changing day by day) and one daily drop (GOLDEN_LAST).
   */
  static final String GOLDEN_FIRST = "2026-11-02";
  static final String GOLDEN_LAST = "2026-11-03";

  /** The golden warehouse's folder as the first night left it, below {@link #golden}'s root. */
  static final String AFTER_FIRST = "warehouse-after-first-night";

  private TestSupport() {}

  /** One session per JVM, built as the CLI builds it (so commands run in-process reuse it). */
  static synchronized SparkSession spark() {
    if (spark == null) {
      spark = SparkSessions.create(Settings.load(null, TEST_SPARK), "salespulse-tests");
    }
    return spark;
  }

  /**
   * The golden warehouse: the golden org's drops run nightly in order, built once per test JVM and
   * shared by every test that only reads it (tests that write copy it first with {@link #copyTree}).
   * Whoever asks first builds it, and the others that need it wait for it; only they: the build
   * holds no lock that {@link #spark} takes (when it did, every command of the class running beside
   * it waited for the golden nights too, a core idle for a minute).
   */
  static Path golden() throws IOException {
    GOLDEN.run(); // no-op once started or done; then wait for it
    try {
      return GOLDEN.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Cannot wait for the golden warehouse: interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("Cannot build the golden warehouse: " + e.getCause(), e.getCause());
    }
  }

  /** The golden warehouse's build, run once per test JVM by the first to ask ({@link #golden}). */
  private static final java.util.concurrent.FutureTask<Path> GOLDEN = new java.util.concurrent.FutureTask<>(() -> {
    // one folder per build (surefire passes it), shared by the build's test JVMs under a file lock;
    // run from an IDE, a temporary folder of this JVM
    String dir = System.getProperty("salespulse.golden");
    Path root = dir == null ? Files.createTempDirectory("salespulse-golden") : Path.of(dir);
    Files.createDirectories(root);
    Path done = root.resolve("COMPLETE");
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(root.resolve("lock"),
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
         java.nio.channels.FileLock lock = ch.lock()) {
      if (!Files.exists(done)) {
        run(ExitCode.SUCCESS, "generate", "--out", root.resolve("drop").toString(), "--start-date", "2026-10-27",
            "--days", "8", "--bulk-days", "7", "--reps", "6", "--seed", "5");
        // the nights one run each, the warehouse kept as the first left it (FaultsTest kills a run of the
        // second night on a copy of it)
        run(ExitCode.SUCCESS, "nightly", "--run-date", GOLDEN_FIRST,
            "--input-root", root.resolve("drop").toString(), "--warehouse", uri(root.resolve("warehouse")));
        copyTree(root.resolve("warehouse"), root.resolve(AFTER_FIRST));
        run(ExitCode.SUCCESS, "nightly", "--run-date", GOLDEN_LAST,
            "--input-root", root.resolve("drop").toString(), "--warehouse", uri(root.resolve("warehouse")));
        Files.writeString(done, "built by " + ProcessHandle.current().pid());
      }
    }
    return root;
  });

  /**
   * {@link #contents} of the golden warehouse, read once per test JVM (tests compare against it, never
   * change it). Not under the class's lock: {@link #contents} reads on other threads, which take it.
   */
  static Map<String, List<String>> goldenContents() throws IOException {
    synchronized (GOLDEN_CONTENTS_LOCK) {
      if (goldenContents == null) {
        goldenContents = java.util.Collections.unmodifiableMap(contents(goldenWarehouse()));
      }
      return goldenContents;
    }
  }

  static String goldenWarehouse() throws IOException {
    return uri(golden().resolve("warehouse"));
  }

  static String goldenDrop() throws IOException {
    return golden().resolve("drop").toString();
  }

  /** A local folder as the warehouse URI the commands take. */
  static String uri(Path p) {
    return p.toUri().toString().replaceAll("/$", "");
  }

  /** Leaves out of a child process's environment what names a Java: the launcher chooses its own (scripts/jdk.sh). */
  static void withoutJavaChoice(Map<String, String> env) {
    env.remove("JAVA");
    env.remove("JAVA_HOME");
    env.remove("SALESPULSE_JDK_SEARCH");
  }

  static Path exampleDrop() {
    Path p = Path.of(System.getProperty("salespulse.contract.example", "../contract/example"));
    assertThat(p.resolve("crm")).as("the contract's example drop at %s", p).isDirectory();
    return p;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
          target.toFile().setWritable(true);
        }
      }
    }
  }

  /**
   * Adds a quiet night to a drop: every dataset of {@code like} lands again for {@code date}, with
   * the same files and CSV headers and no rows (the contract's "nothing new that night").
   */
  static void quietNight(Path dropRoot, String like, String date) throws IOException {
    List<Path> folders;
    try (Stream<Path> s = Files.walk(dropRoot)) {
      folders = s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().equals("dt=" + like)).toList();
    }
    assertThat(folders).as("datasets landed for %s", like).isNotEmpty();
    for (Path folder : folders) {
      Path out = Files.createDirectories(folder.resolveSibling("dt=" + date));
      try (Stream<Path> files = Files.list(folder)) {
        for (Path f : files.toList()) {
          if (!f.getFileName().toString().contains(".parquet")) {
            writeWithoutRecords(f, out.resolve(f.getFileName().toString()));
          }
        }
      }
    }
  }

  /**
   * A copy of the contract's example drop in which only the named datasets (e.g. {@code comms/call})
   * hold records; every other dataset lands with its files and headers but no record. Ingest stages
   * nothing for those (decided from the files' first lines), so a test about one dataset's input pays
   * for that dataset only.
   */
  static Path exampleDropWithRecordsOnlyIn(Path to, String... datasets) throws IOException {
    copyTree(exampleDrop(), to);
    List<String> keep = List.of(datasets);
    for (String d : keep) {
      // a misspelt name would leave every dataset empty and the test about it vacuous
      assertThat(to.resolve(d)).as("dataset %s in the example drop", d).isDirectory();
    }
    try (Stream<Path> s = Files.walk(to)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String dataset = to.relativize(f.getParent().getParent()).toString().replace('\\', '/');
        assertThat(f.getFileName().toString()).as("a file of the example drop").doesNotContain(".parquet");
        if (!keep.contains(dataset) && !f.getFileName().toString().equals("_SUCCESS")) {
          writeWithoutRecords(f, f);
        }
      }
    }
    return to;
  }

  /** Writes {@code file} without its records to {@code out}: a CSV keeps its header line, gzipped stays gzipped. */
  private static void writeWithoutRecords(Path file, Path out) throws IOException {
    String name = file.getFileName().toString();
    boolean gz = name.endsWith(".gz");
    byte[] raw;
    try (java.io.InputStream in = gz ? new java.util.zip.GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
      raw = in.readAllBytes();
    }
    String text = new String(raw, StandardCharsets.UTF_8);
    byte[] header = (name.contains(".csv") && !text.isEmpty() ? text.substring(0, text.indexOf('\n') + 1) : "")
        .getBytes(StandardCharsets.UTF_8);
    if (gz) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(b)) {
        z.write(header);
      }
      header = b.toByteArray();
    }
    Files.write(out, header);
  }

  /**
   * Flags for a short-lived child JVM running Spark: the module and reflection flags this JVM was
   * started with, and the quick JIT only (it reaches its work sooner without the optimising
   * compiler's), with the usual code cache (the quick JIT alone reserves 48 MB, which Spark fills).
   */
  static List<String> childJvmFlags() {
    List<String> out = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=256m"));
    for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dio.netty") || a.equals("-XX:+IgnoreUnrecognizedVMOptions")) {
        out.add(a);
      }
    }
    return out;
  }

  /** Runs a command in this JVM, asserting its exit code. */
  static void run(ExitCode expected, String... args) {
    if (args[0].equals("generate")) {
      // the generator module (test scope here), as scripts/salespulse runs it
      assertThat(com.salespulse.generator.GenerateCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length)))
          .as("exit code of salespulse %s", String.join(" ", args)).isEqualTo(expected.code);
      return;
    }
    spark();
    assertThat(SalesPulse.run(args)).as("exit code of salespulse %s", String.join(" ", args)).isEqualTo(expected);
  }

  /**
   * Where each thread's {@code System.out} goes: test classes run two at a time (see
   * junit-platform.properties), so a command's output is captured per thread, not by swapping the
   * JVM's stream under another test's feet.
   */
  private static final ThreadLocal<java.io.OutputStream> OUT = new ThreadLocal<>();

  static {
    PrintStream console = System.out;
    System.setOut(new PrintStream(new java.io.OutputStream() {
      private java.io.OutputStream target() {
        java.io.OutputStream o = OUT.get();
        return o == null ? console : o;
      }

      @Override
      public void write(int b) throws IOException {
        target().write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        target().write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        target().flush();
      }
    }, true, StandardCharsets.UTF_8));
  }

  /** Runs a command and returns what it printed on stdout (from this thread). */
  static String stdout(String... args) {
    spark();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    OUT.set(buf);
    try {
      assertThat(SalesPulse.run(args)).as("exit code of salespulse %s", String.join(" ", args)).isEqualTo(ExitCode.SUCCESS);
      System.out.flush();
    } finally {
      OUT.remove();
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  /**
   * The columns each live data file of a table (a local warehouse) keeps statistics on, from its Delta
   * log (every commit's JSON: files added and not removed since): one set per file.
   */
  static List<java.util.Set<String>> statisticsColumns(String warehouse, String table) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    Map<String, java.util.Set<String>> live = new TreeMap<>();
    List<Path> logs;
    try (Stream<Path> s = Files.list(Path.of(java.net.URI.create(warehouse + "/" + table + "/_delta_log")))) {
      logs = s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).sorted().toList();
    }
    for (Path log : logs) {
      for (String line : Files.readAllLines(log)) {
        com.fasterxml.jackson.databind.JsonNode action = json.readTree(line);
        if (action.path("remove").isObject()) {
          live.remove(action.path("remove").path("path").asText());
        }
        com.fasterxml.jackson.databind.JsonNode add = action.path("add");
        if (add.isObject()) {
          java.util.Set<String> cols = new java.util.TreeSet<>();
          json.readTree(add.path("stats").asText("{}")).path("minValues").fieldNames().forEachRemaining(cols::add);
          live.put(add.path("path").asText(), cols);
        }
      }
    }
    return new ArrayList<>(live.values());
  }

  static Dataset<Row> table(String warehouse, String name) {
    return spark().read().format("delta").load(warehouse + "/" + name);
  }

  /**
   * Every table of a warehouse but audit_runs, as sorted rows rendered to text. On fact tables
   * run_id records the run that last computed a row, so it is left out of the comparison.
   */
  static Map<String, List<String>> contents(String warehouse) {
    com.salespulse.jobs.io.Warehouse w = new com.salespulse.jobs.io.Warehouse(spark(), warehouse);
    // tables read two at a time: each read is mostly the driver's planning, and there are two cores
    return w.tables().parallelStream().filter(t -> !t.equals(AuditRuns.NAME)).collect(java.util.stream.Collectors.toMap(
        t -> t, t -> tableRows(warehouse, t), (a, b) -> a, TreeMap::new));
  }

  /** Each Delta table of a local warehouse folder and its latest version (from the log's file names). */
  static Map<String, Long> versions(Path warehouse) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> tables = Files.list(warehouse)) {
      for (Path log : tables.map(t -> t.resolve("_delta_log")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.list(log)) {
          files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
              .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max()
              .ifPresent(v -> out.put(log.getParent().getFileName().toString(), v));
        }
      }
    }
    return out;
  }

  /** One table of a warehouse as {@link #contents} compares it. */
  static List<String> tableRows(String warehouse, String table) {
    return rows(table.startsWith("fct_") ? table(warehouse, table).drop("run_id") : table(warehouse, table));
  }

  /** A table's rows as JSON text, sorted. */
  private static List<String> rows(Dataset<Row> df) {
    Column[] cols = java.util.Arrays.stream(df.columns()).map(c -> df.col(c)).toArray(Column[]::new);
    List<String> rows = new ArrayList<>(df.select(org.apache.spark.sql.functions.to_json(
        org.apache.spark.sql.functions.struct(cols))).as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    rows.sort(String::compareTo);
    return rows;
  }

  /** The newest audit_runs row of a run date. */
  static Row lastAudit(String warehouse, String runDate) {
    return table(warehouse, AuditRuns.NAME).where("run_date = DATE'" + runDate + "'")
        .orderBy(org.apache.spark.sql.functions.col("started_at").desc()).first();
  }

  /**
   * A session of its own (test classes run two at a time) with every table of a warehouse as a
   * temporary view under its bare name.
   */
  static SparkSession sessionWithTables(String warehouse) {
    SparkSession session = spark().newSession();
    for (String t : new com.salespulse.jobs.io.Warehouse(spark(), warehouse).tables()) {
      session.read().format("delta").load(warehouse + "/" + t).createOrReplaceTempView(t);
    }
    return session;
  }

  /** CSV text with a header row, as {@code salespulse sql} prints it. */
  static List<org.apache.commons.csv.CSVRecord> csv(String text) throws java.io.IOException {
    return org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new java.io.StringReader(text)).getRecords();
  }

  /** The exit code of {@code sql -f sql/queries/<name>.sql} without parameters. */
  static ExitCode exitOfQuery(String warehouse, String name) {
    spark();
    return SalesPulse.run("sql", "--warehouse", warehouse, "-f", queryFile(name));
  }

  /** The path of {@code sql/queries/<name>.sql} from the jobs module. */
  static String queryFile(String name) {
    return java.nio.file.Path.of("..", "sql", "queries", name + ".sql").toString();
  }

  /** Runs {@code sql/queries/<name>.sql} through {@code salespulse sql -f} on a warehouse, with NAME=VALUE parameters. */
  static List<org.apache.commons.csv.CSVRecord> query(String warehouse, String name, String... params)
      throws java.io.IOException {
    List<String> args = new ArrayList<>(List.of("sql", "--warehouse", warehouse, "-f", queryFile(name)));
    for (String p : params) {
      args.add("--param=" + p);
    }
    return csv(stdout(args.toArray(String[]::new)));
  }
}
