package com.salespulse.jobs;

import org.apache.spark.sql.SparkSession;

/** Builds the job's SparkSession with Delta and the configured settings. */
public final class SparkSessions {

  private SparkSessions() {}

  public static SparkSession create(Settings settings, String appName) {
    SparkSession.Builder b = SparkSession.builder()
        .appName(appName)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        // Timestamps are stored and compared in UTC; org-timezone cuts happen explicitly.
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.databricks.delta.schema.autoMerge.enabled", "false");
    settings.sparkSettings().forEach((k, v) -> {
      // Under spark-submit the master comes from the submitter, not from our local default.
      if (!(k.equals("spark.master") && System.getProperty("spark.master") != null)) {
        b.config(k, v);
      }
    });
    return b.getOrCreate();
  }
}
