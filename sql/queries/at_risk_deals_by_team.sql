-- At-risk deals by team, as of the latest snapshot: every open deal with at least one risk flag,
-- grouped under the owner's current manager, with the reasons (see the flags' comments in
-- fct_opportunity_engagement_daily for the thresholds). Most flags first, then the largest deals (by
-- their amount in the corporate currency; amount is in the deal's own currency_code).
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/at_risk_deals_by_team.sql
WITH latest AS (SELECT max(snapshot_date) AS snapshot_date FROM fct_opportunity_engagement_daily)
SELECT
  coalesce(u.manager_name, '(no manager)') AS team,
  u.manager_user_id AS team_manager_user_id,
  u.full_name AS owner_name,
  e.owner_user_id,
  e.opportunity_id,
  e.stage_name,
  e.amount,
  e.currency_code,
  e.amount_in_corporate_currency,
  e.close_date,
  e.days_since_last_activity,
  e.contacts_engaged_30d,
  e.risk_reasons,
  size(split(e.risk_reasons, ',')) AS risk_count,
  e.snapshot_date
FROM fct_opportunity_engagement_daily e
JOIN latest l ON e.snapshot_date = l.snapshot_date
LEFT JOIN dim_users u ON u.user_id = e.owner_user_id AND u.is_current
WHERE NOT e.is_closed AND e.risk_reasons <> ''
ORDER BY team, risk_count DESC, e.amount_in_corporate_currency DESC, e.opportunity_id;
