package com.salespulse.transforms.contract;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One contract test per table of {@code sql/tables/}, generated from the DDL files: the table's
 * transform, on hand-built input ({@link ContractFixtures}), gives exactly the DDL's columns (names,
 * types, order; Delta would otherwise fill a dropped column with nulls without a word), and the
 * grain key named on the DDL's {@code -- grain:} line is unique and never null (a column marked
 * {@code ?} may be null where its comment says what null means).
 */
class TableContractTest {

  static final Path TABLES = Path.of("..", "sql", "tables");
  /** Written by the jobs module, not by a transform: its contract test is jobs' AuditRunsContractTest. */
  static final String JOBS_TABLE = "audit_runs";
  private static final Pattern COLUMNS = Pattern.compile("(?s)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+\\w+\\s*\\((.*)\\)\\s*USING");
  private static final Pattern GRAIN = Pattern.compile("(?m)^-- grain: ([a-z_, ?]+?)(\\s*\\(.*)?$");

  @TestFactory
  Stream<DynamicTest> everyTableMatchesItsDdlAndItsGrain() throws IOException {
    List<String> tables;
    try (Stream<Path> s = Files.list(TABLES)) {
      tables = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".sql"))
          .map(f -> f.substring(0, f.length() - 4)).sorted().toList();
    }
    assertThat(tables).as("tables in %s", TABLES).hasSizeGreaterThan(20).contains(JOBS_TABLE);
    return tables.stream().filter(t -> !t.equals(JOBS_TABLE)).map(t -> DynamicTest.dynamicTest(t, () -> check(t)));
  }

  static void check(String table) throws IOException {
    String ddl = Files.readString(TABLES.resolve(table + ".sql"), StandardCharsets.UTF_8);
    Matcher m = COLUMNS.matcher(ddl);
    assertThat(m.find()).as("%s.sql has a CREATE TABLE with columns", table).isTrue();
    StructType expected = StructType.fromDDL(m.group(1));
    Matcher g = GRAIN.matcher(ddl);
    assertThat(g.find()).as("%s.sql names its grain on a '-- grain:' line", table).isTrue();
    // a column marked "?" is part of the key but may be null, as its DDL comment explains
    List<String> key = Arrays.stream(g.group(1).split(",")).map(String::trim).toList();
    List<String> grain = key.stream().map(c -> c.replace("?", "")).toList();
    List<String> notNull = key.stream().filter(c -> !c.endsWith("?")).toList();

    Dataset<Row> out = ContractFixtures.output(table);
    assertThat(out.columns()).as("%s: the transform's columns, in the DDL's order", table)
        .containsExactly(expected.fieldNames());
    for (StructField f : expected.fields()) {
      assertThat(out.schema().apply(f.name()).dataType().catalogString()).as("%s.%s type", table, f.name())
          .isEqualTo(f.dataType().catalogString());
    }
    assertThat(out.count()).as("%s: rows from the hand-built input", table).isPositive();
    Column anyNull = notNull.stream().map(c -> col(c).isNull()).reduce(Column::or).orElseThrow();
    assertThat(out.where(anyNull).count()).as("%s: rows with a null in the grain %s", table, notNull).isZero();
    List<Row> repeated = out.groupBy(grain.stream().map(c -> col(c)).toArray(Column[]::new)).count()
        .where(col("count").gt(1)).collectAsList();
    assertThat(repeated).as("%s: grain %s repeated", table, grain).isEmpty();
  }
}
