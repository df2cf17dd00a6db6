-- fct_activities
CREATE TABLE IF NOT EXISTS fct_activities (
  activity_id                STRING COMMENT 'Stable id: first 32 hex characters of sha256(activity_type:source_id)',
  activity_type              STRING COMMENT 'email, meeting or call',
  source_id                  STRING COMMENT 'message_id, event_id or call_id in the source system',
  occurred_at                TIMESTAMP COMMENT 'When the email was sent, the meeting started or the call started (UTC)',
  activity_date              DATE COMMENT 'occurred_at as a date in the org timezone (org.timezone); partition column',
  direction                  STRING COMMENT 'outbound, inbound or internal (calls: the dialer''s direction)',
  user_id                    STRING COMMENT 'Rep credited: the internal actor (outbound sender, first internal recipient of inbound mail, meeting organiser, call user)',
  manager_user_id            STRING COMMENT 'The rep''s manager as of occurred_at (stg_crm__user_versions)',
  user_role_id               STRING COMMENT 'The rep''s role as of occurred_at (stg_crm__user_versions)',
  account_id                 STRING COMMENT 'Account of the primary deal, else the best-evidenced account; null when none',
  opportunity_id             STRING COMMENT 'Primary deal credited; null when none (see unmatched_reason)',
  attribution_confidence     DOUBLE COMMENT '0-1: the primary deal''s share of all candidate scores, else the account''s share of account evidence; 0 when unattributed',
  attribution_method         STRING COMMENT 'Rule that decided: thread_inheritance, single_candidate, split_credit, contact_role, subject_match, owner_match, highest_score; contact_match or domain_match for an account without deal; none',
  unmatched_reason           STRING COMMENT 'Why no deal: internal_only, unknown_domain, unknown_number, freemail_no_contact, no_eligible_deal (account kept); null when a deal is credited',
  candidate_count            INT COMMENT 'Candidate deals scored',
  credited_count             INT COMMENT 'Deals credited (more than one when scores were too close to pick)',
  duration_seconds           INT COMMENT 'Meeting or call duration in seconds; null for email',
  call_disposition           STRING COMMENT 'connected, no_answer, voicemail, busy or failed for calls; null otherwise',
  internal_participant_count INT COMMENT 'Distinct company participants (users or internal domains)',
  external_participant_count INT COMMENT 'Distinct outside participants (addresses or phone numbers)',
  contact_ids                ARRAY<STRING> COMMENT 'CRM Contact Ids of the outside participants recognised as contacts (ids only, no addresses); empty when none',
  rule_version               STRING COMMENT 'Attribution rule version: configured version and a digest of weights and thresholds',
  run_id                     STRING COMMENT 'Run that last computed the row (salespulse-<run date>)'
)
USING DELTA
PARTITIONED BY (activity_date)
COMMENT 'Activities attributed to rep, account and deal. Grain: one row per distinct activity (email message, held meeting, call); cancelled meetings and meetings every invitee declined are not activities.';
