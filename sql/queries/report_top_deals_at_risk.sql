-- The 15 largest open deals at risk on the snapshot of :as_of (largest in the corporate currency; amount
-- is in each deal's currency_code), with their reasons and last two-way touch (the report's section 3,
-- the list under the chart).
-- Parameters: :as_of (a date), :team (a manager node of dim_teams; '' for everyone).
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/report_top_deals_at_risk.sql \
--        --param as_of=2026-11-03 --param team=
SELECT
  e.opportunity_id,
  coalesce(a.account_name, e.account_id) AS account_name,
  coalesce(u.full_name, e.owner_user_id) AS owner_name,
  coalesce(u.manager_name, '(no manager)') AS team_name,
  e.stage_name,
  e.amount,
  e.currency_code,
  e.amount_in_corporate_currency,
  e.close_date,
  e.risk_reasons,
  e.last_two_way_touch_date,
  e.days_since_last_two_way_touch
FROM fct_opportunity_engagement_daily e
LEFT JOIN dim_users u ON u.user_id = e.owner_user_id AND u.is_current
LEFT JOIN stg_crm__accounts a ON a.account_id = e.account_id
WHERE e.snapshot_date = CAST(:as_of AS DATE) AND NOT e.is_closed AND e.risk_reasons <> ''
  AND (:team = '' OR e.owner_user_id IN (
    SELECT member_user_id FROM dim_teams WHERE hierarchy = 'manager' AND node_id = :team AND is_current))
ORDER BY e.amount_in_corporate_currency DESC NULLS LAST, e.opportunity_id
LIMIT 15;
