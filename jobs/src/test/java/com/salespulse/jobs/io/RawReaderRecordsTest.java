package com.salespulse.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether a dataset's files hold any record, decided on the driver before any Spark work. */
class RawReaderRecordsTest {

  @TempDir
  Path tmp;

  InputFile file(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (name.endsWith(".gz")) {
      try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(p))) {
        gz.write(bytes);
      }
    } else {
      Files.write(p, bytes);
    }
    return new InputFile(p.toUri().toString(), InputFile.formatOf(name), name.endsWith(".gz"), Files.size(p));
  }

  boolean hasRecords(InputFile... files) {
    return RawReader.hasRecords(List.of(files), new Configuration());
  }

  @Test
  void headerOnlyAndBlankFilesHoldNoRecord() throws IOException {
    assertThat(hasRecords(file("User.csv", "Id,Email\n"))).as("a CSV header alone").isFalse();
    assertThat(hasRecords(file("Opportunity.csv.gz", "Id,Name\n\n"))).as("a gzipped CSV header and a blank line")
        .isFalse();
    assertThat(hasRecords(file("emails.jsonl", ""), file("more.jsonl", "\n  \n"))).as("empty and blank JSON lines")
        .isFalse();
    assertThat(hasRecords(file("bom.csv", "\uFEFFId,Email\n"))).as("a header after a byte order mark").isFalse();
  }

  @Test
  void oneRecordInAnyFileIsEnough() throws IOException {
    assertThat(hasRecords(file("a.csv", "Id,Email\n"), file("b.csv", "Id,Email\n005A,a@x.com\n")))
        .as("a record in the second file").isTrue();
    assertThat(hasRecords(file("calls.jsonl.gz", "{\"call_id\": \"c1\"}\n"))).as("a gzipped JSON line").isTrue();
    assertThat(hasRecords(file("bad.jsonl", "not json at all\n"))).as("a malformed line is a record to quarantine")
        .isTrue();
  }
}
