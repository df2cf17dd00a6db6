package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Training examples for the attribution model: every candidate of the activities whose CRM-logged
 * deal is one of their candidates, labelled 1 for the logged deal and 0 for the others, each
 * feature as a double. {@code fold} (0 to {@link #FOLDS} - 1, by a hash of the activity id, so the
 * split is the same on every run) cross-fits the calibration: each fold is scored by a model fitted
 * on the others, so every label serves the calibration without being scored by a model that saw it.
 */
public final class AttributionTraining {

  /** Folds of the cross-fitted calibration. */
  public static final int FOLDS = 3;

  private AttributionTraining() {}

  /**
   * Whether a night of this date trains a model first: retraining is on ({@code retrainEveryDays >
   * 0}) and there is no model yet, or the newest one was trained {@code retrainEveryDays} or more
   * days before the run date.
   */
  public static boolean isRetrainDue(java.util.Optional<java.time.LocalDate> newestModel, java.time.LocalDate runDate,
                                     int retrainEveryDays) {
    return retrainEveryDays > 0
        && newestModel.map(d -> !d.isAfter(runDate.minusDays(retrainEveryDays))).orElse(true);
  }

  /**
   * The candidates of the activities dated from..to (org timezone), for training on stages built for a
   * wider window: {@code acts} is those stages' activities ({@code activity_id}, {@code activity_date}).
   */
  public static Dataset<Row> inHorizon(Dataset<Row> candidates, Dataset<Row> acts, java.time.LocalDate from,
                                       java.time.LocalDate to) {
    Dataset<Row> ids = acts.where(col("activity_date").between(java.sql.Date.valueOf(from), java.sql.Date.valueOf(to)))
        .select(col("activity_id").as("h_activity_id"));
    return candidates.join(ids, col("activity_id").equalTo(col("h_activity_id")), "left_semi");
  }

  /**
   * The training rows: every candidate of the activities whose logged deal is one of their candidates
   * (label 1 for that deal, 0 for the others), with the activity's fold of the cross-fitting.
   *
   * @param candidates as from {@link AttributionStages#candidates} (and
   *     {@link ActivityAttribution#withConfidentContinuity} for the final model)
   * @param features the model's features, as doubles
   */
  public static Dataset<Row> examples(Dataset<Row> candidates, List<String> features) {
    List<Column> out = new ArrayList<>(List.of(col("activity_id"), col("activity_type"), col("opportunity_id"),
        col("created_at"), col("rule_score"), col("is_logged_deal"), col("is_logged_account"),
        col("is_logged_deal").cast("double").as("label"),
        pmod(hash(col("activity_id")), lit(FOLDS)).as("fold")));
    features.forEach(f -> out.add(col(f).cast("double").as(f)));
    return candidates
        .withColumn("_labelled", max(col("is_logged_deal").cast("int")).over(Window.partitionBy("activity_id")))
        .where(col("_labelled").equalTo(1))
        .select(out.toArray(Column[]::new));
  }
}
