package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

/** The rep chart's labels: none covers another, the at-risk reps' first. */
class ReportChartsTest {

  static final Font FONT = new Font("SansSerif", Font.PLAIN, 10);

  @Test
  void labelsOfRepsBunchedAtZeroAttainmentDoNotCoverEachOther() {
    // six reps at 0 % attainment with nearly the same pace, two of them at risk, and one rep alone
    XYSeries onPace = new XYSeries("on pace", false, true);
    XYSeries atRisk = new XYSeries("at risk", false, true);
    List<String> onNames = new ArrayList<>(List.of("Ana Lopez", "Ben Okafor", "Cal Reyes", "Dee Park", "Eli Stone"));
    double[] paces = {0.95, 0.98, 1.00, 1.02, 1.05};
    for (double p : paces) {
      onPace.add(p, 0.0);
    }
    onPace.add(2.0, 120.0);
    onNames.add("Fay Alone");
    atRisk.add(0.97, 0.0);
    atRisk.add(1.01, 0.0);
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(onPace);
    data.addSeries(atRisk);
    List<List<String>> names = List.of(onNames, List.of("Gus Risk", "Hal Risk"));
    Range x = new Range(0, 2.1);
    Range y = new Range(0, 126);

    List<List<String>> shown = ReportCharts.visibleLabels(data, names, FONT, x, y, 670, 290);

    assertThat(shown.get(1)).as("the at-risk reps are labelled first: the first of them is shown")
        .contains("Gus Risk");
    assertThat(shown.get(0).get(5)).as("a rep alone keeps its label").isEqualTo("Fay Alone");
    long drawn = shown.stream().flatMap(List::stream).filter(java.util.Objects::nonNull).count();
    assertThat(drawn).as("some of the bunched labels are left out").isLessThan(8).isGreaterThanOrEqualTo(2);
    // the drawn labels' boxes, as the chart places them (centred above the point), overlap nowhere
    FontRenderContext frc = new FontRenderContext(null, true, true);
    List<Rectangle2D> boxes = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      for (int i = 0; i < shown.get(s).size(); i++) {
        String label = shown.get(s).get(i);
        if (label != null) {
          assertThat(label).as("a label names its own point").isEqualTo(names.get(s).get(i));
          double px = data.getXValue(s, i) / x.getLength() * 670;
          double py = (y.getUpperBound() - data.getYValue(s, i)) / y.getLength() * 290;
          double w = FONT.getStringBounds(label, frc).getWidth();
          boxes.add(new Rectangle2D.Double(px - w / 2, py - 18, w, 12));
        }
      }
    }
    for (int a = 0; a < boxes.size(); a++) {
      for (int b = a + 1; b < boxes.size(); b++) {
        assertThat(boxes.get(a).intersects(boxes.get(b))).as("labels %d and %d overlap", a, b).isFalse();
      }
    }
  }
}
