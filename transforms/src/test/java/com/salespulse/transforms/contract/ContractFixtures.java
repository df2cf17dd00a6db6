package com.salespulse.transforms.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.transforms.attribution.AttributionRulesTest;
import com.salespulse.transforms.reconcile.IncentiveReconciliationTest;
import com.salespulse.transforms.rollup.RollupReconciliationTest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Each table's transform output on hand-built input, as the transform tests build it (they
 * register what they build; when the contract test runs first it asks them to build). Staging
 * tables come from {@link StagingContracts}.
 */
public final class ContractFixtures {

  private static final Map<String, Dataset<Row>> OUTPUTS = new ConcurrentHashMap<>();

  private ContractFixtures() {}

  public static void register(String table, Dataset<Row> output) {
    OUTPUTS.put(table, output);
  }

  static synchronized Dataset<Row> output(String table) {
    if (!OUTPUTS.containsKey(table)) {
      if (table.startsWith("stg_") || table.equals("quarantine_records")) {
        StagingContracts.build();
      } else if (table.startsWith("fct_activit")) {
        AttributionRulesTest.attribute();
      } else if (table.startsWith("fct_incentive_")) {
        IncentiveReconciliationTest.build();
      } else {
        RollupReconciliationTest.build();
      }
    }
    Dataset<Row> out = OUTPUTS.get(table);
    assertThat(out).as("a hand-built output of %s registered for its contract test", table).isNotNull();
    return out;
  }
}
