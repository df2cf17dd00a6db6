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

/**
 * Attribution of the generator's two org profiles, measured against their ground truth: the hard
 * one (20+ deals open per account, several reps per account, deals named only by product, generic
 * subjects) and the easy one. Each is one 8-day history drop, ingested and attributed once; the
 * nightly trains the org's model from the activities its reps logged in the CRM. The bars are
 * measured on the activities that were not logged (their logged deal would give the answer away).
 */
class AttributionAccuracyTest {

  @TempDir
  static Path tmp;
  static Map<String, Row> hard;
  static Map<String, Row> easy;
  static Map<String, Row> careless;
  static String easyWarehouse;
  static String hardWarehouse;
  static String carelessWarehouse;

  static Map<String, Row> attribute(String org) {
    String input = tmp.resolve(org + "-drop").toString();
    String warehouse = tmp.resolve(org + "-warehouse").toUri().toString().replaceAll("/$", "");
    List<String> generate = new java.util.ArrayList<>(List.of("generate", "--out", input, "--start-date", "2026-10-01",
        "--days", "8", "--bulk-days", "8", "--seed", "42", "--clean-payouts"));
    if (org.equals("careless")) {
      // the easy profile with 12 reps logging more but carelessly: 30% of their logs name a sibling
      // deal and 20% only the account
      generate.addAll(List.of("--profile", "easy", "--reps", "12", "--logged-shares", "0.6,0.6,0.6",
          "--mislog-rates", "0.3,0.2"));
    } else {
      generate.addAll(List.of("--profile", org));
    }
    TestSupport.run(ExitCode.SUCCESS, generate.toArray(String[]::new));
    TestSupport.run(ExitCode.SUCCESS, "ingest", "--run-date", "2026-10-08", "--input-root", input, "--warehouse", warehouse);
    TestSupport.run(ExitCode.SUCCESS, "attribute", "--run-date", "2026-10-08", "--input-root", input, "--warehouse", warehouse);
    var truth = TestSupport.spark().read().option("header", "true").schema(EvaluateAttributionCommand.TRUTH)
        .csv(input + "-truth/activity_truth.csv");
    switch (org) {
      case "hard" -> hardWarehouse = warehouse;
      case "easy" -> easyWarehouse = warehouse;
      default -> carelessWarehouse = warehouse;
    }
    return EvaluateAttributionCommand.evaluate(TestSupport.table(warehouse, "fct_activities"), truth).collectAsList()
        .stream().collect(Collectors.toMap(r -> r.getString(0) + "/" + r.getString(1), r -> r));
  }

  // payouts are clean here: the injected payout anomalies reopen, freeze and add deals, which is the
  // reconciliation tests' business, not a change of the attribution benchmark's world. The orgs
  // share nothing: they are built side by side (when this class runs last, both cores work on it)
  @BeforeAll
  static void attributeTheOrgs() {
    List<Map<String, Row>> orgs = Parallel.map(List.of("hard", "easy", "careless"), 2, AttributionAccuracyTest::attribute);
    hard = orgs.get(0);
    easy = orgs.get(1);
    careless = orgs.get(2);
  }

  static double metric(Map<String, Row> eval, String scopeAndType, String name) {
    Row r = eval.get(scopeAndType);
    assertThat(r).as("evaluation row %s", scopeAndType).isNotNull();
    return ((Number) r.getAs(name)).doubleValue();
  }

  @Test
  void theHardOrgIsAttributedByALearnedCalibratedModel() {
    String s = "not_logged/overall";
    assertThat(metric(hard, s, "attributable")).as("attributable activities not logged").isGreaterThan(500);
    assertThat(metric(hard, s, "coverage")).as("coverage").isGreaterThanOrEqualTo(0.98);
    assertThat(metric(hard, s, "opportunity_precision")).as("precision of the deal named").isGreaterThanOrEqualTo(0.85);
    assertThat(metric(hard, s, "precision_at_090")).as("precision at confidence >= 0.9").isGreaterThanOrEqualTo(0.95);
    assertThat(metric(hard, s, "coverage_at_090")).as("share of attributable at confidence >= 0.9")
        .isGreaterThanOrEqualTo(0.5);
    assertThat(metric(hard, s, "expected_calibration_error")).as("expected calibration error").isLessThanOrEqualTo(0.05);
    assertThat(metric(hard, s, "account_precision")).as("account precision").isGreaterThanOrEqualTo(0.99);
    assertThat(metric(hard, s, "user_precision")).as("rep precision").isGreaterThanOrEqualTo(0.99);
    assertThat(metric(hard, s, "noise_false_attribution_rate")).as("noise given a deal").isEqualTo(0.0);
    List<String> versions = TestSupport.table(hardWarehouse, "fct_activities").select("model_version").distinct()
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(versions).as("the org's own model scored, and says so").containsExactly("attr-2026-10-08");
  }

  @Test
  void aModelLearnedFromCarelessLogsIsNotAdoptedAndTheConfiguredWeightsScoreCalibrated() throws java.io.IOException {
    // its out-of-fold picks match the logged deals less often than the configured weights' (0.787
    // against 0.810 of 263); on the truth, not-logged activities, the learned model named the right
    // deal for 0.901 of them (calibration error 0.120), the calibrated configured weights 0.939 (0.138)
    List<String> versions = TestSupport.table(carelessWarehouse, "fct_activities").select("model_version").distinct()
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(versions).as("the configured weights scored, calibrated, and the data says so").singleElement()
        .asString().startsWith("rules-").endsWith("-calibrated-attr-2026-10-08");
    Path decision = Path.of(java.net.URI.create(carelessWarehouse + "/_models/attribution/attr-2026-10-08/configured-weights"));
    assertThat(java.nio.file.Files.readString(decision)).as("the decision and its figures, kept with the models")
        .contains("labelled activities").contains("configured weights'");
    String s = "not_logged/overall";
    assertThat(metric(careless, s, "opportunity_precision")).as("precision").isGreaterThanOrEqualTo(0.92);
    assertThat(metric(careless, s, "coverage")).as("coverage").isGreaterThanOrEqualTo(0.98);
    assertThat(metric(careless, s, "expected_calibration_error")).as("calibration").isLessThanOrEqualTo(0.2);
  }

  @Test
  void everyActivityOnceLoggedOnlyOnesIncluded() {
    for (Map<String, Row> eval : List.of(hard, easy)) {
      assertThat(metric(eval, "all/overall", "activities_missing")).as("truth activities missing").isZero();
      assertThat(metric(eval, "all/overall", "activities_counted_twice")).as("activities counted twice").isZero();
      assertThat(metric(eval, "all/overall", "not_in_truth")).as("activities not in the truth").isZero();
      assertThat(metric(eval, "all/overall", "non_activities_kept")).as("cancelled or declined meetings kept").isZero();
    }
    long loggedOnly = TestSupport.table(hardWarehouse, "fct_activities").where("source_id LIKE '00T%'").count();
    assertThat(loggedOnly).as("calls logged by hand with no dialer record are activities").isPositive();
    long logged = TestSupport.table(hardWarehouse, "fct_activities").where("is_logged").count();
    assertThat(logged).as("logged activities").isGreaterThan(200);
  }

  @Test
  void theEasyOrgDoesNotGetWorse() {
    // before learning (no logged activity), the configured weights named a deal for 0.907 of the
    // attributable activities at 0.963 precision, leaving split credit unnamed
    assertThat(metric(easy, "not_logged/overall", "coverage")).as("coverage").isGreaterThanOrEqualTo(0.98);
    assertThat(metric(easy, "not_logged/overall", "opportunity_precision")).as("precision").isGreaterThanOrEqualTo(0.92);
    assertThat(metric(easy, "all/overall", "coverage_at_070")).as("coverage at confidence >= 0.7")
        .isGreaterThanOrEqualTo(0.85);
    assertThat(metric(easy, "all/overall", "precision_at_070")).as("precision at confidence >= 0.7")
        .isGreaterThanOrEqualTo(0.963);
    assertThat(metric(easy, "not_logged/overall", "expected_calibration_error")).as("calibration").isLessThanOrEqualTo(0.05);
    assertThat(metric(easy, "all/overall", "account_precision")).as("account precision").isGreaterThanOrEqualTo(0.99);
    assertThat(metric(easy, "all/overall", "user_precision")).as("rep precision").isGreaterThanOrEqualTo(0.99);
    assertThat(metric(easy, "all/overall", "noise_false_attribution_rate")).as("noise given a deal").isEqualTo(0.0);
  }

  @Test
  void creditsAreProbabilitiesAndTheReasonsAreExplicit() {
    List<Row> sums = TestSupport.spark().sql("SELECT activity_id, sum(credit_weight) AS w, count(*) AS n, "
        + "sum(CAST(is_primary AS INT)) AS p FROM delta.`" + easyWarehouse + "/fct_activity_opportunity_credits` GROUP BY activity_id")
        .collectAsList();
    assertThat(sums).as("credited activities").isNotEmpty();
    for (Row r : sums) {
      assertThat(r.getDouble(1)).as("weights of %s", r.getString(0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.getLong(3)).as("one primary for %s", r.getString(0)).isEqualTo(1L);
    }
    Row primaries = TestSupport.spark().sql("SELECT count(*), sum(CASE WHEN abs(c.probability - a.attribution_confidence) "
        + "< 1e-4 THEN 1 ELSE 0 END) FROM delta.`" + easyWarehouse + "/fct_activities` a JOIN delta.`" + easyWarehouse
        + "/fct_activity_opportunity_credits` c ON a.activity_id = c.activity_id AND c.is_primary").first();
    assertThat(primaries.getLong(1)).as("the confidence is the primary deal's probability").isEqualTo(primaries.getLong(0));
    List<String> reasons = TestSupport.table(easyWarehouse, "fct_activities").where("opportunity_id IS NULL")
        .select("unmatched_reason").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(reasons).as("every unattributed activity says why; a deal is named whenever there is a candidate")
        .doesNotContainNull().contains("internal_only", "unknown_domain").doesNotContain("ambiguous_split");
    assertThat(TestSupport.table(easyWarehouse, "fct_activities").columns()).as("no addresses in the fact table")
        .doesNotContain("from_email", "to_emails", "counterpart_phone");
  }
}
