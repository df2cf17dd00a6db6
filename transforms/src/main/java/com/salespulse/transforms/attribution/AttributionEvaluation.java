package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Compares {@code fct_activities} with a ground truth (the generator's {@code activity_truth.csv}:
 * activity_type, source_id, is_activity, user_id, account_id, opportunity_id, category) and returns
 * one row per activity type and one {@code overall}: coverage (share of truly attributable
 * activities given a deal), precision of opportunity_id, account_id and user_id, the false
 * attribution rate on noise, and opportunity precision per confidence bucket (calibration).
 */
public final class AttributionEvaluation {

  static final String[] NOISE = {"internal", "newsletter", "freemail_unknown", "unknown_number"};

  private AttributionEvaluation() {}

  public static Dataset<Row> apply(Dataset<Row> activities, Dataset<Row> truth) {
    Dataset<Row> t = truth.select(col("activity_type").as("t_type"), col("source_id").as("t_source_id"),
        col("is_activity").as("t_is_activity"), nullif(col("user_id"), lit("")).as("t_user_id"),
        nullif(col("account_id"), lit("")).as("t_account_id"), nullif(col("opportunity_id"), lit("")).as("t_opportunity_id"),
        col("category").as("t_category"));
    Dataset<Row> joined = activities
        .join(t, col("activity_type").equalTo(col("t_type")).and(col("source_id").equalTo(col("t_source_id"))), "full_outer")
        .withColumn("type", coalesce(col("activity_type"), col("t_type")));
    Dataset<Row> both = joined.unionByName(joined.withColumn("type", lit("overall")));

    Column inFact = col("activity_id").isNotNull();
    Column attributable = col("t_opportunity_id").isNotNull();
    Column predictedDeal = inFact.and(col("opportunity_id").isNotNull());
    Column rightDeal = predictedDeal.and(col("opportunity_id").equalTo(col("t_opportunity_id")));
    Column predictedAccount = inFact.and(col("account_id").isNotNull());
    Column rightAccount = predictedAccount.and(col("account_id").equalTo(col("t_account_id")));
    Column predictedUser = inFact.and(col("user_id").isNotNull());
    Column rightUser = predictedUser.and(col("user_id").equalTo(col("t_user_id")));
    Column noise = col("t_category").isin((Object[]) NOISE);
    Column conf = col("attribution_confidence");
    return both.groupBy("type").agg(
            count(when(inFact, 1)).as("activities"),
            count(when(attributable, 1)).as("attributable"),
            ratio(count(when(attributable.and(predictedDeal), 1)), count(when(attributable, 1))).as("coverage"),
            ratio(count(when(rightDeal, 1)), count(when(predictedDeal, 1))).as("opportunity_precision"),
            ratio(count(when(rightAccount, 1)), count(when(predictedAccount, 1))).as("account_precision"),
            ratio(count(when(rightUser, 1)), count(when(predictedUser, 1))).as("user_precision"),
            count(when(noise, 1)).as("noise"),
            ratio(count(when(noise.and(predictedDeal), 1)), count(when(noise, 1))).as("noise_false_attribution_rate"),
            count(when(inFact.and(col("t_type").isNull()), 1)).as("not_in_truth"),
            count(when(inFact.and(not(col("t_is_activity"))), 1)).as("non_activities_kept"),
            ratio(count(when(rightDeal.and(conf.lt(0.5)), 1)), count(when(predictedDeal.and(conf.lt(0.5)), 1)))
                .as("precision_conf_lt_050"),
            ratio(count(when(rightDeal.and(conf.geq(0.5)).and(conf.lt(0.7)), 1)),
                count(when(predictedDeal.and(conf.geq(0.5)).and(conf.lt(0.7)), 1))).as("precision_conf_050_070"),
            ratio(count(when(rightDeal.and(conf.geq(0.7)).and(conf.lt(0.9)), 1)),
                count(when(predictedDeal.and(conf.geq(0.7)).and(conf.lt(0.9)), 1))).as("precision_conf_070_090"),
            ratio(count(when(rightDeal.and(conf.geq(0.9)), 1)), count(when(predictedDeal.and(conf.geq(0.9)), 1)))
                .as("precision_conf_ge_090"))
        .orderBy(when(col("type").equalTo("overall"), 1).otherwise(0), col("type"));
  }

  private static Column ratio(Column num, Column den) {
    return when(den.gt(0), round(num.divide(den), 4));
  }
}
