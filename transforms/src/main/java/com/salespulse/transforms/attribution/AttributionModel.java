package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * How candidate deals are scored: a model learned per org (logistic regression over
 * {@link #FEATURES}, fitted with Spark MLlib on the activities the org's reps logged in the CRM,
 * and an isotonic calibration fitted on logged activities held out from training), or, with too
 * few labels, the configured weights ({@link #rules}).
 *
 * <p>{@link #score} turns candidates into probabilities: the model's softmax over an activity's
 * candidates; the calibrated probability that the model's pick is right, the other candidates
 * sharing the rest in proportion; then the CRM's logged link as evidence (a logged deal
 * multiplies its odds by the likelihood ratio of a correct log, {@code (1 - e) (n - 1) / e} for a
 * mis-log rate e among n candidates; a logged account likewise its deals); the most probable
 * candidate is the primary and its probability the confidence.
 */
public record AttributionModel(String version, boolean learned, Map<String, Double> weights, double intercept,
                               IsotonicRegressionModel calibration, AttributionModel firstPass) {

  /**
   * The first pass's evidence: every column is boolean or double in
   * {@link AttributionStages#candidates}.
   */
  public static final List<String> FIRST_PASS_FEATURES = List.of("account_score", "has_contact_role",
      "has_primary_contact", "is_owner_match", "has_subject_match", "has_thread_match", "is_thread_logged_deal",
      "is_contact_recent_deal", "is_rep_contact_recent_deal", "is_contact_logged_deal", "is_open_at_activity",
      "is_fresh", "is_closing_soon", "log_days_since_created", "log_days_to_close", "is_won", "is_closed");

  /**
   * Everything the final model weighs: the first pass's evidence and the continuity from its
   * confident picks ({@link ActivityAttribution#withConfidentContinuity}).
   */
  public static final List<String> FEATURES = concat(FIRST_PASS_FEATURES,
      List.of("is_contact_recent_confident_deal", "is_rep_contact_recent_confident_deal", "log_rep_nearby_confident",
          "log_contact_nearby_confident"));

  /** First-pass probability from which a pick counts as confident for continuity. */
  public static final double CONFIDENT = 0.9;
  /** The columns {@link #score} adds to the candidates. */
  public static final List<String> SCORE_COLUMNS = List.of("model_probability", "probability", "candidate_rank",
      "candidate_count", "is_credited", "credit_weight", "credited_count");

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  /** The fallback: configured weights, no calibration; the version says so in the data. */
  public static AttributionModel rules(AttributionRules rules) {
    return new AttributionModel("rules-" + ActivityAttribution.ruleVersion(rules), false, Map.of(), 0.0, null, null);
  }

  /**
   * The configured weights' picks with a calibration fitted on the org's logged activities: the model
   * of a training date whose learned model did not pick the logged deals better than the configured
   * weights (an org whose reps log carelessly teaches a model its carelessness); its probabilities
   * are calibrated all the same.
   */
  public static AttributionModel calibratedRules(AttributionRules rules, String trainedVersion,
                                                 IsotonicRegressionModel calibration) {
    return new AttributionModel("rules-" + ActivityAttribution.ruleVersion(rules) + "-calibrated-" + trainedVersion,
        false, Map.of(), 0.0, calibration, null);
  }

  /** A learned model from its coefficients (in {@code features} order), calibration and first pass. */
  public static AttributionModel learned(String version, List<String> features, double[] coefficients, double intercept,
                                         IsotonicRegressionModel calibration, AttributionModel firstPass) {
    if (coefficients.length != features.size()) {
      throw new IllegalArgumentException("Cannot use model " + version + ": it has " + coefficients.length
          + " coefficients for " + features.size() + " features");
    }
    Map<String, Double> w = new LinkedHashMap<>();
    for (int i = 0; i < coefficients.length; i++) {
      w.put(features.get(i), coefficients[i]);
    }
    return new AttributionModel(version, true, w, intercept, calibration, firstPass);
  }

  /**
   * The model of the first pass, whose confident picks feed conversation continuity
   * ({@link ActivityAttribution#withConfidentContinuity}) before this one scores: the learned
   * first-pass model, or this one when it has none.
   */
  public AttributionModel firstPassModel() {
    return firstPass != null ? firstPass : this;
  }

  /** The model's logit of a candidate, from its features. */
  Column logit() {
    Column z = lit(intercept);
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      z = z.plus(col(e.getKey()).cast("double").multiply(e.getValue()));
    }
    return z;
  }

  /**
   * The model's probability of each candidate before calibration and logged links
   * ({@code model_probability}): the softmax of the logits over an activity's candidates, or the
   * rule scores' shares for the configured-weights fallback; with the activity's highest one
   * ({@code top_model_probability}) and whether this candidate is the model's pick
   * ({@code is_model_top}).
   */
  public Dataset<Row> modelProbabilities(Dataset<Row> candidates) {
    WindowSpec all = Window.partitionBy("activity_id");
    Dataset<Row> p;
    if (!learned) {
      Column s = greatest(col("rule_score"), lit(1e-6));
      p = candidates.withColumn("model_probability", s.divide(sum(s).over(all)));
    } else {
      p = candidates.withColumn("_z", logit())
          .withColumn("_ez", exp(col("_z").minus(max(col("_z")).over(all))))
          .withColumn("model_probability", col("_ez").divide(sum(col("_ez")).over(all)))
          .drop("_z", "_ez");
    }
    return p.withColumn("top_model_probability", max(col("model_probability")).over(all))
        .withColumn("is_model_top", row_number().over(Window.partitionBy("activity_id")
            .orderBy(col("model_probability").desc(), col("created_at").desc(), col("opportunity_id"))).equalTo(1));
  }

  /**
   * The calibration's training rows from held-out labelled candidates: per activity, the model's
   * top probability and whether the model's pick is the logged deal.
   */
  public Dataset<Row> calibrationExamples(Dataset<Row> heldOutCandidates) {
    return modelProbabilities(heldOutCandidates).where(col("is_model_top"))
        .select(col("activity_id"), col("top_model_probability"), col("is_logged_deal").cast("double").as("label"));
  }

  /**
   * Every candidate with {@code probability} (calibrated, with logged links; an activity's
   * probabilities sum to 1), {@code candidate_rank} (1 = primary), {@code candidate_count},
   * {@code is_credited} (the primary, and others up to the split cap with at least the minimum
   * credit weight), {@code credit_weight} (probabilities renormalised over the credited deals) and
   * {@code credited_count}.
   */
  public Dataset<Row> score(Dataset<Row> candidates, AttributionRules rules) {
    WindowSpec all = Window.partitionBy("activity_id");
    Dataset<Row> p = modelProbabilities(candidates);
    Column prior = col("model_probability");
    if (calibration != null) {
      // the calibrated probability that the model's pick is right; the others share the rest in
      // proportion to the model's probabilities
      p = calibration.setFeaturesCol("top_model_probability").setPredictionCol("_calibrated").transform(p);
      Column top = least(greatest(col("_calibrated"), lit(1e-4)), lit(1 - 1e-4));
      Column rest = col("top_model_probability").lt(1.0);
      p = p.withColumn("_prior", when(col("is_model_top"), top)
              .when(rest, lit(1.0).minus(top).multiply(col("model_probability"))
                  .divide(lit(1.0).minus(col("top_model_probability"))))
              .otherwise(lit(0.0)))
          .drop("_calibrated");
      prior = col("_prior");
    }
    double e = rules.misLogRate();
    Column n = count(lit(1)).over(all);
    Column likelihood = when(col("is_logged_deal"), lit((1 - e) / e).multiply(greatest(n.minus(1), lit(1))))
        .when(col("is_logged_account"), lit((1 - e) / e))
        .otherwise(lit(1.0));
    WindowSpec ranked = Window.partitionBy("activity_id")
        .orderBy(col("probability").desc(), col("created_at").desc(), col("opportunity_id"));
    Dataset<Row> withPosterior = p.withColumn("_post", prior.multiply(likelihood))
        .withColumn("probability", col("_post").divide(sum(col("_post")).over(all)))
        .withColumn("candidate_rank", row_number().over(ranked))
        .withColumn("candidate_count", n.cast("int"));
    Column credited = col("candidate_rank").equalTo(1)
        .or(col("candidate_rank").leq(rules.splitCap()).and(col("probability").geq(rules.minCreditWeight())));
    return withPosterior
        .withColumn("is_credited", credited)
        .withColumn("_credited_p", when(col("is_credited"), col("probability")).otherwise(0.0))
        .withColumn("credit_weight", col("_credited_p").divide(sum(col("_credited_p")).over(all)))
        .withColumn("credited_count", sum(when(col("is_credited"), 1).otherwise(0)).over(all).cast("int"))
        .drop("_post", "_credited_p", "_prior", "top_model_probability", "is_model_top");
  }
}
