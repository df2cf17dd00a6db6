-- Incentive spend beside results per first-line team for the quarter holding :as_of (the report's
-- section 6): what each team was paid net and the won amount credited to it.
-- Parameters: :as_of (a date), :team (a manager node of dim_teams; '' for the whole org). The teams
--   shown are the first-line teams (dim_teams.is_first_line: managers with a direct report who
--   manages no one) in :team's tree, the 8 paid most in the latest reconciled quarter starting on
--   or before :as_of. Every manager node, upper levels included, is in
--   incentive_spend_vs_results_by_team.
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/report_incentive_spend_by_team.sql \
--        --param as_of=2026-11-03 --param team=
WITH first_line AS (
  SELECT DISTINCT node_id FROM dim_teams
  WHERE hierarchy = 'manager' AND is_first_line
    AND (:team = '' OR node_id IN (
      SELECT member_user_id FROM dim_teams WHERE hierarchy = 'manager' AND node_id = :team AND is_current))
),
quarter AS (
  SELECT max(period_start) AS period_start FROM fct_incentive_reconciliation
  WHERE hierarchy = 'manager' AND period_type = 'quarter' AND period_start <= CAST(:as_of AS DATE)
),
ranked AS (
  SELECT r.period_start, r.node_id, r.node_name, r.net_paid, r.credited_won_amount,
    row_number() OVER (ORDER BY r.net_paid DESC NULLS LAST, r.node_id) AS paid_rank
  FROM fct_incentive_reconciliation r JOIN quarter q USING (period_start) JOIN first_line f USING (node_id)
  WHERE r.hierarchy = 'manager' AND r.period_type = 'quarter'
)
SELECT
  period_start AS quarter_start,
  node_id AS manager_user_id,
  node_name AS manager_name,
  net_paid,
  credited_won_amount
FROM ranked
WHERE paid_rank <= 8
ORDER BY paid_rank;
