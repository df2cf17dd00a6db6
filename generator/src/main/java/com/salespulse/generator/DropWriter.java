package com.salespulse.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes drop files (CSV, JSON lines, optionally gzipped) and _SUCCESS markers through Hadoop's
 * FileSystem. The writer opens its own file systems from its configuration (never one cached by
 * someone else with other settings) and closes them in {@link #close}.
 */
final class DropWriter implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String root;
  private final Configuration conf;
  private int files;
  /** When set, every day up to this one is written into this day's drop (a history backfill). */
  private final LocalDate bulkUntil;
  private final java.util.Map<java.net.URI, FileSystem> open = new java.util.HashMap<>();

  DropWriter(String root, Configuration conf, LocalDate bulkUntil) {
    this.root = root.replaceAll("/+$", "");
    this.conf = conf;
    this.bulkUntil = bulkUntil;
  }

  private boolean bulked(LocalDate dt) {
    return bulkUntil != null && !dt.isAfter(bulkUntil);
  }

  int files() {
    return files;
  }

  String folder(String dataset, LocalDate dt) {
    return root + "/" + dataset + "/dt=" + (bulked(dt) ? bulkUntil : dt);
  }

  /** Path of a file of a day's drop (prefixed with the day when several days share one drop). */
  String file(String dataset, LocalDate dt, String name) {
    return folder(dataset, dt) + "/" + (bulked(dt) ? dt + "-" + name : name);
  }

  /** A CSV with a header; extra raw lines (malformed rows on purpose) are appended verbatim. */
  void csv(String dataset, LocalDate dt, String fileName, List<String> header, List<List<Object>> rows,
           List<String> rawLines) throws IOException {
    StringWriter sw = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(sw, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new))
        .setRecordSeparator("\n").get())) {
      for (List<Object> r : rows) {
        p.printRecord(r);
      }
    }
    StringBuilder text = new StringBuilder(sw.toString());
    rawLines.forEach(l -> text.append(l).append('\n'));
    write(file(dataset, dt, fileName), text.toString());
  }

  /** JSON lines: each map's insertion order is kept; raw lines are written as they are. */
  void jsonLines(String path, List<Object> lines) throws IOException {
    StringBuilder text = new StringBuilder();
    for (Object line : lines) {
      text.append(line instanceof String s ? s : JSON.writeValueAsString((Map<?, ?>) line)).append('\n');
    }
    write(path, text.toString());
  }

  void success(String dataset, LocalDate dt) throws IOException {
    if (bulked(dt) && !dt.equals(bulkUntil)) {
      return;
    }
    write(folder(dataset, dt) + "/_SUCCESS", "");
  }

  void write(String path, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (path.endsWith(".gz")) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      try (OutputStream gz = new GZIPOutputStream(buf)) {
        gz.write(bytes);
      }
      bytes = buf.toByteArray();
    }
    Path p = new Path(path);
    FileSystem fs = fileSystem(p);
    try (FSDataOutputStream out = fs.create(p, true)) {
      out.write(bytes);
    }
    files++;
  }

  private FileSystem fileSystem(Path p) throws IOException {
    java.net.URI u = p.toUri();
    java.net.URI key;
    try {
      key = new java.net.URI(u.getScheme() == null ? "file" : u.getScheme(), u.getAuthority(), "/", null, null);
    } catch (java.net.URISyntaxException e) {
      throw new IOException("Cannot open a file system for " + p + ": " + e.getMessage(), e);
    }
    FileSystem fs = open.get(key);
    if (fs == null) {
      fs = FileSystem.newInstance(key, conf);
      fs.setWriteChecksum(false);
      open.put(key, fs);
    }
    return fs;
  }

  @Override
  public void close() throws IOException {
    for (FileSystem fs : open.values()) {
      fs.close();
    }
    open.clear();
  }
}
