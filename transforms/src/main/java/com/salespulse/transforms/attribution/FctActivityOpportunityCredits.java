package com.salespulse.transforms.attribution;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds {@code fct_activity_opportunity_credits}: one row per activity and credited opportunity,
 * with its credit weight (an activity's weights sum to 1), whether it is the primary deal, and
 * the evidence behind its score.
 */
public final class FctActivityOpportunityCredits {

  public static final String NAME = "fct_activity_opportunity_credits";

  public static final List<String> COLUMNS = List.of("activity_id", "opportunity_id", "account_id", "activity_date",
      "credit_weight", "is_primary", "candidate_rank", "score", "account_score", "has_contact_role",
      "has_primary_contact", "is_owner_match", "has_subject_match", "has_thread_match", "is_open_at_activity",
      "rule_version", "run_id", "probability", "is_logged_deal", "is_thread_logged_deal", "is_contact_recent_deal",
      "is_rep_contact_recent_deal", "is_contact_recent_confident_deal", "is_rep_contact_recent_confident_deal", "model_version");

  private FctActivityOpportunityCredits() {}

  /** @param scored as from {@link AttributionModel#score} */
  public static Dataset<Row> apply(Dataset<Row> activities, Dataset<Row> scored, AttributionRules rules,
                                   AttributionModel model, String runId) {
    return scored.where(col("is_credited"))
        .join(activities.select("activity_id", "activity_date"), "activity_id")
        .select(
            col("activity_id"), col("opportunity_id"), col("account_id"), col("activity_date"),
            // to 12 places: the renormalising sum adds an activity's candidates in whatever order its
            // partition holds them, which moves the last bits between a night's window and --full
            round(col("credit_weight"), 12).as("credit_weight"), col("candidate_rank").equalTo(1).as("is_primary"),
            col("candidate_rank"),
            round(col("rule_score"), 4).as("score"), col("account_score"), col("has_contact_role"), col("has_primary_contact"),
            col("is_owner_match"), col("has_subject_match"), col("has_thread_match"), col("is_open_at_activity"),
            lit(ActivityAttribution.ruleVersion(rules)).as("rule_version"), lit(runId).as("run_id"),
            round(col("probability"), 6).as("probability"), col("is_logged_deal"), col("is_thread_logged_deal"),
            col("is_contact_recent_deal"), col("is_rep_contact_recent_deal"), col("is_contact_recent_confident_deal"),
            col("is_rep_contact_recent_confident_deal"), lit(model.version()).as("model_version"));
  }
}
