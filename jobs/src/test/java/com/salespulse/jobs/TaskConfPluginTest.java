package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.internal.SQLConf;
import org.junit.jupiter.api.Test;

/** The job's session gives each task one SQL configuration, with the values Spark's own would hold. */
class TaskConfPluginTest {

  @Test
  void aTaskReadsOneSqlConfigurationHoldingTheSessionsSettings() {
    assertThat(TestSupport.spark().sparkContext().conf().get("spark.plugins", ""))
        .as("the plugin, from conf/local.properties").contains(TaskConfPlugin.class.getName());
    MapPartitionsFunction<Long, String> probe = rows -> {
      SQLConf first = SQLConf.get();
      SQLConf again = SQLConf.get();
      return List.of((first == again) + " " + first.sessionLocalTimeZone() + " " + first.numShufflePartitions())
          .iterator();
    };
    List<String> seen = TestSupport.spark().range(0, 4, 1, 2).mapPartitions(probe, Encoders.STRING()).collectAsList();
    assertThat(seen).as("per task: the same configuration twice, the session's time zone and shuffle partitions")
        .containsExactly("true UTC " + TestSupport.spark().conf().get("spark.sql.shuffle.partitions"),
            "true UTC " + TestSupport.spark().conf().get("spark.sql.shuffle.partitions"));
  }
}
