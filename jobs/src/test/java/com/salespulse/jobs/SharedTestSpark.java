package com.salespulse.jobs;

import com.salespulse.transforms.TestSpark;
import org.apache.spark.sql.SparkSession;

/**
 * The transforms module's tests, run in this module's test JVM (jobs/pom.xml), use the jobs tests'
 * session: one SparkSession per JVM, with Delta, whichever test asks first.
 */
public final class SharedTestSpark implements TestSpark.Shared {

  @Override
  public SparkSession get() {
    return TestSupport.spark();
  }
}
