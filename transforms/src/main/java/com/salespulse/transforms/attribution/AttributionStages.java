package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The attribution pipeline from staged inputs to scored candidates, composed in one place for the
 * {@code attribute} step, training and the tests. Pure: the caller says how each stage read more
 * than once is materialised ({@code materialise}; the step checkpoints, which keeps the plan of the
 * last stage from nesting every earlier one, tens of megabytes of plan text; identity stays lazy).
 */
public final class AttributionStages {

  /** The staged tables attribution reads. */
  public record Inputs(Dataset<Row> emails, Dataset<Row> meetings, Dataset<Row> calls, Dataset<Row> users,
                       Dataset<Row> contacts, Dataset<Row> accounts, Dataset<Row> opportunities,
                       Dataset<Row> contactRoles, Dataset<Row> tasks, Dataset<Row> events,
                       Dataset<Row> emailMessages) {}

  public final Dataset<Row> links;
  public final Dataset<Row> acts;
  public final Dataset<Row> actors;
  public final Dataset<Row> evidence;
  /** Every candidate of every activity with its features and rule score, thread inheritance included. */
  public final Dataset<Row> candidates;
  /** Each activity's instant and rep ({@code activity_id, occurred_at, user_id}). */
  private final Dataset<Row> activityActors;
  /** Each activity's contacts, as from {@link ActivityAttribution#contactsOf}. */
  private final Dataset<Row> contacts;
  /** Each activity's clear rule pick, as from {@link ActivityAttribution#threadPicks}. */
  private final Dataset<Row> threadPicks;
  /** The confident first-pass picks of the activities before these, as continuity anchors; null when none. */
  private final Dataset<Row> earlierAnchors;
  private final AttributionRules rules;
  private final UnaryOperator<Dataset<Row>> materialise;
  /** {@link #secondPass} and its confident picks per first-pass model ({@link #key}). */
  private final Map<Object, SecondPass> secondPasses = new HashMap<>();

  private record SecondPass(Dataset<Row> candidates, Dataset<Row> confidentPicks) {}

  /**
   * The stages for the activities dated from..to (org timezone; both null: every activity).
   * Communication records are read with a day of slack either side, which covers any timezone.
   */
  public AttributionStages(Inputs in, LocalDate from, LocalDate to, AttributionRules rules,
                           UnaryOperator<Dataset<Row>> materialise) {
    this(in, from, to, rules, materialise, null);
  }

  /**
   * The stages for the activities dated from..to, with what was attributed before them: a reply
   * inherits the clear rule pick of a parent dated before the window, and continuity counts the
   * confident first-pass picks before it, as the stages of the whole history would. So a window
   * recomputed with them gives what the whole history's stages give for its activities, as long as
   * the activities before it were attributed from the same inputs and model.
   *
   * @param stored {@code fct_activities} as stored (its rows dated before {@code from} are read:
   *     {@code activity_id, occurred_at, user_id, contact_ids, thread_opportunity_id,
   *     first_pass_opportunity_id}); null when there is none to read
   */
  public AttributionStages(Inputs in, LocalDate from, LocalDate to, AttributionRules rules,
                           UnaryOperator<Dataset<Row>> materialise, Dataset<Row> stored) {
    this(in, from, to, rules, materialise, stored, pairs -> { });
  }

  /**
   * {@link #AttributionStages(Inputs, LocalDate, LocalDate, AttributionRules, UnaryOperator, Dataset)},
   * telling {@code beforeScoring} the candidate pairs ({@link ActivityAttribution#candidatePairs},
   * lazy) before the candidates are scored: a caller may size the session's work by their number.
   */
  public AttributionStages(Inputs in, LocalDate from, LocalDate to, AttributionRules rules,
                           UnaryOperator<Dataset<Row>> materialise, Dataset<Row> stored,
                           Consumer<Dataset<Row>> beforeScoring) {
    this.rules = rules;
    this.materialise = materialise;
    Dataset<Row> matched = materialise.apply(LoggedActivities.matched(
        LoggedActivities.records(in.tasks(), in.events(), in.emailMessages(), rules),
        in.emails(), in.meetings(), in.calls(), in.users(), rules));
    links = materialise.apply(LoggedActivities.links(matched, in.opportunities(), in.accounts()));
    Dataset<Row> anchors = materialise.apply(LoggedActivities.anchors(links, in.contacts()));
    Dataset<Row> emails = in.emails();
    Dataset<Row> meetings = in.meetings();
    Dataset<Row> calls = in.calls();
    if (from != null) {
      emails = emails.where(col("sent_at").between(ts(from.minusDays(1)), ts(to.plusDays(2))));
      meetings = meetings.where(col("start_at").between(ts(from.minusDays(1)), ts(to.plusDays(2))));
      calls = calls.where(col("started_at").between(ts(from.minusDays(1)), ts(to.plusDays(2))));
    }
    Dataset<Row> all = ActivityAttribution.activities(emails, meetings, calls, rules)
        .unionByName(LoggedActivities.loggedOnly(matched, in.contacts(), rules));
    acts = materialise.apply(from == null ? all
        : all.where(col("activity_date").between(Date.valueOf(from), Date.valueOf(to))));
    Dataset<Row> participants = materialise.apply(ActivityAttribution.participants(acts, in.users(), rules));
    actors = materialise.apply(ActivityAttribution.actors(acts, participants));
    evidence = materialise.apply(ActivityAttribution.withLoggedAccounts(
        ActivityAttribution.accountEvidence(participants, in.contacts(), in.accounts()), links));
    activityActors = materialise.apply(acts.join(actors, "activity_id").select("activity_id", "occurred_at", "user_id"));
    contacts = materialise.apply(ActivityAttribution.contactsOf(activityActors, evidence));
    beforeScoring.accept(ActivityAttribution.candidatePairs(acts, evidence, in.opportunities(), rules));
    // the rule-scored candidates are read twice (their clear picks, thread inheritance): materialised
    Dataset<Row> ruleScored = materialise.apply(ActivityAttribution.ruleScored(acts, actors, evidence, contacts,
        in.accounts(), in.opportunities(), in.contactRoles(), links, anchors, rules));
    threadPicks = materialise.apply(ActivityAttribution.threadPicks(ruleScored, rules));
    Dataset<Row> parentPicks = threadPicks;
    if (stored != null && from != null) {
      // an activity of the window stored at an earlier date (a meeting moved) is the window's
      Dataset<Row> before = stored.where(col("activity_date").lt(Date.valueOf(from)))
          .select(col("activity_id"), col("occurred_at"), col("user_id"), col("contact_ids"),
              col("thread_opportunity_id"), col("first_pass_opportunity_id"))
          .join(acts.select(col("activity_id").as("w_activity_id")),
          col("activity_id").equalTo(col("w_activity_id")), "left_anti");
      // the parents the window's replies name
      parentPicks = parentPicks.unionByName(before.where(col("thread_opportunity_id").isNotNull())
          .join(acts.where(col("parent_activity_id").isNotNull()).select(col("parent_activity_id")).distinct(),
              col("activity_id").equalTo(col("parent_activity_id")), "left_semi")
          .select(col("activity_id").as("t_parent_id"), col("thread_opportunity_id").as("t_opportunity_id")));
      // the confident picks within the continuity horizon: those of the window's contacts, and every one
      // within a week of it (a rep's picks on a deal count as nearby whatever their contacts); a day of
      // slack either way for the org timezone
      Dataset<Row> picked = before.where(col("first_pass_opportunity_id").isNotNull()
              .and(col("occurred_at").geq(ts(from.minusDays(rules.continuityDays() + 2L)))))
          .select(col("activity_id").as("anchor_activity_id"), explode(col("contact_ids")).as("anchor_contact_id"),
              col("user_id").as("anchor_user_id"), col("occurred_at").as("anchored_at"),
              col("first_pass_opportunity_id").as("anchor_opportunity_id"));
      Column nearby = col("anchored_at").geq(ts(from.minusDays(9)));
      earlierAnchors = materialise.apply(picked.where(nearby).unionByName(picked.where(not(nearby))
          .join(contacts.select(col("k_contact_id")).distinct(), col("anchor_contact_id").equalTo(col("k_contact_id")),
              "left_semi")));
    } else {
      earlierAnchors = null;
    }
    candidates = materialise.apply(ActivityAttribution.withThreadInheritance(ruleScored, parentPicks, rules));
  }

  /**
   * The cache key of a first-pass model's second pass: an uncalibrated model scores with its
   * weights and intercept alone (a model trained on these stages and then loaded back to score
   * them has the same first pass as its training); any other, the model itself.
   */
  private static Object key(AttributionModel first) {
    return first.calibration() == null && first.firstPass() == null
        ? List.of(first.learned(), first.weights(), first.intercept()) : first;
  }

  /**
   * The candidates with continuity from the confident picks of a first pass by this model. Computed
   * once per first-pass model (its weights and intercept; an uncalibrated model scores with nothing
   * else): a model trained on these stages and then scoring them has the same first pass as its training.
   */
  public Dataset<Row> secondPass(AttributionModel first) {
    return secondPassOf(first).candidates();
  }

  private SecondPass secondPassOf(AttributionModel first) {
    SecondPass cached = secondPasses.get(key(first));
    if (cached != null) {
      return cached;
    }
    // the first pass is read only for its confident picks: left lazy, it is scored on the columns
    // scoring reads (Spark prunes the rest below its windows), not on every candidate column
    Dataset<Row> picks = materialise.apply(
        ActivityAttribution.confidentPicks(first.score(candidates, rules), AttributionModel.CONFIDENT));
    Dataset<Row> confident = ActivityAttribution.confidentAnchors(picks, contacts);
    if (earlierAnchors != null) {
      confident = confident.unionByName(earlierAnchors);
    }
    SecondPass second = new SecondPass(materialise.apply(ActivityAttribution.withConfidentContinuity(candidates,
        contacts, materialise.apply(confident), activityActors, rules)), picks);
    secondPasses.put(key(first), second);
    return second;
  }

  /**
   * What later activities take from each activity of these stages ({@code activity_id},
   * {@code thread_opportunity_id}: its clear rule pick, which a reply inherits;
   * {@code first_pass_opportunity_id}: the confident pick of the model's first pass, a continuity
   * anchor), for {@code fct_activities}.
   */
  public Dataset<Row> picks(AttributionModel model) {
    Dataset<Row> confident = secondPassOf(model.firstPassModel()).confidentPicks();
    return acts.select(col("activity_id"))
        .join(threadPicks, col("activity_id").equalTo(col("t_parent_id")), "left")
        .join(confident.select(col("activity_id").as("f_activity_id"), col("opportunity_id").as("f_opportunity_id")),
            col("activity_id").equalTo(col("f_activity_id")), "left")
        .select(col("activity_id"), col("t_opportunity_id").as("thread_opportunity_id"),
            col("f_opportunity_id").as("first_pass_opportunity_id"));
  }

  /**
   * The credited candidates (every {@code is_credited} row; the fact tables read no other) scored by
   * the model, its first pass feeding continuity: the columns of {@link AttributionModel#score}.
   * Scored on the columns scoring reads (Spark prunes the rest below its windows, which otherwise
   * copy every candidate column at each of their steps), and joined back to the rest of the
   * candidate's columns for the credited rows only.
   */
  public Dataset<Row> scored(AttributionModel model) {
    Dataset<Row> second = secondPass(model.firstPassModel());
    Dataset<Row> all = model.score(second, rules);
    List<Column> keep = new ArrayList<>(List.of(col("activity_id").as("s_activity_id"),
        col("opportunity_id").as("s_opportunity_id")));
    AttributionModel.SCORE_COLUMNS.forEach(c -> keep.add(col(c)));
    Dataset<Row> credited = all.where(col("is_credited")).select(keep.toArray(Column[]::new));
    return materialise.apply(second
        .join(credited, col("activity_id").equalTo(col("s_activity_id"))
            .and(col("opportunity_id").equalTo(col("s_opportunity_id"))))
        .select(Arrays.stream(all.columns()).map(c -> col(c)).toArray(Column[]::new)));
  }

  private static Column ts(LocalDate d) {
    return lit(d + "T00:00:00Z").cast("timestamp");
  }
}
