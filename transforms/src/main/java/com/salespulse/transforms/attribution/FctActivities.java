package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Builds {@code fct_activities}: one row per distinct activity (email message, held meeting, call)
 * with the rep credited and their manager and role as of the activity's time, the account, the
 * primary deal, a confidence, the deciding rule and, when no deal is credited, why.
 */
public final class FctActivities {

  public static final String NAME = "fct_activities";

  public static final List<String> COLUMNS = List.of("activity_id", "activity_type", "source_id", "occurred_at",
      "activity_date", "direction", "user_id", "manager_user_id", "user_role_id", "account_id", "opportunity_id",
      "attribution_confidence", "attribution_method", "unmatched_reason", "candidate_count", "credited_count",
      "duration_seconds", "call_disposition", "internal_participant_count", "external_participant_count",
      "contact_ids", "rule_version", "run_id", "is_logged", "logged_opportunity_id", "model_version",
      "thread_opportunity_id", "first_pass_opportunity_id", "logged_record_ids");

  private FctActivities() {}

  /**
   * @param activities as from {@link ActivityAttribution#activities}
   * @param actors as from {@link ActivityAttribution#actors}
   * @param accountEvidence as from {@link ActivityAttribution#accountEvidence}
   * @param scored as from {@link AttributionModel#score}
   * @param userVersions {@code stg_crm__user_versions}
   * @param links as from {@link LoggedActivities#links}
   * @param picks as from {@link AttributionStages#picks}
   */
  public static Dataset<Row> apply(Dataset<Row> activities, Dataset<Row> actors, Dataset<Row> accountEvidence,
                                   Dataset<Row> scored, Dataset<Row> userVersions, Dataset<Row> links,
                                   Dataset<Row> picks, AttributionRules rules, AttributionModel model, String runId) {
    // The primary deal is the most probable candidate, whenever there is one; its probability is
    // the confidence, and the other deals' share is in fct_activity_opportunity_credits.
    Dataset<Row> primary = scored.where(col("candidate_rank").equalTo(1)).select(
        col("activity_id").as("p_activity_id"),
        col("opportunity_id"),
        col("account_id").as("p_account_id"),
        col("probability"), col("candidate_count"), col("credited_count"),
        ActivityAttribution.method().as("deal_method"));
    Dataset<Row> logged = links.select(col("activity_id").as("l_activity_id"), col("logged_opportunity_id"),
        col("logged_record_ids"));

    WindowSpec byActivity = Window.partitionBy("activity_id");
    Dataset<Row> topAccount = accountEvidence
        .withColumn("account_share", col("account_score").divide(sum(col("account_score")).over(byActivity)))
        .withColumn("r", row_number().over(byActivity.orderBy(col("account_score").desc(), col("account_id"))))
        .where(col("r").equalTo(1))
        .select(col("activity_id").as("a_activity_id"), col("account_id").as("a_account_id"), col("account_share"),
            col("contact_matches"));

    Dataset<Row> contactIds = accountEvidence.groupBy(col("activity_id").as("c_activity_id"))
        .agg(array_sort(array_distinct(flatten(collect_list(col("contact_ids"))))).as("contact_ids"));

    // The rep's manager and role as of the activity (the earliest version for activities before it).
    Dataset<Row> versions = userVersions.select(col("user_id").as("v_user_id"), col("manager_user_id"),
        col("user_role_id"), col("valid_from"), col("valid_to"),
        col("valid_from").equalTo(min(col("valid_from")).over(Window.partitionBy("user_id"))).as("is_first"));

    Dataset<Row> base = activities.join(actors, "activity_id")
        .join(primary, col("activity_id").equalTo(col("p_activity_id")), "left")
        .join(topAccount, col("activity_id").equalTo(col("a_activity_id")), "left")
        .join(contactIds, col("activity_id").equalTo(col("c_activity_id")), "left")
        .join(logged, col("activity_id").equalTo(col("l_activity_id")), "left")
        .join(picks.withColumnRenamed("activity_id", "k_activity_id"), col("activity_id").equalTo(col("k_activity_id")),
            "left");
    Column applies = col("valid_from").leq(col("occurred_at"))
        .and(col("valid_to").isNull().or(col("valid_to").gt(col("occurred_at"))));
    Dataset<Row> withTeam = base
        .join(broadcast(versions), col("user_id").equalTo(col("v_user_id"))
            .and(applies.or(col("is_first").and(col("occurred_at").lt(col("valid_from"))))), "left")
        .withColumn("v_rank", row_number().over(Window.partitionBy("activity_id")
            .orderBy(col("valid_from").asc_nulls_last())))
        .where(col("v_rank").equalTo(1));

    Column accountId = coalesce(col("p_account_id"), col("a_account_id"));
    Column unmatched = when(col("opportunity_id").isNotNull(), ActivityAttribution.NO_STRING)
        .when(accountId.isNotNull(), lit("no_eligible_deal"))
        .when(col("external_participant_count").equalTo(0), lit("internal_only"))
        .when(col("activity_type").equalTo("call"), lit("unknown_number"))
        .when(not(col("has_business_external")), lit("freemail_no_contact"))
        .otherwise(lit("unknown_domain"));
    Column method = when(col("opportunity_id").isNotNull(), col("deal_method"))
        .when(accountId.isNotNull(), when(col("contact_matches").gt(0), lit("contact_match")).otherwise(lit("domain_match")))
        .otherwise(lit("none"));
    Column confidence = when(col("opportunity_id").isNotNull(), col("probability"))
        .when(accountId.isNotNull(), col("account_share"))
        .otherwise(lit(0.0));
    return withTeam.select(
        col("activity_id"), col("activity_type"), col("source_id"), col("occurred_at"), col("activity_date"),
        col("direction"), col("user_id"), col("manager_user_id"), col("user_role_id"),
        accountId.as("account_id"), col("opportunity_id"),
        round(confidence, 4).as("attribution_confidence"), method.as("attribution_method"),
        unmatched.as("unmatched_reason"),
        coalesce(col("candidate_count"), lit(0)).as("candidate_count"),
        coalesce(col("credited_count"), lit(0)).as("credited_count"),
        col("duration_seconds"), col("call_disposition"), col("internal_participant_count"),
        col("external_participant_count"),
        coalesce(col("contact_ids"), ActivityAttribution.NO_STRINGS).as("contact_ids"),
        lit(ActivityAttribution.ruleVersion(rules)).as("rule_version"), lit(runId).as("run_id"),
        col("l_activity_id").isNotNull().as("is_logged"), col("logged_opportunity_id"),
        lit(model.version()).as("model_version"), col("thread_opportunity_id"), col("first_pass_opportunity_id"),
        coalesce(col("logged_record_ids"), ActivityAttribution.NO_STRINGS).as("logged_record_ids"));
  }
}
