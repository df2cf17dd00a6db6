package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.jobs.io.Warehouse;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maintain}: small files compacted, nothing changed in the rows, history kept for time travel. */
class MaintainTest {

  @TempDir
  Path tmp;

  @Test
  void maintainCompactsSmallFilesKeepsRowsAndTheTimeTravelWindowAndReports() throws Exception {
    String uri = TestSupport.uri(tmp.resolve("warehouse"));
    Warehouse w = new Warehouse(TestSupport.spark(), uri);
    StructType schema = Warehouse.ddlSchema("quarantine_records");
    // three nights' small writes into one partition: three files
    for (int i = 1; i <= 3; i++) {
      Object[] values = new Object[schema.size()];
      values[schema.fieldIndex("run_date")] = Date.valueOf("2026-11-25");
      values[schema.fieldIndex("dataset")] = "comms/call";
      values[schema.fieldIndex("record_number")] = (long) i;
      w.append("quarantine_records", TestSupport.spark().createDataFrame(List.of(RowFactory.create(values)), schema));
    }
    List<String> rowsBefore = TestSupport.rows(TestSupport.table(uri, "quarantine_records"));

    String report = TestSupport.stdout("maintain", "--run-date", "2026-11-29", "--warehouse", uri);

    assertThat(report.lines().toList()).as("the report, one line per table")
        .startsWith("table_name,files_before,bytes_before,files_after,bytes_after,stored_files_before,"
            + "stored_bytes_before,stored_files_after,stored_bytes_after")
        .anyMatch(l -> l.matches("quarantine_records,3,\\d+,1,\\d+,3,\\d+,4,\\d+"));
    assertThat(TestSupport.rows(TestSupport.table(uri, "quarantine_records"))).as("the same rows").isEqualTo(rowsBefore);
    DeltaTable t = DeltaTable.forPath(TestSupport.spark(), uri + "/quarantine_records");
    assertThat(t.history().select("operation").as(Encoders.STRING()).collectAsList()).as("what maintain did")
        .contains("OPTIMIZE", "SET TBLPROPERTIES");
    Row props = t.detail().select("properties").first();
    assertThat(props.<String, String>getJavaMap(0)).as("log and deleted files kept for the time-travel window")
        .containsEntry("delta.logRetentionDuration", "interval 30 days")
        .containsEntry("delta.deletedFileRetentionDuration", "interval 30 days");
    Row audit = TestSupport.lastAudit(uri, "2026-11-29");
    assertThat(audit.<String>getAs("command")).as("recorded").isEqualTo("maintain");
    assertThat(audit.<Row>getList(audit.fieldIndex("steps")).get(0).<String>getAs("detail")).as("totals")
        .contains("vacuum retention 30 days");

    // the vacuum retention may never be shorter than the time travel finance relies on
    Path conf = tmp.resolve("short.properties");
    Files.writeString(conf, "maintain.vacuum-retention-days=10\n");
    TestSupport.run(ExitCode.USAGE, "maintain", "--run-date", "2026-11-29", "--warehouse", uri, "--conf",
        conf.toString());
  }
}
