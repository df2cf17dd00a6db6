-- Summary of a warehouse after a run of nightly dates: rows per table; per input dataset the rows
-- read, staged, quarantined and collapsed as duplicates (latest successful attempt of each run
-- date); activities by attribution outcome; and the run timings. One result: `section` tells which part a row belongs to.
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/local_run_summary.sql
WITH latest AS (
  SELECT * FROM (
    SELECT a.*, row_number() OVER (PARTITION BY run_date ORDER BY started_at DESC) AS attempt_rank
    FROM audit_runs a WHERE status = 'succeeded'
  ) WHERE attempt_rank = 1
),
tables AS (
  SELECT 'stg_crm__users' AS name, count(*) AS row_count FROM stg_crm__users
  UNION ALL SELECT 'stg_crm__user_versions', count(*) FROM stg_crm__user_versions
  UNION ALL SELECT 'stg_crm__user_roles', count(*) FROM stg_crm__user_roles
  UNION ALL SELECT 'stg_crm__accounts', count(*) FROM stg_crm__accounts
  UNION ALL SELECT 'stg_crm__contacts', count(*) FROM stg_crm__contacts
  UNION ALL SELECT 'stg_crm__opportunities', count(*) FROM stg_crm__opportunities
  UNION ALL SELECT 'stg_crm__opportunity_versions', count(*) FROM stg_crm__opportunity_versions
  UNION ALL SELECT 'stg_crm__opportunity_history', count(*) FROM stg_crm__opportunity_history
  UNION ALL SELECT 'stg_crm__opportunity_contact_roles', count(*) FROM stg_crm__opportunity_contact_roles
  UNION ALL SELECT 'stg_crm__forecasting_quotas', count(*) FROM stg_crm__forecasting_quotas
  UNION ALL SELECT 'stg_crm__opportunity_splits', count(*) FROM stg_crm__opportunity_splits
  UNION ALL SELECT 'stg_comms__emails', count(*) FROM stg_comms__emails
  UNION ALL SELECT 'stg_comms__meetings', count(*) FROM stg_comms__meetings
  UNION ALL SELECT 'stg_comms__calls', count(*) FROM stg_comms__calls
  UNION ALL SELECT 'stg_comp__payouts', count(*) FROM stg_comp__payouts
  UNION ALL SELECT 'fct_activities', count(*) FROM fct_activities
  UNION ALL SELECT 'fct_activity_opportunity_credits', count(*) FROM fct_activity_opportunity_credits
  UNION ALL SELECT 'dim_users', count(*) FROM dim_users
  UNION ALL SELECT 'dim_teams', count(*) FROM dim_teams
  UNION ALL SELECT 'fct_opportunity_stage_history', count(*) FROM fct_opportunity_stage_history
  UNION ALL SELECT 'fct_opportunity_engagement_daily', count(*) FROM fct_opportunity_engagement_daily
  UNION ALL SELECT 'fct_rep_performance', count(*) FROM fct_rep_performance
  UNION ALL SELECT 'fct_team_performance', count(*) FROM fct_team_performance
  UNION ALL SELECT 'fct_incentive_payouts', count(*) FROM fct_incentive_payouts
  UNION ALL SELECT 'fct_incentive_exceptions', count(*) FROM fct_incentive_exceptions
  UNION ALL SELECT 'fct_incentive_reconciliation', count(*) FROM fct_incentive_reconciliation
  UNION ALL SELECT 'quarantine_records', count(*) FROM quarantine_records
  UNION ALL SELECT 'audit_runs', count(*) FROM audit_runs
),
datasets AS (
  SELECT c.dataset AS name, sum(c.rows_read) AS rows_read, sum(c.rows_staged) AS rows_staged,
         sum(c.rows_quarantined) AS rows_quarantined, sum(c.rows_duplicate) AS rows_duplicate
  FROM latest LATERAL VIEW explode(dataset_counts) d AS c
  GROUP BY c.dataset
),
runs AS (
  SELECT count(*) AS run_dates,
         round(sum(unix_millis(ended_at) - unix_millis(started_at)) / 1000.0, 1) AS total_seconds,
         round(avg(unix_millis(ended_at) - unix_millis(started_at)) / 1000.0, 1) AS avg_seconds,
         round(max(unix_millis(ended_at) - unix_millis(started_at)) / 1000.0, 1) AS max_seconds
  FROM latest
)
SELECT 'table' AS section, name, row_count AS rows, NULL AS rows_read, NULL AS rows_staged,
       NULL AS rows_quarantined, NULL AS rows_duplicate, NULL AS seconds FROM tables
UNION ALL
SELECT 'dataset', name, NULL, rows_read, rows_staged, rows_quarantined, rows_duplicate, NULL FROM datasets
UNION ALL
SELECT 'attribution', concat(activity_type, ': ', coalesce(unmatched_reason, 'deal credited')), count(*), NULL, NULL,
       NULL, NULL, NULL
FROM fct_activities GROUP BY activity_type, unmatched_reason
UNION ALL
SELECT 'incentive exceptions', concat(severity, ': ', exception_code), count(*), NULL, NULL, NULL, NULL, NULL
FROM fct_incentive_exceptions GROUP BY severity, exception_code
UNION ALL
SELECT 'runs', concat(run_dates, ' run dates'), NULL, NULL, NULL, NULL, NULL, total_seconds FROM runs
UNION ALL
SELECT 'runs', 'seconds per run date (avg)', NULL, NULL, NULL, NULL, NULL, avg_seconds FROM runs
UNION ALL
SELECT 'runs', 'seconds per run date (max)', NULL, NULL, NULL, NULL, NULL, max_seconds FROM runs
