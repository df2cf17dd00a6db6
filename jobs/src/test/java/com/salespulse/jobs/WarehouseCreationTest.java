package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespulse.jobs.io.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed while creating a table leaves its folder with a {@code _delta_log} and no commit (what
 * {@code kill -9} left when it struck a first night's table creation): the next run clears it and
 * creates the table; a folder holding anything else without a commit is never deleted.
 */
class WarehouseCreationTest {

  @TempDir
  Path tmp;

  @Test
  void theRemainsOfAKilledCreationAreClearedAndTheTableCreated() throws IOException {
    Warehouse w = new Warehouse(TestSupport.spark(), TestSupport.uri(tmp.resolve("w")));
    Path log = Files.createDirectories(tmp.resolve("w/stg_crm__accounts/_delta_log"));
    Files.writeString(log.resolve(".00000000000000000000.json.tmp"), "{\"commitInfo\":");   // a commit never renamed
    w.ensure("stg_crm__accounts");
    assertThat(w.exists("stg_crm__accounts")).as("created after the dead run's remains").isTrue();
    assertThat(TestSupport.table(w.root(), "stg_crm__accounts").columns()).as("the table's DDL columns")
        .containsExactly(Warehouse.ddlSchema("stg_crm__accounts").fieldNames());
  }

  @Test
  void aFolderHoldingDataWithoutACommitIsNeverDeleted() throws IOException {
    Warehouse w = new Warehouse(TestSupport.spark(), TestSupport.uri(tmp.resolve("w")));
    Files.createDirectories(tmp.resolve("w/stg_crm__users/_delta_log"));
    Path data = Files.writeString(tmp.resolve("w/stg_crm__users/part-00000.parquet"), "not ours to delete");
    assertThatThrownBy(() -> w.ensure("stg_crm__users")).as("the creation fails naming the folder")
        .hasMessageContaining("Cannot create table stg_crm__users: its folder")
        .hasMessageContaining(tmp.resolve("w/stg_crm__users").toString());
    assertThat(data).as("the files are kept").exists();
  }
}
