package com.salespulse.transforms.staging;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A staging table built from one input dataset. Subclasses declare the contract's fields, the
 * record key and any row rules; this class turns raw text rows into typed, validated rows
 * ({@link #validate}) and collapses a batch to one row per key ({@link #collapse}).
 *
 * <p>Raw rows carry every field as text plus {@code _source_file}, {@code _record_number},
 * {@code _raw_record} and {@code _parse_error} (set when the record itself could not be read).
 * Validated rows carry the typed columns, lineage, and {@code _reject_field}/{@code _reject_reason}
 * (null when the row is good) with {@code _raw_record}, so rejected rows can be quarantined.
 */
public abstract class StagingTable {

  public static final String SOURCE_FILE = "_source_file";
  public static final String RECORD_NUMBER = "_record_number";
  public static final String RAW_RECORD = "_raw_record";
  public static final String PARSE_ERROR = "_parse_error";
  public static final String REJECT_FIELD = "_reject_field";
  public static final String REJECT_REASON = "_reject_reason";

  /** Lineage columns every staging table ends with. */
  public static final List<String> LINEAGE =
      List.of("source_dt", "source_file", "source_record_number", "run_id", "ingested_at");

  /** The schema of raw rows for these source fields: every field as text, then the reader's columns. */
  public static StructType rawSchema(List<String> sourceFields) {
    List<StructField> out = new ArrayList<>();
    sourceFields.forEach(f -> out.add(DataTypes.createStructField(f, DataTypes.StringType, true)));
    out.add(DataTypes.createStructField(SOURCE_FILE, DataTypes.StringType, false));
    out.add(DataTypes.createStructField(RECORD_NUMBER, DataTypes.LongType, false));
    out.add(DataTypes.createStructField(RAW_RECORD, DataTypes.StringType, true));
    out.add(DataTypes.createStructField(PARSE_ERROR, DataTypes.StringType, true));
    return DataTypes.createStructType(out);
  }

  /** The Delta table name, e.g. {@code stg_crm__users}. */
  public abstract String name();

  /** The contract's fields, in staging column order. */
  public abstract List<Field> fields();

  /** The columns that identify one record (upsert key). */
  public abstract List<String> keyColumns();

  /** Columns computed from typed fields and lineage, by name, placed after the fields. */
  protected Map<String, Column> derivedColumns() {
    return Map.of();
  }

  /** Rules over several typed fields: message (naming the fields) when the rule fails, else null. */
  protected List<Column> rowRules() {
    return List.of();
  }

  /** Which copy of a record wins when several arrive: the greatest of these, in order (see {@link #order}). */
  public List<String> orderColumns() {
    return List.of("version_at", "source_dt", "source_file", "source_record_number");
  }

  /**
   * The rank of a copy of a record: the copy with the greatest wins, in a batch ({@link #collapse})
   * and against the stored row (the staging upsert), so the result does not depend on the order
   * the copies arrived in. It is {@link #orderColumns()} as a struct, except for a CRM object
   * whose {@code version_at} comes from its stamp (SystemModstamp or LastModifiedDate): copies of
   * one stamped version rank by their content (a hash, so two different contents under one stamp
   * still have one winner whatever the order), then the <em>earliest</em> drop first. A record
   * re-sent unchanged (a full-snapshot export, a re-delivery) therefore keeps the lineage of the
   * drop that first delivered that version, and does not count as staged again on later nights,
   * which would make them recompute every period it ever touched. Without a stamp
   * ({@code version_at} is the drop date, which is how a stamp is told apart: a version_at equal to
   * the copy's drop date at midnight counts as unstamped) the latest drop wins, as before.
   *
   * @param column the column of a name (the batch's, or a merge side's such as {@code s.} / {@code t.})
   */
  public Column order(java.util.function.Function<String, Column> column) {
    List<String> order = orderColumns();
    if (order.isEmpty() || !order.get(0).equals("version_at")) {
      return struct(order.stream().map(column).toArray(Column[]::new));
    }
    Column versionAt = column.apply("version_at");
    Column stamped = not(versionAt.eqNullSafe(dropDateVersion(column.apply("source_dt"))));
    List<Column> parts = new ArrayList<>();
    parts.add(versionAt);
    parts.add(when(stamped, xxhash64(contentColumns().stream().map(column).toArray(Column[]::new))).otherwise(lit(0L)));
    Column day = unix_date(column.apply("source_dt"));
    parts.add(when(stamped, negate(day)).otherwise(day));
    order.stream().filter(c -> !c.equals("version_at") && !c.equals("source_dt")).forEach(c -> parts.add(column.apply(c)));
    return struct(parts.toArray(Column[]::new));
  }

  /** The stored columns that describe the record itself: all but lineage, union columns and {@code version_at}. */
  List<String> contentColumns() {
    List<String> out = new ArrayList<>(columns());
    out.removeAll(LINEAGE);
    out.removeAll(unionColumns());
    out.remove("version_at");
    return out;
  }

  /** Aggregates over all copies of a record that replace or add columns in {@link #collapse}. */
  protected Map<String, Column> collapseAggregates() {
    return Map.of();
  }

  /**
   * Array columns whose value is the union over every copy ever seen (set semantics), so merging
   * a batch into the table is commutative: {@code mailboxes} for communication logs.
   */
  public List<String> unionColumns() {
    return List.copyOf(collapseAggregates().keySet());
  }

  /** Columns that exist while validating but not in the table (replaced by collapse aggregates). */
  protected List<String> validatedOnlyColumns() {
    return List.of();
  }

  /** Names of the fields the contract requires to be present as columns in every file. */
  public final List<String> requiredSourceColumns() {
    return fields().stream().filter(Field::required).map(Field::source).toList();
  }

  /** All source field names the reader extracts. */
  public final List<String> sourceColumns() {
    return fields().stream().map(Field::source).toList();
  }

  /** The staging table's columns, in order. */
  public final List<String> columns() {
    List<String> out = new ArrayList<>();
    for (String c : dataColumns()) {
      if (!validatedOnlyColumns().contains(c)) {
        out.add(c);
      }
    }
    for (String c : collapseAggregates().keySet()) {
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    out.addAll(LINEAGE);
    return out;
  }

  private List<String> dataColumns() {
    List<String> out = new ArrayList<>();
    fields().forEach(f -> out.add(f.target()));
    out.addAll(derivedColumns().keySet());
    return out;
  }

  /**
   * Typed, validated rows: every raw row, with a reject reason when it cannot be staged. Each field's
   * text, then its value, is computed once, in a projection of its own, and read by name where it is
   * needed (the value, the error, the typed column): composed as one expression, a timestamp's text
   * was matched and cast three times per row, and the plan's text passed 200,000 characters.
   */
  public Dataset<Row> validate(Dataset<Row> raw, ParseRules rules) {
    List<Field> fields = fields();
    List<Column> carried = List.of(col(PARSE_ERROR), col(SOURCE_FILE), col(RECORD_NUMBER), col(RAW_RECORD));
    List<Column> texts = new ArrayList<>(carried);
    List<Column> values = new ArrayList<>(carried);
    for (int i = 0; i < fields.size(); i++) {
      texts.add(fields.get(i).text().as("_t" + i));
      values.add(col("_t" + i));
      values.add(fields.get(i).value(col("_t" + i), rules).as("_v" + i));
    }
    List<Column> typed = new ArrayList<>();
    List<Column> errors = new ArrayList<>();
    List<Column> errorFields = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      typed.add(f.typed(col("_v" + i)).as(f.target()));
      typed.add(f.error(col("_t" + i), col("_v" + i)).as("_e" + i));
      errors.add(col("_e" + i));
      errorFields.add(when(col("_e" + i).isNotNull(), lit(f.source())));
    }
    typed.add(col(PARSE_ERROR));
    typed.add(lit(rules.sourceDate().toString()).cast("date").as("source_dt"));
    typed.add(col(SOURCE_FILE).as("source_file"));
    typed.add(col(RECORD_NUMBER).cast("long").as("source_record_number"));
    typed.add(lit(rules.runId()).as("run_id"));
    typed.add(rules.ingestedAt().as("ingested_at"));
    typed.add(col(RAW_RECORD));
    Dataset<Row> parsed = raw.select(texts.toArray(Column[]::new)).select(values.toArray(Column[]::new))
        .select(typed.toArray(Column[]::new));

    Column parseError = col(PARSE_ERROR);
    Column fieldName = when(parseError.isNull(), coalesce(errorFields.toArray(Column[]::new)));
    List<Column> rules_ = rowRules();
    Column ruleError = rules_.isEmpty() ? lit(null).cast("string") : coalesce(rules_.toArray(Column[]::new));

    List<Column> out = new ArrayList<>();
    fields.forEach(f -> out.add(col(f.target())));
    derivedColumns().forEach((name, expr) -> out.add(expr.as(name)));
    LINEAGE.forEach(c -> out.add(col(c)));
    out.add(coalesce(fieldName, when(parseError.isNull().and(ruleError.isNotNull()), lit("<row>")),
        when(parseError.isNotNull(), lit("<record>"))).as(REJECT_FIELD));
    // a record that could not be read: its parse error first, whatever its fields hold
    List<Column> reasons = new ArrayList<>(List.of(parseError));
    reasons.addAll(errors);
    reasons.add(ruleError);
    out.add(coalesce(reasons.toArray(Column[]::new)).as(REJECT_REASON));
    out.add(col(RAW_RECORD));
    return parsed.select(out.toArray(Column[]::new));
  }

  /**
   * One row per key from the valid rows of a batch: the copy with the greatest
   * {@link #orderColumns()} wins, so the result does not depend on the order rows arrived in.
   */
  public Dataset<Row> collapse(Dataset<Row> validRows) {
    return collapse(validRows, keyColumns());
  }

  /** One row per value of {@code keys}, chosen as in {@link #collapse(Dataset)}. */
  public Dataset<Row> collapse(Dataset<Row> validRows, List<String> keys) {
    List<String> data = new ArrayList<>(dataColumns());
    data.addAll(LINEAGE);
    Column record = struct(columnsOf(data));
    Column order = order(org.apache.spark.sql.functions::col);
    List<Column> aggs = new ArrayList<>();
    aggs.add(max_by(record, order).as("_winner"));
    Map<String, Column> extra = new LinkedHashMap<>(collapseAggregates());
    extra.forEach((name, agg) -> aggs.add(agg.as(name)));
    Dataset<Row> grouped = validRows
        .groupBy(columnsOf(keys))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    List<Column> out = new ArrayList<>();
    for (String c : columns()) {
      out.add(extra.containsKey(c) ? col(c) : col("_winner." + c).as(c));
    }
    return grouped.select(out.toArray(Column[]::new));
  }

  private static Column[] columnsOf(List<String> names) {
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  /** The CRM version of a record: SystemModstamp, else LastModifiedDate, else the drop date. */
  protected static Map<String, Column> crmVersionAt(String... candidates) {
    List<Column> cs = new ArrayList<>();
    for (String c : candidates) {
      cs.add(col(c));
    }
    cs.add(dropDateVersion(col("source_dt")));
    return Map.of("version_at", coalesce(cs.toArray(Column[]::new)));
  }

  /** The version of a record sent without a stamp: its drop date at midnight ({@link #order} tells it apart by this). */
  private static Column dropDateVersion(Column sourceDt) {
    return sourceDt.cast("timestamp");
  }
}
