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
 * feature as a double. {@code is_calibration} holds out about 30% of the activities (by a hash of
 * their id, so the split is the same on every run) for the isotonic calibration.
 */
public final class AttributionTraining {

  private AttributionTraining() {}

  /** @param candidates as from {@link ActivityAttribution#candidates} */
  public static Dataset<Row> examples(Dataset<Row> candidates) {
    List<Column> out = new ArrayList<>(List.of(col("activity_id"), col("activity_type"), col("opportunity_id"),
        col("created_at"), col("rule_score"), col("is_logged_deal"), col("is_logged_account"),
        col("is_logged_deal").cast("double").as("label"),
        pmod(hash(col("activity_id")), lit(10)).lt(3).as("is_calibration")));
    AttributionModel.FEATURES.forEach(f -> out.add(col(f).cast("double").as(f)));
    return candidates
        .withColumn("_labelled", max(col("is_logged_deal").cast("int")).over(Window.partitionBy("activity_id")))
        .where(col("_labelled").equalTo(1))
        .select(out.toArray(Column[]::new));
  }
}
