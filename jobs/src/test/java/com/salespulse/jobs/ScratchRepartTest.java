package com.salespulse.jobs;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class ScratchRepartTest {
  @Test
  void repart() {
    SparkSession spark = TestSupport.spark();
    String wh = System.getProperty("scratch.wh");
    for (String t : System.getProperty("scratch.tables").split(",")) {
      String p = wh + "/" + t;
      var df = spark.read().format("delta").load(p).localCheckpoint();
      long n = df.count();
      String[] sortBy = df.columns();
      df.orderBy(df.columns()[df.schema().fieldIndex(t.contains("engagement") ? "snapshot_date" : t.contains("performance") ? "period_start" : "activity_date")])
          .write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(p);
      System.out.println("SCRATCH rewrote " + t + " rows " + n);
    }
  }
}
