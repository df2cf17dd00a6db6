-- Reps lagging their team's activity pace, this quarter to date: the early warning in
-- fct_rep_performance (activity against the median of the reps sharing the manager, at the same
-- point of the quarter; pipeline coverage of the quota still to win). Only reps flagged at risk,
-- slowest first, so a leader can act weeks before the quarter closes.
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/lagging_reps_early_in_quarter.sql
SELECT
  p.user_id,
  u.full_name,
  u.manager_name,
  p.period_start AS quarter_start,
  p.as_of_date,
  p.days_elapsed,
  p.days_in_period,
  p.activity_count,
  p.team_median_activity_count,
  p.activity_pace_ratio,
  p.open_pipeline,
  p.remaining_quota,
  p.pipeline_coverage,
  p.at_risk_reason
FROM fct_rep_performance p
LEFT JOIN dim_users u ON u.user_id = p.user_id AND u.is_current
WHERE p.period_type = 'quarter' AND NOT p.is_period_complete AND p.is_at_risk
ORDER BY p.activity_pace_ratio ASC NULLS FIRST, p.user_id;
