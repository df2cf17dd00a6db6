package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.transforms.TestSpark;
import com.salespulse.transforms.contract.ContractFixtures;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each attribution rule on a small hand-built org: rep Dana (005D, manager 005M1 until Nov 10,
 * then 005M2), rep Li (005L); Globex (globex.com) with deals Platform (006A, Dana's, Hana primary)
 * and Analytics (006B, Dana's, Ben primary, Hana a role too); Initech (initech.com) with no deal;
 * Max, a Globex contact on gmail.
 */
public class AttributionRulesTest {

  static final AttributionRules RULES = AttributionRules.from(com.salespulse.transforms.TestRules.defaults()
      .with(AttributionRules.INTERNAL_DOMAINS, "maventech.com").with(AttributionRules.FREEMAIL_DOMAINS, "gmail.com"));
  static final AttributionModel MODEL = AttributionModel.rules(RULES);
  static Map<String, Row> facts;
  static List<Row> credits;
  static AttributionStages stages;
  /** The org's staged inputs and user versions (other tests attribute them differently). */
  static AttributionStages.Inputs inputs;
  static Dataset<Row> userVersions;

  static Dataset<Row> sql(String q) {
    return TestSpark.get().sql(q);
  }

  /** Builds the hand-built org's facts once per JVM (the table contract test reads them too). */
  @BeforeAll
  public static synchronized void attribute() {
    if (facts != null) {
      return;
    }
    SparkSession s = TestSpark.get();
    Dataset<Row> users = sql("SELECT * FROM VALUES ('005D', 'dana@maventech.com'), ('005L', 'li@maventech.com'), "
        + "('005M1', 'omar@maventech.com') AS t(user_id, email)");
    Dataset<Row> versions = sql("SELECT user_id, manager_user_id, user_role_id, CAST(valid_from AS TIMESTAMP) valid_from, "
        + "CAST(valid_to AS TIMESTAMP) valid_to FROM VALUES "
        + "('005D', '005M1', 'R1', '2026-01-01 00:00:00', '2026-11-10 00:00:00'), "
        + "('005D', '005M2', 'R2', '2026-11-10 00:00:00', NULL), ('005L', '005M1', 'R1', '2026-01-01 00:00:00', NULL) "
        + "AS t(user_id, manager_user_id, user_role_id, valid_from, valid_to)");
    Dataset<Row> contacts = sql("SELECT *, false AS is_deleted FROM VALUES "
        + "('003H', '001G', 'hana@globex.com', '+14155550101', NULL), ('003B', '001G', 'ben@globex.com', NULL, NULL), "
        + "('003X', '001G', 'max.uribe@gmail.com', NULL, NULL) AS t(contact_id, account_id, email, phone, mobile_phone)");
    Dataset<Row> accounts = sql("SELECT *, false AS is_deleted FROM VALUES ('001G', 'Globex', 'globex.com'), "
        + "('001I', 'Initech', 'initech.com') AS t(account_id, account_name, website_domain)");
    Dataset<Row> opps = sql("SELECT opportunity_id, account_id, owner_user_id, opportunity_name, CAST(created_at AS TIMESTAMP) "
        + "created_at, is_closed, false AS is_won, CAST(close_date AS DATE) close_date, false AS is_deleted FROM VALUES "
        + "('006A', '001G', '005D', 'Globex - Platform 1', '2026-10-01 00:00:00', false, '2026-12-31'), "
        + "('006B', '001G', '005D', 'Globex - Analytics 2', '2026-10-01 00:00:00', false, '2026-12-31') "
        + "AS t(opportunity_id, account_id, owner_user_id, opportunity_name, created_at, is_closed, close_date)");
    Dataset<Row> roles = sql("SELECT *, false AS is_deleted FROM VALUES ('006A', '003H', true), ('006B', '003B', true), "
        + "('006B', '003H', false) AS t(opportunity_id, contact_id, is_primary)");
    Dataset<Row> emails = sql("SELECT message_id, CAST(NULL AS STRING) AS thread_id, CAST(sent_at AS TIMESTAMP) sent_at, "
        + "from_email, to_emails, cc_emails, subject, in_reply_to_message_id FROM VALUES "
        // contact role + primary decide: Hana is primary on Platform, a plain role on Analytics
        + "('m1', '2026-11-05 10:00:00', 'dana@maventech.com', array('hana@globex.com'), array(), 'Checking in', NULL), "
        // the subject names Analytics; the reply (generic subject, from Hana) inherits it
        + "('m2', '2026-11-06 10:00:00', 'dana@maventech.com', array('ben@globex.com', 'hana@globex.com'), array(), 'Analytics pricing', NULL), "
        + "('m3', '2026-11-06 12:00:00', 'hana@globex.com', array('dana@maventech.com'), array(), 'Re: question', 'm2'), "
        // someone new at globex.com, generic subject: both deals tie -> split, no guess
        + "('m4', '2026-11-07 10:00:00', 'dana@maventech.com', array('newperson@globex.com'), array(), 'Hello', NULL), "
        + "('m5', '2026-11-07 11:00:00', 'dana@maventech.com', array('omar@maventech.com'), array(), 'Pipeline', NULL), "
        + "('m6', '2026-11-07 12:00:00', 'dana@maventech.com', array('stranger@gmail.com'), array(), 'Hi', NULL), "
        + "('m7', '2026-11-11 12:00:00', 'dana@maventech.com', array('max.uribe@gmail.com'), array(), 'Platform demo', NULL), "
        + "('m8', '2026-11-08 12:00:00', 'news@vendorletter.io', array('dana@maventech.com'), array(), 'Digest', NULL), "
        + "('m9', '2026-11-08 13:00:00', 'li@maventech.com', array('cto@initech.com'), array(), 'Intro', NULL), "
        // like m4, but Dana logged it against Analytics in the CRM
        + "('<m10@x>', '2026-11-07 14:00:00', 'dana@maventech.com', array('other@globex.com'), array(), 'Hello', NULL) "
        + "AS t(message_id, sent_at, from_email, to_emails, cc_emails, subject, in_reply_to_message_id)");
    Dataset<Row> meetings = sql("SELECT event_id, CAST(start_at AS TIMESTAMP) start_at, CAST(end_at AS TIMESTAMP) end_at, "
        + "organizer_email, attendees, subject, status FROM VALUES "
        + "('e1', '2026-11-05 15:00:00', '2026-11-05 15:30:00', 'dana@maventech.com', "
        + "  array(named_struct('email', 'hana@globex.com', 'response', 'accepted')), 'Platform review', 'confirmed'), "
        + "('e2', '2026-11-05 16:00:00', '2026-11-05 16:30:00', 'dana@maventech.com', "
        + "  array(named_struct('email', 'hana@globex.com', 'response', 'accepted')), 'Platform review', 'cancelled'), "
        + "('e3', '2026-11-05 17:00:00', '2026-11-05 17:30:00', 'dana@maventech.com', "
        + "  array(named_struct('email', 'hana@globex.com', 'response', 'declined'), "
        + "        named_struct('email', 'omar@maventech.com', 'response', 'accepted')), 'Platform review', 'confirmed') "
        + "AS t(event_id, start_at, end_at, organizer_email, attendees, subject, status)");
    Dataset<Row> calls = sql("SELECT call_id, CAST(started_at AS TIMESTAMP) started_at, duration_seconds, direction, "
        + "user_email, counterpart_phone, disposition FROM VALUES "
        + "('c1', '2026-11-09 10:00:00', 300, 'outbound', 'dana@maventech.com', '+14155550101', 'connected'), "
        + "('c2', '2026-11-09 11:00:00', 0, 'inbound', 'dana@maventech.com', '+18005550199', 'no_answer') "
        + "AS t(call_id, started_at, duration_seconds, direction, user_email, counterpart_phone, disposition)");

    // CRM-logged activity: the dialer's log of c1, a call from a mobile logged by hand (t2), a to-do
    // (t3), the log of the unknown-number call with no deal (t4), a deleted log (t5), the Event of
    // meeting e1, and the EmailMessage of m10 against Analytics
    Dataset<Row> tasks = sql("SELECT task_id, owner_user_id, what_id, who_id, subject, CAST(activity_date AS DATE) activity_date, "
        + "task_subtype, call_object, call_duration_seconds, CAST(created_at AS TIMESTAMP) created_at, is_deleted FROM VALUES "
        + "('t1', '005D', '006A', '003H', 'Call', '2026-11-09', 'Call', 'c1', 300, '2026-11-09 10:10:00', false), "
        + "('t2', '005D', '006B', '003B', 'Call from mobile', '2026-11-09', 'Call', NULL, 240, '2026-11-09 15:00:00', false), "
        + "('t3', '005D', '006A', '003H', 'Send contract', '2026-11-09', 'Task', NULL, NULL, '2026-11-09 15:00:00', false), "
        + "('t4', '005D', NULL, NULL, 'Call', '2026-11-09', 'Call', 'c2', 0, '2026-11-09 11:05:00', false), "
        + "('t5', '005D', '006A', '003H', 'Call', '2026-11-09', 'Call', NULL, 60, '2026-11-09 16:00:00', true) "
        + "AS t(task_id, owner_user_id, what_id, who_id, subject, activity_date, task_subtype, call_object, "
        + "call_duration_seconds, created_at, is_deleted)");
    Dataset<Row> events = sql("SELECT event_id, owner_user_id, what_id, who_id, subject, CAST(start_at AS TIMESTAMP) start_at, "
        + "CAST(end_at AS TIMESTAMP) end_at, is_deleted FROM VALUES "
        + "('ev1', '005D', '006A', '003H', 'Platform review', '2026-11-05 15:00:00', '2026-11-05 15:30:00', false) "
        + "AS t(event_id, owner_user_id, what_id, who_id, subject, start_at, end_at, is_deleted)");
    Dataset<Row> messages = sql("SELECT email_message_id, related_to_id, subject, CAST(message_at AS TIMESTAMP) message_at, "
        + "CAST(message_at AS TIMESTAMP) created_at, message_key, from_email, to_emails, false AS is_deleted FROM VALUES "
        + "('02s1', '006B', 'Hello', '2026-11-07 14:00:00', 'm10@x', 'dana@maventech.com', array('other@globex.com')) "
        + "AS t(email_message_id, related_to_id, subject, message_at, message_key, from_email, to_emails)");
    // checkpointed as the attribute step does: lazily, the last stage's plan nests every earlier one
    inputs = new AttributionStages.Inputs(emails, meetings, calls, users, contacts, accounts, opps, roles, tasks, events,
        messages);
    userVersions = versions;
    AttributionStages st = stages = new AttributionStages(inputs, null, null, RULES, Dataset::localCheckpoint);
    Dataset<Row> acts = st.acts;
    Dataset<Row> scored = st.scored(MODEL);
    Dataset<Row> actors = st.actors;
    Dataset<Row> evidence = st.evidence;
    Dataset<Row> links = st.links;
    Dataset<Row> fct = FctActivities.apply(acts, actors, evidence, scored, versions, links, st.picks(MODEL), RULES, MODEL,
        "run-1")
        .localCheckpoint();
    ContractFixtures.register(FctActivities.NAME, fct);
    assertThat(fct.columns()).as("fct_activities columns").containsExactlyElementsOf(FctActivities.COLUMNS);
    facts = fct.collectAsList().stream().collect(Collectors.toMap(r -> r.<String>getAs("source_id"), r -> r));
    Dataset<Row> cr = FctActivityOpportunityCredits.apply(acts, scored, RULES, MODEL, "run-1").localCheckpoint();
    ContractFixtures.register(FctActivityOpportunityCredits.NAME, cr);
    assertThat(cr.columns()).as("credit columns").containsExactlyElementsOf(FctActivityOpportunityCredits.COLUMNS);
    credits = cr.join(acts.select("activity_id", "source_id"), "activity_id").orderBy("source_id", "candidate_rank").collectAsList();
  }

  static String get(String source, String column) {
    Object v = facts.get(source).getAs(column);
    return v == null ? null : v.toString();
  }

  @Test
  void aSecondPassIsComputedOncePerFirstPassModel() {
    double[] w = new double[AttributionModel.FIRST_PASS_FEATURES.size()];
    java.util.Arrays.fill(w, 0.5);
    AttributionModel trained = AttributionModel.learned("first-pass", AttributionModel.FIRST_PASS_FEATURES, w, -1.0,
        null, null);
    // the same coefficients as saved and loaded back under the model's version
    AttributionModel loaded = AttributionModel.learned("attr-2026-11-30-first-pass", AttributionModel.FIRST_PASS_FEATURES,
        w.clone(), -1.0, null, null);
    AttributionModel other = AttributionModel.learned("first-pass", AttributionModel.FIRST_PASS_FEATURES, w, -2.0,
        null, null);
    Dataset<Row> second = stages.secondPass(trained);
    assertThat(stages.secondPass(loaded)).as("scoring with the model just trained reuses training's second pass")
        .isSameAs(second);
    assertThat(stages.secondPass(other)).as("another first pass is computed").isNotSameAs(second);
    assertThat(stages.secondPass(other).count()).as("the same candidates either way").isEqualTo(second.count());
  }

  @Test
  void theCandidatePairsToldBeforeScoringAreTheCandidatesScored() {
    List<Dataset<Row>> told = new java.util.ArrayList<>();
    AttributionStages st = new AttributionStages(inputs, null, null, RULES, Dataset::localCheckpoint, null, told::add);
    assertThat(told).as("the candidate pairs are told once").hasSize(1);
    List<String> pairs = pairs(told.get(0));
    assertThat(pairs).as("the pairs told before scoring (the attribute step counts them to decide whether to compile)")
        .isNotEmpty().containsExactlyInAnyOrderElementsOf(pairs(st.candidates));
  }

  private static List<String> pairs(Dataset<Row> candidates) {
    return candidates.select(concat_ws("|", col("activity_id"), col("opportunity_id"))).as(Encoders.STRING())
        .collectAsList();
  }

  @Test
  void scoringAddsExactlyItsListedColumns() {
    Dataset<Row> second = stages.secondPass(MODEL.firstPassModel());
    java.util.List<String> added = new java.util.ArrayList<>(List.of(MODEL.score(second, RULES).columns()));
    added.removeAll(List.of(second.columns()));
    // AttributionStages.scored scores on these and joins them back to the credited candidates' other columns
    assertThat(added).as("the columns scoring adds").containsExactlyInAnyOrderElementsOf(AttributionModel.SCORE_COLUMNS);
    assertThat(List.of(second.columns())).as("no candidate column is one scoring computes")
        .doesNotContainAnyElementsOf(AttributionModel.SCORE_COLUMNS);
    assertThat(stages.scored(MODEL).columns()).as("the scored candidates' columns")
        .containsExactly(MODEL.score(second, RULES).columns());
  }

  @Test
  void aContactRoleCountsOnTheDealItIsOnAndPrimaryOnlyWhereItIsPrimary() {
    Map<String, Row> byPair = stages.candidates.join(stages.acts.select("activity_id", "source_id"), "activity_id")
        .where(col("source_id").isin("m1", "m2", "m4")).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("source_id") + "/" + r.<String>getAs("opportunity_id"), r -> r));
    assertThat(byPair.keySet()).as("candidates of m1, m2 and m4")
        .containsExactlyInAnyOrder("m1/006A", "m1/006B", "m2/006A", "m2/006B", "m4/006A", "m4/006B");
    // m1 wrote to Hana: primary on Platform, a plain role on Analytics
    assertThat(byPair.get("m1/006A").<Boolean>getAs("has_contact_role")).as("m1, Platform: role").isTrue();
    assertThat(byPair.get("m1/006A").<Boolean>getAs("has_primary_contact")).as("m1, Platform: primary").isTrue();
    assertThat(byPair.get("m1/006B").<Boolean>getAs("has_contact_role")).as("m1, Analytics: role").isTrue();
    assertThat(byPair.get("m1/006B").<Boolean>getAs("has_primary_contact")).as("m1, Analytics: not primary").isFalse();
    // m2 wrote to Ben (primary on Analytics) and Hana (primary on Platform): either contact counts
    assertThat(byPair.get("m2/006A").<Boolean>getAs("has_primary_contact")).as("m2, Platform: Hana primary").isTrue();
    assertThat(byPair.get("m2/006B").<Boolean>getAs("has_primary_contact")).as("m2, Analytics: Ben primary").isTrue();
    // m4 wrote to someone at globex.com who is no contact: the domain names the account, no role
    assertThat(byPair.get("m4/006A").<Boolean>getAs("has_contact_role")).as("m4, Platform: no role").isFalse();
    assertThat(byPair.get("m4/006B").<Boolean>getAs("has_contact_role")).as("m4, Analytics: no role").isFalse();
    assertThat(byPair.get("m4/006B").<Boolean>getAs("has_primary_contact")).as("m4, Analytics: no primary").isFalse();
  }

  @Test
  void primaryContactRoleDecidesBetweenTheRepsDeals() {
    assertThat(get("m1", "opportunity_id")).as("deal of m1").isEqualTo("006A");
    assertThat(get("m1", "attribution_method")).as("rule").isEqualTo("contact_role");
    assertThat(get("m1", "direction")).as("direction").isEqualTo("outbound");
    assertThat(get("m1", "user_id")).as("rep").isEqualTo("005D");
    assertThat(get("c1", "opportunity_id")).as("call to Hana's number in another format").isEqualTo("006A");
    assertThat(get("e1", "opportunity_id")).as("meeting with Hana").isEqualTo("006A");
  }

  @Test
  void subjectWordsAndThreadInheritance() {
    assertThat(get("m2", "opportunity_id")).as("subject names Analytics").isEqualTo("006B");
    assertThat(get("m3", "opportunity_id")).as("reply inherits its parent's deal").isEqualTo("006B");
    assertThat(get("m3", "attribution_method")).as("rule").isEqualTo("thread_inheritance");
    assertThat(get("m3", "direction")).as("reply is inbound").isEqualTo("inbound");
    assertThat(get("m3", "user_id")).as("inbound mail credits the internal recipient").isEqualTo("005D");
  }

  @Test
  void aTieNamesTheMostProbableDealAndSharesTheCredit() {
    assertThat(get("m4", "opportunity_id")).as("a deal is named whenever there is a candidate").isNotNull();
    assertThat(get("m4", "unmatched_reason")).as("no reason when named").isNull();
    assertThat(get("m4", "attribution_confidence")).as("a coin flip says so").isEqualTo("0.5");
    assertThat(get("m4", "account_id")).as("account still known from the domain").isEqualTo("001G");
    assertThat(get("m4", "credited_count")).as("deals credited").isEqualTo("2");
    List<Row> m4 = credits.stream().filter(r -> r.<String>getAs("source_id").equals("m4")).toList();
    assertThat(m4).extracting(r -> r.<Double>getAs("credit_weight")).as("equal weights").containsExactly(0.5, 0.5);
    assertThat(get("m4", "model_version")).as("configured weights say so").startsWith("rules-");
  }

  @Test
  void aLoggedLinkIsStrongEvidenceNotTruth() {
    assertThat(get("<m10@x>", "opportunity_id")).as("the tie broken by the CRM log").isEqualTo("006B");
    assertThat(get("<m10@x>", "attribution_method")).as("method").isEqualTo("logged_link");
    assertThat(get("<m10@x>", "is_logged")).as("logged").isEqualTo("true");
    // odds 1:1 times (1 - 0.05) / 0.05 for one rival: 19/20
    assertThat(Double.parseDouble(get("<m10@x>", "attribution_confidence"))).as("confidence").isEqualTo(0.95);
    assertThat(get("e1", "is_logged")).as("the Event matched meeting e1").isEqualTo("true");
    assertThat(get("c1", "logged_opportunity_id")).as("the dialer's log of c1").isEqualTo("006A");
    assertThat(get("m1", "is_logged")).as("m1 was not logged").isEqualTo("false");
  }

  @Test
  void aLoggedCallWithNoDialerRecordIsAnActivityOfItsOwnAndNothingCountsTwice() {
    assertThat(get("t2", "activity_type")).as("hand-logged call").isEqualTo("call");
    assertThat(get("t2", "user_id")).as("its owner").isEqualTo("005D");
    assertThat(get("t2", "account_id")).as("account").isEqualTo("001G");
    assertThat(get("t2", "opportunity_id")).as("deal").isEqualTo("006B");
    assertThat(get("t2", "activity_date")).as("day").isEqualTo("2026-11-09");
    assertThat(facts).as("matched logs, to-dos and deleted logs are no activities of their own")
        .doesNotContainKeys("t1", "t3", "t4", "t5", "ev1", "02s1");
    assertThat(get("c2", "unmatched_reason")).as("the logged unknown call is still unknown").isEqualTo("unknown_number");
  }

  @Test
  void noAttributionWithAnExplicitReason() {
    assertThat(get("m5", "unmatched_reason")).as("internal mail").isEqualTo("internal_only");
    assertThat(get("m5", "direction")).as("internal direction").isEqualTo("internal");
    assertThat(get("m6", "unmatched_reason")).as("free-mail stranger").isEqualTo("freemail_no_contact");
    assertThat(get("m8", "unmatched_reason")).as("newsletter").isEqualTo("unknown_domain");
    assertThat(get("c2", "unmatched_reason")).as("unknown number").isEqualTo("unknown_number");
    assertThat(get("m9", "unmatched_reason")).as("account without deal").isEqualTo("no_eligible_deal");
    assertThat(get("m9", "account_id")).as("account kept").isEqualTo("001I");
    assertThat(get("m9", "user_id")).as("rep").isEqualTo("005L");
    for (String s : List.of("m5", "m6", "m8", "c2", "m9")) {
      assertThat(get(s, "opportunity_id")).as("no deal for %s", s).isNull();
    }
  }

  @Test
  void freeMailContactsAreRecognisedByTheirRecordNotTheirDomain() {
    assertThat(get("m7", "account_id")).as("gmail contact's account").isEqualTo("001G");
    assertThat(get("m7", "opportunity_id")).as("subject names Platform").isEqualTo("006A");
  }

  @Test
  void cancelledAndDeclinedMeetingsAreNotActivity() {
    assertThat(facts).as("activities").containsKey("e1").doesNotContainKeys("e2", "e3");
  }

  @Test
  void teamIsTheOneAtTheActivityTime() {
    assertThat(get("m1", "manager_user_id")).as("manager on Nov 5").isEqualTo("005M1");
    assertThat(get("m7", "manager_user_id")).as("manager on Nov 11, after the move").isEqualTo("005M2");
    assertThat(get("m7", "user_role_id")).as("role after the move").isEqualTo("R2");
  }
}
