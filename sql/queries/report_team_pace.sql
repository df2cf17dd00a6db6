-- Cumulative activity and won amount per team through the period holding :as_of, day by day, beside
-- the team's quota pro rata (the report's section 2).
-- Parameters: :as_of (a date), :period_type ('quarter' or 'month'), :team (a manager node of
--   dim_teams; '' for the whole org). The teams shown are the first-line teams
--   (dim_teams.is_first_line: managers with a direct report who manages no one) in :team's tree,
--   the 8 with the largest quota of the period.
-- quota_to_date is the period's quota_amount times the share of the period's days elapsed.
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/report_team_pace.sql \
--        --param as_of=2026-11-03 --param period_type=quarter --param team=
WITH first_line AS (
  SELECT DISTINCT node_id FROM dim_teams
  WHERE hierarchy = 'manager' AND is_first_line
    AND (:team = '' OR node_id IN (
      SELECT member_user_id FROM dim_teams WHERE hierarchy = 'manager' AND node_id = :team AND is_current))
),
candidates AS (
  SELECT t.node_id, t.node_name, t.period_start, t.period_end, t.quota_amount,
    datediff(t.period_end, t.period_start) + 1 AS days_in_period,
    row_number() OVER (ORDER BY t.quota_amount DESC NULLS LAST, t.node_id) AS quota_rank
  FROM fct_team_performance t JOIN first_line USING (node_id)
  WHERE t.hierarchy = 'manager' AND t.period_type = :period_type
    AND CAST(:as_of AS DATE) BETWEEN t.period_start AND t.period_end
),
teams AS (SELECT node_id, node_name FROM candidates WHERE quota_rank <= 8),
period AS (
  SELECT node_id, period_start, period_end, quota_amount, days_in_period FROM candidates WHERE quota_rank <= 8
),
days AS (
  SELECT p.node_id, d.day, p.period_start, p.quota_amount, p.days_in_period
  FROM period p
  LATERAL VIEW explode(sequence(p.period_start, least(p.period_end, CAST(:as_of AS DATE)), INTERVAL 1 DAY)) d AS day
),
daily AS (
  SELECT d.node_id, d.day, d.period_start, d.quota_amount, d.days_in_period,
    coalesce(t.activity_count, 0) AS activity_count, coalesce(t.won_amount, 0) AS won_amount
  FROM days d
  LEFT JOIN fct_team_performance t
    ON t.hierarchy = 'manager' AND t.period_type = 'day' AND t.node_id = d.node_id AND t.period_start = d.day
)
SELECT
  d.node_id,
  tm.node_name AS team_name,
  d.day,
  sum(d.activity_count) OVER w AS cumulative_activity_count,
  sum(d.won_amount) OVER w AS cumulative_won_amount,
  d.quota_amount,
  CAST(d.quota_amount * (datediff(d.day, d.period_start) + 1) / d.days_in_period AS DECIMAL(18,2)) AS quota_to_date
FROM daily d JOIN teams tm USING (node_id)
WINDOW w AS (PARTITION BY d.node_id ORDER BY d.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY team_name, d.node_id, d.day;
