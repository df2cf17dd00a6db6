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
 * the start of the order and the other, reversed, at its end; classes in neither list (short ones,
 * new ones) sit in the middle, where whichever lane is free first takes them. The golden lane builds
 * the golden warehouse first and then runs the classes that read it; the other lane runs the classes
 * that generate orgs of their own, longest first. Lane totals in a clean-clone {@code mvn verify} on
 * 2 cores: about 400 and 440 seconds.
 */
public class TwoLanes implements ClassOrderer {

  /** Builds the golden warehouse (ReportTest asks for it first), then the classes reading it. */
  static final List<String> GOLDEN_LANE = List.of("ReportTest", "FaultsTest", "RerunEqualityTest", "PrivacyTest",
      "RollupEndToEndTest");

  /** Classes with orgs or drops of their own, longest first. */
  static final List<String> OWN_DATA_LANE = List.of("ReconciliationEndToEndTest", "S3EndToEndTest",
      "AttributionAccuracyTest", "BadInputTest", "MaintainTest", "ExampleDropIngestTest", "FileFormatsTest");

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
