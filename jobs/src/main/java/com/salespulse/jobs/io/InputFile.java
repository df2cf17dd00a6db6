package com.salespulse.jobs.io;

import java.io.Serializable;
import java.util.Locale;

/** A data file of a drop, with its format from the file name. */
public record InputFile(String path, Format format, boolean gzipped, long bytes) implements Serializable {

  public enum Format { CSV, JSON, PARQUET }

  /** About the bytes of its records as text: compressed bytes (gzip, Parquet) counted five times. */
  public long textBytes() {
    return gzipped || format == Format.PARQUET ? 5 * bytes : bytes;
  }

  /** The format a file name declares, or null when the contract does not know it. */
  public static Format formatOf(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.startsWith(".") || n.startsWith("_")) {
      return null;
    }
    if (n.endsWith(".gz")) {
      n = n.substring(0, n.length() - 3);
      if (n.endsWith(".parquet")) {
        return null;
      }
    }
    if (n.endsWith(".csv")) {
      return Format.CSV;
    }
    if (n.endsWith(".json") || n.endsWith(".jsonl")) {
      return Format.JSON;
    }
    if (n.endsWith(".parquet")) {
      return Format.PARQUET;
    }
    return null;
  }
}
