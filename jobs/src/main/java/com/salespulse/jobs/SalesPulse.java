package com.salespulse.jobs;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point: {@code salespulse <command> [options]}. Commands: {@code ingest}, {@code attribute}, {@code rollup}, {@code reconcile}, {@code nightly}, {@code sql}, {@code report},
 * {@code evaluate-attribution}, {@code evaluate-reconciliation}; {@code generate} is the generator
 * module's ({@code com.salespulse.generator.GenerateCommand}), which {@code scripts/salespulse}
 * runs. Exit codes: see {@link ExitCode}.
 */
public final class SalesPulse {

  private static final Logger LOG = LoggerFactory.getLogger(SalesPulse.class);
  static final String USAGE = "salespulse <generate|ingest|attribute|train-attribution|rollup|reconcile|nightly|maintain|sql|report|evaluate-attribution|evaluate-reconciliation> [options]   (salespulse <command> --help)";

  private SalesPulse() {}

  public static void main(String[] args) {
    ExitCode code = run(args);
    NightlyJob.stopSpark();
    System.exit(code.code);
  }

  /** Runs a command in this JVM and returns its exit code (tests call this directly). */
  public static ExitCode run(String... args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println("usage: " + USAGE);
      return args.length == 0 ? ExitCode.USAGE : ExitCode.SUCCESS;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    Options options = switch (command) {
      case "ingest", "attribute", "rollup", "reconcile", "nightly", "train-attribution", "maintain" -> NightlyJob.options();
      case "evaluate-reconciliation" -> EvaluateReconciliationCommand.options();
      case "evaluate-attribution" -> EvaluateAttributionCommand.options();
      case "sql" -> SqlCommand.options();
      case "report" -> ReportCommand.options();
      default -> null;
    };
    if (command.equals("generate")) {
      System.err.println("Cannot run 'generate' from the production jar: the generator ships in its own module "
          + "(generator/); run scripts/salespulse generate from a source checkout");
      return ExitCode.USAGE;
    }
    if (options == null) {
      System.err.println("Cannot run '" + command + "': unknown command; usage: " + USAGE);
      return ExitCode.USAGE;
    }
    options.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      help(command, options);
      return ExitCode.SUCCESS;
    }
    CommandLine cl;
    try {
      cl = new DefaultParser().parse(options, rest);
    } catch (ParseException e) {
      System.err.println("Cannot run '" + command + "': " + e.getMessage());
      help(command, options);
      return ExitCode.USAGE;
    }
    try {
      return switch (command) {
        case "ingest" -> NightlyJob.run(cl, "ingest");
        case "attribute" -> NightlyJob.run(cl, "attribute");
        case "rollup" -> NightlyJob.run(cl, "rollup");
        case "reconcile" -> NightlyJob.run(cl, "reconcile");
        case "evaluate-reconciliation" -> EvaluateReconciliationCommand.run(cl);
        case "nightly" -> NightlyJob.run(cl, "nightly");
        case "train-attribution" -> NightlyJob.run(cl, "train-attribution");
        case "maintain" -> NightlyJob.run(cl, "maintain");
        case "evaluate-attribution" -> EvaluateAttributionCommand.run(cl);
        case "sql" -> SqlCommand.run(cl);
        case "report" -> ReportCommand.run(cl);
        default -> ExitCode.USAGE;
      };
    } catch (SalesPulseException e) {
      LOG.error("{}", e.getMessage());
      System.err.println(e.getMessage());
      return e.exitCode();
    } catch (Exception e) {
      LOG.error("Cannot run '{}': {}", command, e.toString(), e);
      return ExitCode.FAILURE;
    }
  }

  private static void help(String command, Options options) {
    HelpFormatter f = new HelpFormatter();
    PrintWriter w = new PrintWriter(System.out, true);
    f.printHelp(w, 100, "salespulse " + command + " [options]", null, options, 2, 2,
        "Exit codes: 0 success, 1 failure, 64 bad arguments, 65 input rejected, 73 another run holds the warehouse (retry), 75 not landed yet (retry).");
    w.flush();
  }

  // ---- option helpers shared by the commands ----

  static Option opt(String longOpt, String arg, String desc) {
    return Option.builder().longOpt(longOpt).hasArg(arg != null).argName(arg).desc(desc).get();
  }

  static Option required(String longOpt, String arg, String desc) {
    return Option.builder().longOpt(longOpt).hasArg().argName(arg).desc(desc).required().get();
  }

  public static LocalDate date(CommandLine cl, String option) {
    String v = cl.getOptionValue(option);
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot read --" + option + ": '" + v + "' is not a date YYYY-MM-DD");
    }
  }

  public static int integer(CommandLine cl, String option, int fallback) {
    String v = cl.getOptionValue(option);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot read --" + option + ": '" + v + "' is not a whole number");
    }
  }

  /** Settings from the defaults, {@code --conf} and the location options of a command line. */
  static Settings settings(CommandLine cl) {
    Map<String, String> overrides = new HashMap<>();
    overrides.put(Settings.INPUT_ROOT, cl.getOptionValue("input-root"));
    overrides.put(Settings.WAREHOUSE, cl.getOptionValue("warehouse"));
    String conf = cl.getOptionValue("conf");
    return Settings.load(conf == null ? null : Path.of(conf), overrides).validate();
  }

  static void addCommon(Options o, boolean withInput) {
    o.addOption(opt("warehouse", "URI", "warehouse root (folder or s3a://bucket/prefix); default from --conf"));
    if (withInput) {
      o.addOption(opt("input-root", "URI", "input drop root (folder or s3a://bucket/prefix); default from --conf"));
    }
    o.addOption(opt("conf", "FILE", "settings file (properties) overlaid on the embedded conf/local.properties"));
  }
}
