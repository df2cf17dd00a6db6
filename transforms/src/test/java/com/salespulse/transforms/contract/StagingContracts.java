package com.salespulse.transforms.contract;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.transforms.TestSpark;
import com.salespulse.transforms.staging.Field;
import com.salespulse.transforms.staging.ParseRules;
import com.salespulse.transforms.staging.QuarantineRecords;
import com.salespulse.transforms.staging.StagingTable;
import com.salespulse.transforms.staging.StgCommsCalls;
import com.salespulse.transforms.staging.StgCommsEmails;
import com.salespulse.transforms.staging.StgCommsMeetings;
import com.salespulse.transforms.staging.StgCompPayouts;
import com.salespulse.transforms.staging.StgCrmAccounts;
import com.salespulse.transforms.staging.StgCrmContacts;
import com.salespulse.transforms.staging.StgCrmEmailMessages;
import com.salespulse.transforms.staging.StgCrmEvents;
import com.salespulse.transforms.staging.StgCrmForecastingQuotas;
import com.salespulse.transforms.staging.StgCrmOpportunities;
import com.salespulse.transforms.staging.StgCrmOpportunityContactRoles;
import com.salespulse.transforms.staging.StgCrmOpportunityHistory;
import com.salespulse.transforms.staging.StgCrmOpportunitySplits;
import com.salespulse.transforms.staging.StgCrmOpportunityVersions;
import com.salespulse.transforms.staging.StgCrmTasks;
import com.salespulse.transforms.staging.StgCrmUserRoles;
import com.salespulse.transforms.staging.StgCrmUserVersions;
import com.salespulse.transforms.staging.StgCrmUsers;
import com.salespulse.transforms.staging.VersionsTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Hand-built raw records for every staging table, from its field list: two versions of one record
 * (the second a day newer) and a second record, all valid, staged by the table's own
 * validate and collapse (and its versions table where it has one); one malformed line gives the
 * quarantine table its row.
 */
final class StagingContracts {

  static final LocalDate RUN_DATE = LocalDate.parse("2026-11-03");
  static final ParseRules RULES = new ParseRules("contract-run", RUN_DATE, RUN_DATE, "1");

  private StagingContracts() {}

  static final List<StagingTable> TABLES = List.of(new StgCrmUsers(), new StgCrmUserRoles(), new StgCrmAccounts(),
      new StgCrmContacts(), new StgCrmOpportunities(), new StgCrmOpportunityHistory(),
      new StgCrmOpportunityContactRoles(), new StgCrmForecastingQuotas(), new StgCrmOpportunitySplits(),
      new StgCrmTasks(), new StgCrmEvents(), new StgCrmEmailMessages(), new StgCommsEmails(), new StgCommsMeetings(),
      new StgCommsCalls(), new StgCompPayouts());

  static final Map<String, VersionsTable> VERSIONS = Map.of("stg_crm__users", new StgCrmUserVersions(),
      "stg_crm__opportunities", new StgCrmOpportunityVersions());

  static synchronized void build() {
    for (StagingTable t : TABLES) {
      List<Row> rows = new ArrayList<>();
      rows.add(record(t, "K1", 0, 1));
      rows.add(record(t, "K1", 1, 2));
      rows.add(record(t, "K2", 0, 3));
      Dataset<Row> raw = TestSpark.get().createDataFrame(rows, StagingTable.rawSchema(t.sourceColumns()));
      Dataset<Row> validated = t.validate(raw, RULES).localCheckpoint();
      List<Row> rejected = validated.where(col(StagingTable.REJECT_REASON).isNotNull())
          .select(StagingTable.REJECT_REASON).collectAsList();
      assertThat(rejected).as("%s: the hand-built records are valid", t.name()).isEmpty();
      Dataset<Row> staged = t.collapse(validated).localCheckpoint();
      ContractFixtures.register(t.name(), staged);
      VersionsTable v = VERSIONS.get(t.name());
      if (v != null) {
        ContractFixtures.register(v.name(), v.apply(validated, staged.limit(0)).localCheckpoint());
      }
    }
    StagingTable calls = new StgCommsCalls();
    List<Row> bad = new ArrayList<>();
    calls.sourceColumns().forEach(c -> bad.add(null));
    List<Object> badRow = new ArrayList<>(bad);
    badRow.addAll(List.of("calls.csv", 4L, "not,a,call", "malformed CSV line"));
    Dataset<Row> raw = TestSpark.get().createDataFrame(List.of(record(calls, "K1", 0, 1), RowFactory.create(badRow.toArray())),
        StagingTable.rawSchema(calls.sourceColumns()));
    ContractFixtures.register(QuarantineRecords.NAME,
        QuarantineRecords.apply(calls.validate(raw, RULES), "comms/call", calls.name(), RUN_DATE).localCheckpoint());
  }

  /** A valid raw record: every field given a value of its kind; key fields say which record it is. */
  static Row record(StagingTable t, String key, int version, long number) {
    List<Object> out = new ArrayList<>();
    for (Field f : t.fields()) {
      boolean isKey = t.keyColumns().contains(f.target());
      out.add(value(f, isKey ? key : "x", version));
    }
    out.addAll(java.util.Arrays.asList("contract.csv", number, "record " + number, null));
    return RowFactory.create(out.toArray());
  }

  static String value(Field f, String text, int version) {
    return switch (f.kind()) {
      case STRING -> f.target().contains("currency") ? "USD" : text;
      case TIMESTAMP -> "2026-11-0" + (1 + version) + "T10:00:00Z";
      case DATE -> "2026-11-0" + (1 + version);
      case BOOLEAN -> "false";
      case MONEY -> "100.00";
      case PERCENT -> "50";
      case INTEGER -> "60";
      case ENUM -> f.allowed().get(0);
      case EMAIL -> text.toLowerCase() + "@example.com";
      case PHONE -> "+1 415 555 0100";
      case EMAIL_ARRAY -> "[\"b@example.com\"]";
      case ATTENDEES -> "[{\"email\": \"b@example.com\", \"response\": \"accepted\"}]";
    };
  }
}
