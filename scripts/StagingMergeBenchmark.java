import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_timestamp;

import com.salespulse.jobs.Settings;
import com.salespulse.jobs.SparkSessions;
import com.salespulse.jobs.io.InputDataset;
import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.staging.StagingTable;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Benchmark helper (scripts/benchmark-staging-merge.sh), run by the launcher with
 * SALESPULSE_MAIN_SOURCE: a night's merge into
 * {@code stg_comms__emails} holding a history of {@code N} messages over {@code DAYS} days, in the
 * layout a first load writes now (files of at most {@code warehouse.staging-rows-per-file} rows, each a
 * span of dates) against one file (as releases before it wrote a first load). The night sends 12
 * messages of its last two days again from another mailbox (an update: the mailboxes grow) and 257 new
 * ones, as the default org's night of changes does. Prints, per layout, the merge's wall time, the
 * stored rows Delta copied to rewrite the files it touched, and the files before and after.
 *   StagingMergeBenchmark N DAYS WORK [ROUNDS]
 */
public class StagingMergeBenchmark {

  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    int days = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]);
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Settings settings = Settings.load(null, Map.of());
    SparkSession spark = SparkSessions.create(settings, "staging-merge-benchmark");
    StagingTable emails = InputDataset.EMAIL.table;
    LocalDate first = LocalDate.parse("2025-10-01");
    LocalDate history = first.plusDays(days - 1);
    LocalDate night = history.plusDays(1);
    Dataset<Row> historyRows = emails(spark, "m", 0, n, days, first, history, "rep@maventech.com").localCheckpoint();
    Dataset<Row> nightRows = emails(spark, "m", n - 12, 12, 2, history.minusDays(1), night, "se@maventech.com")
        .unionByName(emails(spark, "n", 0, 257, 1, night, night, "rep@maventech.com")).localCheckpoint();
    System.out.printf(Locale.ROOT, "history: %,d messages over %d days; night: 12 sent again, 257 new; "
        + "warehouse.staging-rows-per-file = %,d%n", n, days, settings.stagingRowsPerFile());
    for (int r = 1; r <= rounds; r++) {
      for (String layout : new String[] {"one-file", "by-date"}) {
        String uri = work.resolve(layout + "-" + r).toUri().toString();
        Warehouse w = new Warehouse(spark, uri, settings.rowsPerFile(), settings.stagingRowsPerFile());
        if (layout.equals("one-file")) {
          // an older release's first load: the whole history as one file
          w.ensure(emails.name());
          historyRows.coalesce(1).write().format("delta").mode("append").save(w.location(emails.name()));
        } else {
          w.upsert(emails, historyRows);
        }
        int filesBefore = spark.read().format("delta").load(w.location(emails.name())).inputFiles().length;
        long t0 = System.nanoTime();
        w.upsert(emails, nightRows);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Row m = spark.sql("DESCRIBE HISTORY delta.`" + w.location(emails.name()) + "` LIMIT 1")
            .selectExpr("operation", "operationMetrics['numTargetRowsCopied']", "operationMetrics['numTargetFilesRemoved']")
            .first();
        int filesAfter = spark.read().format("delta").load(w.location(emails.name())).inputFiles().length;
        System.out.printf(Locale.ROOT, "round %d %-8s: %s in %.1f s, %s stored rows copied, %s of %d files rewritten,"
            + " %d files after%n", r, layout, m.getString(0), seconds, m.getString(1), m.getString(2), filesBefore,
            filesAfter);
      }
    }
    spark.stop();
  }

  /** {@code n} staged messages in id order over {@code days} days from {@code from}, from one drop and mailbox. */
  private static Dataset<Row> emails(SparkSession spark, String prefix, long start, long n, int days, LocalDate from,
                                     LocalDate drop, String mailbox) {
    StructType schema = Warehouse.ddlSchema("stg_comms__emails");
    Dataset<Row> ids = spark.range(start, start + n).toDF();
    return ids.select(java.util.Arrays.stream(schema.fields()).map(f -> switch (f.name()) {
      case "message_id" -> concat(lit(prefix), ids.col("id").cast("string")).as(f.name());
      case "thread_id" -> concat(lit("t"), ids.col("id").divide(3).cast("long").cast("string")).as(f.name());
      case "sent_at" -> to_timestamp(date_add(lit(Date.valueOf(from)),
          ids.col("id").minus(start).multiply(days).divide(n).cast("int"))).as(f.name());
      case "from_email" -> lit(mailbox).as(f.name());
      case "to_emails" -> array(concat(lit("buyer"), ids.col("id").mod(5000).cast("string"), lit("@acme.example")))
          .as(f.name());
      case "cc_emails" -> array().cast(f.dataType()).as(f.name());
      case "subject" -> concat(lit("Re: proposal "), ids.col("id").mod(997).cast("string")).as(f.name());
      case "mailboxes" -> array(lit(mailbox)).as(f.name());
      case "source_dt" -> lit(Date.valueOf(drop)).as(f.name());
      case "source_file" -> lit("comms/email/dt=" + drop + "/" + mailbox + ".csv").as(f.name());
      case "source_record_number" -> ids.col("id").plus(1).as(f.name());
      case "run_id" -> lit("salespulse-" + drop).as(f.name());
      case "ingested_at" -> to_timestamp(lit(Date.valueOf(drop.plusDays(1)))).as(f.name());
      default -> lit(null).cast(f.dataType()).as(f.name());
    }).toArray(org.apache.spark.sql.Column[]::new));
  }
}
