package com.salespulse.jobs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The order the test JVM's two lanes take the test classes in (junit-platform.properties): the
 * longest first, so that no long class starts last and runs alone while the other core idles.
 * Without it the order was the file system's, which differs from one clone to the next (on one CI
 * machine a 75-second class started last and ran alone for a minute).
 *
 * <p>JUnit's parallel executor forks the classes in this order onto one worker's queue, then that
 * worker runs them from the end while the other takes them from the start. So the classes are
 * dealt to two lanes, longest first, each to the lane with less work so far; one lane is placed at
 * the start of the order, the other reversed at its end, and classes without a figure (short ones,
 * new ones) in the middle, where whichever lane is free first takes them.
 *
 * <p>The figures are seconds per class in a clean-clone {@code mvn verify} on 2 cores (two classes
 * at a time); only their order matters. Update them when a class grows or shrinks much.
 */
public class LongestFirst implements ClassOrderer {

  static final Map<String, Integer> SECONDS = Map.ofEntries(
      Map.entry("ReportTest", 149),  // builds the golden warehouse the later golden classes read
      Map.entry("ReconciliationEndToEndTest", 119),
      Map.entry("FaultsTest", 111),
      Map.entry("S3EndToEndTest", 102),
      Map.entry("AttributionAccuracyTest", 87),
      Map.entry("BadInputTest", 83),
      Map.entry("RerunEqualityTest", 70),
      Map.entry("PrivacyTest", 48),
      Map.entry("MaintainTest", 24),
      Map.entry("RollupEndToEndTest", 22),
      Map.entry("ExampleDropIngestTest", 16),
      Map.entry("FileFormatsTest", 11));

  static int seconds(ClassDescriptor c) {
    return SECONDS.getOrDefault(c.getTestClass().getSimpleName(), 0);
  }

  @Override
  public void orderClasses(ClassOrdererContext context) {
    List<ClassDescriptor> byCost = new ArrayList<>(context.getClassDescriptors());
    byCost.sort(Comparator.comparingInt(LongestFirst::seconds).reversed()
        .thenComparing(c -> c.getTestClass().getName()));
    List<ClassDescriptor> head = new ArrayList<>();
    List<ClassDescriptor> middle = new ArrayList<>();
    List<ClassDescriptor> tail = new ArrayList<>();
    int headSeconds = 0;
    int tailSeconds = 0;
    for (ClassDescriptor c : byCost) {
      int s = seconds(c);
      if (s == 0) {
        middle.add(c);
      } else if (tailSeconds <= headSeconds) {
        tail.add(0, c);
        tailSeconds += s;
      } else {
        head.add(c);
        headSeconds += s;
      }
    }
    List<ClassDescriptor> order = new ArrayList<>(head);
    order.addAll(middle);
    order.addAll(tail);
    context.getClassDescriptors().sort(Comparator.comparingInt(order::indexOf));
  }
}
