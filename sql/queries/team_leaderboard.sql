-- Team leaderboard, this quarter to date: every manager's team (direct and indirect reports and
-- the manager, each counted in the team they were in when it happened), ranked by attainment
-- within its level of the hierarchy.
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/team_leaderboard.sql
WITH this_quarter AS (
  SELECT max(period_start) AS period_start FROM fct_team_performance
  WHERE period_type = 'quarter' AND period_start <= (SELECT max(as_of_date) FROM fct_rep_performance)
)
SELECT
  rank() OVER (PARTITION BY t.node_depth ORDER BY t.attainment DESC NULLS LAST, t.won_amount DESC) AS rank_in_level,
  t.node_depth,
  t.node_id AS manager_user_id,
  t.node_name AS manager_name,
  t.headcount,
  t.activity_count,
  t.meetings_held,
  t.pipeline_created,
  t.won_count,
  t.won_amount,
  t.quota_amount,
  t.attainment,
  t.win_rate_count,
  t.reps_at_or_above_quota,
  t.attainment_median
FROM fct_team_performance t
JOIN this_quarter q ON t.period_start = q.period_start
WHERE t.hierarchy = 'manager' AND t.period_type = 'quarter'
  AND t.node_id <> '(unassigned)'  -- people with no manager and no reports: not a team
ORDER BY t.node_depth, rank_in_level, t.node_id;
