package com.salespulse.jobs;

import static org.apache.spark.sql.functions.*;

import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.attribution.ActivityAttribution;
import com.salespulse.transforms.attribution.AttributionRules;
import com.salespulse.transforms.attribution.FctActivities;
import com.salespulse.transforms.attribution.FctActivityOpportunityCredits;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code attribute} step: staged communications -> {@code fct_activities} and
 * {@code fct_activity_opportunity_credits}.
 *
 * <p>A run for date R recomputes every activity dated from R minus the re-attribution window
 * (default 14 days; earlier still when the night brought late records) up to R + 2, from the
 * current staging tables, and replaces exactly those dates in both tables. So a drop that adds a
 * contact role or a deal re-attributes the recent activities it affects, and a rerun of the same
 * date gives identical rows.
 */
public final class AttributeStep {

  private static final Logger LOG = LoggerFactory.getLogger(AttributeStep.class);

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final AttributionRules rules;
  private final int reattributionDays;

  public AttributeStep(SparkSession spark, Warehouse warehouse, AttributionRules rules, int reattributionDays) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.rules = rules;
    this.reattributionDays = reattributionDays;
  }

  /**
   * Recomputes the activities of a run date's re-attribution window and replaces those dates;
   * {@code full} recomputes every staged activity.
   */
  public void run(LocalDate runDate, String runId, boolean full) {
    Dataset<Row> emails = warehouse.read("stg_comms__emails");
    Dataset<Row> meetings = warehouse.read("stg_comms__meetings");
    Dataset<Row> calls = warehouse.read("stg_comms__calls");
    LocalDate from = windowStart(runDate, reattributionDays, warehouse, rules.timezone());
    if (full) {
      LocalDate oldest = oldest(emails, meetings, calls, lit(true), rules.timezone(), from);
      from = oldest.isBefore(from) ? oldest : from;
    }
    LocalDate to = runDate.plusDays(2);
    // Timestamps are UTC; a day of slack either side covers any org timezone.
    Dataset<Row> acts = ActivityAttribution.activities(
            emails.where(col("sent_at").between(ts(from.minusDays(1)), ts(to.plusDays(2)))),
            meetings.where(col("start_at").between(ts(from.minusDays(1)), ts(to.plusDays(2)))),
            calls.where(col("started_at").between(ts(from.minusDays(1)), ts(to.plusDays(2)))), rules)
        .where(col("activity_date").between(Date.valueOf(from), Date.valueOf(to)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<Dataset<Row>> cached = new ArrayList<>(List.of(acts));
    try {
      Dataset<Row> accounts = warehouse.read("stg_crm__accounts");
      Dataset<Row> participants = ActivityAttribution.participants(acts, warehouse.read("stg_crm__users"), rules)
          .persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(participants);
      Dataset<Row> actors = ActivityAttribution.actors(acts, participants);
      Dataset<Row> evidence = ActivityAttribution.accountEvidence(participants, warehouse.read("stg_crm__contacts"), accounts)
          .persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(evidence);
      Dataset<Row> candidates = ActivityAttribution.candidates(acts, actors, evidence, accounts,
          warehouse.read("stg_crm__opportunities"), warehouse.read("stg_crm__opportunity_contact_roles"), rules)
          .persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(candidates);
      String predicate = "activity_date >= DATE'" + from + "' AND activity_date <= DATE'" + to + "'";
      warehouse.replaceWhere(FctActivities.NAME, FctActivities.apply(acts, actors, evidence, candidates,
          warehouse.read("stg_crm__user_versions"), rules, runId), predicate);
      warehouse.replaceWhere(FctActivityOpportunityCredits.NAME,
          FctActivityOpportunityCredits.apply(acts, candidates, rules, runId), predicate);
      LOG.info("Attributed the activities dated {} to {} (rule version {})", from, to, ActivityAttribution.ruleVersion(rules));
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /** R minus the window, or the oldest activity date among records the night's drop staged. */
  static LocalDate windowStart(LocalDate runDate, int reattributionDays, Warehouse warehouse, String timezone) {
    LocalDate start = runDate.minusDays(reattributionDays);
    LocalDate oldest = oldest(warehouse.read("stg_comms__emails"), warehouse.read("stg_comms__meetings"),
        warehouse.read("stg_comms__calls"), col("source_dt").equalTo(lit(Date.valueOf(runDate))), timezone, start);
    if (oldest.isBefore(start)) {
      LOG.info("Late records back to {}: recomputing from there", oldest);
      return oldest;
    }
    return start;
  }

  /** The oldest activity date (org timezone) among the communication records selected, else the fallback. */
  private static LocalDate oldest(Dataset<Row> emails, Dataset<Row> meetings, Dataset<Row> calls, Column which,
                                  String timezone, LocalDate fallback) {
    Row oldest = emails.where(which).select(min("sent_at").as("t"))
        .union(meetings.where(which).select(min("start_at").as("t")))
        .union(calls.where(which).select(min("started_at").as("t")))
        .agg(min(to_date(from_utc_timestamp(col("t"), timezone)))).first();
    return oldest.isNullAt(0) ? fallback : oldest.getDate(0).toLocalDate();
  }

  private static Column ts(LocalDate d) {
    return lit(d + "T00:00:00Z").cast("timestamp");
  }
}
