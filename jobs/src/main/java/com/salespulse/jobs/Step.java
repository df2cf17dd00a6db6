package com.salespulse.jobs;

import java.time.LocalDate;
import java.util.List;

/**
 * One stage of the nightly pipeline (read -> plan -> transform -> write). {@link NightlyJob} runs
 * the steps of {@link NightlyJob#PIPELINE} in order for a logical date and records each one's
 * {@link StepResult} (tables written, rows per table, timings, what it recomputed) in
 * {@code audit_runs}.
 */
interface Step {

  /**
   * What a step is run for: the logical date, its run id, whether to recompute everything, the
   * ingest counts of the attempt, and the night's recompute scope (computed once, shared).
   */
  record Run(LocalDate runDate, String runId, boolean full, List<DatasetCounts> counts, NightScope scope) {}

  String name();

  /**
   * Runs the step for one logical date; returns what it recomputed, in words (dates, periods,
   * model), for the audit row and the log. The tables it wrote are recorded by the warehouse.
   */
  String run(Run run);

  /**
   * Whether the warehouse may keep what this step reads for the rest of the attempt (see
   * {@code Warehouse.read}): true for steps that only read the tables they do not write.
   */
  default boolean keepsReads() {
    return true;
  }
}
