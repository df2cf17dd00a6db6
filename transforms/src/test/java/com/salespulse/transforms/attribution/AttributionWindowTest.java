package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.assertj.core.api.Assertions.assertThat;

import com.salespulse.transforms.TestSpark;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A night re-attributes a window of dates: with the activities stored before it (the rows of
 * {@code fct_activities} dated before the window), the window's rows equal
 * the whole history's for those dates. On the org of {@link AttributionRulesTest}, plus m11, Hana's
 * reply on Nov 8 to Dana's m1 of Nov 5: it inherits m1's deal, and Hana's logged meeting e1 of
 * Nov 5 (a confident pick) is continuity for her later activities.
 */
class AttributionWindowTest {

  static final AttributionRules RULES = AttributionRulesTest.RULES;
  static final AttributionModel MODEL = AttributionRulesTest.MODEL;
  static final LocalDate TO = LocalDate.parse("2026-11-13");
  static AttributionStages.Inputs inputs;
  static Dataset<Row> whole;

  @BeforeAll
  static void attributeTheWholeHistory() {
    AttributionRulesTest.attribute();
    AttributionStages.Inputs org = AttributionRulesTest.inputs;
    Dataset<Row> reply = TestSpark.get().sql("SELECT 'm11' AS message_id, CAST(NULL AS STRING) AS thread_id, "
        + "CAST('2026-11-08 09:00:00' AS TIMESTAMP) AS sent_at, 'hana@globex.com' AS from_email, "
        + "array('dana@maventech.com') AS to_emails, array() AS cc_emails, 'Re: Checking in' AS subject, "
        + "'m1' AS in_reply_to_message_id");
    inputs = new AttributionStages.Inputs(org.emails().unionByName(reply), org.meetings(), org.calls(), org.users(),
        org.contacts(), org.accounts(), org.opportunities(), org.contactRoles(), org.tasks(), org.events(),
        org.emailMessages());
    whole = facts(new AttributionStages(inputs, null, null, RULES, Dataset::localCheckpoint)).localCheckpoint();
  }

  static Dataset<Row> facts(AttributionStages s) {
    return FctActivities.apply(s.acts, s.actors, s.evidence, s.scored(MODEL), AttributionRulesTest.userVersions, s.links,
        s.picks(MODEL), RULES, MODEL, "run-1");
  }

  /** The window from..TO attributed with (or without) the whole history's rows before it, as sorted JSON rows. */
  static List<String> window(LocalDate from, boolean withEarlier) {
    return rows(facts(new AttributionStages(inputs, from, TO, RULES, Dataset::localCheckpoint,
        withEarlier ? whole : null)));
  }

  static List<String> rows(Dataset<Row> facts) {
    List<String> out = new ArrayList<>(facts.select(to_json(struct(col("*")))).as(Encoders.STRING()).collectAsList());
    out.sort(String::compareTo);
    return out;
  }

  static List<String> wholeFrom(LocalDate from) {
    return rows(whole.where(col("activity_date").between(Date.valueOf(from), Date.valueOf(TO))));
  }

  static Row fact(String sourceId) {
    return whole.where(col("source_id").equalTo(sourceId)).first();
  }

  @Test
  void theWholeHistoryKeepsWhatLaterActivitiesTake() {
    assertThat(fact("m11").<String>getAs("attribution_method")).as("m11 inherits its parent's deal")
        .isEqualTo("thread_inheritance");
    assertThat(fact("m11").<String>getAs("opportunity_id")).as("m11's deal").isEqualTo("006A");
    assertThat(fact("m1").<String>getAs("thread_opportunity_id")).as("m1's clear pick, which a reply inherits")
        .isEqualTo("006A");
    assertThat(fact("e1").<String>getAs("first_pass_opportunity_id")).as("the logged meeting e1: a confident pick")
        .isEqualTo("006A");
    assertThat(fact("m4").<String>getAs("thread_opportunity_id")).as("m4's tie: no clear pick").isNull();
    assertThat(fact("m4").<String>getAs("first_pass_opportunity_id")).as("m4's tie: not confident").isNull();
  }

  @Test
  void aWindowWithTheRowsStoredBeforeItEqualsTheWholeHistory() {
    for (String day : List.of("2026-11-06", "2026-11-08")) {
      LocalDate from = LocalDate.parse(day);
      assertThat(window(from, true)).as("activities from %s, with the rows stored before them", day)
          .isNotEmpty().containsExactlyElementsOf(wholeFrom(from));
    }
  }

  @Test
  void withoutThemTheWindowLosesItsThreadsAndContinuity() {
    // what the stored rows give the window: without them, m11 no longer inherits m1's deal, and the
    // window's activities with Hana lose e1's confident pick
    LocalDate from = LocalDate.parse("2026-11-06");
    List<String> without = window(from, false);
    assertThat(without).as("the window without the rows before it").hasSameSizeAs(wholeFrom(from))
        .isNotEqualTo(wholeFrom(from));
    String m11 = without.stream().filter(r -> r.contains("\"source_id\":\"m11\"")).findFirst().orElseThrow();
    assertThat(m11).as("m11 without its parent's pick").doesNotContain("\"attribution_method\":\"thread_inheritance\"");
  }
}
