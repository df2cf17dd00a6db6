package com.salespulse.jobs;

import com.salespulse.jobs.io.Warehouse;
import com.salespulse.transforms.reconcile.FctIncentiveExceptions;
import com.salespulse.transforms.reconcile.ReconciliationEvaluation;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@code evaluate-reconciliation}: fct_incentive_exceptions against a generated org's known exceptions, as CSV. */
public final class EvaluateReconciliationCommand {

  private EvaluateReconciliationCommand() {}

  static Options options() {
    Options o = new Options();
    SalesPulse.addCommon(o, false);
    o.addOption(Option.builder().longOpt("truth").hasArg().argName("FILE").required()
        .desc("known exceptions CSV: exception_code,payout_id,opportunity_id,payee_user_id "
            + "(generate writes <out>-truth/payout_truth.csv)").get());
    return o;
  }

  static ExitCode run(CommandLine cl) {
    Settings settings = SalesPulse.settings(cl);
    SparkSession spark = SparkSessions.create(settings, "salespulse-evaluate-reconciliation");
    Warehouse warehouse = new Warehouse(spark, settings.location(Settings.WAREHOUSE));
    if (!warehouse.exists(FctIncentiveExceptions.NAME)) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot evaluate reconciliation: no " + FctIncentiveExceptions.NAME
          + " in " + warehouse.root() + " (run nightly or reconcile first)");
    }
    Dataset<Row> truth = spark.read().option("header", "true").option("mode", "FAILFAST")
        .schema(ReconciliationEvaluation.TRUTH).csv(Locations.absolute(cl.getOptionValue("truth")));
    SqlCommand.printCsv(ReconciliationEvaluation.apply(warehouse.read(FctIncentiveExceptions.NAME), truth), System.out);
    return ExitCode.SUCCESS;
  }
}
