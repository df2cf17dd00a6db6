package com.salespulse.jobs.io;

import com.salespulse.jobs.ExitCode;
import com.salespulse.jobs.SalesPulseException;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One night's export drop: which datasets have landed and which files they hold. */
public final class InputDrop {

  private static final Logger LOG = LoggerFactory.getLogger(InputDrop.class);
  public static final String SUCCESS_MARKER = "_SUCCESS";

  private final String root;
  private final LocalDate date;
  private final Configuration hadoopConf;

  public InputDrop(String root, LocalDate date, Configuration hadoopConf) {
    this.root = root.replaceAll("/+$", "");
    this.date = date;
    this.hadoopConf = hadoopConf;
  }

  /** What a dataset's folder for the drop date holds. */
  public record Landing(InputDataset dataset, String folder, boolean present, boolean complete, List<InputFile> files) {}

  public String folder(InputDataset ds) {
    return root + "/" + ds.path + "/dt=" + date;
  }

  /**
   * The datasets that may hold a record: each one that has not landed whole, and each landed one whose
   * files hold a record (a header at most is none; an optional dataset absent from the drop holds none).
   * Decided on the driver from the first lines of the files, with no Spark job.
   */
  public List<Landing> mayHoldRecords() {
    List<Landing> out = new ArrayList<>();
    for (InputDataset ds : InputDataset.values()) {
      Landing l = landing(ds);
      if (!l.present() && !ds.required) {
        continue;
      }
      if (!l.complete() || RawReader.hasRecords(l.files(), hadoopConf)) {
        out.add(l);
      }
    }
    return out;
  }

  /** Lists a dataset's folder; files are returned only when its {@code _SUCCESS} marker exists. */
  public Landing landing(InputDataset ds) {
    String folder = folder(ds);
    Path dir = new Path(folder);
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf);
      if (!fs.exists(dir)) {
        return new Landing(ds, folder, false, false, List.of());
      }
      FileStatus[] entries = fs.listStatus(dir);
      boolean complete = Arrays.stream(entries).anyMatch(e -> e.getPath().getName().equals(SUCCESS_MARKER));
      List<InputFile> files = new ArrayList<>();
      Arrays.sort(entries, Comparator.comparing(e -> e.getPath().getName()));
      for (FileStatus e : entries) {
        String name = e.getPath().getName();
        if (!e.isFile() || name.equals(SUCCESS_MARKER)) {
          continue;
        }
        InputFile.Format format = InputFile.formatOf(name);
        if (format == null) {
          LOG.warn("Ignoring {}: not a .csv, .json, .jsonl or .parquet file (optionally .gz)", e.getPath());
          continue;
        }
        files.add(new InputFile(e.getPath().toString(), format, name.toLowerCase(Locale.ROOT).endsWith(".gz"), e.getLen()));
      }
      return new Landing(ds, folder, true, complete, complete ? files : List.of());
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot list " + folder + ": " + e.getMessage(), e);
    }
  }
}
