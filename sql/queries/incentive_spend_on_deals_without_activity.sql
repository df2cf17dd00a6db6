-- Incentive spend on deals without activity: payments on deals with no attributed email, call or
-- meeting by anyone over their whole life (deals entered after the fact, paid on someone else's
-- work, or worked outside the tracked channels), one row per deal, most paid first. paid_amount is in
-- the corporate currency (the lines may be paid in several); deal_amount in the deal's own currency.
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/incentive_spend_on_deals_without_activity.sql
SELECT
  p.opportunity_id,
  max(p.deal_stage_name) AS deal_stage_name,
  max(p.deal_amount) AS deal_amount,
  max(p.deal_close_date) AS deal_close_date,
  max(p.deal_owner_user_id) AS deal_owner_user_id,
  count(*) AS payments,
  count(DISTINCT p.payee_user_id) AS payees,
  concat_ws(',', array_sort(collect_set(p.payee_user_id))) AS payee_user_ids,
  sum(p.amount_in_corporate_currency) AS paid_amount,
  min(p.paid_date) AS first_paid_date
FROM fct_incentive_payouts p
WHERE p.is_deal_line AND p.is_deal_known AND p.amount > 0 AND p.deal_activity_count = 0
GROUP BY p.opportunity_id
ORDER BY paid_amount DESC, p.opportunity_id;
