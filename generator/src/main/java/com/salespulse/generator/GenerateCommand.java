package com.salespulse.generator;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Properties;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code salespulse generate}: writes contract-format drops of a simulated sales org, and their
 * ground truth. It ships in its own module, outside the production jar; {@code scripts/salespulse}
 * puts it on the class path for this one command. Exit codes as the other commands': 0 success,
 * 64 usage, 1 failure.
 */
public final class GenerateCommand {

  public static final int SUCCESS = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 64;

  private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);

  /** A wrong option (exit code 64). */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  private GenerateCommand() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs {@code generate} with these options (without the command name) and returns its exit code. */
  public static int run(String... args) {
    Options options = options();
    options.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      help(options);
      return SUCCESS;
    }
    try {
      generate(new DefaultParser().parse(options, args));
      return SUCCESS;
    } catch (ParseException e) {
      System.err.println("Cannot run 'generate': " + e.getMessage());
      help(options);
      return USAGE;
    } catch (UsageException e) {
      LOG.error("{}", e.getMessage());
      System.err.println(e.getMessage());
      return USAGE;
    } catch (IOException | RuntimeException e) {
      LOG.error("Cannot generate: {}", e.getMessage(), e);
      System.err.println("Cannot generate: " + e.getMessage());
      return FAILURE;
    }
  }

  private static void help(Options options) {
    HelpFormatter.builder().get().printHelp("salespulse generate", null, options, null, true);
  }

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
      throw new UsageException("Cannot read --" + option + ": '" + v + "' is not " + n
          + " comma-separated shares between 0 and 1");
    }
    return out;
  }

  static void generate(CommandLine cl) throws IOException {
    Configuration hadoop = hadoopConfiguration(cl.getOptionValue("conf"));
    String out = absolute(cl.getOptionValue("out"));
    LocalDate start = date(cl, "start-date");
    int days = integer(cl, "days", 30);
    int reps = integer(cl, "reps", 20);
    int seed = integer(cl, "seed", 42);
    int bulkDays = integer(cl, "bulk-days", 0);
    double scale;
    try {
      scale = Double.parseDouble(cl.getOptionValue("activity-scale", "1.0"));
    } catch (NumberFormatException e) {
      throw new UsageException("Cannot read --activity-scale: not a number");
    }
    if (days < 1 || reps < 2 || scale <= 0 || bulkDays < 0 || bulkDays > days) {
      throw new UsageException(
          "Cannot generate: --days must be >= 1, --reps >= 2, --activity-scale > 0, 0 <= --bulk-days <= --days");
    }
    Generator.Profile profile;
    try {
      profile = Generator.Profile.of(cl.getOptionValue("profile", "easy"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (cl.hasOption("logged-shares") || cl.hasOption("mislog-rates")) {
      double[] logged = cl.hasOption("logged-shares") ? numbers(cl, "logged-shares", 3)
          : new double[] {profile.loggedEmailShare(), profile.loggedCallShare(), profile.loggedMeetingShare()};
      double[] mislog = cl.hasOption("mislog-rates") ? numbers(cl, "mislog-rates", 2)
          : new double[] {profile.misLogSiblingRate(), profile.misLogAccountRate()};
      profile = profile.withLogging(logged[0], logged[1], logged[2], mislog[0], mislog[1]);
    }
    String truth = cl.hasOption("truth-out") ? absolute(cl.getOptionValue("truth-out"))
        : out + "-truth/activity_truth.csv";
    long t0 = System.nanoTime();
    LOG.info("BEGIN generate out={} start={} days={} reps={} seed={} profile={}", out, start, days, reps, seed, profile);
    try {
      Generator.Summary s;
      // the file systems come from the settings like every other command's (--conf, spark.hadoop.*)
      try (DropWriter writer = new DropWriter(out, hadoop,
          bulkDays > 0 ? start.plusDays(bulkDays - 1) : null)) {
        s = new Generator(writer, seed, reps, scale, profile, !cl.hasOption("clean-payouts")).generate(start, days, truth);
      }
      LOG.info("END generate files={} rows={} activities={} truth={} in {} ms", s.files(), s.rows(), s.activities(),
          truth, (System.nanoTime() - t0) / 1_000_000);
    } catch (IOException e) {
      throw new IOException("Cannot generate into " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * The file systems' settings: the {@code spark.hadoop.*} keys of the {@code --conf} file, as
   * every command reads them (e.g. an S3 endpoint); credentials come from the AWS default chain.
   */
  static Configuration hadoopConfiguration(String confFile) {
    Configuration conf = new Configuration();
    if (confFile == null) {
      return conf;
    }
    Path file = Path.of(confFile);
    if (!Files.isRegularFile(file)) {
      throw new UsageException("Cannot load settings: no such file " + file);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UsageException("Cannot load settings from " + file + ": " + e.getMessage());
    }
    p.stringPropertyNames().stream().filter(k -> k.startsWith("spark.hadoop."))
        .forEach(k -> conf.set(k.substring("spark.hadoop.".length()), p.getProperty(k).trim()));
    return conf;
  }

  /** A location as an absolute URI: relative local paths become file: URIs. */
  static String absolute(String location) {
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
      return location.replaceAll("/+$", "");
    }
    return Path.of(location).toAbsolutePath().normalize().toUri().toString().replaceAll("/+$", "");
  }

  private static LocalDate date(CommandLine cl, String option) {
    String v = cl.getOptionValue(option);
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new UsageException("Cannot read --" + option + ": '" + v + "' is not a date YYYY-MM-DD");
    }
  }

  private static int integer(CommandLine cl, String option, int fallback) {
    String v = cl.getOptionValue(option);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException("Cannot read --" + option + ": '" + v + "' is not a whole number");
    }
  }
}
