package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attribution of the generator's default org, measured against its ground truth. */
class AttributionAccuracyTest {

  @TempDir
  static Path tmp;
  static String warehouse;
  static Map<String, Row> byType;

  @BeforeAll
  static void attribute() {
    String input = tmp.resolve("drop").toString();
    warehouse = tmp.resolve("warehouse").toUri().toString().replaceAll("/$", "");
    TestSupport.run(ExitCode.SUCCESS, "generate", "--out", input, "--start-date", "2026-10-01", "--days", "8", "--seed", "42");
    TestSupport.run(ExitCode.SUCCESS, "ingest", "--run-date", "2026-10-01", "--to-date", "2026-10-08",
        "--input-root", input, "--warehouse", warehouse);
    TestSupport.run(ExitCode.SUCCESS, "attribute", "--run-date", "2026-10-08", "--input-root", input, "--warehouse", warehouse);
    var truth = TestSupport.spark().read().option("header", "true").schema(EvaluateAttributionCommand.TRUTH)
        .csv(input + "-truth/activity_truth.csv");
    byType = EvaluateAttributionCommand.evaluate(TestSupport.table(warehouse, "fct_activities"), truth).collectAsList()
        .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
  }

  static double metric(String type, String name) {
    Row r = byType.get(type);
    return ((Number) r.getAs(name)).doubleValue();
  }

  @Test
  void theAccuracyBarsHoldOnTheDefaultOrg() {
    assertThat(metric("overall", "attributable")).as("attributable activities").isGreaterThan(500);
    assertThat(metric("overall", "coverage")).as("coverage").isGreaterThanOrEqualTo(0.90);
    assertThat(metric("overall", "opportunity_precision")).as("opportunity precision").isGreaterThanOrEqualTo(0.95);
    assertThat(metric("overall", "account_precision")).as("account precision").isGreaterThanOrEqualTo(0.99);
    assertThat(metric("overall", "user_precision")).as("rep precision").isGreaterThanOrEqualTo(0.99);
    assertThat(metric("overall", "noise_false_attribution_rate")).as("noise given a deal").isEqualTo(0.0);
    assertThat(metric("overall", "non_activities_kept")).as("cancelled or declined meetings kept").isZero();
    assertThat(metric("overall", "precision_conf_ge_090")).as("high confidence is precise")
        .isGreaterThan(metric("overall", "precision_conf_050_070"));
  }

  @Test
  void creditsSumToOneAndTheReasonsAreExplicit() {
    List<Row> sums = TestSupport.spark().sql("SELECT activity_id, sum(credit_weight) AS w, count(*) AS n, "
        + "sum(CAST(is_primary AS INT)) AS p FROM delta.`" + warehouse + "/fct_activity_opportunity_credits` GROUP BY activity_id")
        .collectAsList();
    assertThat(sums).as("credited activities").isNotEmpty();
    for (Row r : sums) {
      assertThat(r.getDouble(1)).as("weights of %s", r.getString(0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.getLong(3)).as("one primary for %s", r.getString(0)).isEqualTo(1L);
    }
    List<String> reasons = TestSupport.table(warehouse, "fct_activities").where("opportunity_id IS NULL")
        .select("unmatched_reason").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(reasons).as("every unattributed activity says why").doesNotContainNull()
        .contains("internal_only", "unknown_domain", "ambiguous_split");
    assertThat(TestSupport.table(warehouse, "fct_activities").columns()).as("no addresses in the fact table")
        .doesNotContain("from_email", "to_emails", "counterpart_phone");
  }
}
