package com.salespulse.jobs;

/** A failure the command line reports with its message and a specific exit code. */
public class SalesPulseException extends RuntimeException {

  private final ExitCode exitCode;

  public SalesPulseException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public SalesPulseException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
