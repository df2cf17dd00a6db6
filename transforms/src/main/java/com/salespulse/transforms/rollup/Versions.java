package com.salespulse.transforms.rollup;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.Window;

/** Helpers for the type-2 {@code _versions} tables (rows ordered by {@code valid_from} per record). */
public final class Versions {

  private Versions() {}

  /**
   * True on a record's oldest version, which also stands for the time before it was first seen
   * (as attribution does for activities older than a user's first version).
   */
  public static Column isFirst(String recordKey) {
    return row_number().over(Window.partitionBy(recordKey).orderBy("valid_from")).equalTo(1);
  }
}
