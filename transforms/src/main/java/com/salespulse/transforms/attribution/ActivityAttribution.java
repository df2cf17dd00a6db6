package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The attribution stage, shared by {@link FctActivities} and {@link FctActivityOpportunityCredits}:
 * activities from the staged communication logs, their participants resolved to users, contacts
 * and accounts, and every candidate opportunity scored with its evidence. Built-in functions only.
 *
 * <p>Rules (README, "Attribution"): the rep is the internal actor (sender of outbound mail, the
 * first internal recipient of inbound mail, the meeting organiser, the call's user); accounts come
 * from external participants' contact records (exact address or phone), else from their email
 * domain matched to the account's website domain (free-mail domains never match); candidate deals
 * are the accounts' deals open at the activity time, created up to N days after it or closed up to
 * N days before it; each candidate is scored from account evidence, contact roles (primary counts
 * more), deal ownership, deal words in the subject, thread inheritance (a reply inherits its
 * parent's deal) and being open at the time; close scores split the credit.
 */
public final class ActivityAttribution {

  static final Column NO_STRING = lit(null).cast("string");
  /** An empty ARRAY<STRING>: no addresses, contacts or record ids. */
  public static final Column NO_STRINGS = array().cast("array<string>");
  /** Window frames over instants order by microseconds since the epoch ({@code unix_micros}). */
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private ActivityAttribution() {}

  static Column activityId(Column type, Column sourceId) {
    return substring(sha2(concat_ws(":", type, sourceId), 256), 1, 32);
  }

  /**
   * The one definition of an internal address: its domain is one of org.internal-domains (staged
   * addresses are lower-case). A participant is internal when its address is, or when it is a CRM
   * user's address ({@link #participants}).
   */
  public static Column isInternalAddress(Column email, AttributionRules rules) {
    return coalesce(substring_index(email, "@", -1).isin(rules.internalDomains().toArray()), lit(false));
  }

  static Column participant(Column email, Column phone, String role) {
    return struct(email.as("email"), phone.as("phone"), lit(role).as("role"));
  }

  /**
   * One row per activity: distinct emails, held meetings (confirmed, and with at least one
   * attendee besides the organiser who did not decline), and calls, with their participants.
   */
  public static Dataset<Row> activities(Dataset<Row> emails, Dataset<Row> meetings, Dataset<Row> calls, AttributionRules rules) {
    Dataset<Row> e = emails.select(
        lit("email").as("activity_type"),
        col("message_id").as("source_id"),
        col("sent_at").as("occurred_at"),
        lit(null).cast("int").as("duration_seconds"),
        col("subject"),
        col("in_reply_to_message_id").as("parent_source_id"),
        col("thread_id").as("thread_key"),
        NO_STRING.as("call_direction"),
        NO_STRING.as("call_disposition"),
        concat(
            array(participant(col("from_email"), NO_STRING, "from")),
            transform(coalesce(col("to_emails"), NO_STRINGS), x -> participant(x, NO_STRING, "to")),
            transform(coalesce(col("cc_emails"), NO_STRINGS), x -> participant(x, NO_STRING, "cc"))).as("participants"));
    Column others = filter(col("attendees"), a -> a.getField("email").notEqual(col("organizer_email")));
    Column invitees = filter(others, a -> a.getField("email").isNotNull()
        .and(not(isInternalAddress(a.getField("email"), rules))));
    // Held: confirmed, someone besides the organiser did not decline, and not every outside invitee declined.
    Dataset<Row> m = meetings
        .where(col("status").equalTo("confirmed")
            .and(exists(others, a -> coalesce(a.getField("response"), lit("none")).notEqual("declined")))
            .and(size(invitees).equalTo(0)
                .or(exists(invitees, a -> coalesce(a.getField("response"), lit("none")).notEqual("declined")))))
        .select(
            lit("meeting").as("activity_type"),
            col("event_id").as("source_id"),
            col("start_at").as("occurred_at"),
            (unix_seconds(col("end_at")).minus(unix_seconds(col("start_at")))).cast("int").as("duration_seconds"),
            col("subject"),
            NO_STRING.as("parent_source_id"),
            NO_STRING.as("thread_key"),
            NO_STRING.as("call_direction"),
            NO_STRING.as("call_disposition"),
            concat(
                array(participant(col("organizer_email"), NO_STRING, "organizer")),
                transform(filter(others, a -> coalesce(a.getField("response"), lit("none")).notEqual("declined")),
                    a -> participant(a.getField("email"), NO_STRING, "attendee"))).as("participants"));
    Dataset<Row> c = calls.select(
        lit("call").as("activity_type"),
        col("call_id").as("source_id"),
        col("started_at").as("occurred_at"),
        col("duration_seconds"),
        NO_STRING.as("subject"),
        NO_STRING.as("parent_source_id"),
        NO_STRING.as("thread_key"),
        col("direction").as("call_direction"),
        col("disposition").as("call_disposition"),
        array(participant(col("user_email"), NO_STRING, "user"),
            participant(NO_STRING, col("counterpart_phone"), "counterpart")).as("participants"));
    return e.unionByName(m).unionByName(c).select(
        activityId(col("activity_type"), col("source_id")).as("activity_id"),
        col("activity_type"),
        col("source_id"),
        col("occurred_at"),
        to_date(from_utc_timestamp(col("occurred_at"), rules.timezone())).as("activity_date"),
        col("duration_seconds"),
        col("subject"),
        when(col("parent_source_id").isNotNull(), activityId(col("activity_type"), col("parent_source_id")))
            .as("parent_activity_id"),
        col("thread_key"),
        col("call_direction"),
        col("call_disposition"),
        col("participants"));
  }

  /**
   * One row per activity participant, resolved: {@code user_id} for company users,
   * {@code is_internal}, {@code is_freemail}, and the participant's matching key (address or phone).
   */
  public static Dataset<Row> participants(Dataset<Row> activities, Dataset<Row> users, AttributionRules rules) {
    Dataset<Row> userEmails = users.where(col("email").isNotNull())
        .groupBy(col("email").as("u_email")).agg(min(col("user_id")).as("user_id"));
    return activities
        .select(col("activity_id"), posexplode(col("participants")).as(new String[] {"pos", "p"}))
        .select(col("activity_id"), col("pos"), col("p.email").as("email"), col("p.phone").as("phone"),
            col("p.role").as("role"))
        .join(broadcast(userEmails), col("email").equalTo(col("u_email")), "left")
        .select(
            col("activity_id"), col("pos"), col("role"), col("email"), col("phone"), col("user_id"),
            col("user_id").isNotNull().or(isInternalAddress(col("email"), rules)).as("is_internal"),
            coalesce(substring_index(col("email"), "@", -1).isin(rules.freemailDomains().toArray()), lit(false)).as("is_freemail"),
            coalesce(col("email"), col("phone")).as("match_key"));
  }

  /** Contacts by every key they can be recognised by: address, phone, mobile phone. */
  static Dataset<Row> contactKeys(Dataset<Row> contacts) {
    Dataset<Row> live = contacts.where(not(col("is_deleted")));
    return live.select(col("contact_id"), col("account_id"), col("email").as("key"))
        .union(live.select(col("contact_id"), col("account_id"), col("phone").as("key")))
        .union(live.select(col("contact_id"), col("account_id"), col("mobile_phone").as("key")))
        .where(col("key").isNotNull().and(col("account_id").isNotNull()))
        .distinct();
  }

  /**
   * One row per activity and candidate account with its evidence: external participants that are
   * contacts of the account, and external (non-free-mail) addresses on the account's domain.
   */
  public static Dataset<Row> accountEvidence(Dataset<Row> participants, Dataset<Row> contacts, Dataset<Row> accounts) {
    Dataset<Row> external = participants.where(not(col("is_internal")));
    Dataset<Row> byContact = external
        .join(broadcast(contactKeys(contacts)), col("match_key").equalTo(col("key")))
        .select(col("activity_id"), col("account_id"), col("contact_id"), col("match_key"), lit("contact").as("kind"));
    Dataset<Row> domains = accounts.where(not(col("is_deleted")).and(col("website_domain").isNotNull()))
        .select(col("account_id"), col("website_domain"));
    Dataset<Row> byDomain = external.where(col("email").isNotNull().and(not(col("is_freemail"))))
        .join(broadcast(domains), substring_index(col("email"), "@", -1).equalTo(col("website_domain")))
        .select(col("activity_id"), col("account_id"), NO_STRING.as("contact_id"), col("match_key"), lit("domain").as("kind"));
    return byContact.unionByName(byDomain)
        .groupBy("activity_id", "account_id")
        .agg(
            count_distinct(col("contact_id")).as("contact_matches"),
            count_distinct(when(col("kind").equalTo("domain"), col("match_key"))).as("domain_matches"),
            array_sort(collect_set(col("contact_id"))).as("contact_ids"))
        .select(col("activity_id"), col("account_id"), col("contact_matches"), col("domain_matches"),
            col("contact_matches").multiply(2).plus(col("domain_matches")).cast("double").as("account_score"),
            col("contact_ids"));
  }

  /** Per activity: the rep (internal actor), direction and participant counts. */
  public static Dataset<Row> actors(Dataset<Row> activities, Dataset<Row> participants) {
    Column actorRank = when(col("role").isin("from", "organizer", "user"), 0).when(col("role").isin("to", "attendee"), 1)
        .otherwise(2);
    Dataset<Row> perActivity = participants.groupBy("activity_id").agg(
        min(when(col("user_id").isNotNull(), struct(actorRank.as("r"), col("pos"), col("user_id")))).getField("user_id")
            .as("user_id"),
        max(col("role").isin("from", "organizer").and(col("is_internal"))).as("actor_is_internal"),
        count_distinct(when(col("is_internal"), col("match_key"))).as("internal_participant_count"),
        count_distinct(when(not(col("is_internal")), col("match_key"))).as("external_participant_count"),
        max(not(col("is_internal")).and(not(col("is_freemail")))).as("has_business_external"));
    return activities.join(perActivity, "activity_id").select(
        col("activity_id"),
        col("user_id"),
        when(col("activity_type").equalTo("call"), col("call_direction"))
            .when(not(col("actor_is_internal")), lit("inbound"))
            .when(col("external_participant_count").gt(0), lit("outbound"))
            .otherwise(lit("internal")).as("direction"),
        col("internal_participant_count").cast("int").as("internal_participant_count"),
        col("external_participant_count").cast("int").as("external_participant_count"),
        coalesce(col("has_business_external"), lit(false)).as("has_business_external"));
  }

  /**
   * Account evidence plus the account a logged record names, when no participant pointed to it (a
   * call logged by hand without a contact): a logged account scores like one matching domain.
   */
  public static Dataset<Row> withLoggedAccounts(Dataset<Row> accountEvidence, Dataset<Row> links) {
    Dataset<Row> logged = links.where(col("logged_account_id").isNotNull())
        .select(col("activity_id"), col("logged_account_id").as("account_id"))
        .join(accountEvidence.select("activity_id", "account_id"), new String[] {"activity_id", "account_id"}, "left_anti")
        .select(col("activity_id"), col("account_id"), lit(0L).as("contact_matches"), lit(0L).as("domain_matches"),
            lit(1.0).as("account_score"), NO_STRINGS.as("contact_ids"));
    return accountEvidence.unionByName(logged);
  }

  /**
   * The pairs of activity and candidate deal {@link #ruleScored} scores, unscored
   * ({@code activity_id, opportunity_id}): as many rows as it returns, for a fraction of its work
   * (a caller sizes what follows by their number).
   *
   * @param activities as from {@link #activities} ({@code activity_id, occurred_at, activity_date})
   */
  public static Dataset<Row> candidatePairs(Dataset<Row> activities, Dataset<Row> accountEvidence,
                                            Dataset<Row> opportunities, AttributionRules rules) {
    return activities.select(col("activity_id"), col("occurred_at"), col("activity_date"))
        .join(accountEvidence.select(col("activity_id"), col("account_id")), "activity_id")
        .join(broadcast(liveDeals(opportunities).select(col("opportunity_id"), col("account_id").as("o_account_id"),
                col("created_at"), col("is_closed"), col("close_date"))),
            col("account_id").equalTo(col("o_account_id")))
        .where(isCandidate(rules.windowDays()))
        .select(col("activity_id"), col("opportunity_id"));
  }

  /** The deals that can be candidates: live, with an account. */
  private static Dataset<Row> liveDeals(Dataset<Row> opportunities) {
    return opportunities.where(not(col("is_deleted")).and(col("account_id").isNotNull()));
  }

  /**
   * Whether a deal of an activity's account is one of its candidates: created before the activity
   * (or within the attribution window after it), and open then or closed within the window before it.
   */
  private static Column isCandidate(int windowDays) {
    return col("created_at").leq(col("occurred_at").plus(expr("INTERVAL " + windowDays + " DAYS")))
        .and(not(col("is_closed")).or(col("close_date").geq(date_sub(col("activity_date"), windowDays))));
  }

  /**
   * Every candidate opportunity of every activity with its evidence (the model's features, see
   * {@link AttributionModel#FEATURES}), the configured-weights {@code rule_score} before thread
   * inheritance, its {@code candidate_rank} by that score (and the score of the candidate ranked after
   * it, {@code runner_up_rule_score}, null for the last), and what the CRM logged for the activity
   * ({@code logged_opportunity_id}, {@code logged_account_id}): one row per activity and candidate.
   * {@link #withThreadInheritance} completes the score, reading this twice (a caller materialises
   * it in between; {@link AttributionStages#candidates} composes the two).
   *
   * @param contacts as from {@link #contactsOf} on these activities and their account evidence
   * @param links as from {@link LoggedActivities#links} (every logged activity)
   * @param anchors as from {@link LoggedActivities#anchors} (every logged deal and contact, all time)
   */
  public static Dataset<Row> ruleScored(Dataset<Row> activities, Dataset<Row> actors, Dataset<Row> accountEvidence,
                                        Dataset<Row> contacts, Dataset<Row> accounts, Dataset<Row> opportunities,
                                        Dataset<Row> contactRoles, Dataset<Row> links, Dataset<Row> anchors,
                                        AttributionRules rules) {
    int w = rules.windowDays();
    // each deal's words (four letters or more, not a word of its account's name), found once per deal
    // rather than once per candidate: a subject naming one of them is a subject match
    Dataset<Row> accountWords = accounts.select(col("account_id").as("w_account_id"),
        split(lower(regexp_replace(col("account_name"), "[^A-Za-z]+", " ")), " ").as("account_words"));
    // each deal's contacts with a role on it, and those of them primary, found once per deal: a
    // candidate whose activity met one of them has a contact role (a set overlap per candidate, instead
    // of exploding every candidate's contacts and joining them to the roles: two million candidates of
    // an org of 20 concurrent deals per account made 2,055,132 rows to join and aggregate)
    Dataset<Row> roleContacts = contactRoles.where(not(col("is_deleted")))
        .groupBy(col("opportunity_id").as("r_opportunity_id"))
        .agg(collect_set(col("contact_id")).as("role_contact_ids"),
            collect_set(when(col("is_primary"), col("contact_id"))).as("primary_contact_ids"));
    Dataset<Row> opps = liveDeals(opportunities)
        .join(broadcast(accountWords), col("account_id").equalTo(col("w_account_id")), "left")
        .join(roleContacts, col("opportunity_id").equalTo(col("r_opportunity_id")), "left")
        .select(col("opportunity_id"), col("account_id").as("o_account_id"), col("owner_user_id"),
            col("created_at"), col("is_closed"), col("is_won"), col("close_date"),
            filter(split(lower(regexp_replace(col("opportunity_name"), "[^A-Za-z]+", " ")), " "),
                x -> length(x).geq(4).and(not(array_contains(coalesce(col("account_words"), NO_STRINGS), x))))
                .as("deal_words"),
            col("role_contact_ids"), col("primary_contact_ids"));
    Dataset<Row> act = activities.join(actors, "activity_id")
        .select(col("activity_id"), col("activity_type"), col("occurred_at"), col("activity_date"),
            lower(col("subject")).as("subject_lower"), col("parent_activity_id"), col("thread_key"), col("user_id"));

    // Conversation continuity: the deals logged with this activity's contacts before it, at any
    // distance in time (up to the continuity horizon), and the latest of them overall and with this rep.
    Dataset<Row> continuity = continuity(contacts, anchors, rules.continuityDays());
    // Thread chains at any depth: deals logged for other messages of the same thread.
    Dataset<Row> threadDeals = act.where(col("thread_key").isNotNull())
        .select(col("activity_id").as("th_activity_id"), col("thread_key").as("th_key"))
        .join(links.where(col("logged_opportunity_id").isNotNull().and(col("logged_thread_key").isNotNull()))
                .select(col("activity_id").as("th_logged_activity_id"), col("logged_thread_key"),
                    col("logged_opportunity_id").as("th_opportunity_id")),
            col("th_key").equalTo(col("logged_thread_key")).and(col("th_activity_id").notEqual(col("th_logged_activity_id"))))
        .groupBy("th_activity_id").agg(collect_set(col("th_opportunity_id")).as("thread_logged_deals"));
    Dataset<Row> logged = links.select(col("activity_id").as("lg_activity_id"), col("logged_opportunity_id"),
        col("logged_account_id"));

    // the evidence of each activity joined to the activity, before it meets its candidate deals: joined
    // to the candidates instead, each join shuffled and sorted every candidate (30 per activity on an
    // org of 20 concurrent deals per account)
    Dataset<Row> cand = act
        .join(continuity, col("activity_id").equalTo(col("cn_activity_id")), "left")
        .join(threadDeals, col("activity_id").equalTo(col("th_activity_id")), "left")
        .join(logged, col("activity_id").equalTo(col("lg_activity_id")), "left")
        .join(accountEvidence, "activity_id")
        .join(opps, col("account_id").equalTo(col("o_account_id")))
        .where(isCandidate(w));

    Column daysSinceCreated = unix_seconds(col("occurred_at")).minus(unix_seconds(col("created_at"))).divide(86400.0);
    Column daysToClose = datediff(col("close_date"), col("activity_date"));
    Dataset<Row> featured = cand
        .select(
            col("activity_id"), col("activity_type"), col("parent_activity_id"), col("opportunity_id"), col("account_id"),
            col("created_at"), col("account_score"),
            coalesce(arrays_overlap(col("contact_ids"), col("role_contact_ids")), lit(false)).as("has_contact_role"),
            coalesce(arrays_overlap(col("contact_ids"), col("primary_contact_ids")), lit(false)).as("has_primary_contact"),
            coalesce(col("owner_user_id").equalTo(col("user_id")), lit(false)).as("is_owner_match"),
            coalesce(exists(col("deal_words"), x -> instr(col("subject_lower"), x).gt(0)), lit(false)).as("has_subject_match"),
            col("created_at").leq(col("occurred_at"))
                .and(not(col("is_closed")).or(col("close_date").geq(col("activity_date")))).as("is_open_at_activity"),
            coalesce(array_contains(col("thread_logged_deals"), col("opportunity_id")), lit(false)).as("is_thread_logged_deal"),
            coalesce(col("contact_recent_deal").equalTo(col("opportunity_id")), lit(false)).as("is_contact_recent_deal"),
            coalesce(col("rep_contact_recent_deal").equalTo(col("opportunity_id")), lit(false)).as("is_rep_contact_recent_deal"),
            coalesce(array_contains(col("contact_deals"), col("opportunity_id")), lit(false)).as("is_contact_logged_deal"),
            daysSinceCreated.between(0, 14).as("is_fresh"),
            abs(daysToClose).leq(14).as("is_closing_soon"),
            log1p(greatest(daysSinceCreated, lit(0.0))).as("log_days_since_created"),
            log1p(abs(daysToClose).cast("double")).as("log_days_to_close"),
            coalesce(col("is_won"), lit(false)).as("is_won"),
            col("is_closed"),
            col("logged_opportunity_id"), col("logged_account_id"),
            coalesce(col("logged_opportunity_id").equalTo(col("opportunity_id")), lit(false)).as("is_logged_deal"),
            coalesce(col("logged_opportunity_id").isNull().and(col("logged_account_id").equalTo(col("account_id"))), lit(false))
                .as("is_logged_account"));

    Column baseScore = col("account_score").multiply(rules.weightAccount())
        .plus(when(col("has_contact_role"), rules.weightContactRole()).otherwise(0))
        .plus(when(col("has_primary_contact"), rules.weightPrimaryContact()).otherwise(0))
        .plus(when(col("is_owner_match"), rules.weightOwner()).otherwise(0))
        .plus(when(col("has_subject_match"), rules.weightSubject()).otherwise(0))
        .plus(when(col("is_open_at_activity"), rules.weightOpen()).otherwise(0));
    // the runner-up's score (thread inheritance asks whether the pick was clear) from the same window
    // as the rank: one sort of the candidates, not a second one after they are materialised
    return featured.withColumn("rule_score", baseScore)
        .withColumn("candidate_rank", row_number().over(byRuleScore()))
        .withColumn("runner_up_rule_score", lead(col("rule_score"), 1).over(byRuleScore()));
  }

  private static WindowSpec byRuleScore() {
    return Window.partitionBy("activity_id").orderBy(col("rule_score").desc(), col("created_at").desc(),
        col("opportunity_id"));
  }

  /**
   * Each activity's clear rule pick, the deal a reply to it inherits: its top rule-scored candidate
   * when the runner-up scored at least {@code attribution.split-margin} less ({@code t_parent_id},
   * {@code t_opportunity_id}).
   *
   * @param ruleScored as from {@link #ruleScored}
   */
  public static Dataset<Row> threadPicks(Dataset<Row> ruleScored, AttributionRules rules) {
    return ruleScored
        .where(col("candidate_rank").equalTo(1)
            .and(col("runner_up_rule_score").isNull()
                .or(col("rule_score").minus(col("runner_up_rule_score")).geq(rules.splitMargin()))))
        .select(col("activity_id").as("t_parent_id"), col("opportunity_id").as("t_opportunity_id"));
  }

  /**
   * Thread inheritance added to the rule score: a reply's candidate that is its parent's clear
   * rule pick.
   *
   * @param firstPass as from {@link #ruleScored}
   * @param parentPicks as from {@link #threadPicks}: of these activities, and of any earlier ones their
   *     replies may answer (a night's window takes those of the activities before it from
   *     {@code fct_activities.thread_opportunity_id})
   */
  public static Dataset<Row> withThreadInheritance(Dataset<Row> firstPass, Dataset<Row> parentPicks,
                                                   AttributionRules rules) {
    return firstPass
        .join(parentPicks, col("parent_activity_id").equalTo(col("t_parent_id"))
            .and(col("opportunity_id").equalTo(col("t_opportunity_id"))), "left")
        .withColumn("has_thread_match", col("t_parent_id").isNotNull())
        .withColumn("rule_score", col("rule_score").plus(when(col("has_thread_match"), rules.weightThread()).otherwise(0))
            .plus(when(col("is_thread_logged_deal"), rules.weightThread()).otherwise(0)))
        .select(
            col("activity_id"), col("activity_type"), col("opportunity_id"), col("account_id"), col("created_at"),
            col("account_score"), col("has_contact_role"), col("has_primary_contact"), col("is_owner_match"),
            col("has_subject_match"), col("has_thread_match"), col("is_open_at_activity"), col("is_thread_logged_deal"),
            col("is_contact_recent_deal"), col("is_rep_contact_recent_deal"), col("is_contact_logged_deal"),
            col("is_fresh"), col("is_closing_soon"), col("log_days_since_created"), col("log_days_to_close"),
            col("is_won"), col("is_closed"), col("logged_opportunity_id"), col("logged_account_id"),
            col("is_logged_deal"), col("is_logged_account"), col("rule_score"));
  }

  /** Each activity's contacts with its instant and rep: {@code k_activity_id, k_contact_id, k_at, k_user}. */
  public static Dataset<Row> contactsOf(Dataset<Row> activityActors, Dataset<Row> accountEvidence) {
    return accountEvidence.select(col("activity_id").as("k_activity_id"),
            explode(col("contact_ids")).as("k_contact_id")).distinct()
        .join(activityActors.select(col("activity_id").as("k_act"), col("occurred_at").as("k_at"), col("user_id").as("k_user")),
            col("k_activity_id").equalTo(col("k_act")));
  }

  /**
   * Conversation continuity of each activity: among the anchors (a deal known for an earlier
   * activity with one of its contacts, within {@code days} before it), the latest deal
   * ({@code contact_recent_deal}), the latest with the same rep ({@code rep_contact_recent_deal})
   * and all of them ({@code contact_deals}); keyed by {@code cn_activity_id}. "Latest" breaks a
   * tie of instants by the greater opportunity id.
   *
   * <p>Computed with running windows over each contact's timeline (anchors and activities in time
   * order), not by joining every activity to every anchor of its contacts within the horizon: a
   * contact on thousands of activities would make that join quadratic. The rare activity that is
   * itself an anchor of the same contact dated before it (its own anchor does not count) takes the
   * join.
   */
  static Dataset<Row> continuity(Dataset<Row> contactsOf, Dataset<Row> anchors, int days) {
    return continuity(contactsOf, anchors, days, true);
  }

  /**
   * {@link #continuity(Dataset, Dataset, int)}; without {@code withDeals}, only the latest deals
   * ({@code contact_recent_deal}, {@code rep_contact_recent_deal}), not the set of every deal in the
   * horizon ({@code contact_deals}, then absent), which takes a timeline per contact and deal.
   */
  static Dataset<Row> continuity(Dataset<Row> contactsOf, Dataset<Row> anchors, int days, boolean withDeals) {
    long span = days * MICROS_PER_DAY;
    Column horizon = expr("INTERVAL " + days + " DAYS");
    Column inHorizon = col("anchored_at").lt(col("k_at")).and(col("anchored_at").geq(col("k_at").minus(horizon)));
    Dataset<Row> ownEarlier = contactsOf
        .join(anchors, col("k_contact_id").equalTo(col("anchor_contact_id"))
            .and(col("k_activity_id").equalTo(col("anchor_activity_id"))).and(col("anchored_at").lt(col("k_at"))))
        .select(col("k_activity_id").as("o_activity_id"), col("k_contact_id").as("o_contact_id")).distinct();
    Column own = col("k_activity_id").equalTo(col("o_activity_id")).and(col("k_contact_id").equalTo(col("o_contact_id")));
    Column at = struct(col("anchored_at"), col("anchor_opportunity_id"));
    Dataset<Row> byJoin = contactsOf.join(ownEarlier, own, "left_semi")
        .join(anchors, col("k_contact_id").equalTo(col("anchor_contact_id")).and(inHorizon)
            .and(col("anchor_activity_id").notEqual(col("k_activity_id"))))
        .groupBy("k_activity_id", "k_contact_id")
        .agg(max(at).as("recent"), max(when(col("anchor_user_id").equalTo(col("k_user")), at)).as("rep_recent"),
            collect_set(col("anchor_opportunity_id")).as("deals"));

    // one timeline per contact: its activities (kind 0) and its anchors (kind 1), in time order, an
    // anchor at the activity's very instant after it (anchors count strictly before)
    Dataset<Row> timeline = contactsOf.join(ownEarlier, own, "left_anti")
        .select(col("k_activity_id"), col("k_contact_id").as("c"), col("k_user").as("u"), col("k_at").as("at"),
            lit(0).as("kind"), NO_STRING.as("opp"))
        .unionByName(anchors.select(NO_STRING.as("k_activity_id"), col("anchor_contact_id").as("c"),
            col("anchor_user_id").as("u"), col("anchored_at").as("at"), lit(1).as("kind"),
            col("anchor_opportunity_id").as("opp")))
        .withColumn("t", unix_micros(col("at")));
    Column anchor = when(col("kind").equalTo(1), struct(col("at").as("anchored_at"), col("opp").as("anchor_opportunity_id")));
    WindowSpec before = Window.partitionBy("c").orderBy("t", "kind")
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec repBefore = Window.partitionBy("c", "u").orderBy("t", "kind")
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Column recentInHorizon = col("recent").getField("anchored_at").geq(col("at").minus(horizon));
    Column repInHorizon = col("rep_recent").getField("anchored_at").geq(col("at").minus(horizon));
    Dataset<Row> byTimeline = timeline
        .withColumn("recent", max(anchor).over(before))
        .withColumn("rep_recent", when(col("u").isNotNull(), max(anchor).over(repBefore)))
        .where(col("kind").equalTo(0))
        .select(col("k_activity_id"), col("c").as("k_contact_id"), when(recentInHorizon, col("recent")).as("recent"),
            when(repInHorizon, col("rep_recent")).as("rep_recent"));
    Column recentDeal = max(col("recent")).getField("anchor_opportunity_id").as("contact_recent_deal");
    Column repRecentDeal = max(col("rep_recent")).getField("anchor_opportunity_id").as("rep_contact_recent_deal");
    if (!withDeals) {
      return byTimeline.unionByName(byJoin.drop("deals"))
          .groupBy(col("k_activity_id").as("cn_activity_id"))
          .agg(recentDeal, repRecentDeal);
    }
    // all the deals: one timeline per contact and deal of its anchors (a contact has a few), where a
    // running maximum gives the latest anchor before each activity; the deal counts when that anchor
    // is within the horizon. (A set collected over a sliding frame of the horizon is rebuilt for
    // every activity of the contact: quadratic in a busy contact's activities.)
    Dataset<Row> deals = anchors.select(col("anchor_contact_id").as("d_contact_id"), col("anchor_opportunity_id").as("d_opp"))
        .distinct();
    WindowSpec dealBefore = Window.partitionBy("c", "opp").orderBy("t", "kind")
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Dataset<Row> inHorizonDeals = timeline.where(col("kind").equalTo(0))
        .join(deals, col("c").equalTo(col("d_contact_id")))
        .select(col("k_activity_id"), col("c"), col("d_opp").as("opp"), col("t"), col("kind"))
        .unionByName(timeline.where(col("kind").equalTo(1)).select(col("k_activity_id"), col("c"), col("opp"), col("t"),
            col("kind")))
        .withColumn("last_anchor_t", max(when(col("kind").equalTo(1), col("t"))).over(dealBefore))
        .where(col("kind").equalTo(0).and(col("last_anchor_t").geq(col("t").minus(span))))
        .select(col("k_activity_id"), col("c").as("k_contact_id"), array(col("opp")).as("deals"));

    // each part leaves out what it does not find (null, which the aggregation skips)
    return byTimeline.unionByName(inHorizonDeals, true).unionByName(byJoin, true)
        .groupBy(col("k_activity_id").as("cn_activity_id"))
        .agg(recentDeal, repRecentDeal, array_distinct(flatten(collect_list(col("deals")))).as("contact_deals"));
  }

  /**
   * The first pass's confident picks: each activity's primary when its probability is at least
   * {@code confidentProbability} ({@code activity_id}, {@code opportunity_id}).
   *
   * @param firstPass as from {@link AttributionModel#score} on the candidates
   */
  public static Dataset<Row> confidentPicks(Dataset<Row> firstPass, double confidentProbability) {
    return firstPass.where(col("candidate_rank").equalTo(1).and(col("probability").geq(confidentProbability)))
        .select(col("activity_id"), col("opportunity_id"));
  }

  /**
   * Confident picks as continuity anchors, one row per pick and contact: {@code anchor_activity_id},
   * {@code anchor_contact_id}, {@code anchor_user_id}, {@code anchored_at}, {@code anchor_opportunity_id}.
   *
   * @param picks as from {@link #confidentPicks}
   * @param contacts as from {@link #contactsOf}
   */
  public static Dataset<Row> confidentAnchors(Dataset<Row> picks, Dataset<Row> contacts) {
    return picks.select(col("activity_id").as("f_activity_id"), col("opportunity_id").as("anchor_opportunity_id"))
        .join(contacts, col("f_activity_id").equalTo(col("k_activity_id")))
        .select(col("f_activity_id").as("anchor_activity_id"), col("k_contact_id").as("anchor_contact_id"),
            col("k_user").as("anchor_user_id"), col("k_at").as("anchored_at"), col("anchor_opportunity_id"));
  }

  /**
   * The second pass: candidates with continuity from the first pass's confident picks
   * ({@code is_contact_recent_confident_deal}, {@code is_rep_contact_recent_confident_deal}): the
   * deal of the latest earlier activity with one of the same contacts (and the same rep) whose
   * first-pass primary had at least {@code confidentProbability}; and how many such picks of the
   * candidate's deal lie within a week either side, by the same rep ({@code log_rep_nearby_confident})
   * and with one of the activity's contacts ({@code log_contact_nearby_confident}).
   *
   * @param contacts as from {@link #contactsOf} on the candidates' activities
   * @param anchors as from {@link #confidentAnchors}
   * @param activityActors each activity's {@code activity_id}, {@code occurred_at} and {@code user_id}
   */
  public static Dataset<Row> withConfidentContinuity(Dataset<Row> candidates, Dataset<Row> contacts, Dataset<Row> anchors,
                                                     Dataset<Row> activityActors, AttributionRules rules) {
    Dataset<Row> act = activityActors.select("activity_id", "occurred_at", "user_id");
    Dataset<Row> cont = continuity(contacts, anchors, rules.continuityDays(), false);
    // How busy the rep, and the activity's contacts, were on each candidate within a week either
    // side (the activity itself left out): reps work a handful of deals at a time. Each candidate is
    // joined to the picks of its deal by the same rep, and each activity's contacts to their picks,
    // within the week: a band join on the week the instants fall in (a pick meets the queries of its
    // own week and the two beside it), whose cost is the queries plus the picks near them. (A rep's
    // picks are asked per candidate deal: asked per activity, they would be every pick of the rep's
    // fortnight, on all its accounts. Sliding windows of
    // a fortnight over each rep's and contact's timeline on the deal re-aggregated their whole frame,
    // candidates included, for every candidate: on an org of 20 concurrent deals per account and
    // 2 million candidates, most of the second pass.)
    long week = 7 * MICROS_PER_DAY;
    Dataset<Row> pairs = candidates.select(col("activity_id").as("a"), col("opportunity_id").as("o"))
        .join(act.select(col("activity_id").as("k_act"), col("occurred_at").as("at"), col("user_id").as("u")),
            col("a").equalTo(col("k_act")))
        .select(col("a"), col("o"), col("u"), col("at"));
    // one row per pick and rep (an activity's instant is one, whatever its contacts)
    Dataset<Row> repPicks = anchors.select(col("anchor_activity_id").as("p_a"), col("anchor_opportunity_id").as("p_o"),
        col("anchor_user_id").as("p_u"), col("anchored_at").as("p_at")).distinct();
    Dataset<Row> repNearby = nearby(pairs, repPicks, col("o").equalTo(col("p_o")).and(col("u").equalTo(col("p_u"))), week)
        .groupBy(col("a").as("f_activity_id"), col("o").as("f_opportunity_id"))
        .agg(count(lit(1)).as("rep_nearby"));
    // per activity and contact, the picks of that contact on any deal, counted per deal (the candidates
    // take their deal's count): an activity counts a pick once however many of its contacts the pick
    // shares. Asked per contact of an activity rather than per contact of each candidate, the join
    // reads an activity's contacts once, not once per candidate deal (a contact's picks are on the
    // deals of its account, which are the activity's candidates, so the rows joined are the same).
    Dataset<Row> contactQueries = contacts.select(col("k_activity_id").as("a"), col("k_contact_id").as("c"),
        col("k_at").as("at"));
    Dataset<Row> contactPicks = anchors.select(col("anchor_activity_id").as("p_a"), col("anchor_opportunity_id").as("p_o"),
        col("anchor_contact_id").as("p_c"), col("anchored_at").as("p_at"));
    Dataset<Row> contactNearby = nearby(contactQueries, contactPicks, col("c").equalTo(col("p_c")), week)
        .groupBy(col("a").as("f_activity_id"), col("p_o").as("f_opportunity_id"))
        .agg(count_distinct(col("p_a")).as("contact_nearby"));
    // the four features as one narrow table of the candidates that have any, joined to the (wide)
    // candidates once: a join per feature shuffled and sorted every candidate for each
    Dataset<Row> features = feature(cont, "contact_recent_deal", "is_contact_recent")
        .unionByName(feature(cont, "rep_contact_recent_deal", "is_rep_contact_recent"), true)
        .unionByName(repNearby, true)
        .unionByName(contactNearby, true)
        .groupBy("f_activity_id", "f_opportunity_id")
        .agg(max(col("is_contact_recent")).as("is_contact_recent"), max(col("is_rep_contact_recent")).as("is_rep_contact_recent"),
            max(col("rep_nearby")).as("rep_nearby"), max(col("contact_nearby")).as("contact_nearby"));
    List<Column> out = new ArrayList<>();
    for (String c : candidates.columns()) {
      out.add(col(c));
    }
    out.add(coalesce(col("is_contact_recent"), lit(false)).as("is_contact_recent_confident_deal"));
    out.add(coalesce(col("is_rep_contact_recent"), lit(false)).as("is_rep_contact_recent_confident_deal"));
    out.add(log1p(coalesce(col("rep_nearby"), lit(0L)).cast("double")).as("log_rep_nearby_confident"));
    out.add(log1p(coalesce(col("contact_nearby"), lit(0L)).cast("double")).as("log_contact_nearby_confident"));
    return candidates.join(features, col("activity_id").equalTo(col("f_activity_id"))
            .and(col("opportunity_id").equalTo(col("f_opportunity_id"))), "left")
        .select(out.toArray(Column[]::new));
  }

  /** A continuity deal of each activity as a feature row: {@code f_activity_id, f_opportunity_id} and a true flag. */
  private static Dataset<Row> feature(Dataset<Row> continuity, String deal, String flag) {
    return continuity.where(col(deal).isNotNull())
        .select(col("cn_activity_id").as("f_activity_id"), col(deal).as("f_opportunity_id"), lit(true).as(flag));
  }

  /**
   * The picks ({@code p_a, p_o, p_at} and the columns {@code same} compares) within {@code band}
   * microseconds either side of each query ({@code a, at}) that {@code same} pairs it with, other than
   * the query's own activity: one row per query and pick. Joined on {@code same} and the band the
   * instants fall in (each pick repeated for its band and the two beside it), then filtered to the
   * exact span.
   */
  private static Dataset<Row> nearby(Dataset<Row> queries, Dataset<Row> picks, Column same, long band) {
    Column pickSlot = slot(col("p_at"), band);
    Dataset<Row> spread = picks.withColumn("p_slot", explode(array(pickSlot.minus(1), pickSlot, pickSlot.plus(1))));
    return queries.withColumn("slot", slot(col("at"), band))
        .join(spread, col("slot").equalTo(col("p_slot")).and(same)
            .and(abs(unix_micros(col("p_at")).minus(unix_micros(col("at")))).leq(band))
            .and(col("p_a").notEqual(col("a"))));
  }

  /** The band of {@code band} microseconds an instant falls in (exact: a multiple of the band divided by it). */
  private static Column slot(Column at, long band) {
    Column t = unix_micros(at);
    return t.minus(pmod(t, lit(band))).divide(band).cast("long");
  }

  /** The decisive evidence of a primary candidate, for {@code attribution_method}. */
  static Column method() {
    return when(col("is_logged_deal"), lit("logged_link"))
        .when(col("candidate_count").equalTo(1), lit("single_candidate"))
        .when(col("has_thread_match").or(col("is_thread_logged_deal")), lit("thread_inheritance"))
        .when(col("is_rep_contact_recent_deal").or(col("is_contact_recent_deal"))
            .or(col("is_rep_contact_recent_confident_deal")).or(col("is_contact_recent_confident_deal")),
            lit("conversation_continuity"))
        .when(col("has_contact_role"), lit("contact_role"))
        .when(col("has_subject_match"), lit("subject_match"))
        .when(col("is_owner_match"), lit("owner_match"))
        .otherwise(lit("highest_score"));
  }

  /** The fact tables' rule version: configured version plus a digest of every weight and threshold. */
  public static String ruleVersion(AttributionRules r) {
    String settings = List.of(r.windowDays(), r.weightAccount(), r.weightContactRole(), r.weightPrimaryContact(),
        r.weightOwner(), r.weightSubject(), r.weightThread(), r.weightOpen(), r.splitMargin(), r.splitCap(),
        r.misLogRate(), r.continuityDays(), r.minCreditWeight()).toString();
    return r.ruleVersion() + "-" + String.format("%08x", settings.hashCode());
  }
}
