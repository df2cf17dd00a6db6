package com.salespulse.transforms.staging;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class StagingTableTest {

  static final ParseRules RULES = new ParseRules("salespulse-2026-11-25", LocalDate.parse("2026-11-25"),
      LocalDate.parse("2026-11-25"), "1");

  static Map<String, String> user(String id, String email, String modstamp, String manager) {
    Map<String, String> m = new HashMap<>();
    m.put("Id", id);
    m.put("Email", email);
    m.put("IsActive", "true");
    m.put("ManagerId", manager);
    m.put("LastModifiedDate", modstamp);
    m.put("SystemModstamp", modstamp);
    return m;
  }

  @Test
  void validateKeepsEveryRowAndNamesTheFailingField() {
    StgCrmUsers t = new StgCrmUsers();
    Map<String, String> noEmail = user("005B", null, "2026-11-25T10:00:00Z", null);
    Map<String, String> badBool = user("005C", "c@maventech.com", "2026-11-25T10:00:00Z", null);
    badBool.put("IsActive", "maybe");
    Dataset<Row> raw = new RawRows(t)
        .add("f.csv", 1, user("005A", "A@maventech.com", "2026-11-25T10:00:00Z", null))
        .add("f.csv", 2, noEmail)
        .add("f.csv", 3, badBool)
        .malformed("f.csv", 4, "x,\"y", "malformed CSV: record 4 has 2 fields, the header has 14")
        .build();
    List<Row> v = t.validate(raw, RULES).orderBy("source_record_number").collectAsList();
    assertThat(v).as("every raw row is kept").hasSize(4);
    assertThat(v.get(0).<String>getAs(StagingTable.REJECT_REASON)).as("good row").isNull();
    assertThat(v.get(0).<String>getAs("email")).as("normalised email").isEqualTo("a@maventech.com");
    assertThat(v.get(1).<String>getAs(StagingTable.REJECT_REASON)).as("missing email")
        .isEqualTo("field 'Email': missing required value");
    assertThat(v.get(1).<String>getAs(StagingTable.REJECT_FIELD)).as("field").isEqualTo("Email");
    assertThat(v.get(2).<String>getAs(StagingTable.REJECT_REASON)).as("bad boolean")
        .isEqualTo("field 'IsActive': expected true/false/1/0, got 'maybe'");
    assertThat(v.get(3).<String>getAs(StagingTable.REJECT_FIELD)).as("unreadable record").isEqualTo("<record>");
    assertThat(v.get(3).<String>getAs(StagingTable.REJECT_REASON)).as("parse error kept").startsWith("malformed CSV");
    assertThat(v.get(0).<String>getAs("run_id")).as("lineage run id").isEqualTo("salespulse-2026-11-25");
  }

  @Test
  void eachFieldsTextIsParsedOnceInTheValidatedPlan() {
    // a timestamp's text is read by its value (pattern, cast, range) and its error; composed as one
    // expression, the pattern was matched again inside the error and the plan repeated it
    StgCommsEmails t = new StgCommsEmails();
    Dataset<Row> raw = new RawRows(t).add("f.jsonl", 1, Map.of("message_id", "m1", "sent_at", "2026-11-25T10:00Z",
        "from", "a@maventech.com", "to", "[\"b@acme.com\"]")).build();
    Dataset<Row> validated = t.validate(raw, RULES);
    java.util.function.Function<Dataset<Row>, Integer> patterns = d -> d.queryExecution().analyzed().toString()
        .split(java.util.regex.Pattern.quote(Field.ISO_TIMESTAMP), -1).length - 1;
    Field sentAt = t.fields().stream().filter(f -> f.target().equals("sent_at")).findFirst().orElseThrow();
    int inValue = patterns.apply(raw.select(sentAt.value(sentAt.text(), RULES).as("v")));
    assertThat(inValue).as("the timestamp pattern in the value's own expression").isPositive();
    assertThat(patterns.apply(validated)).as("the timestamp pattern in the validated plan: the value's, once")
        .isEqualTo(inValue);
    Row r = validated.first();
    assertThat(r.<String>getAs(StagingTable.REJECT_REASON)).as("a valid message").isNull();
    assertThat(r.<java.sql.Timestamp>getAs("sent_at").toInstant()).as("the seconds left out")
        .isEqualTo(java.time.Instant.parse("2026-11-25T10:00:00Z"));
  }

  static ParseRules drop(String date) {
    return new ParseRules("salespulse-" + date, LocalDate.parse(date), LocalDate.parse(date), "1");
  }

  /** The winning copy of each key, source_dt by id, whichever order the copies come in. */
  static Map<String, String> winners(StagingTable t, String key, Dataset<Row> a, Dataset<Row> b) {
    java.util.function.Function<Dataset<Row>, Map<String, String>> won = copies -> {
      Map<String, String> out = new HashMap<>();
      t.collapse(copies).collectAsList().forEach(r -> out.put(r.getAs(key), r.getAs("source_dt").toString()
          + (t instanceof StgCrmUsers ? " " + r.getAs("manager_user_id") : "")));
      return out;
    };
    Map<String, String> ab = won.apply(a.unionByName(b));
    assertThat(won.apply(b.unionByName(a))).as("the winners do not depend on the order the copies arrive in")
        .isEqualTo(ab);
    return ab;
  }

  @Test
  void aVersionReSentUnchangedKeepsTheDropThatFirstDeliveredIt() {
    // a full-snapshot export sends every record again each night: a copy of the same stamped version
    // with the same content is not a change, so the record keeps the lineage of its first delivery
    // (the recompute scope reads "staged tonight" from it); a newer stamp still wins
    StgCrmUsers users = new StgCrmUsers();
    Dataset<Row> first = users.validate(new RawRows(users)
        .add("u.csv", 1, user("005A", "a@maventech.com", "2026-11-25T10:00:00Z", null))
        .add("u.csv", 2, user("005B", "b@maventech.com", "2026-11-25T10:00:00Z", null)).build(), drop("2026-11-25"));
    Dataset<Row> again = users.validate(new RawRows(users)
        .add("snapshot.csv", 1, user("005A", "a@maventech.com", "2026-11-25T10:00:00Z", null))
        .add("snapshot.csv", 2, user("005B", "b@maventech.com", "2026-11-26T08:00:00Z", "005A")).build(),
        drop("2026-11-26"));
    assertThat(winners(users, "user_id", first, again)).as("users after a re-send")
        .containsEntry("005A", "2026-11-25 null")
        .containsEntry("005B", "2026-11-26 005A");

    // without a stamp (LastModifiedDate is optional here) a record's version is its drop date: the
    // latest drop wins, as the contract's upsert rule says
    StgCrmOpportunityContactRoles roles = new StgCrmOpportunityContactRoles();
    Map<String, String> role = new HashMap<>(Map.of("Id", "00K1", "OpportunityId", "006A", "ContactId", "003A"));
    Dataset<Row> r1 = roles.validate(new RawRows(roles).add("r.csv", 1, role).build(), drop("2026-11-25"));
    Dataset<Row> r2 = roles.validate(new RawRows(roles).add("r.csv", 1, role).build(), drop("2026-11-26"));
    assertThat(winners(roles, "opportunity_contact_role_id", r1, r2)).as("an unstamped record re-sent")
        .containsEntry("00K1", "2026-11-26");
  }

  @Test
  void crmLoggedActivitiesAreValidatedAndDeletedOnesKeptAsTombstones() {
    StgCrmTasks t = new StgCrmTasks();
    Map<String, String> call = new HashMap<>(Map.of("Id", "00T1", "OwnerId", "005A", "WhatId", "006A",
        "TaskSubtype", "Call", "CallDurationInSeconds", "120", "ActivityDate", "2026-11-24",
        "CreatedDate", "2026-11-24T10:00:00Z", "LastModifiedDate", "2026-11-24T10:00:00Z"));
    Map<String, String> retyped = new HashMap<>(call);
    retyped.put("Id", "00T2");
    retyped.put("CallDurationInSeconds", "2 min");
    Map<String, String> deleted = new HashMap<>(call);
    deleted.put("IsDeleted", "true");
    deleted.put("LastModifiedDate", "2026-11-25T10:00:00Z");
    Dataset<Row> raw = new RawRows(t).add("t.csv", 1, call).add("t.csv", 2, retyped).add("t2.csv", 1, deleted).build();
    List<Row> v = t.validate(raw, RULES).orderBy("source_file", "source_record_number").collectAsList();
    assertThat(v.get(1).<String>getAs(StagingTable.REJECT_FIELD)).as("field named").isEqualTo("CallDurationInSeconds");
    assertThat(v.get(1).<String>getAs(StagingTable.REJECT_REASON)).as("reason")
        .isEqualTo("field 'CallDurationInSeconds': expected an integer, got '2 min'");
    List<Row> staged = t.collapse(t.validate(raw, RULES).where(col(StagingTable.REJECT_REASON).isNull())).collectAsList();
    assertThat(staged).as("one row per task").hasSize(1);
    assertThat(staged.get(0).<Boolean>getAs("is_deleted")).as("the newer deletion wins").isTrue();

    StgCrmEmailMessages m = new StgCrmEmailMessages();
    Map<String, String> message = new HashMap<>(Map.of("Id", "02s1", "MessageIdentifier", " <abc@x.com> ",
        "ToAddress", "Dana Reyes <Dana@Acme.com>; ben@acme.com;", "CreatedDate", "2026-11-24T10:00:00Z",
        "LastModifiedDate", "2026-11-24T10:00:00Z"));
    Row r = m.validate(new RawRows(m).add("m.csv", 1, message).build(), RULES).first();
    assertThat(r.<String>getAs("message_key")).as("matching key").isEqualTo("abc@x.com");
    assertThat(r.<String>getList(r.fieldIndex("to_emails"))).as("Salesforce's ; list of addresses")
        .containsExactly("dana@acme.com", "ben@acme.com");
  }

  @Test
  void collapseKeepsTheNewestVersionWhateverTheOrder() {
    StgCrmUsers t = new StgCrmUsers();
    Dataset<Row> raw = new RawRows(t)
        .add("b.csv", 1, user("005A", "new@maventech.com", "2026-11-25T12:00:00Z", "005M2"))
        .add("a.csv", 1, user("005A", "old@maventech.com", "2026-11-20T12:00:00Z", "005M1"))
        .add("a.csv", 2, user("005B", "b@maventech.com", "2026-11-20T12:00:00Z", null))
        .build();
    Dataset<Row> collapsed = t.collapse(t.validate(raw, RULES).where(col(StagingTable.REJECT_REASON).isNull()));
    assertThat(collapsed.columns()).as("table columns").containsExactlyElementsOf(t.columns());
    List<Row> rows = collapsed.orderBy("user_id").collectAsList();
    assertThat(rows).as("one row per user").hasSize(2);
    assertThat(rows.get(0).<String>getAs("email")).as("newest SystemModstamp wins").isEqualTo("new@maventech.com");
    assertThat(rows.get(0).<String>getAs("manager_user_id")).as("newest manager").isEqualTo("005M2");
  }

  @Test
  void emailCopiesMergeTheirMailboxesAndNeedARecipient() {
    StgCommsEmails t = new StgCommsEmails();
    Map<String, String> copy1 = Map.of("message_id", "<m1@x>", "sent_at", "2026-11-25T10:00:00Z",
        "from", "dana@maventech.com", "to", "[\"hana@globex.com\"]", "cc", "[\"omar@maventech.com\"]",
        "mailbox", "dana@maventech.com");
    Map<String, String> copy2 = new HashMap<>(copy1);
    copy2.put("mailbox", "Omar <OMAR@maventech.com>");
    Map<String, String> noRecipient = Map.of("message_id", "<m2@x>", "sent_at", "2026-11-25T10:00:00Z",
        "from", "dana@maventech.com", "to", "[]", "mailbox", "dana@maventech.com");
    Dataset<Row> v = t.validate(new RawRows(t).add("e.jsonl", 1, copy1).add("e.jsonl", 2, copy2)
        .add("e.jsonl", 3, noRecipient).build(), RULES);
    assertThat(v.where(col(StagingTable.REJECT_REASON).isNotNull()).select(StagingTable.REJECT_REASON).first().getString(0))
        .as("rule over to/cc").isEqualTo("fields 'to'/'cc': a message needs at least one recipient");
    List<Row> rows = t.collapse(v.where(col(StagingTable.REJECT_REASON).isNull())).collectAsList();
    assertThat(rows).as("one row per message").hasSize(1);
    assertThat(rows.get(0).<String>getList(rows.get(0).fieldIndex("mailboxes")))
        .as("both mailboxes").containsExactly("dana@maventech.com", "omar@maventech.com");
    assertThat(t.columns()).as("mailbox is replaced by mailboxes").contains("mailboxes").doesNotContain("mailbox");
    assertThat(t.unionColumns()).as("union columns").containsExactly("mailboxes");
  }

  @Test
  void accountWebsitesNormaliseToDomains() {
    StgCrmAccounts t = new StgCrmAccounts();
    RawRows raw = new RawRows(t);
    String[] sites = {"http://www.globexsystems.com", "https://initech.com/", "umbrellahealth.com", "HTTPS://WWW2.Acme.co.uk:443/about?x=1", "n/a"};
    for (int i = 0; i < sites.length; i++) {
      raw.add("a.csv", i + 1, Map.of("Id", "001" + i, "Name", "A" + i, "Website", sites[i], "LastModifiedDate", "2026-11-25T10:00:00Z"));
    }
    List<String> domains = t.validate(raw.build(), RULES).orderBy("source_record_number")
        .select("website_domain").collectAsList().stream().map(r -> r.getString(0)).toList();
    assertThat(domains).as("website domains")
        .containsExactly("globexsystems.com", "initech.com", "umbrellahealth.com", "acme.co.uk", null);
  }
}
