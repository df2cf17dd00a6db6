package com.salespulse.jobs;

/** Process exit codes (sysexits.h values), documented in the README for schedulers. */
public enum ExitCode {
  /** Every step succeeded. */
  SUCCESS(0),
  /** An unexpected failure (bug, storage error): fix and rerun. */
  FAILURE(1),
  /** Bad command line or configuration. */
  USAGE(64),
  /** The input drop was rejected (missing required column, too many bad rows); nothing was staged. */
  INPUT_REJECTED(65),
  /** Another run holds the warehouse's lease (runs of one warehouse go one at a time): retry later. */
  LOCKED(73),
  /** A dataset for the run date has no _SUCCESS marker yet: retry later. */
  NOT_LANDED(75);

  public final int code;

  ExitCode(int code) {
    this.code = code;
  }
}
