package com.salespulse.jobs.generate;

import com.salespulse.jobs.ExitCode;
import com.salespulse.jobs.Locations;
import com.salespulse.jobs.SalesPulse;
import com.salespulse.jobs.SalesPulseException;
import com.salespulse.jobs.Settings;
import java.io.IOException;
import java.time.LocalDate;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code generate}: writes contract-format drops of a simulated sales org, and their ground truth. */
public final class GenerateCommand {

  private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);

  private GenerateCommand() {}

  public static Options options() {
    Options o = new Options();
    o.addOption(Option.builder().longOpt("out").hasArg().argName("URI").required()
        .desc("drop root to write (folder or s3a://bucket/prefix)").get());
    o.addOption(Option.builder().longOpt("start-date").hasArg().argName("YYYY-MM-DD").required()
        .desc("first drop date").get());
    o.addOption(Option.builder().longOpt("days").hasArg().argName("N").desc("consecutive drop dates (default 30)").get());
    o.addOption(Option.builder().longOpt("reps").hasArg().argName("R").desc("account executives (default 20)").get());
    o.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("random seed; same seed, same bytes (default 42)").get());
    o.addOption(Option.builder().longOpt("truth-out").hasArg().argName("URI")
        .desc("ground-truth CSV (activity -> rep, account, deal); default <out>-truth/activity_truth.csv; the known "
            + "payout exceptions go beside it, in payout_truth.csv").get());
    o.addOption(Option.builder().longOpt("activity-scale").hasArg().argName("X")
        .desc("multiplies daily activity per rep (default 1.0), for benchmarks").get());
    o.addOption(Option.builder().longOpt("bulk-days").hasArg().argName("N")
        .desc("write the first N days into one drop dated on the N-th day (a history backfill; default 0: one drop per day)")
        .get());
    o.addOption(Option.builder().longOpt("profile").hasArg().argName("easy|hard")
        .desc("easy (default): a few deals per account, descriptive subjects; hard: 20+ concurrent deals per account, "
            + "several reps per account, deals named only by product, generic subjects").get());
    o.addOption(Option.builder().longOpt("logged-shares").hasArg().argName("E,C,M")
        .desc("share of emails, calls and meetings reps log in the CRM (default 0.25,0.333,0.4; 0,0,0 logs nothing)").get());
    o.addOption(Option.builder().longOpt("mislog-rates").hasArg().argName("S,A")
        .desc("share of logged records that name a sibling deal, and only the account (default 0.03,0.03)").get());
    o.addOption(Option.builder().longOpt("conf").hasArg().argName("FILE")
        .desc("settings file overlaid on the embedded defaults; spark.hadoop.* keys configure the file system "
            + "written to (e.g. an S3 endpoint)").get());
    o.addOption(Option.builder().longOpt("clean-payouts")
        .desc("pay every deal right; by default each pay run after the first also injects one payout anomaly of each "
            + "kind, listed in <truth folder>/payout_truth.csv (evaluate-reconciliation)").get());
    return o;
  }

  private static double[] numbers(CommandLine cl, String option, int n) {
    String v = cl.getOptionValue(option);
    String[] parts = v.split(",");
    double[] out = new double[n];
    try {
      if (parts.length != n) {
        throw new NumberFormatException();
      }
      for (int i = 0; i < n; i++) {
        out[i] = Double.parseDouble(parts[i].trim());
        if (out[i] < 0 || out[i] > 1) {
          throw new NumberFormatException();
        }
      }
    } catch (NumberFormatException e) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot read --" + option + ": '" + v + "' is not " + n
          + " comma-separated shares between 0 and 1");
    }
    return out;
  }

  public static ExitCode run(CommandLine cl) {
    Settings settings = Settings.load(cl.hasOption("conf") ? java.nio.file.Path.of(cl.getOptionValue("conf")) : null,
        java.util.Map.of());
    String out = Locations.absolute(cl.getOptionValue("out"));
    LocalDate start = SalesPulse.date(cl, "start-date");
    int days = SalesPulse.integer(cl, "days", 30);
    int reps = SalesPulse.integer(cl, "reps", 20);
    int seed = SalesPulse.integer(cl, "seed", 42);
    int bulkDays = SalesPulse.integer(cl, "bulk-days", 0);
    double scale;
    try {
      scale = Double.parseDouble(cl.getOptionValue("activity-scale", "1.0"));
    } catch (NumberFormatException e) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot read --activity-scale: not a number");
    }
    if (days < 1 || reps < 2 || scale <= 0 || bulkDays < 0 || bulkDays > days) {
      throw new SalesPulseException(ExitCode.USAGE,
          "Cannot generate: --days must be >= 1, --reps >= 2, --activity-scale > 0, 0 <= --bulk-days <= --days");
    }
    Generator.Profile profile;
    try {
      profile = Generator.Profile.of(cl.getOptionValue("profile", "easy"));
    } catch (IllegalArgumentException e) {
      throw new SalesPulseException(ExitCode.USAGE, e.getMessage());
    }
    if (cl.hasOption("logged-shares") || cl.hasOption("mislog-rates")) {
      double[] logged = cl.hasOption("logged-shares") ? numbers(cl, "logged-shares", 3)
          : new double[] {profile.loggedEmailShare(), profile.loggedCallShare(), profile.loggedMeetingShare()};
      double[] mislog = cl.hasOption("mislog-rates") ? numbers(cl, "mislog-rates", 2)
          : new double[] {profile.misLogSiblingRate(), profile.misLogAccountRate()};
      profile = profile.withLogging(logged[0], logged[1], logged[2], mislog[0], mislog[1]);
    }
    String truth = cl.hasOption("truth-out") ? Locations.absolute(cl.getOptionValue("truth-out"))
        : out + "-truth/activity_truth.csv";
    long t0 = System.nanoTime();
    LOG.info("BEGIN generate out={} start={} days={} reps={} seed={} profile={}", out, start, days, reps, seed, profile);
    try {
      Generator.Summary s;
      // the file systems come from the settings like every other command's (--conf, spark.hadoop.*)
      try (DropWriter writer = new DropWriter(out, settings.hadoopConfiguration(),
          bulkDays > 0 ? start.plusDays(bulkDays - 1) : null)) {
        s = new Generator(writer, seed, reps, scale, profile, !cl.hasOption("clean-payouts")).generate(start, days, truth);
      }
      LOG.info("END generate files={} rows={} activities={} truth={} in {} ms", s.files(), s.rows(), s.activities(),
          truth, (System.nanoTime() - t0) / 1_000_000);
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot generate into " + out + ": " + e.getMessage(), e);
    }
    return ExitCode.SUCCESS;
  }
}
