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
    return o;
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
    List<String> tables = warehouse.tables();
    java.util.Set<String> registered = new java.util.HashSet<>();
    Dataset<Row> result = null;
    for (String statement : statements(sql)) {
      // only the tables a statement names are loaded (each load reads that table's Delta log)
      for (String table : referenced(statement, tables)) {
        if (registered.add(table)) {
          spark.read().format("delta").load(warehouse.location(table)).createOrReplaceTempView(table);
        }
      }
      result = spark.sql(statement);
    }
    long rows = 0;
    if (result != null) {
      rows = printCsv(result, System.out);
    }
    LOG.info("Answered in {} ms: {} rows from {} tables", (System.nanoTime() - t0) / 1_000_000, rows, registered.size());
    return ExitCode.SUCCESS;
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

  /** Prints the rows as CSV with a header; returns how many rows. */
  static long printCsv(Dataset<Row> result, PrintStream out) {
    StructType schema = result.schema();
    List<Column> asText = new ArrayList<>();
    for (StructField f : schema.fields()) {
      Column c = org.apache.spark.sql.functions.col("`" + f.name() + "`");
      boolean complex = f.dataType() instanceof ArrayType || f.dataType() instanceof StructType || f.dataType() instanceof MapType;
      asText.add((complex ? org.apache.spark.sql.functions.to_json(c) : c.cast("string")).as(f.name()));
    }
    try {
      // buffered: a PrintStream such as System.out flushes at every line break, a system call per row
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader(schema.fieldNames()).get());
      long n = 0;
      for (Row r : result.select(asText.toArray(Column[]::new)).collectAsList()) {
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
