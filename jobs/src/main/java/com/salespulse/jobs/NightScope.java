package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.scope.RecomputeScope;
import java.time.LocalDate;
import com.salespulse.jobs.io.InputDrop;
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
      LocalDate oldest = oldest(RecomputeScope.stagedOn(runDate), timezone);
      attributionStart = RecomputeScope.attributionStart(runDate, reattributionDays, oldest);
      if (oldest != null && attributionStart.equals(oldest)) {
        LOG.info("Late records back to {}: recomputing from there", oldest);
      }
    }
    return attributionStart;
  }

  /**
   * Whether this night re-attributes ({@link RecomputeScope#reattributes}): its drop holds a record
   * (or has not landed whole), or a model was trained for its date (by this attempt or an earlier one). Asked after the attribute
   * step picked its model; a step run alone sees the same, so the answer does not depend on which
   * steps an attempt runs.
   */
  synchronized boolean reattributes() {
    if (reattributes == null) {
      // only the ingest of this date's drop stages rows of this date: a drop without records stages nothing
      boolean staged = new InputDrop(inputRoot, runDate, warehouse.hadoopConf()).mayHoldRecords();
      boolean newModel = new AttributionModels(warehouse).latest(runDate).filter(runDate::equals).isPresent();
      reattributes = RecomputeScope.reattributes(staged, newModel);
      if (!reattributes) {
        LOG.info("Nothing staged for {} and no model trained for it: the attributed activities stand", runDate);
      }
    }
    return reattributes;
  }

  /** The first date the rollup recomputes ({@link RecomputeScope#rollupStart}). */
  LocalDate rollupStart(int reattributionDays, String timezone) {
    return reattributes() ? attributionStart(reattributionDays, timezone) : runDate;
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
  LocalDate oldest(org.apache.spark.sql.Column which, String timezone) {
    Row r = RecomputeScope.oldestActivityDate(warehouse.read("stg_comms__emails"), warehouse.read("stg_comms__meetings"),
        warehouse.read("stg_comms__calls"), warehouse.read("stg_crm__events"), warehouse.read("stg_crm__email_messages"),
        warehouse.read("stg_crm__tasks"), which, timezone).first();
    return r.isNullAt(0) ? null : r.getDate(0).toLocalDate();
  }
}
