-- Activity pace against attainment per rep for the period holding :as_of (the report's section 1).
-- Parameters: :as_of (a date, 'YYYY-MM-DD'), :period_type ('quarter' or 'month'), :team (a manager
--   node of dim_teams: its current members; '' for everyone).
-- activity_pace_ratio is activity_count over the median of the rep's team at the same point of the
-- period (1 = the team median); attainment is won_amount / quota_amount (null without a quota);
-- median_attainment is the median over the reps listed. Figures are as of as_of_date (the latest
-- run date while the period runs, the period end after).
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/report_rep_pace.sql \
--        --param as_of=2026-11-03 --param period_type=quarter --param team=
WITH reps AS (
  SELECT
    p.user_id,
    coalesce(u.full_name, p.user_id) AS rep_name,
    coalesce(u.manager_name, '(no manager)') AS team_name,
    p.period_start,
    p.period_end,
    p.as_of_date,
    p.activity_count,
    p.team_median_activity_count,
    p.activity_pace_ratio,
    p.won_amount,
    p.quota_amount,
    p.attainment,
    p.pipeline_coverage,
    coalesce(p.is_at_risk, false) AS is_at_risk,
    coalesce(p.at_risk_reason, '') AS at_risk_reason
  FROM fct_rep_performance p
  LEFT JOIN dim_users u ON u.user_id = p.user_id AND u.is_current
  WHERE p.period_type = :period_type
    AND CAST(:as_of AS DATE) BETWEEN p.period_start AND p.period_end
    AND (:team = '' OR p.user_id IN (
      SELECT member_user_id FROM dim_teams WHERE hierarchy = 'manager' AND node_id = :team AND is_current))
)
SELECT *, percentile(attainment, 0.5) OVER () AS median_attainment
FROM reps
ORDER BY is_at_risk DESC, activity_pace_ratio, user_id;
