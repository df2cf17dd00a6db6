package com.salespulse.jobs;

import static org.apache.spark.sql.functions.*;

import com.salespulse.jobs.io.InputDataset;
import com.salespulse.jobs.io.InputDrop;
import com.salespulse.jobs.io.InputFile;
import com.salespulse.jobs.io.RawReader;
import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.staging.ParseRules;
import com.salespulse.transforms.staging.QuarantineRecords;
import com.salespulse.transforms.staging.Pseudonymise;
import com.salespulse.transforms.staging.StagingTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ingest} step: one night's drop into validated Delta staging tables.
 *
 * <ol>
 *   <li>every required dataset must have landed ({@code _SUCCESS}), else {@link ExitCode#NOT_LANDED};
 *   <li>every file must have the required columns, else {@link ExitCode#INPUT_REJECTED};
 *   <li>all datasets are read and validated (a dataset whose files hold no record costs no Spark job);
 *       rejected rows are written to {@code quarantine_records} (replacing that run date's rows) and
 *       counted;
 *   <li>if any dataset's quarantined share exceeds the threshold, the run stops with
 *       {@link ExitCode#INPUT_REJECTED} before any staging table changes;
 *   <li>each dataset is collapsed to one row per record and upserted; User and Opportunity
 *       versions are merged into their history tables.
 * </ol>
 */
public final class IngestStep implements Step {

  private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final String inputRoot;
  private final double maxQuarantineShare;
  private final String countryCode;
  private final int parallelism;
  private final Privacy privacy;

  /**
   * Whether staged rows carry pseudonyms instead of outside people's addresses and numbers
   * ({@link Pseudonymise}); the key comes from the environment only.
   */
  record Privacy(List<String> internalDomains, byte[] key) {
    static final Privacy OFF = new Privacy(List.of(), null);

    boolean enabled() {
      return key != null;
    }

    @Override
    public String toString() {
      return enabled() ? "pseudonymise outside addresses and numbers" : "keep addresses";   // never the key
    }
  }

  public IngestStep(SparkSession spark, Warehouse warehouse, String inputRoot, double maxQuarantineShare,
                    String countryCode, int parallelism, Privacy privacy) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.inputRoot = inputRoot;
    this.maxQuarantineShare = maxQuarantineShare;
    this.countryCode = countryCode;
    this.parallelism = parallelism;
    this.privacy = privacy;
  }

  /** It merges into the staging tables it reads: nothing it reads may be kept. */
  @Override
  public boolean keepsReads() {
    return false;
  }

  @Override
  public String name() {
    return "ingest";
  }

  /** Per dataset, the columns of tonight's files the contract does not name (ignored, with a warning). */
  private final List<String> ignoredColumns = new ArrayList<>();

  /** Runs the step; {@code counts} receives each dataset's figures, also when the run is rejected. */
  @Override
  public String run(Run run) {
    int before = run.counts().size();
    run(run.runDate(), run.runId(), run.counts());
    List<DatasetCounts> mine = run.counts().subList(before, run.counts().size());
    return "datasets=" + mine.size() + " rows_read=" + mine.stream().mapToLong(DatasetCounts::rowsRead).sum()
        + " rows_quarantined=" + mine.stream().mapToLong(DatasetCounts::rowsQuarantined).sum()
        + (ignoredColumns.isEmpty() ? "" : " ignored_columns=" + String.join(",", ignoredColumns));
  }

  public void run(LocalDate runDate, String runId, List<DatasetCounts> counts) {
    InputDrop drop = new InputDrop(inputRoot, runDate, spark.sparkContext().hadoopConfiguration());
    List<InputDrop.Landing> landings = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (InputDataset ds : InputDataset.values()) {
      InputDrop.Landing l = drop.landing(ds);
      if (!l.present() && !ds.required) {
        LOG.info("Dataset {} is optional and absent from the drop of {}", ds.path, runDate);
        continue;
      }
      if (!l.complete()) {
        missing.add(l.folder() + (l.present() ? " (no _SUCCESS yet)" : " (no folder yet)"));
      }
      landings.add(l);
    }
    if (!missing.isEmpty()) {
      throw new SalesPulseException(ExitCode.NOT_LANDED,
          "Cannot ingest " + runDate + ": not landed yet: " + String.join(", ", missing));
    }
    ignoredColumns.clear();
    for (InputDrop.Landing l : landings) {
      List<String> extra = RawReader.checkColumns(spark, l.files(), l.dataset().table.requiredSourceColumns(),
          l.dataset().table.sourceColumns());
      if (!extra.isEmpty()) {
        // once per dataset and run, not per file or record: the export gained columns this release does not read
        LOG.warn("Ignoring the columns of {} that the input contract does not name: {}", l.dataset().path,
            String.join(", ", extra));
        ignoredColumns.add(l.dataset().path + ":" + String.join("|", extra));
      }
    }

    ParseRules rules = new ParseRules(runId, runDate, runDate, countryCode);
    Map<InputDataset, Dataset<Row>> validated = new ConcurrentHashMap<>();
    try {
      // Datasets are independent: read, validate and count them concurrently (Spark jobs from
      // several threads share the cluster), then stage them concurrently into distinct tables;
      // the largest first both times (by their files' bytes, then by the rows and tables to write)
      List<DatasetCounts> read = Parallel.mapLargestFirst(landings, parallelism, IngestStep::textBytes, l -> {
        StagingTable table = l.dataset().table;
        if (!RawReader.hasRecords(l.files(), spark.sparkContext().hadoopConfiguration())) {
          // nothing new in this dataset tonight: no Spark work, no commit
          LOG.info("Read {}: files={} with no record", l.dataset().path, l.files().size());
          return new DatasetCounts(l.dataset().path, table.name(), l.files().size(), 0, 0, 0, 0);
        }
        long t0 = System.nanoTime();
        Dataset<Row> raw = RawReader.read(spark, l.files(), table.sourceColumns());
        Dataset<Row> v = table.validate(raw, rules).persist(StorageLevel.MEMORY_AND_DISK());
        validated.put(l.dataset(), v);
        DatasetCounts c = countRows(l, v);
        LOG.info("Read {}: files={} read={} staged={} quarantined={} duplicates={} in {} ms", l.dataset().path,
            c.files(), c.rowsRead(), c.rowsStaged(), c.rowsQuarantined(), c.rowsDuplicate(), (System.nanoTime() - t0) / 1_000_000);
        return c;
      });
      counts.addAll(read);
      Dataset<Row> rejected = warehouse.read(QuarantineRecords.NAME).limit(0);
      for (DatasetCounts c : counts) {
        if (c.rowsQuarantined() > 0) {
          InputDataset ds = InputDataset.fromPath(c.dataset());
          rejected = rejected.unionByName(QuarantineRecords.apply(validated.get(ds), ds.path, ds.table.name(), runDate));
        }
      }
      // replaces this date's quarantined rows; skipped when there are none tonight and none were ever
      // written for this date (no partition folder: a rerun after a rejected attempt still replaces them)
      if (counts.stream().anyMatch(c -> c.rowsQuarantined() > 0)
          || warehouse.hasPartitionFolder(QuarantineRecords.NAME, "run_date=" + runDate)) {
        warehouse.replacePartition(QuarantineRecords.NAME, rejected, "run_date", runDate);
      }

      List<String> overLimit = counts.stream()
          .filter(c -> c.quarantinedShare() > maxQuarantineShare)
          .map(c -> String.format(Locale.ROOT, "%s quarantined %d of %d rows (%.2f%% > %.2f%% allowed)",
              c.dataset(), c.rowsQuarantined(), c.rowsRead(), 100 * c.quarantinedShare(), 100 * maxQuarantineShare))
          .collect(Collectors.toList());
      if (!overLimit.isEmpty()) {
        throw new SalesPulseException(ExitCode.INPUT_REJECTED, "Cannot ingest " + runDate + ": "
            + String.join("; ", overLimit) + "; no staging table was changed, see quarantine_records for run_date "
            + runDate);
      }

      Parallel.mapLargestFirst(counts, parallelism, IngestStep::stagingWork, c -> {
        InputDataset ds = InputDataset.fromPath(c.dataset());
        if (c.rowsStaged() == 0) {
          warehouse.ensure(ds.table.name());
          ds.versions().ifPresent(vt -> warehouse.ensure(vt.name()));
          return c;
        }
        long t0 = System.nanoTime();
        Dataset<Row> checked = validated.get(ds).where(col(StagingTable.REJECT_REASON).isNull());
        Dataset<Row> valid = privacy.enabled()
            ? Pseudonymise.apply(checked, privacy.internalDomains(), privacy.key()) : checked;
        // the upsert brings the staging table to this release's DDL itself (every warehouse write does)
        warehouse.upsert(ds.table, ds.table.collapse(valid));
        ds.versions().ifPresent(vt -> {
          // upgraded before it is read: its recomputed versions are built from the stored ones
          warehouse.addMissingColumns(vt.name());
          warehouse.mergeVersions(vt, vt.apply(valid, warehouse.read(vt.name())));
        });
        LOG.info("Staged {} into {} in {} ms", ds.path, ds.table.name(), (System.nanoTime() - t0) / 1_000_000);
        return c;
      });
    } finally {
      validated.values().forEach(Dataset::unpersist);
    }
  }

  /** A dataset's files' size as text ({@link InputFile#textBytes}), to start the largest first. */
  private static long textBytes(InputDrop.Landing l) {
    return l.files().stream().mapToLong(InputFile::textBytes).sum();
  }

  /**
   * A dataset's staging work, to start the largest first: its rows, plus 10,000 for each write's fixed
   * cost (a first load's staging of 11 rows took 0.8 s, of 48,147 rows 5.3 s), and a dataset with a
   * versions table (deals, users) computes and merges those too, which costs about two writes more
   * (819 deals: 3.4 s). None for a dataset with nothing to stage.
   */
  private static long stagingWork(DatasetCounts c) {
    return c.rowsStaged() == 0 ? 0
        : c.rowsStaged() + 10_000L * (InputDataset.fromPath(c.dataset()).versions().isPresent() ? 3 : 1);
  }

  private static DatasetCounts countRows(InputDrop.Landing l, Dataset<Row> validated) {
    Column ok = col(StagingTable.REJECT_REASON).isNull();
    Column key = struct(l.dataset().table.keyColumns().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    Row r = validated.agg(
        count(lit(1)),
        count(col(StagingTable.REJECT_REASON)),
        count_distinct(when(ok, key))).first();
    long read = r.getLong(0);
    long quarantined = r.getLong(1);
    long staged = r.getLong(2);
    return new DatasetCounts(l.dataset().path, l.dataset().table.name(), l.files().size(), read, staged,
        quarantined, read - quarantined - staged);
  }
}
