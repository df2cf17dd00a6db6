package com.salespulse.jobs.io;

import static org.apache.spark.sql.functions.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.salespulse.jobs.ExitCode;
import com.salespulse.jobs.SalesPulseException;
import com.salespulse.transforms.staging.StagingTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads a dataset's files into raw rows: every contract field as text (absent optional columns as
 * null), plus the source file, the record's 1-based position in its file, the raw record text and
 * a parse error for records that cannot be read (malformed JSON, a CSV row with the wrong number of
 * fields). The field list is the explicit schema: nothing is inferred.
 *
 * <p>CSV and JSON-lines files are parsed one file per task (a gzip file cannot be split anyway), so
 * record numbers are exact and quoted CSV fields may span lines; Parquet goes through Spark's own
 * reader with {@code _metadata.row_index}, one scan per distinct file schema (read from each file's
 * footer on the driver), so a history drop of many daily files is not a union of as many scans.
 */
public final class RawReader {

  /** Raw records longer than this are cut in the quarantine table. */
  static final int MAX_RAW_CHARS = 20_000;

  /**
   * CSV headers and Parquet footers are read on the driver this many files at a time: small reads
   * whose cost, on an object store, is each request's latency (a history drop of daily files holds
   * hundreds per dataset).
   */
  static final int METADATA_THREADS = 16;

  private RawReader() {}

  /**
   * Checks that every file has the required columns, failing the run with the file and column
   * named when one does not (JSON lines have no header: their missing values are per record).
   * Returns the columns the files hold that the contract does not name (they are not read), in the
   * order first seen.
   */
  public static List<String> checkColumns(SparkSession spark, List<InputFile> files, List<String> required,
                                          List<String> known) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    java.util.LinkedHashSet<String> extra = new java.util.LinkedHashSet<>();
    List<List<String>> headers = com.salespulse.jobs.Parallel.map(files, METADATA_THREADS, f -> switch (f.format()) {
      case CSV -> csvHeader(f, conf);
      case PARQUET -> parquetSchema(f, conf).getFields().stream().map(org.apache.parquet.schema.Type::getName).toList();
      case JSON -> null;
    });
    for (int i = 0; i < files.size(); i++) {
      InputFile f = files.get(i);
      List<String> header = headers.get(i);
      if (header == null) {
        continue;
      }
      for (String column : required) {
        if (!header.contains(column)) {
          throw new SalesPulseException(ExitCode.INPUT_REJECTED, "Cannot ingest " + f.path()
              + ": required column '" + column + "' is missing (columns found: " + String.join(", ", header) + ")");
        }
      }
      header.stream().filter(c -> !known.contains(c)).forEach(extra::add);
    }
    return List.copyOf(extra);
  }

  /**
   * Whether any of the files holds a record (a CSV line after its header, a non-blank JSON line; a
   * Parquet file is assumed to). Read on the driver and stopped at the first record, so a dataset
   * with nothing new tonight costs a few small reads and no Spark job.
   */
  public static boolean hasRecords(List<InputFile> files, Configuration conf) {
    for (InputFile f : files) {
      if (f.format() == InputFile.Format.PARQUET) {
        return true;
      }
      try (BufferedReader r = (BufferedReader) open(f, conf)) {
        boolean header = f.format() == InputFile.Format.CSV;
        for (String line; (line = r.readLine()) != null; ) {
          if (line.isBlank()) {
            continue;
          }
          if (header) {
            // the header may span lines only inside quotes, which a header never needs; a record follows it
            header = false;
            continue;
          }
          return true;
        }
      } catch (IOException e) {
        throw new SalesPulseException(ExitCode.INPUT_REJECTED, "Cannot ingest " + f.path() + ": it cannot be read: "
            + e.getMessage(), e);
      }
    }
    return false;
  }

  private static List<String> csvHeader(InputFile f, Configuration conf) {
    try (Reader r = open(f, conf); CSVParser p = csvFormat().parse(r)) {
      return p.getHeaderNames();
    } catch (IOException | UncheckedIOException e) {
      throw new SalesPulseException(ExitCode.INPUT_REJECTED, "Cannot ingest " + f.path()
          + ": the CSV header cannot be read: " + e.getMessage(), e);
    }
  }

  /** Raw rows of all the files (which must already have passed {@link #checkColumns}). */
  public static Dataset<Row> read(SparkSession spark, List<InputFile> files, List<String> fields) {
    StructType schema = StagingTable.rawSchema(fields);
    Dataset<Row> out = spark.createDataFrame(List.of(), schema);
    List<InputFile> text = files.stream().filter(f -> f.format() != InputFile.Format.PARQUET).toList();
    if (!text.isEmpty()) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      SerializableConfiguration conf = new SerializableConfiguration(jsc.hadoopConfiguration());
      // a few files per task, not one task each: a task costs more to ship (closure and Hadoop
      // configuration) than a small file costs to parse; a history drop has one file per day
      int slices = Math.max(1, Math.min(text.size(), 2 * jsc.defaultParallelism()));
      JavaRDD<Row> rows = jsc.parallelize(text, slices).flatMap(new TextFileParser(conf, fields));
      out = spark.createDataFrame(rows, schema);
    }
    // Parquet files of one schema are read together, one scan (and one footer read by Spark) per
    // schema, not per file: a history drop of a year of daily files is one scan, not 365 unions
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<InputFile> parquet = files.stream().filter(f -> f.format() == InputFile.Format.PARQUET).toList();
    List<String> schemas = com.salespulse.jobs.Parallel.map(parquet, METADATA_THREADS, f -> parquetSchema(f, conf).toString());
    Map<String, List<InputFile>> bySchema = new java.util.LinkedHashMap<>();
    for (int i = 0; i < parquet.size(); i++) {
      bySchema.computeIfAbsent(schemas.get(i), k -> new ArrayList<>()).add(parquet.get(i));
    }
    for (List<InputFile> group : bySchema.values()) {
      out = out.unionByName(readParquet(spark, group, fields));
    }
    return out;
  }

  /** The file's Parquet schema, from its footer, read on the driver (no Spark job). */
  static org.apache.parquet.schema.MessageType parquetSchema(InputFile f, Configuration conf) {
    try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(
        org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new Path(f.path()), conf))) {
      return r.getFooter().getFileMetaData().getSchema();
    } catch (IOException | RuntimeException e) {
      throw new SalesPulseException(ExitCode.INPUT_REJECTED, "Cannot ingest " + f.path()
          + ": it cannot be read as Parquet: " + e.getMessage(), e);
    }
  }

  /** Raw rows of Parquet files that share one schema, each row naming its own file. */
  private static Dataset<Row> readParquet(SparkSession spark, List<InputFile> group, List<String> fields) {
    Dataset<Row> df = spark.read().parquet(group.stream().map(InputFile::path).toArray(String[]::new));
    StructType fileSchema = df.schema();
    List<Column> cols = new ArrayList<>();
    for (String name : fields) {
      if (!List.of(fileSchema.fieldNames()).contains(name)) {
        cols.add(lit(null).cast("string").as(name));
        continue;
      }
      var type = fileSchema.apply(name).dataType();
      Column c = col("`" + name + "`");
      if (type instanceof TimestampType || type instanceof TimestampNTZType) {
        cols.add(date_format(c, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").as(name));
      } else if (type instanceof DateType) {
        cols.add(date_format(c, "yyyy-MM-dd").as(name));
      } else if (type instanceof ArrayType || type instanceof StructType || type instanceof MapType) {
        cols.add(to_json(c).as(name));
      } else {
        cols.add(c.cast("string").as(name));
      }
    }
    cols.add(sourceFile(group).as(StagingTable.SOURCE_FILE));
    cols.add(col("_metadata.row_index").plus(1).as(StagingTable.RECORD_NUMBER));
    cols.add(substring(to_json(struct(col("*"))), 1, MAX_RAW_CHARS).as(StagingTable.RAW_RECORD));
    cols.add(lit(null).cast("string").as(StagingTable.PARSE_ERROR));
    return df.select(cols.toArray(Column[]::new));
  }

  /**
   * Each row's file as the drop listed it (the form the CSV and JSON rows carry): Spark names the
   * file it read by its URI, which escapes what a path keeps as it is (a space, say).
   */
  private static Column sourceFile(List<InputFile> group) {
    if (group.size() == 1) {
      return lit(group.get(0).path());
    }
    Map<String, String> byUri = new java.util.LinkedHashMap<>();
    for (InputFile f : group) {
      byUri.put(f.path(), f.path());
      byUri.put(new Path(f.path()).toUri().toString(), f.path());
    }
    List<Column> entries = new ArrayList<>();
    byUri.forEach((k, v) -> {
      entries.add(lit(k));
      entries.add(lit(v));
    });
    Column file = col("_metadata.file_path");
    return coalesce(element_at(map(entries.toArray(Column[]::new)), file), file);
  }

  static CSVFormat csvFormat() {
    return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).get();
  }

  static Reader open(InputFile f, Configuration conf) throws IOException {
    Path path = new Path(f.path());
    InputStream in = path.getFileSystem(conf).open(path);
    if (f.gzipped()) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    r.mark(1);
    if (r.read() != '\uFEFF') {
      r.reset();
    }
    return r;
  }

  static String cut(String s) {
    return s == null || s.length() <= MAX_RAW_CHARS ? s : s.substring(0, MAX_RAW_CHARS);
  }

  /**
   * Parses one CSV or JSON-lines file per call, on an executor, lazily: records stream from the
   * file as Spark pulls them, so a large file is never held in memory.
   */
  static final class TextFileParser implements FlatMapFunction<InputFile, Row> {
    private final SerializableConfiguration conf;
    private final List<String> fields;

    TextFileParser(SerializableConfiguration conf, List<String> fields) {
      this.conf = conf;
      this.fields = List.copyOf(fields);
    }

    @Override
    public Iterator<Row> call(InputFile f) throws IOException {
      Reader r = open(f, conf.value());
      return f.format() == InputFile.Format.CSV ? new CsvRows(f, r) : new JsonRows(f, (BufferedReader) r);
    }

    Row row(String[] values, InputFile f, long number, String raw, String error) {
      Object[] out = new Object[fields.size() + 4];
      System.arraycopy(values, 0, out, 0, values.length);
      out[fields.size()] = f.path();
      out[fields.size() + 1] = number;
      out[fields.size() + 2] = cut(raw);
      out[fields.size() + 3] = error;
      return RowFactory.create(out);
    }

    /** Rows of a file, read one record ahead; the reader is closed at the end of the file. */
    abstract class FileRows implements Iterator<Row> {
      final InputFile file;
      final Reader reader;
      private Row next;
      private boolean done;

      FileRows(InputFile file, Reader reader) {
        this.file = file;
        this.reader = reader;
      }

      /** The next row, or null at the end of the file. */
      abstract Row read() throws IOException;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          try {
            next = read();
          } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file.path() + ": " + e.getMessage(), e);
          }
          if (next == null) {
            done = true;
            try {
              reader.close();
            } catch (IOException e) {
              throw new UncheckedIOException("Cannot close " + file.path() + ": " + e.getMessage(), e);
            }
          }
        }
        return next != null;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Row r = next;
        next = null;
        return r;
      }
    }

    final class JsonRows extends FileRows {
      private final ObjectMapper mapper = new ObjectMapper();
      private final BufferedReader lines;
      private long number;

      JsonRows(InputFile file, BufferedReader lines) {
        super(file, lines);
        this.lines = lines;
      }

      @Override
      Row read() throws IOException {
        String line;
        do {
          line = lines.readLine();
          if (line == null) {
            return null;
          }
          number++;
        } while (line.isBlank());
        String[] values = new String[fields.size()];
        String error = null;
        try {
          JsonNode node = mapper.readTree(line);
          if (node == null || !node.isObject()) {
            error = "malformed JSON: line " + number + " is not a JSON object";
          } else {
            for (int i = 0; i < fields.size(); i++) {
              JsonNode v = node.get(fields.get(i));
              values[i] = v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
            }
          }
        } catch (JsonProcessingException e) {
          error = "malformed JSON at line " + number + ": " + e.getOriginalMessage();
        }
        return row(values, file, number, line, error);
      }
    }

    final class CsvRows extends FileRows {
      private final CSVParser parser;
      private final Iterator<CSVRecord> records;
      private final int width;
      private final int[] index;
      private long number;
      private boolean broken;

      CsvRows(InputFile file, Reader reader) throws IOException {
        super(file, reader);
        this.parser = csvFormat().parse(reader);
        this.records = parser.iterator();
        Map<String, Integer> header = new HashMap<>(parser.getHeaderMap());
        this.width = parser.getHeaderNames().size();
        this.index = fields.stream().mapToInt(c -> header.getOrDefault(c, -1)).toArray();
      }

      @Override
      Row read() {
        if (broken) {
          return null;
        }
        CSVRecord rec;
        try {
          if (!records.hasNext()) {
            return null;
          }
          rec = records.next();
        } catch (UncheckedIOException | IllegalStateException e) {
          // An unterminated quote swallows the rest of the file: keep what was read, quarantine the rest.
          broken = true;
          return row(new String[fields.size()], file, number + 1, null,
              "malformed CSV after record " + number + ": " + e.getMessage());
        }
        number++;
        String[] values = new String[fields.size()];
        String raw = CSVFormat.RFC4180.format(rec.values());
        if (rec.size() != width) {
          return row(values, file, number, raw, "malformed CSV: record " + number + " (ending at line "
              + parser.getCurrentLineNumber() + ") has " + rec.size() + " fields, the header has " + width);
        }
        for (int i = 0; i < index.length; i++) {
          values[i] = index[i] < 0 ? null : rec.get(index[i]);
        }
        return row(values, file, number, raw, null);
      }
    }
  }
}
