package com.salespulse.transforms.reconcile;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code fct_incentive_exceptions} against the exceptions a generated org was built with: per code,
 * how many were expected, caught, missed, and raised where none was expected (false alarms). An
 * exception matches the truth on its code and payout line, or, for {@code won_not_paid}, on its
 * code, deal and person.
 */
public final class ReconciliationEvaluation {

  /** The truth file's columns (the generator's {@code payout_truth.csv}). */
  public static final StructType TRUTH = new StructType()
      .add("exception_code", DataTypes.StringType)
      .add("payout_id", DataTypes.StringType)
      .add("opportunity_id", DataTypes.StringType)
      .add("payee_user_id", DataTypes.StringType);

  private ReconciliationEvaluation() {}

  private static Column key() {
    return when(col("payout_id").isNull(),
        concat_ws("|", col("exception_code"), lit(""), col("opportunity_id"), col("payee_user_id")))
        .otherwise(concat_ws("|", col("exception_code"), col("payout_id")));
  }

  /** One row per code: exception_code, severity, expected, caught, missed, false_alarms. */
  public static Dataset<Row> apply(Dataset<Row> exceptions, Dataset<Row> truth) {
    Dataset<Row> found = exceptions.select(col("exception_code").as("f_code"), key().as("k")).distinct();
    Dataset<Row> want = truth.select(col("exception_code").as("t_code"), key().as("k")).distinct();
    Dataset<Row> both = found.join(want, scala.jdk.javaapi.CollectionConverters.asScala(List.of("k")).toSeq(), "full_outer")
        .select(coalesce(col("f_code"), col("t_code")).as("exception_code"),
            col("t_code").isNotNull().as("is_expected"), col("f_code").isNotNull().as("is_found"));
    List<Row> codes = new ArrayList<>();
    FctIncentiveExceptions.SEVERITY.forEach((code, severity) -> codes.add(RowFactory.create(code, severity)));
    Dataset<Row> all = exceptions.sparkSession().createDataFrame(codes,
        new StructType().add("code", DataTypes.StringType).add("severity", DataTypes.StringType));
    Dataset<Row> counts = both.groupBy("exception_code").agg(
        count(when(col("is_expected"), 1)).as("expected"),
        count(when(col("is_expected").and(col("is_found")), 1)).as("caught"),
        count(when(col("is_expected").and(not(col("is_found"))), 1)).as("missed"),
        count(when(not(col("is_expected")).and(col("is_found")), 1)).as("false_alarms"));
    return all.join(counts, col("code").equalTo(col("exception_code")), "left")
        .select(col("code").as("exception_code"), col("severity"),
            coalesce(col("expected"), lit(0L)).as("expected"), coalesce(col("caught"), lit(0L)).as("caught"),
            coalesce(col("missed"), lit(0L)).as("missed"), coalesce(col("false_alarms"), lit(0L)).as("false_alarms"));
  }
}
