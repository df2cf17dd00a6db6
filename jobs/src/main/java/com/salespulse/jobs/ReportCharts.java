package com.salespulse.jobs;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.io.StringWriter;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYDataset;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The report's chart types, drawn with JFreeChart and written as inline SVG by Apache Batik: one
 * look for every chart (white background, the Okabe-Ito palette, which people with the common
 * colour-vision deficiencies tell apart, and a second cue beside colour where colour carries
 * meaning: at-risk reps are triangles, not only vermillion).
 */
final class ReportCharts {

  /** Okabe &amp; Ito's colour-blind-safe palette (blue, orange, bluish green, vermillion, sky blue, purple, yellow, black). */
  static final Color[] PALETTE = {
      new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xD55E00),
      new Color(0x56B4E9), new Color(0xCC79A7), new Color(0xF0E442), new Color(0x000000)};
  static final Color AT_RISK = new Color(0xD55E00);
  static final Color ON_PACE = new Color(0x0072B2);
  static final Color GRID = new Color(0xDDDDDD);
  static final Font FONT = new Font("SansSerif", Font.PLAIN, 12);
  static final int WIDTH = 760;
  static final int HEIGHT = 420;

  private ReportCharts() {}

  /** A rendered chart: its SVG and what JFreeChart drew where (one entity per mark). */
  record Rendered(JFreeChart chart, String svg, ChartRenderingInfo info) {}

  /**
   * Draws a chart into an SVG element that scales with the page (viewBox, width 100 %). The ids it
   * defines (clip paths) start with {@code id}: several charts inline in one page must not share one.
   */
  static Rendered render(String id, JFreeChart chart, int width, int height) {
    Document doc;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      doc = f.newDocumentBuilder().getDOMImplementation().createDocument("http://www.w3.org/2000/svg", "svg", null);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("Cannot create an SVG document: " + e.getMessage(), e);
    }
    SVGGeneratorContext ctx = SVGGeneratorContext.createDefault(doc);
    ctx.setIDGenerator(new org.apache.batik.svggen.SVGIDGenerator() {
      @Override
      public String generateID(String prefix) {
        return super.generateID(id + "-" + prefix);
      }
    });
    ctx.setEmbeddedFontsOn(false);
    ctx.setPrecision(2);
    SVGGraphics2D g2 = new SVGGraphics2D(ctx, false);
    g2.setSVGCanvasSize(new java.awt.Dimension(width, height));
    ChartRenderingInfo info = new ChartRenderingInfo();
    chart.draw(g2, new Rectangle(0, 0, width, height), info);
    Element root = g2.getRoot();
    root.setAttribute("viewBox", "0 0 " + width + " " + height);
    root.setAttribute("width", "100%");
    root.removeAttribute("height");
    root.setAttribute("role", "img");
    root.setAttribute("preserveAspectRatio", "xMidYMid meet");
    StringWriter out = new StringWriter();
    try {
      g2.stream(root, out, true, false);
    } catch (org.apache.batik.svggen.SVGGraphics2DIOException e) {
      throw new IllegalStateException("Cannot write the chart '" + chart.getTitle().getText() + "' as SVG: "
          + e.getMessage(), e);
    }
    // the element alone: no XML declaration or DOCTYPE (whose DTD a parser would fetch) inside HTML
    // and Batik's fixed id of its shared definitions made the chart's own, as the generated ones are
    String svg = out.toString().replace("id=\"genericDefs\"", "id=\"" + id + "-genericDefs\"");
    return new Rendered(chart, svg.substring(Math.max(0, svg.indexOf("<svg"))), info);
  }

  /** The common look: title, as-of subtitle, fonts, white plot with light grid. */
  static JFreeChart styled(JFreeChart chart, String subtitle) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.getTitle().setFont(new Font("SansSerif", Font.BOLD, 15));
    chart.getTitle().setHorizontalAlignment(org.jfree.chart.ui.HorizontalAlignment.LEFT);
    TextTitle sub = new TextTitle(subtitle, FONT);
    sub.setHorizontalAlignment(org.jfree.chart.ui.HorizontalAlignment.LEFT);
    sub.setPaint(new Color(0x555555));
    chart.addSubtitle(sub);
    if (chart.getLegend() != null) {
      chart.getLegend().setItemFont(FONT);
      chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
    }
    if (chart.getPlot() instanceof XYPlot p) {
      p.setBackgroundPaint(Color.WHITE);
      p.setDomainGridlinePaint(GRID);
      p.setRangeGridlinePaint(GRID);
      p.setOutlineVisible(false);
    } else if (chart.getPlot() instanceof CategoryPlot p) {
      p.setBackgroundPaint(Color.WHITE);
      p.setRangeGridlinePaint(GRID);
      p.setOutlineVisible(false);
    }
    return chart;
  }

  /**
   * Reps as points: x activity pace (1 = team median), y attainment (%); series 0 on pace (blue
   * circles), series 1 at risk (vermillion triangles); the team-median pace and the median
   * attainment as dashed lines; each point labelled with the rep's name unless the label would cover
   * another ({@link #visibleLabels}: reps bunched at 0 % attainment otherwise print their names over
   * each other). Drawn {@code width} by {@code height} pixels.
   */
  static JFreeChart paceScatter(String title, String subtitle, XYDataset reps, List<List<String>> names,
                                double medianAttainmentPercent, int width, int height) {
    NumberAxis x = new NumberAxis("Activity pace (activities ÷ team median at the same point of the period)");
    x.setAutoRangeIncludesZero(true);
    NumberAxis y = new NumberAxis("Quota attainment (% of quota won)");
    y.setAutoRangeIncludesZero(true);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    r.setSeriesPaint(0, ON_PACE);
    r.setSeriesShape(0, new Ellipse2D.Double(-5, -5, 10, 10));
    r.setSeriesPaint(1, AT_RISK);
    r.setSeriesShape(1, triangle(7));
    Font labelFont = new Font("SansSerif", Font.PLAIN, 10);
    List<List<String>> shown = new java.util.ArrayList<>();
    r.setDefaultItemLabelGenerator((dataset, series, item) -> shown.get(series).get(item));
    // every mark keeps its rep's name, drawn or not (the chart's entities carry it)
    r.setDefaultToolTipGenerator((dataset, series, item) -> names.get(series).get(item));
    r.setDefaultItemLabelsVisible(true);
    r.setDefaultItemLabelFont(labelFont);
    XYPlot plot = new XYPlot(reps, x, y, r);
    // the plot's data area, about: the chart less its titles, legend and axes
    shown.addAll(visibleLabels(reps, names, labelFont, x.getRange(), y.getRange(), width - 90, height - 170));
    plot.addDomainMarker(marker(1.0, "team median pace", RectangleAnchor.TOP_RIGHT, TextAnchor.TOP_LEFT));
    plot.addRangeMarker(marker(medianAttainmentPercent, "median attainment", RectangleAnchor.TOP_LEFT,
        TextAnchor.BOTTOM_LEFT));
    axes(x, y);
    return styled(new JFreeChart(title, FONT, plot, true), subtitle);
  }

  /**
   * The point labels to draw so that no two overlap (null: left out; every rep is in the section's
   * table). A label sits centred above its point, one line of {@code font} high; points are taken
   * at-risk series first (they matter most), then from the top of the chart down, and a label is
   * drawn when its box is clear of every label drawn before it.
   *
   * @param xRange the domain axis range, {@code yRange} the range axis range (their auto ranges)
   * @param plotWidth the data area's width in pixels, {@code plotHeight} its height
   */
  static List<List<String>> visibleLabels(XYDataset data, List<List<String>> names, Font font,
                                          org.jfree.data.Range xRange, org.jfree.data.Range yRange,
                                          double plotWidth, double plotHeight) {
    java.awt.font.FontRenderContext frc = new java.awt.font.FontRenderContext(null, true, true);
    record Point(int series, int item, double px, double py) {}
    List<Point> points = new java.util.ArrayList<>();
    List<List<String>> out = new java.util.ArrayList<>();
    for (int s = 0; s < data.getSeriesCount(); s++) {
      List<String> none = new java.util.ArrayList<>();
      for (int i = 0; i < data.getItemCount(s); i++) {
        none.add(null);
        double px = (data.getXValue(s, i) - xRange.getLowerBound()) / Math.max(xRange.getLength(), 1e-9) * plotWidth;
        double py = (yRange.getUpperBound() - data.getYValue(s, i)) / Math.max(yRange.getLength(), 1e-9) * plotHeight;
        points.add(new Point(s, i, px, py));
      }
      out.add(none);
    }
    points.sort(java.util.Comparator.comparingInt((Point p) -> -p.series()).thenComparingDouble(Point::py)
        .thenComparingDouble(Point::px));
    List<java.awt.geom.Rectangle2D> placed = new java.util.ArrayList<>();
    double h = font.getSize2D() + 2;
    for (Point p : points) {
      String name = names.get(p.series()).get(p.item());
      if (name == null) {
        continue;
      }
      double w = font.getStringBounds(name, frc).getWidth() + 4;
      java.awt.geom.Rectangle2D box = new java.awt.geom.Rectangle2D.Double(p.px() - w / 2, p.py() - 6 - h, w, h);
      if (placed.stream().noneMatch(box::intersects)) {
        placed.add(box);
        out.get(p.series()).set(p.item(), name);
      }
    }
    return out;
  }

  /** Lines over days: one series per team (solid), optionally a dashed companion per team (its quota to date). */
  static JFreeChart daysLines(String title, String subtitle, String yLabel, XYDataset lines, boolean dashedOddSeries) {
    DateAxis x = new DateAxis("Day (org timezone)");
    x.setDateFormatOverride(new java.text.SimpleDateFormat("d MMM"));
    NumberAxis y = new NumberAxis(yLabel);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    for (int s = 0; s < lines.getSeriesCount(); s++) {
      int team = dashedOddSeries ? s / 2 : s;
      r.setSeriesPaint(s, PALETTE[team % PALETTE.length]);
      r.setSeriesStroke(s, dashedOddSeries && s % 2 == 1
          ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
          : new BasicStroke(2.5f));
    }
    XYPlot plot = new XYPlot(lines, x, y, r);
    axes(x, y);
    return styled(new JFreeChart(title, FONT, plot, true), subtitle);
  }

  /** Bars per category; stacked when there are several series and {@code stacked}. */
  static JFreeChart bars(String title, String subtitle, String categoryLabel, String valueLabel, CategoryDataset data,
                         boolean stacked, boolean horizontal, String valueFormat) {
    CategoryAxis x = new CategoryAxis(categoryLabel);
    NumberAxis y = new NumberAxis(valueLabel);
    BarRenderer r = stacked ? new StackedBarRenderer() : new BarRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setDrawBarOutline(false);
    r.setItemMargin(0.05);
    for (int s = 0; s < data.getRowCount(); s++) {
      r.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
    }
    if (!stacked) {
      r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat(valueFormat)));
      r.setDefaultItemLabelsVisible(true);
      r.setDefaultItemLabelFont(new Font("SansSerif", Font.PLAIN, 10));
    }
    CategoryPlot plot = new CategoryPlot(data, x, y, r);
    plot.setOrientation(horizontal ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL);
    if (!horizontal && data.getColumnCount() > 4) {
      x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    x.setLabelFont(FONT);
    x.setTickLabelFont(new Font("SansSerif", Font.PLAIN, 11));
    x.setMaximumCategoryLabelLines(2);
    y.setLabelFont(FONT);
    y.setTickLabelFont(new Font("SansSerif", Font.PLAIN, 11));
    return styled(new JFreeChart(title, FONT, plot, data.getRowCount() > 1), subtitle);
  }

  private static void axes(org.jfree.chart.axis.ValueAxis x, org.jfree.chart.axis.ValueAxis y) {
    for (org.jfree.chart.axis.ValueAxis a : List.of(x, y)) {
      a.setLabelFont(FONT);
      a.setTickLabelFont(new Font("SansSerif", Font.PLAIN, 11));
    }
  }

  private static ValueMarker marker(double value, String label, RectangleAnchor anchor, TextAnchor text) {
    ValueMarker m = new ValueMarker(value, new Color(0x777777),
        new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
    m.setLabel(label);
    m.setLabelFont(new Font("SansSerif", Font.ITALIC, 10));
    m.setLabelPaint(new Color(0x555555));
    m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    m.setLabelAnchor(anchor);
    m.setLabelTextAnchor(text);
    return m;
  }

  private static Shape triangle(double size) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(0, -size);
    p.lineTo(size, size * 0.8);
    p.lineTo(-size, size * 0.8);
    p.closePath();
    return p;
  }
}
