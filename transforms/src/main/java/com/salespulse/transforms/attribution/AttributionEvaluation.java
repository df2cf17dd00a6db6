package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Compares {@code fct_activities} with a ground truth (the generator's {@code activity_truth.csv}:
 * activity_type, source_id, is_activity, user_id, account_id, opportunity_id, category).
 *
 * <p>{@link #apply} returns one row per {@code scope} ({@code all} activities, and
 * {@code not_logged}: those no CRM record logged, the honest measure, since logged ones carry their
 * answer) and activity type (and {@code overall}): coverage (share of truly attributable activities
 * given a deal), precision of opportunity_id, account_id and user_id, the false attribution rate on
 * noise, truth activities missing from the table and activities in it twice, precision and coverage
 * at confidence 0.5, 0.7 and 0.9, and the expected calibration error over ten confidence bins.
 * {@link #reliability} is the reliability table behind it.
 */
public final class AttributionEvaluation {

  static final String[] NOISE = {"internal", "newsletter", "freemail_unknown", "unknown_number"};

  private AttributionEvaluation() {}

  /** fct_activities joined to the truth, once per scope, with the type (and once more as overall). */
  static Dataset<Row> joined(Dataset<Row> activities, Dataset<Row> truth) {
    Dataset<Row> t = truth.select(col("activity_type").as("t_type"), col("source_id").as("t_source_id"),
        col("is_activity").as("t_is_activity"), nullif(col("user_id"), lit("")).as("t_user_id"),
        nullif(col("account_id"), lit("")).as("t_account_id"), nullif(col("opportunity_id"), lit("")).as("t_opportunity_id"),
        col("category").as("t_category"));
    Dataset<Row> a = activities
        .withColumn("copies", count(lit(1)).over(org.apache.spark.sql.expressions.Window
            .partitionBy("activity_type", "source_id")));
    Dataset<Row> joined = a
        .join(t, col("activity_type").equalTo(col("t_type")).and(col("source_id").equalTo(col("t_source_id"))), "full_outer")
        .withColumn("type", coalesce(col("activity_type"), col("t_type")))
        .withColumn("scope", lit("all"));
    Dataset<Row> scoped = joined.unionByName(joined.where(not(coalesce(col("is_logged"), lit(false))))
        .withColumn("scope", lit("not_logged")));
    return scoped.unionByName(scoped.withColumn("type", lit("overall")));
  }

  public static Dataset<Row> apply(Dataset<Row> activities, Dataset<Row> truth) {
    Dataset<Row> both = joined(activities, truth);
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
    Dataset<Row> metrics = both.groupBy("scope", "type").agg(
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
        count(when(not(inFact).and(col("t_is_activity")), 1)).as("activities_missing"),
        count(when(col("copies").gt(1), 1)).as("activities_counted_twice"),
        ratio(count(when(rightDeal.and(conf.lt(0.5)), 1)), count(when(predictedDeal.and(conf.lt(0.5)), 1)))
            .as("precision_conf_lt_050"),
        ratio(count(when(rightDeal.and(conf.geq(0.5)).and(conf.lt(0.7)), 1)),
            count(when(predictedDeal.and(conf.geq(0.5)).and(conf.lt(0.7)), 1))).as("precision_conf_050_070"),
        ratio(count(when(rightDeal.and(conf.geq(0.7)).and(conf.lt(0.9)), 1)),
            count(when(predictedDeal.and(conf.geq(0.7)).and(conf.lt(0.9)), 1))).as("precision_conf_070_090"),
        ratio(count(when(rightDeal.and(conf.geq(0.9)), 1)), count(when(predictedDeal.and(conf.geq(0.9)), 1)))
            .as("precision_conf_ge_090"),
        ratio(count(when(rightDeal.and(conf.geq(0.5)), 1)), count(when(predictedDeal.and(conf.geq(0.5)), 1)))
            .as("precision_at_050"),
        ratio(count(when(attributable.and(predictedDeal).and(conf.geq(0.5)), 1)), count(when(attributable, 1)))
            .as("coverage_at_050"),
        ratio(count(when(rightDeal.and(conf.geq(0.7)), 1)), count(when(predictedDeal.and(conf.geq(0.7)), 1)))
            .as("precision_at_070"),
        ratio(count(when(attributable.and(predictedDeal).and(conf.geq(0.7)), 1)), count(when(attributable, 1)))
            .as("coverage_at_070"),
        ratio(count(when(rightDeal.and(conf.geq(0.9)), 1)), count(when(predictedDeal.and(conf.geq(0.9)), 1)))
            .as("precision_at_090"),
        ratio(count(when(attributable.and(predictedDeal).and(conf.geq(0.9)), 1)), count(when(attributable, 1)))
            .as("coverage_at_090"));
    Dataset<Row> ece = reliability(activities, truth)
        .groupBy(col("scope").as("e_scope"), col("type").as("e_type"))
        .agg(round(sum(col("deals").multiply(abs(col("precision").minus(col("mean_confidence")))))
            .divide(sum(col("deals"))), 4).as("expected_calibration_error"));
    return metrics.join(ece, col("scope").equalTo(col("e_scope")).and(col("type").equalTo(col("e_type"))), "left")
        .drop("e_scope", "e_type")
        .orderBy(col("scope"), when(col("type").equalTo("overall"), 1).otherwise(0), col("type"));
  }

  /**
   * The reliability table: per scope, type and confidence bin (0.0-0.1 ... 0.9-1.0) of the activities
   * given a deal whose true deal is known (truth has one, or the activity is noise): deals named,
   * mean confidence and the share right.
   */
  public static Dataset<Row> reliability(Dataset<Row> activities, Dataset<Row> truth) {
    Column predictedDeal = col("activity_id").isNotNull().and(col("opportunity_id").isNotNull())
        .and(col("t_type").isNotNull());
    Column bin = least(floor(col("attribution_confidence").multiply(10)), lit(9)).cast("int");
    return joined(activities, truth).where(predictedDeal)
        .groupBy(col("scope"), col("type"), bin.as("bin"))
        .agg(count(lit(1)).as("deals"),
            round(avg(col("attribution_confidence")), 4).as("mean_confidence"),
            round(avg(coalesce(col("opportunity_id").equalTo(col("t_opportunity_id")), lit(false)).cast("double")), 4)
                .as("precision"))
        .select(col("scope"), col("type"), format_string("%.1f-%.1f", col("bin").divide(10.0),
                col("bin").plus(1).divide(10.0)).as("confidence_bin"), col("deals"), col("mean_confidence"),
            col("precision"))
        .orderBy(col("scope"), col("type"), col("confidence_bin"));
  }

  private static Column ratio(Column num, Column den) {
    return when(den.gt(0), round(num.divide(den), 4));
  }
}
