package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.scope.RecomputeScope;
import java.time.LocalDate;
import org.apache.spark.sql.Row;

/**
 * The recompute scope of one night ({@link RecomputeScope}), computed once from staging when a step
 * first needs it (after ingest) and shared by the steps that follow: attribute and rollup recompute
 * the same dates.
 */
final class NightScope {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NightScope.class);

  private final Warehouse warehouse;
  private final LocalDate runDate;
  private LocalDate attributionStart;

  NightScope(Warehouse warehouse, LocalDate runDate) {
    this.warehouse = warehouse;
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

  /** The oldest activity date among the staged records selected, or null. */
  LocalDate oldest(org.apache.spark.sql.Column which, String timezone) {
    Row r = RecomputeScope.oldestActivityDate(warehouse.read("stg_comms__emails"), warehouse.read("stg_comms__meetings"),
        warehouse.read("stg_comms__calls"), warehouse.read("stg_crm__events"), warehouse.read("stg_crm__email_messages"),
        warehouse.read("stg_crm__tasks"), which, timezone).first();
    return r.isNullAt(0) ? null : r.getDate(0).toLocalDate();
  }
}
