package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.OptionGroup;
import org.apache.commons.cli.Options;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code sql}: runs Spark SQL with every warehouse table available by its bare name and prints
 * the last statement's result as CSV with a header on stdout (logs go to stderr).
 */
public final class SqlCommand {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqlCommand.class);

  private SqlCommand() {}

  static Options options() {
    Options o = new Options();
    SalesPulse.addCommon(o, false);
    OptionGroup query = new OptionGroup();
    query.addOption(Option.builder("e").longOpt("execute").hasArg().argName("QUERY").desc("SQL to run").get());
    query.addOption(Option.builder("f").longOpt("file").hasArg().argName("FILE").desc("file of SQL statements separated by ';'").get());
    query.setRequired(true);
    o.addOptionGroup(query);
    o.addOption(Option.builder().longOpt("param").hasArg().argName("NAME=VALUE")
        .desc("value of the named parameter :NAME in the statements (repeatable; a string, cast in SQL as needed)").get());
    return o;
  }

  /** The --param values: name to value, in order given. */
  static java.util.Map<String, Object> params(CommandLine cl) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    String[] values = cl.getOptionValues("param");
    for (String v : values == null ? new String[0] : values) {
      int eq = v.indexOf('=');
      if (eq <= 0 || !v.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new SalesPulseException(ExitCode.USAGE, "Cannot read --param '" + v + "': expected NAME=VALUE");
      }
      out.put(v.substring(0, eq), v.substring(eq + 1));
    }
    return out;
  }

  static ExitCode run(CommandLine cl) {
    String sql;
    if (cl.hasOption("file")) {
      try {
        sql = Files.readString(Path.of(cl.getOptionValue("file")), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new SalesPulseException(ExitCode.USAGE, "Cannot read SQL file " + cl.getOptionValue("file") + ": " + e.getMessage());
      }
    } else {
      sql = cl.getOptionValue("execute");
    }
    Settings settings = SalesPulse.settings(cl);
    // its own session: the views it registers are its own, beside any other work in this JVM
    SparkSession spark = SparkSessions.create(settings, "salespulse-sql").newSession();
    Warehouse warehouse = new Warehouse(spark, settings.location(Settings.WAREHOUSE));
    long t0 = System.nanoTime();
    Query query = new Query(spark, warehouse);
    long rows = 0;
    try {
      Dataset<Row> result = query.run(sql, params(cl));
      if (result != null) {
        rows = printCsv(result, System.out);
      }
    } catch (Exception e) {
      throw statementError(e);
    }
    LOG.info("Answered in {} ms: {} rows from {} tables", (System.nanoTime() - t0) / 1_000_000, rows, query.tablesLoaded());
    return ExitCode.SUCCESS;
  }

  /**
   * SQL over a warehouse in a session: each table a statement names is loaded once, as a view under
   * its bare name; named parameters ({@code :name}) bound from a map. The {@code sql} command and
   * the report run their statements through this, so a report figure is the query's answer.
   */
  static final class Query {
    private final SparkSession session;
    /** The warehouse read through this query's session (its views are the session's own). */
    private final Warehouse reader;
    private final List<String> tables;
    private final java.util.Set<String> registered = new java.util.HashSet<>();

    Query(SparkSession session, Warehouse warehouse) {
      this.session = session;
      // Spark 4.1+'s pre-parser leaves named parameters unbound in sql(text, args) (apache/spark#55392);
      // binding them at analysis, as before 4.1, works. The session is the query's own (newSession).
      session.conf().set("spark.sql.legacy.parameterSubstitution.constantsOnly", "true");
      this.reader = new Warehouse(session, warehouse.root());
      this.tables = warehouse.tables();
    }

    /** The last statement's result (earlier statements run for their effect). */
    Dataset<Row> run(String sql, java.util.Map<String, Object> params) {
      Dataset<Row> result = null;
      for (String statement : statements(sql)) {
        // only the tables a statement names are loaded: from the files the table's latest Delta
        // checksum lists when it lists them (no Spark job before the scan), else by Delta
        for (String table : referenced(statement, tables)) {
          if (registered.add(table)) {
            reader.latest(table).createOrReplaceTempView(table);
          }
        }
        java.util.Map<String, Object> used = new java.util.HashMap<>();
        params.forEach((k, v) -> {
          if (java.util.regex.Pattern.compile(":" + k + "(?![A-Za-z0-9_])").matcher(statement).find()) {
            used.put(k, v);
          }
        });
        try {
          result = used.isEmpty() ? session.sql(statement) : session.sql(statement, used);
        } catch (Exception e) {
          // Spark's AnalysisException, checked in Java's eyes, thrown anyway (rethrown as it came otherwise)
          if (e instanceof org.apache.spark.sql.AnalysisException ae && "UNBOUND_SQL_PARAMETER".equals(ae.getCondition())) {
            String name = ae.getMessageParameters().getOrDefault("name", "?");
            throw new SalesPulseException(ExitCode.USAGE, "Cannot run the statement: it takes the parameter :" + name
                + " (pass --param " + name + "=VALUE; the file's header says what it takes)", e);
          }
          throw e;
        }
      }
      return result;
    }

    /** The warehouse's tables (listed once, when the runner was made). */
    List<String> tables() {
      return tables;
    }

    int tablesLoaded() {
      return registered.size();
    }
  }

  /** The tables of the warehouse a statement names (as a whole word, in any case; a mention in a string counts too). */
  static List<String> referenced(String statement, List<String> tables) {
    String lower = statement.toLowerCase(java.util.Locale.ROOT);
    return tables.stream()
        .filter(t -> java.util.regex.Pattern.compile("(?<![a-z0-9_])" + java.util.regex.Pattern.quote(t.toLowerCase(
            java.util.Locale.ROOT)) + "(?![a-z0-9_])").matcher(lower).find())
        .toList();
  }

  /** Statements of a script: split on ';' outside quotes, comments and blanks dropped. */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (quote == 0 && c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        while (i < sql.length() && sql.charAt(i) != '\n') {
          i++;
        }
        cur.append('\n');
        continue;
      }
      if (quote == 0 && (c == '\'' || c == '"' || c == '`')) {
        quote = c;
      } else if (quote == c) {
        quote = 0;
      }
      if (quote == 0 && c == ';') {
        if (!cur.toString().isBlank()) {
          out.add(cur.toString().trim());
        }
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString().trim());
    }
    return out;
  }

  /**
   * What the analyst sees when a statement of theirs fails: the statement's own error, without a
   * stack trace. A statement Spark cannot analyse (a syntax error, an unknown table or column, an
   * ambiguous name) is a usage error (exit 64); one that fails on the data (a division by zero, a
   * value that does not cast, both SQLSTATE class 22) fails the command (exit 1). Anything else is
   * rethrown as it came.
   */
  static RuntimeException statementError(Exception e) {
    if (e instanceof SalesPulseException spe) {
      return spe;
    }
    if (e instanceof org.apache.spark.sql.AnalysisException ae) {
      // its simple message: the analysed plan appended to getMessage() says nothing to an analyst
      return new SalesPulseException(ExitCode.USAGE, "Cannot run the statement: " + ae.getSimpleMessage(), e);
    }
    if (e instanceof org.apache.spark.SparkThrowable t && t.getSqlState() != null && t.getSqlState().startsWith("22")) {
      return new SalesPulseException(ExitCode.FAILURE, "Cannot run the statement: " + e.getMessage(), e);
    }
    return e instanceof RuntimeException re ? re : new IllegalStateException(e);
  }

  /**
   * Prints the rows as CSV with a header; returns how many rows. Columns are taken by position, so a
   * result may name two columns alike ({@code SELECT a.x, b.x ...}), as SQL allows.
   */
  static long printCsv(Dataset<Row> result, PrintStream out) {
    StructType schema = result.schema();
    String[] positional = new String[schema.fields().length];
    for (int i = 0; i < positional.length; i++) {
      positional[i] = "c" + i;
    }
    Dataset<Row> byPosition = result.toDF(positional);
    List<Column> asText = new ArrayList<>();
    for (int i = 0; i < positional.length; i++) {
      StructField f = schema.fields()[i];
      Column c = byPosition.col(positional[i]);
      boolean complex = f.dataType() instanceof ArrayType || f.dataType() instanceof StructType || f.dataType() instanceof MapType;
      asText.add((complex ? org.apache.spark.sql.functions.to_json(c) : c.cast("string")).as(positional[i]));
    }
    try {
      // buffered: a PrintStream such as System.out flushes at every line break, a system call per row
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader(schema.fieldNames()).get());
      long n = 0;
      for (Row r : byPosition.select(asText.toArray(Column[]::new)).collectAsList()) {
        Object[] values = new Object[r.length()];
        for (int i = 0; i < values.length; i++) {
          values[i] = r.isNullAt(i) ? "" : r.getString(i);
        }
        p.printRecord(values);
        n++;
      }
      p.flush();
      return n;
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot print the result: " + e.getMessage(), e);
    }
  }
}
