package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
import java.time.Instant;
import java.util.List;

/** What one step of one attempt did: a row of {@code audit_runs.steps}, with the Spark work it caused. */
record StepResult(String step, String status, Instant startedAt, Instant endedAt, List<Warehouse.Commit> tables,
                  String detail, SparkWork.Counts work) {

  long durationMs() {
    return endedAt.toEpochMilli() - startedAt.toEpochMilli();
  }

  long rowsWritten() {
    return tables.stream().mapToLong(Warehouse.Commit::rowsWritten).sum();
  }
}
