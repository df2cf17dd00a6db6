package com.salespulse.jobs;

import com.salespulse.transforms.CurrencyConversion;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a step adds amounts up: every currency it meets must convert to the corporate currency
 * when one is configured (else the step fails before it writes, naming the currencies), and
 * amounts of several currencies added up unconverted are worth a warning.
 */
final class CurrencyCheck {

  private static final Logger LOG = LoggerFactory.getLogger(CurrencyCheck.class);

  private CurrencyCheck() {}

  /** One Spark job: the distinct currencies of {@code column} in {@code rows} (the staging table {@code table}). */
  static void check(Dataset<Row> rows, String column, String table, CurrencyConversion conversion) {
    List<String> seen = CurrencyConversion.currencies(rows, column).collectAsList().stream().sorted().toList();
    List<String> missing = conversion.missingRates(seen);
    if (!missing.isEmpty()) {
      throw new SalesPulseException(ExitCode.USAGE, "Cannot convert the amounts of " + table + " to "
          + conversion.corporateCurrency() + ": " + CurrencyConversion.RATES + " has no rate for " + String.join(", ", missing)
          + " (add CODE:RATE for each and rerun the date)");
    }
    if (!conversion.converts() && seen.size() > 1) {
      LOG.warn("Adding up the amounts of {} in {} currencies ({}) without conversion: set {} and {} to add them up in one",
          table, seen.size(), String.join(", ", seen), CurrencyConversion.CORPORATE_CURRENCY, CurrencyConversion.RATES);
    }
  }
}
