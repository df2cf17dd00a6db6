package com.salespulse.jobs;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Counts the Spark jobs, stages and tasks a session runs (a {@link SparkListener} registered once
 * per SparkContext), so each step can report the Spark work it caused in {@code audit_runs}: the
 * overhead that does not depend on data shows up as jobs, whatever the wall time of the machine.
 */
final class SparkWork extends SparkListener {

  /** Counts at one instant; subtract two to get the work between them. */
  record Counts(long jobs, long stages, long tasks) {
    Counts minus(Counts earlier) {
      return new Counts(jobs - earlier.jobs, stages - earlier.stages, tasks - earlier.tasks);
    }
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SparkWork.class);
  private static final Map<SparkContext, SparkWork> REGISTERED = new WeakHashMap<>();

  private final AtomicLong jobs = new AtomicLong();
  private final AtomicLong stages = new AtomicLong();
  private final AtomicLong tasks = new AtomicLong();

  private SparkWork() {}

  /** The counter of this context, registered on first use. */
  static synchronized SparkWork of(SparkContext sc) {
    return REGISTERED.computeIfAbsent(sc, c -> {
      SparkWork w = new SparkWork();
      c.addSparkListener(w);
      return w;
    });
  }

  Counts now() {
    return new Counts(jobs.get(), stages.get(), tasks.get());
  }

  /** The counts once the listener bus has delivered every event posted so far (events arrive asynchronously). */
  Counts settled(SparkContext sc) {
    try {
      sc.listenerBus().waitUntilEmpty(10_000);
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      // a busy or stopped bus: the counts so far are all there is (a lower bound)
    }
    return now();
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    jobs.incrementAndGet();
    if (LOG.isDebugEnabled()) {
      // the result stage's call site, and the first frame of this project's code below it
      org.apache.spark.scheduler.StageInfo last = null;
      for (org.apache.spark.scheduler.StageInfo s : scala.jdk.javaapi.CollectionConverters.asJava(jobStart.stageInfos())) {
        last = last == null || s.stageId() > last.stageId() ? s : last;
      }
      String ours = last == null ? "" : java.util.Arrays.stream(last.details().split("\n"))
          .filter(l -> l.contains("com.salespulse")).findFirst()
          .orElse(last.details().replace("\n", " <- ").substring(0, Math.min(3000, last.details().length())));
      LOG.debug("Spark job {}: {} from {}", jobStart.jobId(), last == null ? "" : last.name(), ours);
      started.put(jobStart.jobId(), jobStart.time());
    }
  }

  private final Map<Integer, Long> started = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd jobEnd) {
    Long t0 = started.remove(jobEnd.jobId());
    if (t0 != null) {
      LOG.debug("Spark job {} ended in {} ms", jobEnd.jobId(), jobEnd.time() - t0);
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted stageCompleted) {
    stages.incrementAndGet();
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    tasks.incrementAndGet();
  }
}
