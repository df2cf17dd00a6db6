import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Probe helper (scripts/format-probe.sh), run by the launcher with SALESPULSE_MAIN_SOURCE.
 *
 * <p>{@code convert IN OUT MODE}: writes every data file of the drop IN again under OUT in another of
 * the contract's formats, with typed values as other exporters write them (types inferred from the
 * text: booleans, numbers, dates, timestamps; JSON arrays and objects kept): MODE {@code mixed} gives
 * CRM objects alternately as typed JSON lines and Parquet, emails and meetings as Parquet, calls as
 * gzipped JSON lines, payouts as Parquet; MODE {@code parquet} gives every dataset as Parquet.
 *
 * <p>{@code compare A B}: compares every table of warehouse A with warehouse B's, rows as multisets,
 * leaving out the lineage columns (source file, record number and raw text, which name the files) and
 * `audit_runs`. Prints one line per table, "SAME" or "DIFF", and exits 1 on any difference.
 */
public class FormatProbe {
  static final String LINEAGE = "source_file|source_record_number|raw_record|.*_run_id|run_id";

  public static void main(String[] a) throws Exception {
    SparkSession spark = com.salespulse.jobs.SparkSessions.create(com.salespulse.jobs.Settings.load(null,
        java.util.Map.of()), "format-probe");
    int exit = switch (a[0]) {
      case "convert" -> convert(spark, Path.of(a[1]), Path.of(a[2]), a[3]);
      case "compare" -> compare(spark, a[1], a[2]);
      default -> throw new IllegalArgumentException("Cannot probe: unknown mode " + a[0]);
    };
    spark.stop();
    System.exit(exit);
  }

  static int convert(SparkSession spark, Path in, Path out, String mode) throws Exception {
    List<Path> folders;
    try (Stream<Path> w = Files.walk(in)) {
      folders = w.filter(p -> p.getFileName().toString().startsWith("dt=")).sorted().collect(Collectors.toList());
    }
    int n = 0;
    Path scratch = Files.createTempDirectory("format-probe");
    for (Path folder : folders) {
      Path rel = in.relativize(folder);
      String dataset = rel.getParent().toString();
      Path target = Files.createDirectories(out.resolve(rel));
      List<Path> files;
      try (Stream<Path> f = Files.list(folder)) {
        files = f.filter(p -> !p.getFileName().toString().equals("_SUCCESS")).sorted().collect(Collectors.toList());
      }
      for (Path file : files) {
        String name = file.getFileName().toString();
        Dataset<Row> rows = name.contains(".csv")
            ? spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
                .option("inferSchema", "true").csv(file.toString())
            : spark.read().json(file.toString());
        if (rows.columns().length == 0 || rows.isEmpty()) {
          Files.copy(file, target.resolve(name)); // an empty file or a header alone stays as it is
          continue;
        }
        String format = mode.equals("parquet") ? "parquet"
            : dataset.startsWith("crm/") ? (n % 2 == 0 ? "json" : "parquet")
            : dataset.equals("comms/call") ? "json.gz" : "parquet";
        Path written = scratch.resolve("f" + n++);
        DataFrameWriter<Row> w = rows.coalesce(1).write();
        switch (format) {
          case "json" -> w.json(written.toString());
          case "json.gz" -> w.option("compression", "gzip").json(written.toString());
          default -> w.parquet(written.toString());
        }
        Path part;
        try (Stream<Path> t = Files.list(written)) {
          part = t.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
        }
        String ext = switch (format) { case "json" -> ".jsonl"; case "json.gz" -> ".jsonl.gz"; default -> ".parquet"; };
        Files.copy(part, target.resolve(name.replaceAll("\\..*$", "") + ext));
      }
      if (Files.exists(folder.resolve("_SUCCESS"))) {
        Files.createFile(target.resolve("_SUCCESS"));
      }
    }
    System.out.println("converted " + n + " files of " + folders.size() + " dataset folders (" + mode + ")");
    return 0;
  }

  static int compare(SparkSession spark, String a, String b) throws Exception {
    List<String> tables;
    try (Stream<Path> l = Files.list(Path.of(java.net.URI.create(a)))) {
      tables = l.filter(p -> Files.exists(p.resolve("_delta_log"))).map(p -> p.getFileName().toString())
          .filter(t -> !t.equals("audit_runs")).sorted().collect(Collectors.toList());
    }
    int differ = 0;
    for (String t : tables) {
      Dataset<Row> x = spark.read().format("delta").load(a + "/" + t);
      Dataset<Row> y = spark.read().format("delta").load(b + "/" + t);
      Column[] cols = Arrays.stream(x.columns()).filter(c -> !c.matches(LINEAGE)).map(functions::col)
          .toArray(Column[]::new);
      long onlyA = x.select(cols).exceptAll(y.select(cols)).count();
      long onlyB = y.select(cols).exceptAll(x.select(cols)).count();
      differ += onlyA + onlyB > 0 ? 1 : 0;
      System.out.printf("%s %s: %d rows, %d only in the first, %d only in the second%n",
          onlyA + onlyB == 0 ? "SAME" : "DIFF", t, x.count(), onlyA, onlyB);
    }
    System.out.println(differ == 0 ? "every table equal" : differ + " tables differ");
    return differ == 0 ? 0 : 1;
  }
}
