package com.salespulse.transforms.staging;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * A communication log: the same record arrives once per mailbox or calendar that holds it and may
 * be re-delivered on later nights. Copies collapse to one row per record id whose
 * {@code mailboxes} lists every mailbox that held it; the latest delivery's content wins.
 */
abstract class CommsTable extends StagingTable {

  @Override
  public List<String> orderColumns() {
    return List.of("source_dt", "source_file", "source_record_number");
  }

  @Override
  protected Map<String, Column> collapseAggregates() {
    return Map.of("mailboxes", array_sort(collect_set(col("mailbox"))));
  }

  @Override
  protected List<String> validatedOnlyColumns() {
    return List.of("mailbox");
  }
}
