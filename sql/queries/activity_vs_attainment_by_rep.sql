-- Activity versus attainment by rep, this quarter to date.
-- "This quarter" is the fiscal quarter holding the latest run date; one row per person with a
-- quota or any activity, deal or result in it, best attainment first. Activity columns are counts
-- of attributed activities; attainment = won_amount / quota_amount.
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/activity_vs_attainment_by_rep.sql
WITH this_quarter AS (
  SELECT max(period_start) AS period_start FROM fct_rep_performance
  WHERE period_type = 'quarter' AND period_start <= (SELECT max(as_of_date) FROM fct_rep_performance)
)
SELECT
  p.user_id,
  u.full_name,
  u.manager_name,
  p.period_start AS quarter_start,
  p.as_of_date,
  p.activity_count,
  p.emails_sent,
  p.meetings_held,
  p.connected_calls,
  p.deals_touched,
  p.pipeline_created,
  p.won_count,
  p.won_amount,
  p.quota_amount,
  p.attainment,
  p.pipeline_coverage
FROM fct_rep_performance p
JOIN this_quarter q ON p.period_start = q.period_start
LEFT JOIN dim_users u ON u.user_id = p.user_id AND u.is_current
WHERE p.period_type = 'quarter'
ORDER BY p.attainment DESC NULLS LAST, p.activity_count DESC, p.user_id;
