package com.salespulse.jobs;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import com.salespulse.jobs.io.InputDataset;
import com.salespulse.jobs.io.InputDrop;
import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.attribution.FctActivities;
import com.salespulse.transforms.scope.RecomputeScope;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The recompute scope of one night ({@link RecomputeScope}), computed once from staging when a step
 * first needs it (after ingest) and shared by the steps that follow: attribute and rollup recompute
 * the same dates.
 */
final class NightScope {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NightScope.class);

  private final Warehouse warehouse;
  private final String inputRoot;
  private final LocalDate runDate;
  private LocalDate attributionStart;
  private Boolean reattributes;
  private final java.util.Set<String> currenciesChecked = new java.util.HashSet<>();

  NightScope(Warehouse warehouse, String inputRoot, LocalDate runDate) {
    this.warehouse = warehouse;
    this.inputRoot = inputRoot;
    this.runDate = runDate;
  }

  /** The first activity date this night re-attributes (and rolls up from). */
  synchronized LocalDate attributionStart(int reattributionDays, String timezone) {
    if (attributionStart == null) {
      Column tonight = RecomputeScope.stagedOn(runDate);
      ActivityRecords r = new ActivityRecords();
      Dataset<Row> oldest = RecomputeScope.oldestActivityDate(r.emails, r.meetings, r.calls, r.events, r.emailMessages,
          r.tasks, tonight, timezone);
      // and the dates at which the activities of tonight's records are stored (one moved from a date
      // before the window would keep its old row: counted twice); one query for both
      if (warehouse.exists(FctActivities.NAME)) {
        oldest = oldest.union(RecomputeScope.oldestStoredDate(warehouse.read(FctActivities.NAME), r.emails, r.meetings,
            r.calls, r.events, r.emailMessages, r.tasks, tonight));
      }
      LocalDate first = date(oldest.agg(min("oldest")).first());
      attributionStart = RecomputeScope.attributionStart(runDate, reattributionDays, first);
      if (first != null && attributionStart.equals(first)) {
        LOG.info("Late records, or records of activities stored at an earlier date, back to {}: recomputing from there",
            first);
      }
    }
    return attributionStart;
  }

  /**
   * Whether this night re-attributes ({@link RecomputeScope#reattributes}): its drop staged a record
   * ({@link #stagedTonight}), or a model was trained for its date (by this attempt or an earlier one).
   * Asked after the attribute step picked its model; a step run alone after the date's ingest sees the
   * same, so the answer does not depend on which steps an attempt runs.
   */
  synchronized boolean reattributes() {
    if (reattributes == null) {
      boolean staged = stagedTonight();
      boolean newModel = new AttributionModels(warehouse).latest(runDate).filter(runDate::equals).isPresent();
      reattributes = RecomputeScope.reattributes(staged, newModel);
      if (!reattributes) {
        LOG.info("Nothing staged for {} and no model trained for it: the attributed activities stand", runDate);
      }
    }
    return reattributes;
  }

  /**
   * Whether the drop of the run date changed staging. Only the ingest of this date's drop stages copies
   * from it, and a stored row keeps the {@code source_dt} of the copy that won: so a drop without
   * records stages nothing, and a drop whose records were all sent before, unchanged (a full snapshot
   * of the CRM, which the contract allows), left no row dated by it either ({@link Warehouse#upsert}
   * leaves such copies out). The mark stays in the table, so a rerun of the date answers the same. Also
   * true when the drop has not landed whole, and for any record of a table with union columns
   * ({@code mailboxes}), whose growth changes a row but not its {@code source_dt}.
   */
  private boolean stagedTonight() {
    Dataset<Row> dated = null;
    for (InputDrop.Landing l : new InputDrop(inputRoot, runDate, warehouse.hadoopConf()).mayHoldRecords()) {
      InputDataset ds = l.dataset();
      if (!l.complete() || !ds.table.unionColumns().isEmpty()) {
        return true;
      }
      // a late, older copy can add a version to the history without replacing the current row
      List<String> tables = new ArrayList<>(List.of(ds.table.name()));
      ds.versions().ifPresent(v -> tables.add(v.name()));
      for (String t : tables) {
        Dataset<Row> rows = warehouse.read(t).where(RecomputeScope.stagedOn(runDate)).select(lit(1).as("staged"));
        dated = dated == null ? rows : dated.union(rows);
      }
    }
    boolean staged = dated != null && !dated.isEmpty();
    if (dated != null && !staged) {
      LOG.info("The drop of {} holds records, all as staged before: it changed no staging table", runDate);
    }
    return staged;
  }

  /**
   * The first date the rollup recomputes ({@link RecomputeScope#rollupStart}). A rollup run without
   * this attempt's attribute step (the {@code rollup} command alone) also reaches back to where an
   * earlier attempt's attribute step re-attributed from: the stored row of an activity moved since is
   * gone by then, and with it what made that window reach back.
   */
  LocalDate rollupStart(int reattributionDays, String timezone) {
    if (!reattributes()) {
      return runDate;
    }
    boolean attributedInThisAttempt;
    synchronized (this) {
      attributedInThisAttempt = attributionStart != null;
    }
    LocalDate start = attributionStart(reattributionDays, timezone);
    LocalDate recorded = attributedInThisAttempt ? null : AuditRuns.attributedFrom(warehouse, runDate);
    return recorded != null && recorded.isBefore(start) ? recorded : start;
  }

  /**
   * {@link CurrencyCheck#check} of a staging table's {@code currency_code}, once a night: the rollup
   * and the reconciliation both add up deals' amounts.
   */
  synchronized void checkCurrencies(String table, com.salespulse.transforms.CurrencyConversion conversion) {
    if (!currenciesChecked.contains(table)) {
      CurrencyCheck.check(warehouse.read(table), "currency_code", table, conversion);
      currenciesChecked.add(table);
    }
  }

  /** The oldest activity date among the staged records selected, or null. */
  LocalDate oldest(Column which, String timezone) {
    ActivityRecords r = new ActivityRecords();
    return date(RecomputeScope.oldestActivityDate(r.emails, r.meetings, r.calls, r.events, r.emailMessages, r.tasks,
        which, timezone).first());
  }

  /** The staging tables whose records are activities: communications and CRM-logged records. */
  private final class ActivityRecords {
    final Dataset<Row> emails = warehouse.read("stg_comms__emails");
    final Dataset<Row> meetings = warehouse.read("stg_comms__meetings");
    final Dataset<Row> calls = warehouse.read("stg_comms__calls");
    final Dataset<Row> events = warehouse.read("stg_crm__events");
    final Dataset<Row> emailMessages = warehouse.read("stg_crm__email_messages");
    final Dataset<Row> tasks = warehouse.read("stg_crm__tasks");
  }

  private static LocalDate date(Row r) {
    return r.isNullAt(0) ? null : r.getDate(0).toLocalDate();
  }
}
