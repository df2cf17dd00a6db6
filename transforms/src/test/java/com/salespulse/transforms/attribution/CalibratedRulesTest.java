package com.salespulse.transforms.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.salespulse.transforms.TestSpark;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.ml.regression.IsotonicRegression;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The configured weights calibrated on an org's logged activities (the model of a training date
 * whose learned model did not beat them): the configured weights' pick stays the primary deal, and
 * its probability is how often such picks were right, the other candidates sharing the rest.
 */
class CalibratedRulesTest {

  @Test
  void theConfiguredWeightsPickAndTheCalibrationSaysHowOftenTheyAreRight() {
    // picks whose share of the rule scores was 0.5 were right 1 time in 4, those at 0.8 3 times in 4
    IsotonicRegressionModel calibration = new IsotonicRegression().setFeaturesCol("top_model_probability")
        .setLabelCol("label").fit(TestSpark.get().sql("SELECT * FROM VALUES (0.5D, 0D), (0.5D, 0D), (0.5D, 1D), "
            + "(0.5D, 0D), (0.8D, 1D), (0.8D, 1D), (0.8D, 1D), (0.8D, 0D) AS t(top_model_probability, label)"));
    AttributionModel model = AttributionModel.calibratedRules(AttributionRulesTest.RULES, "attr-2026-10-08", calibration);
    assertThat(model.version()).as("the data says which").startsWith("rules-").endsWith("-calibrated-attr-2026-10-08");

    // a1: scores 4 and 1 (shares 0.8, 0.2); a2: 3, 1 and 1 (0.6, 0.2, 0.2); nothing logged
    Map<String, Row> byCandidate = model.score(TestSpark.get().sql("SELECT activity_id, opportunity_id, "
            + "TIMESTAMP'2026-10-01 00:00:00' AS created_at, rule_score, false AS is_logged_deal, false AS is_logged_account "
            + "FROM VALUES ('a1', 'D1', 4D), ('a1', 'D2', 1D), ('a2', 'D3', 3D), ('a2', 'D4', 1D), ('a2', 'D5', 1D) "
            + "AS t(activity_id, opportunity_id, rule_score)"), AttributionRulesTest.RULES)
        .collectAsList().stream().collect(Collectors.toMap(r -> r.<String>getAs("opportunity_id"), r -> r));
    assertThat(byCandidate.get("D1").<Integer>getAs("candidate_rank")).as("a1: the configured weights' pick").isEqualTo(1);
    assertThat(byCandidate.get("D1").<Double>getAs("probability")).as("a1: right 3 times in 4").isCloseTo(0.75, within(1e-9));
    assertThat(byCandidate.get("D2").<Double>getAs("probability")).as("a1: the rest").isCloseTo(0.25, within(1e-9));
    assertThat(byCandidate.get("D3").<Integer>getAs("candidate_rank")).as("a2: the configured weights' pick").isEqualTo(1);
    double p3 = 0.25 + (0.6 - 0.5) / (0.8 - 0.5) * (0.75 - 0.25);
    assertThat(byCandidate.get("D3").<Double>getAs("probability")).as("a2: interpolated between the two")
        .isCloseTo(p3, within(1e-9));
    assertThat(byCandidate.get("D4").<Double>getAs("probability")).as("a2: the others share the rest")
        .isCloseTo((1 - p3) / 2, within(1e-9));
  }
}
