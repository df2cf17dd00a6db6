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
 * Counts the Spark jobs and tasks each run causes (a {@link SparkListener} registered once per
 * SparkContext), so each step can report the Spark work it caused in {@code audit_runs}: the
 * overhead that does not depend on data shows up as jobs, whatever the wall time of the machine.
 * A run tags its thread with its attempt id (a Spark local property, which the threads it starts and
 * Spark's own helper threads inherit), so runs sharing a context (tests, an embedding application)
 * count only their own work. At DEBUG it logs each job's call site and duration.
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
  /** The local property naming the attempt whose work a job is. */
  static final String ATTEMPT = "salespulse.attempt";

  /** Jobs and tasks per attempt id. */
  private final Map<String, AtomicLong[]> byAttempt = new ConcurrentHashMap<>();
  /** The attempt of each running stage (task events carry no properties). */
  private final Map<Integer, String> stageAttempt = new ConcurrentHashMap<>();
  private final Map<Integer, int[]> jobStages = new ConcurrentHashMap<>();
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

  /** Tags the Spark work of this thread, and of the threads it starts from now on, as the attempt's. */
  void tag(String attemptId) {
    byAttempt.put(attemptId, new AtomicLong[] {new AtomicLong(), new AtomicLong()});
    sc.setLocalProperty(ATTEMPT, attemptId);
  }

  /** Ends the attempt's tagging and forgets its counts. */
  void untag(String attemptId) {
    sc.setLocalProperty(ATTEMPT, null);
    byAttempt.remove(attemptId);
  }

  /**
   * The attempt's counts once the listener bus has delivered every event posted so far (events
   * arrive asynchronously).
   */
  Counts settled(String attemptId) {
    try {
      sc.listenerBus().waitUntilEmpty(10_000);
    } catch (TimeoutException | RuntimeException e) {
      // a busy or stopped bus: the counts so far are all there is (a lower bound)
    }
    AtomicLong[] c = byAttempt.get(attemptId);
    return c == null ? new Counts(0, 0) : new Counts(c[0].get(), c[1].get());
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    String attempt = jobStart.properties() == null ? null : jobStart.properties().getProperty(ATTEMPT);
    AtomicLong[] c = attempt == null ? null : byAttempt.get(attempt);
    if (c != null) {
      c[0].incrementAndGet();
      int[] stages = scala.jdk.javaapi.CollectionConverters.asJava(jobStart.stageIds()).stream()
          .mapToInt(i -> (Integer) i).toArray();
      for (int s : stages) {
        stageAttempt.put(s, attempt);
      }
      jobStages.put(jobStart.jobId(), stages);
    }
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
    int[] stages = jobStages.remove(jobEnd.jobId());
    if (stages != null) {
      for (int s : stages) {
        stageAttempt.remove(s);
      }
    }
    Long t0 = started.remove(jobEnd.jobId());
    if (t0 != null) {
      LOG.debug("Spark job {} ended in {} ms", jobEnd.jobId(), jobEnd.time() - t0);
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    String attempt = stageAttempt.get(taskEnd.stageId());
    AtomicLong[] c = attempt == null ? null : byAttempt.get(attempt);
    if (c != null) {
      c[1].incrementAndGet();
    }
  }
}
