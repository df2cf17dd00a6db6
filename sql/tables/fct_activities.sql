-- fct_activities
-- grain: activity_id (unique and not null; checked by TableContractTest)
-- zorder: activity_date (unpartitioned; maintain rewrites the table in this order when it was written since its last run, so a night that replaces a span of dates rewrites only the files holding them, and a query on dates reads only those)
CREATE TABLE IF NOT EXISTS fct_activities (
  activity_id                STRING COMMENT 'Stable id: first 32 hex characters of sha256(activity_type:source_id)',
  activity_type              STRING COMMENT 'email, meeting or call',
  source_id                  STRING COMMENT 'message_id, event_id or call_id in the source system; the CRM Task or Event Id for an activity logged in the CRM with no communication record',
  occurred_at                TIMESTAMP COMMENT 'When the email was sent, the meeting started or the call started (UTC)',
  activity_date              DATE COMMENT 'occurred_at as a date in the org timezone (org.timezone); partition column',
  direction                  STRING COMMENT 'outbound, inbound or internal (calls: the dialer''s direction)',
  user_id                    STRING COMMENT 'Rep credited: the internal actor (outbound sender, first internal recipient of inbound mail, meeting organiser, call user)',
  manager_user_id            STRING COMMENT 'The rep''s manager as of occurred_at (stg_crm__user_versions)',
  user_role_id               STRING COMMENT 'The rep''s role as of occurred_at (stg_crm__user_versions)',
  account_id                 STRING COMMENT 'Account of the primary deal, else the best-evidenced account; null when none',
  opportunity_id             STRING COMMENT 'Primary deal: the most probable candidate whenever the activity has one; null when none (see unmatched_reason). Filter on attribution_confidence for your own precision',
  attribution_confidence     DOUBLE COMMENT '0-1: the calibrated probability that opportunity_id is the right deal (model_version says which model; a rules-* version is the configured-weights fallback, not calibrated); for an account without deal, the account''s share of account evidence; 0 when unattributed',
  attribution_method         STRING COMMENT 'Decisive evidence: logged_link, single_candidate, thread_inheritance, conversation_continuity, contact_role, subject_match, owner_match, highest_score; contact_match or domain_match for an account without deal; none',
  unmatched_reason           STRING COMMENT 'Why no deal: internal_only, unknown_domain, unknown_number, freemail_no_contact, no_eligible_deal (account kept); null when a deal is named',
  candidate_count            INT COMMENT 'Candidate deals scored',
  credited_count             INT COMMENT 'Deals credited in fct_activity_opportunity_credits (the primary, and other deals with at least attribution.min-credit-weight probability, up to attribution.split-cap)',
  duration_seconds           INT COMMENT 'Meeting or call duration in seconds; null for email',
  call_disposition           STRING COMMENT 'connected, no_answer, voicemail, busy or failed for calls; null otherwise',
  internal_participant_count INT COMMENT 'Distinct company participants (users or internal domains)',
  external_participant_count INT COMMENT 'Distinct outside participants (addresses or phone numbers)',
  contact_ids                ARRAY<STRING> COMMENT 'CRM Contact Ids of the outside participants recognised as contacts (ids only, no addresses); empty when none',
  rule_version               STRING COMMENT 'Attribution rule version: configured version and a digest of weights and thresholds',
  run_id                     STRING COMMENT 'Run that last computed the row (salespulse-<run date>)',
  is_logged                  BOOLEAN COMMENT 'A rep logged this activity in the CRM (Task, Event or EmailMessage)',
  logged_opportunity_id      STRING COMMENT 'The deal the CRM record was logged against, when it names a live deal (strong evidence, not truth: reps mis-log)',
  model_version              STRING COMMENT 'Model that scored the deals: attr-<training run date> (learned from this org''s logged activity, calibrated), or rules-<rule_version> (configured weights: too few labels to learn)',
  thread_opportunity_id      STRING COMMENT 'The deal a reply to this activity inherits (thread_inheritance): its top deal by the configured rule weights when the runner-up scored at least attribution.split-margin less; null otherwise. Kept so that a night re-attributing later activities inherits as a whole-history run would',
  first_pass_opportunity_id  STRING COMMENT 'The first pass''s primary deal (logged and rule evidence, before continuity from confident picks) when its probability was at least 0.9; null otherwise. Later activities with the same contacts take it as conversation continuity; kept so that a night re-attributing them counts it as a whole-history run would',
  logged_record_ids          ARRAY<STRING> COMMENT 'Ids of the CRM records (Task, Event, EmailMessage) that logged this activity, sorted; empty when none. A night that stages one of them again re-attributes from the date this row is stored at, so an activity whose logging moved is not kept twice'
)
USING DELTA
COMMENT 'Activities attributed to rep, account and deal. Grain: one row per distinct activity (email message, held meeting, call, or a call, email or meeting logged only in the CRM); a logged record matching a communication record is the same activity; cancelled meetings and meetings every invitee declined are not activities.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'occurred_at,activity_date');
