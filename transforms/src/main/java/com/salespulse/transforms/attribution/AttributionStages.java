package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private final AttributionRules rules;
  private final UnaryOperator<Dataset<Row>> materialise;
  /** {@link #secondPass} per first-pass model: learned, weights, intercept. */
  private final Map<List<Object>, Dataset<Row>> secondPasses = new HashMap<>();

  /**
   * The stages for the activities dated from..to (org timezone; both null: every activity).
   * Communication records are read with a day of slack either side, which covers any timezone.
   */
  public AttributionStages(Inputs in, LocalDate from, LocalDate to, AttributionRules rules,
                           UnaryOperator<Dataset<Row>> materialise) {
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
    // the rule-scored candidates are read twice by thread inheritance: materialised in between
    candidates = materialise.apply(ActivityAttribution.withThreadInheritance(materialise.apply(
        ActivityAttribution.ruleScored(acts, actors, evidence, contacts, in.accounts(), in.opportunities(),
            in.contactRoles(), links, anchors, rules)), rules));
  }

  /**
   * The candidates with continuity from the confident picks of a first pass by this model. Computed
   * once per first-pass model (its weights and intercept; an uncalibrated model scores with nothing
   * else): a model trained on these stages and then scoring them has the same first pass as its training.
   */
  public Dataset<Row> secondPass(AttributionModel first) {
    List<Object> key = first.calibration() == null && first.firstPass() == null
        ? List.of(first.learned(), first.weights(), first.intercept()) : null;
    if (key != null && secondPasses.containsKey(key)) {
      return secondPasses.get(key);
    }
    // the first pass is read only for its confident picks: left lazy, it is scored on the columns
    // scoring reads (Spark prunes the rest below its windows), not on every candidate column
    Dataset<Row> firstPass = first.score(candidates, rules);
    Dataset<Row> confident = materialise.apply(
        ActivityAttribution.confidentAnchors(firstPass, contacts, AttributionModel.CONFIDENT));
    Dataset<Row> second = materialise.apply(ActivityAttribution.withConfidentContinuity(candidates, contacts, confident,
        activityActors, rules));
    if (key != null) {
      secondPasses.put(key, second);
    }
    return second;
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
