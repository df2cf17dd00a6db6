package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.attribution.AttributionEvaluation;
import com.salespulse.transforms.attribution.FctActivities;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code evaluate-attribution}: fct_activities against a ground-truth file, printed as CSV. */
public final class EvaluateAttributionCommand {

  static final StructType TRUTH = new StructType()
      .add("activity_type", DataTypes.StringType)
      .add("source_id", DataTypes.StringType)
      .add("is_activity", DataTypes.BooleanType)
      .add("user_id", DataTypes.StringType)
      .add("account_id", DataTypes.StringType)
      .add("opportunity_id", DataTypes.StringType)
      .add("category", DataTypes.StringType);

  private EvaluateAttributionCommand() {}

  static Options options() {
    Options o = new Options();
    SalesPulse.addCommon(o, false);
    o.addOption(Option.builder().longOpt("truth").hasArg().argName("FILE").required()
        .desc("ground truth CSV: activity_type,source_id,is_activity,user_id,account_id,opportunity_id,category").get());
    return o;
  }

  static ExitCode run(CommandLine cl) {
    Settings settings = SalesPulse.settings(cl);
    SparkSession spark = SparkSessions.create(settings, "salespulse-evaluate-attribution");
    Warehouse warehouse = new Warehouse(spark, settings.location(Settings.WAREHOUSE));
    if (!warehouse.exists(FctActivities.NAME)) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot evaluate attribution: no " + FctActivities.NAME
          + " in " + warehouse.root() + " (run nightly or attribute first)");
    }
    Dataset<Row> truth = spark.read().option("header", "true").option("mode", "FAILFAST").schema(TRUTH)
        .csv(Locations.absolute(cl.getOptionValue("truth")));
    Dataset<Row> activities = warehouse.read(FctActivities.NAME).cache();
    SqlCommand.printCsv(evaluate(activities, truth), System.out);
    System.out.println();
    System.out.println("# reliability: deals named per confidence bin, mean confidence and the share right");
    SqlCommand.printCsv(AttributionEvaluation.reliability(activities, truth), System.out);
    return ExitCode.SUCCESS;
  }

  static Dataset<Row> evaluate(Dataset<Row> activities, Dataset<Row> truth) {
    return AttributionEvaluation.apply(activities, truth);
  }
}
