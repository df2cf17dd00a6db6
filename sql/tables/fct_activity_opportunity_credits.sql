-- fct_activity_opportunity_credits
-- grain: activity_id, opportunity_id (unique and not null; checked by TableContractTest)
-- zorder: activity_date (unpartitioned; maintain rewrites the table in this order when it was written since its last run, so a night that replaces a span of dates rewrites only the files holding them, and a query on dates reads only those)
CREATE TABLE IF NOT EXISTS fct_activity_opportunity_credits (
  activity_id         STRING COMMENT 'Activity (fct_activities.activity_id)',
  opportunity_id      STRING COMMENT 'Credited opportunity',
  account_id          STRING COMMENT 'Account of the opportunity',
  activity_date       DATE COMMENT 'Activity date in the org timezone; partition column',
  credit_weight       DOUBLE COMMENT 'Share of the activity credited to this deal: its probability, renormalised over the credited deals (to 12 decimal places)',
  is_primary          BOOLEAN COMMENT 'True for the activity''s primary deal (fct_activities.opportunity_id)',
  candidate_rank      INT COMMENT 'Rank among the activity''s candidates (1 = primary)',
  score               DOUBLE COMMENT 'Configured-weights evidence score: weighted sum of the evidence columns (weights in configuration; what the rules fallback ranks by)',
  account_score       DOUBLE COMMENT 'Account evidence: 2 per matching contact plus 1 per participant on the account''s domain',
  has_contact_role    BOOLEAN COMMENT 'A participant is a contact role on the deal',
  has_primary_contact BOOLEAN COMMENT 'A participant is the deal''s primary contact',
  is_owner_match      BOOLEAN COMMENT 'The deal''s owner is the credited rep',
  has_subject_match   BOOLEAN COMMENT 'A word of the deal''s name (not of the account''s name) is in the subject',
  has_thread_match    BOOLEAN COMMENT 'The activity replies to a message whose first-pass primary deal is clearly this one',
  is_open_at_activity BOOLEAN COMMENT 'The deal was open when the activity happened',
  rule_version        STRING COMMENT 'Attribution rule version',
  run_id              STRING COMMENT 'Run that last computed the row',
  probability         DOUBLE COMMENT 'Probability that this is the activity''s deal (calibrated model with the logged link as evidence); an activity''s candidates sum to 1',
  is_logged_deal      BOOLEAN COMMENT 'The CRM record logging this activity names this deal',
  is_thread_logged_deal BOOLEAN COMMENT 'Another message of the same email thread was logged against this deal',
  is_contact_recent_deal BOOLEAN COMMENT 'This deal is the one most recently logged with one of the activity''s contacts before it (within attribution.continuity-days)',
  is_rep_contact_recent_deal BOOLEAN COMMENT 'Likewise, logged by the same rep with that contact',
  is_contact_recent_confident_deal BOOLEAN COMMENT 'This deal was the confident first-pass pick (probability >= 0.9) of the latest earlier activity with one of the activity''s contacts in the recomputed dates',
  is_rep_contact_recent_confident_deal BOOLEAN COMMENT 'Likewise, for the latest earlier activity of the same rep with that contact',
  model_version       STRING COMMENT 'Model that scored the deal (see fct_activities.model_version)'
)
USING DELTA
COMMENT 'Credit of activities to deals. Grain: one row per activity and credited opportunity (the primary, and other candidates with at least attribution.min-credit-weight probability, up to attribution.split-cap); the credit_weight of an activity''s rows sums to 1.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'activity_date');
