-- Incentive spend versus results by team and fiscal quarter: what each manager's team (everyone
-- beneath the manager, as of each line's paid date) was paid, what it won, at what effective rate
-- and cost per activity, how much went to deals nobody worked, how much is in doubt, and how
-- closely pay followed the work on the deals paid (1 = exactly).
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/incentive_spend_vs_results_by_team.sql
SELECT
  r.period_start AS quarter_start,
  r.node_id AS manager_user_id,
  r.node_name AS manager_name,
  r.payout_lines,
  r.net_paid,
  r.commission_paid,
  r.clawback_amount,
  r.credited_won_amount,
  r.effective_rate,
  r.quota_amount,
  r.attainment,
  r.activity_count,
  r.cost_per_activity,
  r.paid_on_deals_without_activity,
  r.exception_count,
  r.exception_amount_high,
  r.paid_worked_alignment
FROM fct_incentive_reconciliation r
WHERE r.hierarchy = 'manager' AND r.period_type = 'quarter'
ORDER BY r.period_start DESC, r.net_paid DESC, r.node_id;
