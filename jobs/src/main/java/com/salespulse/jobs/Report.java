package com.salespulse.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's content: every figure is the answer of a query in {@code sql/queries/} (the files
 * analysts run with {@code salespulse sql -f ... --param ...}), turned into charts and tables here
 * without computing anything again: the report only picks columns, orders and formats.
 */
final class Report {

  /** A table under a chart: caption, header and rows as text. */
  record Table(String caption, List<String> headers, List<List<String>> rows) {}

  /** One chart: an id for the page's anchors and the tests, the query it draws, and the rendering. */
  record Figure(String id, String query, ReportCharts.Rendered rendered) {}

  /** One section of the page. */
  record Section(String id, String heading, String lead, List<Figure> figures, List<Table> tables) {}

  /** What was asked and what the queries answered, and the sections built from the answers. */
  record Built(LocalDate asOf, String periodType, String team, Map<String, List<Row>> answers, List<Section> sections) {}

  private final SqlCommand.Query query;
  /** What the amount axes are in: the corporate currency's code, or "currency" when none is set. */
  private final String amountUnit;

  /** @param corporateCurrency {@code org.corporate-currency} (empty: amounts as the records hold them) */
  Report(SqlCommand.Query query, String corporateCurrency) {
    this.query = query;
    this.amountUnit = corporateCurrency.isEmpty() ? "currency" : corporateCurrency;
  }

  /** The text of {@code sql/queries/<name>.sql} as shipped. */
  static String querySql(String name) {
    try (InputStream in = Report.class.getResourceAsStream("/sql/queries/" + name + ".sql")) {
      if (in == null) {
        throw new IllegalStateException("Cannot build the report: no query sql/queries/" + name + ".sql in the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read sql/queries/" + name + ".sql: " + e.getMessage(), e);
    }
  }

  /** The latest date the rep performance table is complete to: the report's default as-of date. */
  LocalDate latestAsOf() {
    Row r = query.run("SELECT max(as_of_date) FROM fct_rep_performance", Map.of()).first();
    if (r.isNullAt(0)) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot build the report: fct_rep_performance is empty; run the nightly first");
    }
    return r.getDate(0).toLocalDate();
  }

  Built build(LocalDate asOf, String periodType, String team) {
    List<String> tables = query.tables();
    for (String t : List.of("fct_rep_performance", "fct_team_performance", "fct_opportunity_engagement_daily",
        "fct_activities", "dim_users", "dim_teams")) {
      if (!tables.contains(t)) {
        throw new SalesPulseException(ExitCode.USAGE, "Cannot build the report: the warehouse has no " + t
            + "; run the nightly first");
      }
    }
    Map<String, Object> params = Map.of("as_of", asOf.toString(), "period_type", periodType, "team", team);
    Map<String, List<Row>> answers = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(List.of("report_rep_pace", "report_team_pace", "report_deals_at_risk",
        "report_top_deals_at_risk", "stage_conversion_and_velocity", "activity_mix_won_vs_lost",
        "report_attribution_quality"));
    boolean incentives = tables.contains("fct_incentive_reconciliation") && tables.contains("fct_incentive_exceptions");
    if (incentives) {
      names.addAll(List.of("report_incentive_spend_by_team", "report_incentive_exceptions_by_code",
          "incentive_spend_on_deals_without_activity"));
    }
    for (String name : names) {
      answers.put(name, query.run(querySql(name), params).collectAsList());
    }
    String asOfText = "as of " + asOf + (team.isEmpty() ? "" : " · team " + team);
    List<Section> sections = new ArrayList<>();
    sections.add(repPace(answers.get("report_rep_pace"), periodType, asOfText));
    sections.add(teamPace(answers.get("report_team_pace"), periodType, asOfText));
    sections.add(dealsAtRisk(answers.get("report_deals_at_risk"), answers.get("report_top_deals_at_risk"), asOfText));
    sections.add(funnel(answers.get("stage_conversion_and_velocity"), answers.get("activity_mix_won_vs_lost"), asOfText));
    sections.add(attribution(answers.get("report_attribution_quality"), periodType, asOfText));
    if (incentives) {
      sections.add(incentives(answers.get("report_incentive_spend_by_team"),
          answers.get("report_incentive_exceptions_by_code"), answers.get("incentive_spend_on_deals_without_activity"),
          asOfText));
    }
    return new Built(asOf, periodType, team, answers, sections);
  }

  // ---- sections ----

  private static Section repPace(List<Row> reps, String period, String asOf) {
    XYSeries onPace = new XYSeries("on pace", false, true);
    XYSeries atRisk = new XYSeries("at risk", false, true);
    List<List<String>> labels = List.of(new ArrayList<>(), new ArrayList<>());
    double median = 0;
    List<List<String>> rows = new ArrayList<>();
    for (Row r : reps) {
      Double pace = dbl(r, "activity_pace_ratio");
      Double attainment = dbl(r, "attainment");
      boolean risk = r.<Boolean>getAs("is_at_risk");
      if (pace != null && attainment != null) {
        (risk ? atRisk : onPace).add(pace.doubleValue(), attainment * 100);
        labels.get(risk ? 1 : 0).add(r.getAs("rep_name"));
      }
      Double m = dbl(r, "median_attainment");
      median = m == null ? median : m * 100;
      rows.add(List.of(r.getAs("rep_name"), r.getAs("team_name"), text(r, "activity_count"),
          fixed(pace, 2), attainment == null ? "no quota" : fixed(attainment * 100, 0) + " %",
          risk ? "yes" : "", r.<String>getAs("at_risk_reason").replace("_", " ").replace(",", ", ")));
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(onPace);
    data.addSeries(atRisk);
    String title = "Who is behind on activity, and does it show in results? (" + period + " to date)";
    ReportCharts.Rendered chart = ReportCharts.render("rep-pace", ReportCharts.paceScatter(title, asOf
        + " · one point per rep with a quota · triangles: at risk · names that would overlap are in the table",
        data, labels, median, ReportCharts.WIDTH, 460), ReportCharts.WIDTH, 460);
    return new Section("rep-pace", "1. Activity vs results by rep",
        "Each rep's activity pace against the team median at the same point of the " + period
            + ", beside quota attainment. Reps at risk (pace or pipeline coverage below the thresholds) are flagged with the reason.",
        List.of(new Figure("rep-pace", "report_rep_pace", chart)),
        List.of(new Table("Reps, at-risk first", List.of("Rep", "Team", "Activities", "Pace", "Attainment", "At risk",
            "Reason"), rows)));
  }

  private Section teamPace(List<Row> days, String period, String asOf) {
    Map<String, TimeSeries[]> byTeam = new LinkedHashMap<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Row r : days) {
      TimeSeries[] s = byTeam.computeIfAbsent(r.getAs("node_id"), node -> {
        // series keys must differ: two managers of the same name get their ids beside
        String team = names.add(r.getAs("team_name")) ? r.getAs("team_name") : r.getAs("team_name") + " (" + node + ")";
        return new TimeSeries[] {new TimeSeries(team + " won"), new TimeSeries(team + " quota to date"),
            new TimeSeries(team)};
      });
      Day day = day(r.<java.sql.Date>getAs("day").toLocalDate());
      s[0].add(day, dec(r, "cumulative_won_amount"));
      if (r.getAs("quota_to_date") != null) {
        s[1].add(day, dec(r, "quota_to_date"));
      }
      s[2].add(day, r.<Long>getAs("cumulative_activity_count"));
    }
    TimeSeriesCollection won = new TimeSeriesCollection(java.util.TimeZone.getTimeZone(ZoneOffset.UTC));
    TimeSeriesCollection activity = new TimeSeriesCollection(java.util.TimeZone.getTimeZone(ZoneOffset.UTC));
    for (TimeSeries[] s : byTeam.values()) {
      won.addSeries(s[0]);
      won.addSeries(s[1]);
      activity.addSeries(s[2]);
    }
    ReportCharts.Rendered wonChart = ReportCharts.render("team-won", ReportCharts.daysLines(
        "Is each team winning fast enough to make quota? (" + period + " to date)",
        asOf + " · solid: amount won so far · dashed: quota pro rata to the day",
        "Amount won, cumulative (" + amountUnit + ")", won, true), ReportCharts.WIDTH, ReportCharts.HEIGHT);
    ReportCharts.Rendered activityChart = ReportCharts.render("team-activity", ReportCharts.daysLines(
        "How steadily is each team working its deals? (" + period + " to date)",
        asOf + " · emails, held meetings and calls attributed to the team's reps", "Activities, cumulative (count)",
        activity, false), ReportCharts.WIDTH, ReportCharts.HEIGHT);
    return new Section("team-pace", "2. Team pace through the " + period,
        "Cumulative results and activity per team, day by day, against the team's quota spread evenly over the " + period + ".",
        List.of(new Figure("team-won", "report_team_pace", wonChart), new Figure("team-activity", "report_team_pace",
            activityChart)), List.of());
  }

  private Section dealsAtRisk(List<Row> byReason, List<Row> top, String asOf) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Row r : byReason) {
      data.addValue(dec(r, "amount_at_stake"), r.<String>getAs("reason").replace("_", " "), r.<String>getAs("team_name"));
    }
    ReportCharts.Rendered chart = ReportCharts.render("risk-by-team", ReportCharts.bars("Where is pipeline at risk, and why?",
        asOf + " · open deals flagged on that day's snapshot; a deal with two flags counts under each",
        "Team (owner's manager)", "Amount at stake (" + amountUnit + ")", data, true, false, "#,##0"),
        ReportCharts.WIDTH, ReportCharts.HEIGHT);
    List<List<String>> rows = new ArrayList<>();
    for (Row r : top) {
      rows.add(List.of(r.getAs("account_name") == null ? "" : r.getAs("account_name"), r.getAs("owner_name"),
          r.getAs("team_name"), text(r, "stage_name"), money(r, "amount") + " " + text(r, "currency_code"),
          text(r, "close_date"), text(r, "risk_reasons").replace("_", " ").replace(",", ", "),
          r.getAs("last_two_way_touch_date") == null ? "never" : text(r, "last_two_way_touch_date")));
    }
    return new Section("deals-at-risk", "3. Deals at risk",
        "Open deals with a risk flag (stale, ghosted, single-threaded, stalled in stage, close date slipping, closing without a meeting), by team and reason.",
        List.of(new Figure("risk-by-team", "report_deals_at_risk", chart)),
        List.of(new Table("The largest deals at risk", List.of("Account", "Owner", "Team", "Stage", "Amount", "Close date",
            "Reasons", "Last two-way touch"), rows)));
  }

  private static Section funnel(List<Row> stages, List<Row> mix, String asOf) {
    DefaultCategoryDataset conversion = new DefaultCategoryDataset();
    DefaultCategoryDataset days = new DefaultCategoryDataset();
    for (Row r : stages) {
      Double rate = dbl(r, "conversion_rate");
      if (rate != null) {
        conversion.addValue(rate * 100, "conversion", r.<String>getAs("stage_name"));
      }
      Double median = dbl(r, "median_days_in_stage");
      if (median != null) {
        days.addValue(median, "median days", r.<String>getAs("stage_name"));
      }
    }
    DefaultCategoryDataset activity = new DefaultCategoryDataset();
    for (Row r : mix) {
      String outcome = r.getAs("outcome");
      for (String[] c : new String[][] {{"avg_emails", "emails"}, {"avg_meetings", "meetings"}, {"avg_calls", "calls"},
          {"avg_two_way_touches", "two-way touches"}}) {
        Double v = dbl(r, c[0]);
        activity.addValue(v == null ? 0 : v, outcome + " deals", c[1]);
      }
    }
    String sub = asOf + " · all deals in the warehouse's history";
    return new Section("funnel", "4. Funnel and velocity",
        "How deals move through the stages, how long they stay, and how the activity on won deals differs from lost ones.",
        List.of(
            new Figure("stage-conversion", "stage_conversion_and_velocity", ReportCharts.render("stage-conversion", ReportCharts.bars(
                "Which stages lose deals? (share of deals leaving a stage that advanced)", sub, "Stage",
                "Advanced (% of deals that left the stage)", conversion, false, false, "0"),
                ReportCharts.WIDTH, ReportCharts.HEIGHT)),
            new Figure("stage-days", "stage_conversion_and_velocity", ReportCharts.render("stage-days", ReportCharts.bars(
                "Where do deals wait? (median days in each stage)", sub, "Stage", "Median days in stage (days)", days,
                false, false, "0.0"), ReportCharts.WIDTH, ReportCharts.HEIGHT)),
            new Figure("won-lost-mix", "activity_mix_won_vs_lost", ReportCharts.render("won-lost-mix", ReportCharts.bars(
                "Do won deals get a different mix of activity than lost ones?", sub
                    + " · credit-weighted activities per closed deal", "Activity", "Per closed deal (activities)",
                activity, false, false, "0.0"), ReportCharts.WIDTH, ReportCharts.HEIGHT))),
        List.of());
  }

  private static Section attribution(List<Row> outcomes, String period, String asOf) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    double attributed = 0;
    long total = 0;
    for (Row r : outcomes) {
      String outcome = r.getAs("outcome");
      long n = r.<Long>getAs("activities");
      total += n;
      if (outcome.equals("attributed")) {
        attributed += dbl(r, "share");
      }
      data.addValue(n, outcome.equals("attributed") ? "attributed: confidence" : "no deal: reason",
          r.<String>getAs("detail").replace("_", " "));
    }
    String lead = String.format(java.util.Locale.ROOT, "%.1f %% of the %d activities of the %s to date are attributed to "
        + "a deal; the confidence is a calibrated probability, so a band of 0.6-0.7 is right about two times in three.",
        attributed * 100, total, period);
    return new Section("attribution", "5. Attribution quality", lead,
        List.of(new Figure("attribution-quality", "report_attribution_quality", ReportCharts.render("attribution-quality", ReportCharts.bars(
            "How much of the activity can be trusted to the right deal? (" + period + " to date)",
            asOf + " · attributed activities by confidence band, the rest by why no deal was named",
            "Confidence band or reason", "Activities (count)", data, true, false, "0"),
            ReportCharts.WIDTH, ReportCharts.HEIGHT))),
        List.of());
  }

  private Section incentives(List<Row> teams, List<Row> codes, List<Row> idle, String asOfText) {
    // the query answers the first-line teams of one quarter (the latest reconciled one up to as-of)
    LocalDate quarter = teams.isEmpty() ? null : teams.get(0).<java.sql.Date>getAs("quarter_start").toLocalDate();
    DefaultCategoryDataset spend = new DefaultCategoryDataset();
    for (Row r : teams) {
      String team = r.getAs("manager_name") == null ? r.getAs("manager_user_id") : r.getAs("manager_name");
      spend.addValue(dec(r, "net_paid"), "net paid", team);
      spend.addValue(dec(r, "credited_won_amount"), "credited won", team);
    }
    DefaultCategoryDataset exceptions = new DefaultCategoryDataset();
    for (Row r : codes) {
      exceptions.addValue(dec(r, "amount_at_risk"), r.<String>getAs("severity"),
          r.<String>getAs("exception_code").replace("_", " "));
    }
    List<List<String>> rows = new ArrayList<>();
    for (Row r : idle.subList(0, Math.min(15, idle.size()))) {
      rows.add(List.of(text(r, "opportunity_id"), text(r, "deal_stage_name"), money(r, "deal_amount"),
          text(r, "payments"), money(r, "paid_amount"), text(r, "first_paid_date")));
    }
    return new Section("incentives", "6. Incentive spend",
        "What was paid against what was won and worked" + (quarter == null ? "" : " in the quarter from " + quarter)
            + ", and the payments finance should look at first.",
        List.of(
            new Figure("spend-vs-won", "report_incentive_spend_by_team", ReportCharts.render("spend-vs-won", ReportCharts.bars(
                "Does each team's pay follow its results?", asOfText + (quarter == null ? "" : " · quarter from " + quarter)
                    + " · net paid beside credited won, the 8 first-line teams paid most",
                "First-line team (manager)",
                "Amount (" + amountUnit + ")", spend, false, false, "#,##0"), ReportCharts.WIDTH, ReportCharts.HEIGHT)),
            new Figure("exceptions", "report_incentive_exceptions_by_code", ReportCharts.render("exceptions", ReportCharts.bars(
                "Which payment exceptions put the most money at risk?", asOfText + " · all pay runs reconciled",
                "Exception", "Amount at risk (" + amountUnit + ")", exceptions, true, true, "#,##0"),
                ReportCharts.WIDTH, ReportCharts.HEIGHT))),
        List.of(new Table("Paid on deals nobody worked (no attributed activity)", List.of("Deal", "Stage", "Deal amount",
            "Payments", "Paid", "First paid"), rows)));
  }

  // ---- cells ----

  private static Day day(LocalDate d) {
    return new Day(d.getDayOfMonth(), d.getMonthValue(), d.getYear());
  }

  static Double dbl(Row r, String col) {
    Object v = r.getAs(col);
    return v == null ? null : ((Number) v).doubleValue();
  }

  static Number dec(Row r, String col) {
    Object v = r.getAs(col);
    return v == null ? 0 : v instanceof BigDecimal b ? b : (Number) v;
  }

  private static String text(Row r, String col) {
    Object v = r.getAs(col);
    return v == null ? "" : v.toString();
  }

  private static String fixed(Double v, int decimals) {
    return v == null ? "" : String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String money(Row r, String col) {
    Object v = r.getAs(col);
    return v == null ? "" : String.format(java.util.Locale.ROOT, "%,.0f", ((Number) v).doubleValue());
  }
}
