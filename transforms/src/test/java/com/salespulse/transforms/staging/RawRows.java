package com.salespulse.transforms.staging;

import com.salespulse.transforms.TestSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Hand-built raw rows (text fields plus reader columns) for a staging table. */
final class RawRows {

  private final StagingTable table;
  private final List<Row> rows = new ArrayList<>();

  RawRows(StagingTable table) {
    this.table = table;
  }

  /** A record: field values by source name (absent = null), in file f at position n. */
  RawRows add(String file, long number, Map<String, String> values) {
    List<Object> out = new ArrayList<>();
    for (String f : table.sourceColumns()) {
      out.add(values.get(f));
    }
    out.addAll(Arrays.asList(file, number, values.toString(), null));
    rows.add(RowFactory.create(out.toArray()));
    return this;
  }

  RawRows malformed(String file, long number, String raw, String error) {
    List<Object> out = new ArrayList<>();
    table.sourceColumns().forEach(f -> out.add(null));
    out.addAll(Arrays.asList(file, number, raw, error));
    rows.add(RowFactory.create(out.toArray()));
    return this;
  }

  Dataset<Row> build() {
    return TestSpark.get().createDataFrame(rows, StagingTable.rawSchema(table.sourceColumns()));
  }
}
