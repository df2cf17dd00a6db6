package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.*;

import com.salespulse.transforms.staging.StgCrmEmailMessages;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Activities reps logged in the CRM (contract v1.1: Task, Event, EmailMessage), matched to the
 * communication logs. A logged record that matches a communication record is the same activity
 * (never counted twice) and lends it its logged deal or account; a logged call, email task or event
 * with no communication record is an activity of its own, with the CRM record's Id as source_id.
 *
 * <p>Matching: EmailMessage by Message-ID (angle brackets ignored); a Task of subtype Call by
 * {@code CallObject} = the dialer's call_id; a Task of subtype Email by the owner's address as sender,
 * the same day and the same subject (a leading "Email:" ignored); an Event by the meeting organised
 * by the owner's address starting at the same instant. Deleted records and Tasks of other subtypes
 * (to-dos) are not activities.
 */
public final class LoggedActivities {

  private LoggedActivities() {}

  /**
   * One row per live logged record that may be an activity: {@code crm_record_id}, {@code record_type}
   * (task, event, email_message), {@code activity_type}, owner, {@code what_id}, {@code who_id},
   * subject, {@code occurred_at} and what matches it to the communication logs.
   */
  public static Dataset<Row> records(Dataset<Row> tasks, Dataset<Row> events, Dataset<Row> emailMessages,
                                     AttributionRules rules) {
    Column subtype = lower(trim(col("task_subtype")));
    // A task has a day only: its creation instant when it was logged that day, else noon of the day.
    Column noon = to_utc_timestamp(col("activity_date").cast("timestamp").plus(expr("INTERVAL 12 HOURS")), rules.timezone());
    Column createdDay = to_date(from_utc_timestamp(col("created_at"), rules.timezone()));
    Dataset<Row> t = tasks.where(not(col("is_deleted")).and(subtype.isin("call", "email")))
        .select(col("task_id").as("crm_record_id"), lit("task").as("record_type"), subtype.as("activity_type"),
            col("owner_user_id"), col("what_id"), col("who_id"), col("subject"),
            when(col("activity_date").isNull().or(createdDay.equalTo(col("activity_date"))), col("created_at"))
                .otherwise(noon).as("occurred_at"),
            col("call_duration_seconds").as("duration_seconds"), col("call_object"),
            ActivityAttribution.NO_STRING.as("message_key"), ActivityAttribution.NO_STRING.as("from_email"),
            ActivityAttribution.NO_STRINGS.as("to_emails"));
    Dataset<Row> e = events.where(not(col("is_deleted")))
        .select(col("event_id").as("crm_record_id"), lit("event").as("record_type"), lit("meeting").as("activity_type"),
            col("owner_user_id"), col("what_id"), col("who_id"), col("subject"), col("start_at").as("occurred_at"),
            (unix_seconds(col("end_at")).minus(unix_seconds(col("start_at")))).cast("int").as("duration_seconds"),
            ActivityAttribution.NO_STRING.as("call_object"), ActivityAttribution.NO_STRING.as("message_key"),
            ActivityAttribution.NO_STRING.as("from_email"), ActivityAttribution.NO_STRINGS.as("to_emails"));
    Dataset<Row> m = emailMessages.where(not(col("is_deleted")))
        .select(col("email_message_id").as("crm_record_id"), lit("email_message").as("record_type"),
            lit("email").as("activity_type"), ActivityAttribution.NO_STRING.as("owner_user_id"),
            col("related_to_id").as("what_id"), ActivityAttribution.NO_STRING.as("who_id"), col("subject"),
            coalesce(col("message_at"), col("created_at")).as("occurred_at"), lit(null).cast("int").as("duration_seconds"),
            ActivityAttribution.NO_STRING.as("call_object"), col("message_key"), col("from_email"),
            coalesce(col("to_emails"), ActivityAttribution.NO_STRINGS).as("to_emails"));
    return t.unionByName(e).unionByName(m);
  }

  /**
   * The logged records with the communication record each matches ({@code matched_source_id}, null
   * when none), the activity it is ({@code activity_id}) and the thread of a matched email.
   *
   * @param emails {@code stg_comms__emails}; meetings, calls, users likewise (all rows: a record may
   *     match a communication outside any recompute window)
   */
  public static Dataset<Row> matched(Dataset<Row> records, Dataset<Row> emails, Dataset<Row> meetings,
                                     Dataset<Row> calls, Dataset<Row> users, AttributionRules rules) {
    Dataset<Row> owners = users.select(col("user_id").as("o_user_id"), col("email").as("owner_email"));
    Dataset<Row> senders = users.select(col("user_id").as("f_user_id"), col("email").as("f_email"));
    // an EmailMessage has no owner: the company user who sent it, when one did
    Dataset<Row> r = records.join(broadcast(owners), col("owner_user_id").equalTo(col("o_user_id")), "left")
        .join(broadcast(senders), col("from_email").equalTo(col("f_email")), "left")
        .withColumn("owner_user_id", coalesce(col("owner_user_id"), col("f_user_id")));

    Dataset<Row> byKey = emails.select(StgCrmEmailMessages.messageKey(col("message_id")).as("k_key"),
        col("message_id").as("k_source_id"), col("thread_id").as("k_thread"));
    Dataset<Row> bySubject = emails.select(col("from_email").as("s_from"),
        to_date(from_utc_timestamp(col("sent_at"), rules.timezone())).as("s_day"), normalisedSubject(col("subject")).as("s_subject"),
        col("message_id").as("s_source_id"), col("thread_id").as("s_thread"));
    Dataset<Row> byCall = calls.select(col("call_id").as("c_source_id"));
    Dataset<Row> byMeeting = meetings.select(col("organizer_email").as("g_organizer"), col("start_at").as("g_start"),
        col("event_id").as("g_source_id"));

    Column taskEmail = col("record_type").equalTo("task").and(col("activity_type").equalTo("email"));
    Dataset<Row> joined = r
        .join(byKey, col("record_type").equalTo("email_message").and(col("message_key").equalTo(col("k_key"))), "left")
        .join(bySubject, taskEmail.and(col("owner_email").equalTo(col("s_from")))
            .and(to_date(from_utc_timestamp(col("occurred_at"), rules.timezone())).equalTo(col("s_day")))
            .and(normalisedSubject(col("subject")).equalTo(col("s_subject"))), "left")
        .join(byCall, col("record_type").equalTo("task").and(col("activity_type").equalTo("call"))
            .and(col("call_object").equalTo(col("c_source_id"))), "left")
        .join(byMeeting, col("record_type").equalTo("event").and(col("owner_email").equalTo(col("g_organizer")))
            .and(col("occurred_at").equalTo(col("g_start"))), "left")
        .withColumn("matched_source_id", coalesce(col("k_source_id"), col("s_source_id"), col("c_source_id"), col("g_source_id")))
        // a task email whose subject appears twice that day matches the first message only
        .withColumn("_r", row_number().over(Window.partitionBy("crm_record_id").orderBy(col("matched_source_id").asc_nulls_last())))
        .where(col("_r").equalTo(1));
    return joined.select(
        col("crm_record_id"), col("record_type"), col("activity_type"),
        col("owner_user_id"), col("owner_email"),
        col("what_id"), col("who_id"), col("subject"), col("occurred_at"), col("duration_seconds"),
        col("from_email"), col("to_emails"), col("matched_source_id"),
        coalesce(col("k_thread"), col("s_thread")).as("thread_key"),
        ActivityAttribution.activityId(col("activity_type"), coalesce(col("matched_source_id"), col("crm_record_id")))
            .as("activity_id"),
        col("matched_source_id").isNull().and(col("record_type").isin("task", "event")).as("is_logged_only"));
  }

  private static Column normalisedSubject(Column subject) {
    return lower(trim(regexp_replace(subject, "(?i)^\\s*email:\\s*", "")));
  }

  /**
   * Logged calls, email tasks and events with no communication record, as activities in the shape
   * of {@link ActivityAttribution#activities}: the owner as the rep, the WhoId contact as the
   * counterpart (by address, else phone).
   */
  public static Dataset<Row> loggedOnly(Dataset<Row> matched, Dataset<Row> contacts, AttributionRules rules) {
    Dataset<Row> who = contacts.where(not(col("is_deleted")))
        .select(col("contact_id").as("w_contact_id"), col("email").as("w_email"), col("phone").as("w_phone"),
            col("mobile_phone").as("w_mobile"));
    return matched.where(col("is_logged_only"))
        .join(broadcast(who), col("who_id").equalTo(col("w_contact_id")), "left")
        .select(
            col("activity_id"), col("activity_type"), col("crm_record_id").as("source_id"), col("occurred_at"),
            to_date(from_utc_timestamp(col("occurred_at"), rules.timezone())).as("activity_date"),
            col("duration_seconds"), col("subject"),
            ActivityAttribution.NO_STRING.as("parent_activity_id"), ActivityAttribution.NO_STRING.as("thread_key"),
            ActivityAttribution.NO_STRING.as("call_direction"), ActivityAttribution.NO_STRING.as("call_disposition"),
            filter(array(
                ActivityAttribution.participant(col("owner_email"), ActivityAttribution.NO_STRING, "user"),
                ActivityAttribution.participant(col("w_email"), coalesce(col("w_phone"), col("w_mobile")), "counterpart")),
                p -> coalesce(p.getField("email"), p.getField("phone")).isNotNull()).as("participants"));
  }

  /**
   * One row per logged activity: the deal it was logged against ({@code logged_opportunity_id},
   * when the logged Id is a live opportunity), the account ({@code logged_account_id}: the
   * deal's, or the logged Id itself when it is an account) and the Ids of the records that logged it
   * ({@code logged_record_ids}, sorted).
   */
  public static Dataset<Row> links(Dataset<Row> matched, Dataset<Row> opportunities, Dataset<Row> accounts) {
    Dataset<Row> opps = opportunities.where(not(col("is_deleted")))
        .select(col("opportunity_id").as("l_opportunity_id"), col("account_id").as("l_opp_account_id"));
    Dataset<Row> accs = accounts.where(not(col("is_deleted"))).select(col("account_id").as("l_account_id"));
    return matched
        .join(broadcast(opps), col("what_id").equalTo(col("l_opportunity_id")), "left")
        .join(broadcast(accs), col("what_id").equalTo(col("l_account_id")), "left")
        .groupBy("activity_id")
        .agg(min(col("l_opportunity_id")).as("logged_opportunity_id"),
            coalesce(min(col("l_opp_account_id")), min(col("l_account_id"))).as("logged_account_id"),
            first(col("thread_key"), true).as("logged_thread_key"),
            min(col("occurred_at")).as("logged_at"),
            first(col("owner_user_id"), true).as("logged_by_user_id"),
            array_distinct(flatten(collect_list(
                when(col("who_id").isNotNull(), array(col("who_id"))).otherwise(ActivityAttribution.NO_STRINGS))))
                .as("logged_contact_ids"),
            array_distinct(flatten(collect_list(concat(
                when(col("from_email").isNotNull(), array(col("from_email"))).otherwise(ActivityAttribution.NO_STRINGS),
                col("to_emails"))))).as("logged_addresses"),
            array_sort(collect_set(col("crm_record_id"))).as("logged_record_ids"))
        .select(col("activity_id"), col("logged_opportunity_id"), col("logged_account_id"), col("logged_thread_key"),
            col("logged_at"), col("logged_by_user_id"), col("logged_contact_ids"), col("logged_addresses"),
            col("logged_record_ids"));
  }

  /**
   * Conversation anchors: one row per logged deal and contact it involved, with the instant and the
   * rep, from every logged record ever staged (so continuity reaches across nights, not only inside
   * a recompute window). Contacts come from WhoId and from the logged email's addresses.
   */
  public static Dataset<Row> anchors(Dataset<Row> links, Dataset<Row> contacts) {
    Dataset<Row> keys = ActivityAttribution.contactKeys(contacts).select(col("key"), col("contact_id").as("k_contact_id"));
    Dataset<Row> dealLinks = links.where(col("logged_opportunity_id").isNotNull());
    Dataset<Row> byWho = dealLinks.select(col("activity_id"), col("logged_opportunity_id"), col("logged_at"),
        col("logged_by_user_id"), explode(col("logged_contact_ids")).as("contact_id"));
    Dataset<Row> byAddress = dealLinks.select(col("activity_id"), col("logged_opportunity_id"), col("logged_at"),
            col("logged_by_user_id"), explode(col("logged_addresses")).as("address"))
        .join(broadcast(keys), col("address").equalTo(col("key")))
        .select(col("activity_id"), col("logged_opportunity_id"), col("logged_at"), col("logged_by_user_id"),
            col("k_contact_id").as("contact_id"));
    return byWho.unionByName(byAddress).distinct().select(
        col("activity_id").as("anchor_activity_id"), col("contact_id").as("anchor_contact_id"),
        col("logged_by_user_id").as("anchor_user_id"), col("logged_at").as("anchored_at"),
        col("logged_opportunity_id").as("anchor_opportunity_id"));
  }
}
