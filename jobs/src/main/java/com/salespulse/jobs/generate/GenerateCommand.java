package com.salespulse.jobs.generate;

import com.salespulse.jobs.ExitCode;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

public final class GenerateCommand {
  public static Options options() { return new Options(); }
  public static ExitCode run(CommandLine cl) { return ExitCode.FAILURE; }
}
