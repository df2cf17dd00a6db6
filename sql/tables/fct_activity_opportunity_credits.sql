-- fct_activity_opportunity_credits
CREATE TABLE IF NOT EXISTS fct_activity_opportunity_credits (
  activity_id         STRING COMMENT 'Activity (fct_activities.activity_id)',
  opportunity_id      STRING COMMENT 'Credited opportunity',
  account_id          STRING COMMENT 'Account of the opportunity',
  activity_date       DATE COMMENT 'Activity date in the org timezone; partition column',
  credit_weight       DOUBLE COMMENT 'Share of the activity credited to this deal (score / sum of credited scores)',
  is_primary          BOOLEAN COMMENT 'True for the activity''s primary deal (fct_activities.opportunity_id)',
  candidate_rank      INT COMMENT 'Rank among the activity''s candidates (1 = primary)',
  score               DOUBLE COMMENT 'Evidence score: weighted sum of the evidence columns (weights in configuration)',
  account_score       DOUBLE COMMENT 'Account evidence: 2 per matching contact plus 1 per participant on the account''s domain',
  has_contact_role    BOOLEAN COMMENT 'A participant is a contact role on the deal',
  has_primary_contact BOOLEAN COMMENT 'A participant is the deal''s primary contact',
  is_owner_match      BOOLEAN COMMENT 'The deal''s owner is the credited rep',
  has_subject_match   BOOLEAN COMMENT 'A word of the deal''s name (not of the account''s name) is in the subject',
  has_thread_match    BOOLEAN COMMENT 'The activity replies to a message whose primary deal is this one',
  is_open_at_activity BOOLEAN COMMENT 'The deal was open when the activity happened',
  rule_version        STRING COMMENT 'Attribution rule version',
  run_id              STRING COMMENT 'Run that last computed the row'
)
USING DELTA
PARTITIONED BY (activity_date)
COMMENT 'Credit of activities to deals. Grain: one row per activity and credited opportunity; the credit_weight of an activity''s rows sums to 1.';
