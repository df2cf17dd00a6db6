package com.salespulse.transforms.staging;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * A type-2 history of a CRM object: one row per record version ({@code version_at}), valid from
 * that instant until the next version's. "As of T" is {@code valid_from <= T AND (valid_to IS NULL
 * OR valid_to > T)}. A night's versions are merged with the stored versions of the same records
 * and their validity recomputed; rows are never removed, so the result is the same whatever order
 * the nights are loaded in.
 */
public abstract class VersionsTable {

  private final StagingTable current;

  protected VersionsTable(StagingTable current) {
    this.current = current;
  }

  public abstract String name();

  /** The record key (without version). */
  public List<String> recordKey() {
    return current.keyColumns();
  }

  /** The merge key: record key and {@code valid_from}. */
  public List<String> keyColumns() {
    List<String> keys = new ArrayList<>(recordKey());
    keys.add("valid_from");
    return keys;
  }

  public List<String> columns() {
    List<String> out = new ArrayList<>(current.columns());
    out.addAll(List.of("valid_from", "valid_to", "is_current"));
    return out;
  }

  /**
   * Every version of the records a batch touches, with validity recomputed.
   *
   * @param validRows validated, accepted rows of the night (as from {@link StagingTable#validate})
   * @param storedVersions the versions table as stored (may be empty)
   */
  public Dataset<Row> apply(Dataset<Row> validRows, Dataset<Row> storedVersions) {
    List<String> versionKey = new ArrayList<>(recordKey());
    versionKey.add("version_at");
    Dataset<Row> nightly = current.collapse(validRows, versionKey);
    Column[] currentCols = current.columns().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Dataset<Row> touched = storedVersions
        .join(nightly.select(recordKey().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)).distinct(),
            scala.jdk.javaapi.CollectionConverters.asScala(recordKey()).toSeq(), "left_semi")
        .select(currentCols);
    Dataset<Row> all = current.collapse(touched.unionByName(nightly.select(currentCols)), versionKey);
    WindowSpec byRecord = Window.partitionBy(recordKey().stream().map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new)).orderBy(col("version_at"));
    List<Column> out = new ArrayList<>();
    current.columns().forEach(c -> out.add(col(c)));
    out.add(col("version_at").as("valid_from"));
    out.add(lead(col("version_at"), 1).over(byRecord).as("valid_to"));
    out.add(lead(col("version_at"), 1).over(byRecord).isNull().as("is_current"));
    return all.select(out.toArray(Column[]::new));
  }
}
