package com.salespulse.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the Spark jobs and tasks a context runs (a {@link SparkListener} registered once per
 * SparkContext), so each step can report the Spark work it caused in {@code audit_runs}: the
 * overhead that does not depend on data shows up as jobs, whatever the wall time of the machine.
 * At DEBUG it logs each job's call site and duration.
 */
final class SparkWork extends SparkListener {

  /** Counts at one instant; subtract two to get the work between them. */
  record Counts(long jobs, long tasks) {
    Counts minus(Counts earlier) {
      return new Counts(jobs - earlier.jobs, tasks - earlier.tasks);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(SparkWork.class);
  /** The counter of the running context (one context per JVM; a new one after a stop gets a new counter). */
  private static SparkWork current;

  private final SparkContext sc;
  private final AtomicLong jobs = new AtomicLong();
  private final AtomicLong tasks = new AtomicLong();
  private final Map<Integer, Long> started = new ConcurrentHashMap<>();

  private SparkWork(SparkContext sc) {
    this.sc = sc;
  }

  /** The counter of this context, registered on first use. */
  static synchronized SparkWork of(SparkContext sc) {
    if (current == null || current.sc != sc) {
      current = new SparkWork(sc);
      sc.addSparkListener(current);
    }
    return current;
  }

  /** The counts once the listener bus has delivered every event posted so far (events arrive asynchronously). */
  Counts settled() {
    try {
      sc.listenerBus().waitUntilEmpty(10_000);
    } catch (TimeoutException | RuntimeException e) {
      // a busy or stopped bus: the counts so far are all there is (a lower bound)
    }
    return new Counts(jobs.get(), tasks.get());
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    jobs.incrementAndGet();
    if (LOG.isDebugEnabled()) {
      // the result stage's call site: the first frame of this project's code, else Spark's or Delta's
      StageInfo last = null;
      for (StageInfo s : scala.jdk.javaapi.CollectionConverters.asJava(jobStart.stageInfos())) {
        last = last == null || s.stageId() > last.stageId() ? s : last;
      }
      String details = last == null ? "" : last.details();
      String ours = java.util.Arrays.stream(details.split("\n")).filter(l -> l.contains("com.salespulse")).findFirst()
          .orElse(details.replace("\n", " <- ").substring(0, Math.min(3000, details.length())));
      LOG.debug("Spark job {}: {} from {}", jobStart.jobId(), last == null ? "" : last.name(), ours);
      started.put(jobStart.jobId(), jobStart.time());
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd jobEnd) {
    Long t0 = started.remove(jobEnd.jobId());
    if (t0 != null) {
      LOG.debug("Spark job {} ended in {} ms", jobEnd.jobId(), jobEnd.time() - t0);
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    tasks.incrementAndGet();
  }
}
