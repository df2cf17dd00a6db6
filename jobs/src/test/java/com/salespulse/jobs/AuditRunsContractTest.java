package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.jobs.io.Warehouse;
import java.util.Arrays;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The contract of audit_runs, the one table written by the jobs module rather than a transform
 * (the transforms' TableContractTest checks every other table of sql/tables): the rows the job
 * appends have exactly the DDL's columns and types, in order.
 */
class AuditRunsContractTest {

  @Test
  void theAuditRowSchemaIsTheDdl() {
    StructType ddl = Warehouse.ddlSchema(AuditRuns.NAME);
    assertThat(AuditRuns.SCHEMA.fieldNames()).as("audit_runs columns, in the DDL's order")
        .containsExactly(ddl.fieldNames());
    for (StructField f : ddl.fields()) {
      assertThat(AuditRuns.SCHEMA.apply(f.name()).dataType().catalogString()).as("audit_runs.%s type", f.name())
          .isEqualTo(f.dataType().catalogString());
    }
    assertThat(Arrays.stream(ddl.fieldNames())).as("the grain").contains("attempt_id");
  }
}
