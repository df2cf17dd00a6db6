package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;
import org.jfree.chart.entity.CategoryItemEntity;
import org.jfree.chart.entity.ChartEntity;
import org.jfree.chart.entity.XYItemEntity;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report on the golden org: one self-contained page whose every chart mark is where the
 * warehouse's query answer puts it (each query run again here through {@code salespulse sql -f
 * --param}, as an analyst would), and the nightly's report step writing into the warehouse.
 *
 * <p>Its tests only read what the class built once (each writes under a name of its own): they may
 * run at the same time, on both of the test JVM's lanes.
 */
@Execution(ExecutionMode.CONCURRENT)
class ReportTest {

  @TempDir
  static Path tmp;
  static String warehouse;
  static Report.Built built;
  static String html;
  static Map<String, String> params;

  @BeforeAll
  static void build() throws IOException {
    warehouse = TestSupport.goldenWarehouse();
    // what `salespulse report --warehouse W --out F` runs once its options are read; in-process, so
    // the charts' datasets and rendering info can be read back. With org.corporate-currency=USD (the
    // golden org's deals and pay are all in USD), named on the amount axes
    Path out = tmp.resolve("report.html");
    var session = TestSupport.spark().newSession();
    built = ReportCommand.write(session, new com.salespulse.jobs.io.Warehouse(session, warehouse), null, "quarter", "",
        "USD", out.toString());
    html = Files.readString(out, StandardCharsets.UTF_8);
    params = Map.of("as_of", built.asOf().toString(), "period_type", "quarter", "team", "");
  }

  @Test
  void wrongOptionsFailBeforeAnyWork() {
    TestSupport.run(ExitCode.USAGE, "report", "--warehouse", warehouse, "--period", "year", "--out",
        tmp.resolve("x.html").toString());
    TestSupport.run(ExitCode.USAGE, "report", "--warehouse", warehouse);
    TestSupport.run(ExitCode.USAGE, "report", "--warehouse", warehouse, "--as-of", "3 Nov", "--out",
        tmp.resolve("x.html").toString());
    assertThat(tmp.resolve("x.html")).as("nothing written").doesNotExist();
  }

  /** The query file run through the sql command with the report's parameters, as CSV records. */
  static List<CSVRecord> answer(String name) throws IOException {
    return TestSupport.query(warehouse, name, params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .toArray(String[]::new));
  }

  static Report.Figure figure(String id) {
    return built.sections().stream().flatMap(s -> s.figures().stream()).filter(f -> f.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no figure " + id));
  }

  static <T extends ChartEntity> List<T> entities(Report.Figure f, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Object e : f.rendered().info().getEntityCollection().getEntities()) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  @Test
  void thePageIsSelfContainedAndHasEverySection() {
    assertThat(built.asOf()).as("as of the latest date the rollup is complete to").hasToString(TestSupport.GOLDEN_LAST);
    assertThat(html).as("the page").startsWith("<!DOCTYPE html>").contains("as of " + TestSupport.GOLDEN_LAST);
    for (String id : List.of("rep-pace", "team-pace", "deals-at-risk", "funnel", "attribution", "incentives")) {
      assertThat(html).as("section %s", id).contains("<section id=\"" + id + "\">");
    }
    assertThat(html.split("<svg", -1).length - 1).as("inline SVG charts").isEqualTo(
        (int) built.sections().stream().mapToLong(s -> s.figures().size()).sum()).isGreaterThanOrEqualTo(9);
    assertThat(html).as("no script").doesNotContainIgnoringCase("<script");
    assertThat(html).as("no linked style sheet or resource").doesNotContainIgnoringCase("<link")
        .doesNotContainIgnoringCase("@import").doesNotContainIgnoringCase("<img").doesNotContainIgnoringCase("<iframe");
    Matcher refs = Pattern.compile("(?i)(?:src|href|xlink:href)\\s*=\\s*\"([^\"]*)\"|url\\(\\s*['\"]?([^)'\"]*)").matcher(html);
    List<String> outside = new ArrayList<>();
    while (refs.find()) {
      String ref = refs.group(1) != null ? refs.group(1) : refs.group(2);
      if (!ref.startsWith("#")) {
        outside.add(ref);
      }
    }
    assertThat(outside).as("references to anything outside the page (only #anchors allowed)").isEmpty();
    for (Report.Section s : built.sections()) {
      for (Report.Figure f : s.figures()) {
        String title = f.rendered().chart().getTitle().getText();
        assertThat(title).as("%s: a title that asks a question", f.id()).contains("?");
        String text = svgText(f.rendered().svg());
        assertThat(text).as("%s: the SVG's text", f.id()).contains(title).contains("as of " + TestSupport.GOLDEN_LAST);
      }
    }
    Matcher ids = Pattern.compile("\\sid=\"([^\"]+)\"").matcher(html);
    List<String> seen = new ArrayList<>();
    while (ids.find()) {
      seen.add(ids.group(1));
    }
    assertThat(seen).as("ids in the page (clip paths of several inline charts must not collide)").doesNotHaveDuplicates()
        .isNotEmpty();
  }

  /** The text an SVG shows (parsed as XML: the chart is well-formed). */
  static String svgText(String svg) {
    try {
      javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      org.w3c.dom.NodeList texts = f.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(
          svg))).getElementsByTagNameNS("*", "text");
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < texts.getLength(); i++) {
        b.append(texts.item(i).getTextContent()).append('\n');
      }
      return b.toString();
    } catch (Exception e) {
      throw new AssertionError("Cannot parse the chart's SVG: " + e.getMessage(), e);
    }
  }

  @Test
  void everyRepWithAQuotaIsOnePointAtItsPaceAndAttainment() throws IOException {
    List<CSVRecord> reps = answer("report_rep_pace");
    assertThat(reps).as("reps in the quarter").isNotEmpty();
    Map<String, double[]> expected = new HashMap<>();
    for (CSVRecord r : reps) {
      if (!r.get("activity_pace_ratio").isEmpty() && !r.get("attainment").isEmpty()) {
        expected.put(r.get("rep_name"), new double[] {Double.parseDouble(r.get("activity_pace_ratio")),
            Double.parseDouble(r.get("attainment")) * 100, Boolean.parseBoolean(r.get("is_at_risk")) ? 1 : 0});
      }
    }
    assertThat(expected).as("reps with a pace and a quota").isNotEmpty();
    Report.Figure f = figure("rep-pace");
    XYPlot plot = f.rendered().chart().getXYPlot();
    Rectangle2D area = f.rendered().info().getPlotInfo().getDataArea();
    List<XYItemEntity> points = entities(f, XYItemEntity.class);
    assertThat(points).as("one mark per rep with a quota").hasSize(expected.size());
    Map<String, double[]> drawn = new HashMap<>();
    for (XYItemEntity e : points) {
      XYDataset d = e.getDataset();
      // the mark's tooltip names the rep (its label may be left out where it would cover another); the
      // mark's centre, mapped back through the axes, is the value
      String rep = e.getToolTipText();
      String label = plot.getRenderer().getDefaultItemLabelGenerator().generateLabel(d, e.getSeriesIndex(), e.getItem());
      assertThat(label).as("a drawn label names its own rep").isIn(rep, null);
      Rectangle2D b = e.getArea().getBounds2D();
      drawn.put(rep, new double[] {
          plot.getDomainAxis().java2DToValue(b.getCenterX(), area, plot.getDomainAxisEdge()),
          plot.getRangeAxis().java2DToValue(b.getCenterY(), area, plot.getRangeAxisEdge()), e.getSeriesIndex()});
    }
    assertThat(drawn.keySet()).as("the reps drawn").containsExactlyInAnyOrderElementsOf(expected.keySet());
    double xPerPixel = plot.getDomainAxis().getRange().getLength() / area.getWidth();
    double yPerPixel = plot.getRangeAxis().getRange().getLength() / area.getHeight();
    for (Map.Entry<String, double[]> e : expected.entrySet()) {
      double[] at = drawn.get(e.getKey());
      assertThat(at[0]).as("%s: x is the activity pace", e.getKey()).isCloseTo(e.getValue()[0], within(2 * xPerPixel));
      assertThat(at[1]).as("%s: y is the attainment in %%", e.getKey()).isCloseTo(e.getValue()[1], within(2 * yPerPixel));
      assertThat(at[2]).as("%s: drawn as at risk (series 1) exactly when the table says so", e.getKey())
          .isEqualTo(e.getValue()[2]);
    }
  }

  @Test
  void teamLinesEndAtTheTeamsCumulativeFiguresAndBarsAreTheQueriesAmounts() throws IOException {
    Map<String, BigDecimal> lastWon = new HashMap<>();
    for (CSVRecord r : answer("report_team_pace")) {
      lastWon.put(r.get("team_name") + " won", new BigDecimal(r.get("cumulative_won_amount")));
    }
    TimeSeriesCollection won = (TimeSeriesCollection) figure("team-won").rendered().chart().getXYPlot().getDataset();
    Map<String, BigDecimal> drawn = new HashMap<>();
    for (int s = 0; s < won.getSeriesCount(); s++) {
      var series = won.getSeries(s);
      if (series.getKey().toString().endsWith(" won")) {
        drawn.put(series.getKey().toString(), new BigDecimal(series.getValue(series.getItemCount() - 1).toString()));
      }
    }
    assertThat(drawn).as("teams' cumulative won amount on the last day").isNotEmpty();
    drawn.forEach((k, v) -> assertThat(v).as(k).isEqualByComparingTo(lastWon.get(k)));

    CategoryDataset risk = figure("risk-by-team").rendered().chart().getCategoryPlot().getDataset();
    assertThat(figure("risk-by-team").rendered().chart().getCategoryPlot().getRangeAxis().getLabel())
        .as("the amounts' axis names the corporate currency they are added up in").isEqualTo("Amount at stake (USD)");
    List<CSVRecord> atRisk = answer("report_deals_at_risk");
    assertThat(atRisk).as("deals at risk on the golden org's last snapshot").isNotEmpty();
    for (CSVRecord r : atRisk) {
      assertThat(new BigDecimal(risk.getValue(r.get("reason").replace("_", " "), r.get("team_name")).toString()))
          .as("bar of %s / %s", r.get("team_name"), r.get("reason")).isEqualByComparingTo(r.get("amount_at_stake"));
    }
    assertThat(entities(figure("risk-by-team"), CategoryItemEntity.class)).as("one bar segment per team and reason")
        .hasSize(atRisk.size());
    assertBarHeights(figure("risk-by-team"));

    long activities = answer("report_attribution_quality").stream().mapToLong(r -> Long.parseLong(r.get("activities"))).sum();
    CategoryDataset quality = figure("attribution-quality").rendered().chart().getCategoryPlot().getDataset();
    double sum = 0;
    for (int row = 0; row < quality.getRowCount(); row++) {
      for (int col = 0; col < quality.getColumnCount(); col++) {
        Number v = quality.getValue(row, col);
        sum += v == null ? 0 : v.doubleValue();
      }
    }
    assertThat(sum).as("every activity of the quarter to date in one bar or another").isEqualTo(activities).isPositive();

    String quarter = built.asOf().withDayOfMonth(1).withMonth(((built.asOf().getMonthValue() - 1) / 3) * 3 + 1).toString();
    CategoryDataset spend = figure("spend-vs-won").rendered().chart().getCategoryPlot().getDataset();
    List<CSVRecord> teams = answer("report_incentive_spend_by_team");
    assertThat(teams).as("first-line teams paid in the quarter").isNotEmpty().hasSizeLessThanOrEqualTo(8)
        .allMatch(r -> r.get("quarter_start").equals(quarter));
    List<String> names = teams.stream().map(r -> r.get("manager_name").isEmpty() ? r.get("manager_user_id")
        : r.get("manager_name")).toList();
    assertThat(spend.getColumnKeys()).as("the spend chart's teams: the query's, in its order").isEqualTo(names);
    for (int i = 0; i < teams.size(); i++) {
      assertThat(new BigDecimal(spend.getValue("net paid", names.get(i)).toString())).as("net paid by %s", names.get(i))
          .isEqualByComparingTo(teams.get(i).get("net_paid"));
      assertThat(new BigDecimal(spend.getValue("credited won", names.get(i)).toString())).as("credited won by %s", names.get(i))
          .isEqualByComparingTo(teams.get(i).get("credited_won_amount"));
    }
    // upper manager levels are in the analysts' query, not in the chart
    List<String> managers = answer("incentive_spend_vs_results_by_team").stream()
        .filter(r -> r.get("quarter_start").equals(quarter)).map(r -> r.get("manager_user_id")).toList();
    List<String> firstLine = teams.stream().map(r -> r.get("manager_user_id")).toList();
    assertThat(managers).as("every manager node paid in the quarter").containsAll(firstLine);
    List<String> upper = TestSupport.stdout("sql", "--warehouse", warehouse, "-e",
        "SELECT DISTINCT node_id FROM dim_teams WHERE hierarchy = 'manager' AND is_current AND distance = 1 "
            + "AND member_user_id IN (SELECT node_id FROM dim_teams WHERE hierarchy = 'manager' AND distance = 1)")
        .lines().skip(1).toList();
    assertThat(upper).as("the golden org has managers of managers").isNotEmpty();
    assertThat(firstLine).as("no manager of managers among the charted teams").doesNotContainAnyElementsOf(upper);
    assertBarHeights(figure("spend-vs-won"));
  }

  @Test
  void theFunnelActivityAndExceptionChartsAreTheirQueriesNumbers() throws IOException {
    Map<String, Long> lastActivity = new HashMap<>();
    for (CSVRecord r : answer("report_team_pace")) {
      lastActivity.put(r.get("team_name"), Long.parseLong(r.get("cumulative_activity_count")));
    }
    TimeSeriesCollection activity = (TimeSeriesCollection) figure("team-activity").rendered().chart().getXYPlot()
        .getDataset();
    assertThat(activity.getSeriesCount()).as("one line per team").isEqualTo(lastActivity.size()).isPositive();
    for (int s = 0; s < activity.getSeriesCount(); s++) {
      var series = activity.getSeries(s);
      assertThat(series.getValue(series.getItemCount() - 1).longValue()).as("activities of %s to date", series.getKey())
          .isEqualTo(lastActivity.get(series.getKey().toString()));
    }

    CategoryDataset conversion = figure("stage-conversion").rendered().chart().getCategoryPlot().getDataset();
    CategoryDataset days = figure("stage-days").rendered().chart().getCategoryPlot().getDataset();
    List<CSVRecord> stages = answer("stage_conversion_and_velocity");
    assertThat(stages).as("stages").isNotEmpty();
    for (CSVRecord r : stages) {
      if (!r.get("conversion_rate").isEmpty()) {
        assertThat(conversion.getValue("conversion", r.get("stage_name")).doubleValue()).as("conversion of %s",
            r.get("stage_name")).isCloseTo(Double.parseDouble(r.get("conversion_rate")) * 100, within(1e-9));
      }
      if (!r.get("median_days_in_stage").isEmpty()) {
        assertThat(days.getValue("median days", r.get("stage_name")).doubleValue()).as("median days in %s",
            r.get("stage_name")).isEqualTo(Double.parseDouble(r.get("median_days_in_stage")));
      }
    }
    CategoryDataset mix = figure("won-lost-mix").rendered().chart().getCategoryPlot().getDataset();
    for (CSVRecord r : answer("activity_mix_won_vs_lost")) {
      assertThat(mix.getValue(r.get("outcome") + " deals", "meetings").doubleValue()).as("meetings per %s deal",
          r.get("outcome")).isEqualTo(Double.parseDouble(r.get("avg_meetings")));
      assertThat(mix.getValue(r.get("outcome") + " deals", "two-way touches").doubleValue()).as("two-way touches per %s deal",
          r.get("outcome")).isEqualTo(Double.parseDouble(r.get("avg_two_way_touches")));
    }
    CategoryDataset exceptions = figure("exceptions").rendered().chart().getCategoryPlot().getDataset();
    List<CSVRecord> codes = answer("report_incentive_exceptions_by_code");
    assertThat(codes).as("exception codes on the golden org").isNotEmpty();
    for (CSVRecord r : codes) {
      assertThat(new BigDecimal(exceptions.getValue(r.get("severity"), r.get("exception_code").replace("_", " ")).toString()))
          .as("at risk for %s", r.get("exception_code"))
          .isEqualByComparingTo(r.get("amount_at_risk").isEmpty() ? "0" : r.get("amount_at_risk"));
    }
    for (String bars : List.of("stage-conversion", "stage-days", "won-lost-mix", "attribution-quality", "exceptions")) {
      assertBarHeights(figure(bars));
    }
  }

  /** Each bar's drawn end, mapped back through the value axis, is its value (a stacked segment: its own length). */
  static void assertBarHeights(Report.Figure f) {
    CategoryPlot plot = f.rendered().chart().getCategoryPlot();
    Rectangle2D area = f.rendered().info().getPlotInfo().getDataArea();
    boolean horizontal = plot.getOrientation() == org.jfree.chart.plot.PlotOrientation.HORIZONTAL;
    double perPixel = plot.getRangeAxis().getRange().getLength() / (horizontal ? area.getWidth() : area.getHeight());
    for (CategoryItemEntity e : entities(f, CategoryItemEntity.class)) {
      CategoryDataset d = e.getDataset();
      Rectangle2D b = e.getArea().getBounds2D();
      double length = plot.getRangeAxis().java2DToValue(horizontal ? b.getMinX() + b.getWidth() : b.getMinY(), area,
          plot.getRangeAxisEdge()) - plot.getRangeAxis().java2DToValue(horizontal ? b.getMinX() : b.getMaxY(), area,
          plot.getRangeAxisEdge());
      double value = d.getValue(e.getRowKey(), e.getColumnKey()).doubleValue();
      assertThat(Math.abs(length)).as("%s: bar %s / %s", f.id(), e.getRowKey(), e.getColumnKey())
          .isCloseTo(Math.abs(value), within(2 * perPixel));
    }
  }

  @Test
  void theNightlysReportStepWritesThePageIntoTheWarehouse() throws IOException {
    Path copy = tmp.resolve("warehouse");
    TestSupport.copyTree(TestSupport.golden().resolve("warehouse"), copy);
    Settings settings = Settings.load(null, Map.of("report.nightly", "true", "report.period", "month")).validate();
    assertThat(NightlyJob.steps("nightly", settings)).as("the nightly's steps with report.nightly=true")
        .endsWith("reconcile", "report");
    var session = TestSupport.spark().newSession();
    Step step = ReportCommand.step(session, new com.salespulse.jobs.io.Warehouse(session, TestSupport.uri(copy)), settings);
    String detail = step.run(new Step.Run(java.time.LocalDate.parse(TestSupport.GOLDEN_LAST), "r", false, List.of(), null));
    Path page = copy.resolve("_reports").resolve(TestSupport.GOLDEN_LAST).resolve("index.html");
    assertThat(detail).as("the step's detail").endsWith("_reports/" + TestSupport.GOLDEN_LAST + "/index.html");
    assertThat(Files.readString(page)).as("the page, as of the run date, month to date")
        .contains("Month to date · as of " + TestSupport.GOLDEN_LAST);
  }
}
