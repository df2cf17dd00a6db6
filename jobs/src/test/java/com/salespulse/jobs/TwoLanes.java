package com.salespulse.jobs;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The order in which the test JVM's two lanes (junit-platform.properties) take the test classes, so
 * that neither lane waits and no long class starts last and runs alone while the other core idles.
 * Without it the order was the file system's, which differs from one clone to the next (on one CI
 * machine a 75-second class started last and ran alone for a minute; in another order a class that
 * reads the golden warehouse started beside its build and waited half a minute for it).
 *
 * <p>JUnit's parallel executor forks the classes in this order onto one worker's queue; that worker
 * then runs them from the end while the other takes them from the start. So one lane is listed at
 * the start of the order and the other, reversed, at its end; classes in neither list (the shorter
 * ones, under a minute, and new ones) sit in the middle, where whichever lane is free first takes
 * them, which evens the lanes out. The golden lane builds the golden warehouse first and then runs the
 * long classes that read it; the other lane runs the long classes that generate orgs of their own,
 * longest first. Seconds per class in a clean-clone {@code mvn verify} on 2 cores: golden lane
 * 149 + 111 + 70, other lane 119 + 102 + 87 + 83, the middle about 130 (the classes in the middle
 * that read the golden warehouse start long after it is built).
 */
public class TwoLanes implements ClassOrderer {

  /** Builds the golden warehouse (ReportTest asks for it first), then the classes reading it. */
  static final List<String> GOLDEN_LANE = List.of("ReportTest", "FaultsTest", "RerunEqualityTest");

  /** Classes with orgs or drops of their own, longest first. */
  static final List<String> OWN_DATA_LANE = List.of("ReconciliationEndToEndTest", "S3EndToEndTest",
      "AttributionAccuracyTest", "BadInputTest");

  /** Position in the order: the own-data lane first, unlisted classes next, the golden lane reversed last. */
  static int position(ClassDescriptor c) {
    String name = c.getTestClass().getSimpleName();
    int own = OWN_DATA_LANE.indexOf(name);
    if (own >= 0) {
      return own;
    }
    int golden = GOLDEN_LANE.indexOf(name);
    return golden >= 0 ? 2000 - golden : 1000;
  }

  @Override
  public void orderClasses(ClassOrdererContext context) {
    context.getClassDescriptors().sort(Comparator.comparingInt(TwoLanes::position)
        .thenComparing(c -> c.getTestClass().getName()));
  }
}
