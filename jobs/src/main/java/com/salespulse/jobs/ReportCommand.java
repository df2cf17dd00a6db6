package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code report}: one self-contained HTML page of charts for sales leaders and finance, from the
 * warehouse's tables through the queries of {@code sql/queries/}; and the nightly's {@code report}
 * step (with {@code report.nightly=true}), writing {@code <warehouse>/_reports/<run date>/index.html}.
 */
final class ReportCommand {

  private static final Logger LOG = LoggerFactory.getLogger(ReportCommand.class);

  private ReportCommand() {}

  static Options options() {
    Options o = new Options();
    SalesPulse.addCommon(o, false);
    o.addOption(SalesPulse.opt("as-of", "YYYY-MM-DD",
        "the date the report is as of (default: the latest date the rollup is complete to)"));
    o.addOption(SalesPulse.opt("period", "quarter|month", "the period covered to date (default: report.period)"));
    o.addOption(SalesPulse.opt("team", "NODE", "a team of the manager hierarchy (dim_teams.node_id): its members only"));
    o.addOption(SalesPulse.required("out", "FILE.html", "where to write the page (a local path or a URI such as s3a://)"));
    return o;
  }

  static ExitCode run(CommandLine cl) {
    // every option read before any Spark work
    Settings settings = SalesPulse.settings(cl);
    String period = cl.hasOption("period") ? cl.getOptionValue("period") : settings.reportPeriod();
    if (!Settings.REPORT_PERIODS.contains(period)) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot read --period: '" + period + "' is not one of "
          + String.join(", ", Settings.REPORT_PERIODS));
    }
    LocalDate asOf = cl.hasOption("as-of") ? SalesPulse.date(cl, "as-of") : null;
    String team = cl.hasOption("team") ? cl.getOptionValue("team") : "";
    SparkSession spark = SparkSessions.create(settings, "salespulse-report").newSession();
    write(spark, new Warehouse(spark, settings.location(Settings.WAREHOUSE)), asOf, period, team,
        settings.rollupRules().currencies().corporateCurrency(), cl.getOptionValue("out"));
    return ExitCode.SUCCESS;
  }

  /**
   * Builds the report (as of the latest complete date when {@code asOf} is null) and writes it; returns the
   * page. Its amount axes name {@code corporateCurrency} (empty: "currency").
   */
  static Report.Built write(SparkSession session, Warehouse warehouse, LocalDate asOf, String period, String team,
                            String corporateCurrency, String out) {
    long t0 = System.nanoTime();
    LOG.info("BEGIN report period={} as_of={} team={} out={}", period, asOf == null ? "latest" : asOf,
        team.isEmpty() ? "all" : team, out);
    // a warehouse last written by an older release lacks this release's new columns until the nightly
    // upgrades its tables: say so, instead of failing on an unresolved column in a query
    java.util.List<String> stale = new java.util.ArrayList<>();
    for (String table : warehouse.tables().stream().filter(Warehouse::hasDdl).toList()) {
      warehouse.missingColumns(table).forEach(c -> stale.add(table + "." + c));
    }
    if (!stale.isEmpty()) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot build the report: the warehouse was written by an "
          + "older release and lacks " + String.join(", ", stale) + "; run the nightly once with this release (a "
          + "rerun of the last date will do), which adds and fills them");
    }
    Report report = new Report(new SqlCommand.Query(session, warehouse), corporateCurrency);
    Report.Built built = report.build(asOf == null ? report.latestAsOf() : asOf, period, team);
    String html = ReportPage.html(built, warehouse.root(), AuditRuns.codeVersion());
    Path path = new Path(out);
    try {
      Configuration conf = session.sparkContext().hadoopConfiguration();
      FileSystem fs = path.getFileSystem(conf);
      try (OutputStream o = fs.create(path, true)) {
        o.write(html.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot write the report to " + out + ": " + e.getMessage(), e);
    }
    long figures = built.sections().stream().mapToLong(s -> s.figures().size()).sum();
    LOG.info("END report as_of={} sections={} charts={} bytes={} out={} in {} ms", built.asOf(), built.sections().size(),
        figures, html.length(), out, (System.nanoTime() - t0) / 1_000_000);
    return built;
  }

  /** The nightly's last step when {@code report.nightly=true}: the page as of the run date, in the warehouse. */
  static Step step(SparkSession spark, Warehouse warehouse, Settings settings) {
    return new Step() {
      @Override
      public String name() {
        return "report";
      }

      @Override
      public String run(Run run) {
        String out = warehouse.root() + "/_reports/" + run.runDate() + "/index.html";
        write(spark.newSession(), warehouse, run.runDate(), settings.reportPeriod(), "",
            settings.rollupRules().currencies().corporateCurrency(), out);
        return "wrote " + out;
      }
    };
  }
}
