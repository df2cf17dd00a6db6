-- Open deals at risk by team and reason on the snapshot of :as_of (the report's section 3): one row
-- per team (the owner's current manager) and risk flag, with the deals flagged and their amount at
-- stake (in the corporate currency: amount_in_corporate_currency). A deal with two flags counts under each.
-- Parameters: :as_of (a date), :team (a manager node of dim_teams: deals its current members own;
--   '' for everyone).
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/report_deals_at_risk.sql \
--        --param as_of=2026-11-03 --param team=
SELECT
  coalesce(u.manager_name, '(no manager)') AS team_name,
  f.reason,
  count(*) AS deals,
  sum(f.amount_in_corporate_currency) AS amount_at_stake
FROM (
  SELECT e.owner_user_id, e.amount_in_corporate_currency, explode(split(e.risk_reasons, ',')) AS reason
  FROM fct_opportunity_engagement_daily e
  WHERE e.snapshot_date = CAST(:as_of AS DATE) AND NOT e.is_closed AND e.risk_reasons <> ''
) f
LEFT JOIN dim_users u ON u.user_id = f.owner_user_id AND u.is_current
WHERE :team = '' OR f.owner_user_id IN (
  SELECT member_user_id FROM dim_teams WHERE hierarchy = 'manager' AND node_id = :team AND is_current)
GROUP BY 1, 2
ORDER BY team_name, reason;
