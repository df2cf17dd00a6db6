-- Incentive exception queue for finance: every payout line (and every won deal a credited person
-- was not paid on) that needs a second look before the next pay run, worst first: high severity,
-- then the most money at risk (compared in the corporate currency). Codes and thresholds: README,
-- "Incentive reconciliation".
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/incentive_exception_queue.sql
SELECT
  e.severity,
  e.exception_code,
  e.payout_id,
  e.payee_user_id,
  p.payee_name,
  e.opportunity_id,
  e.component,
  e.amount,
  e.amount_at_risk,
  e.currency_code,
  e.amount_at_risk_in_corporate_currency,
  e.evidence,
  e.related_payout_id,
  e.reference_date,
  e.as_of_date
FROM fct_incentive_exceptions e
LEFT JOIN fct_incentive_payouts p ON p.payout_id = e.payout_id
ORDER BY CASE e.severity WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
  e.amount_at_risk_in_corporate_currency DESC NULLS LAST, e.exception_code, e.exception_id;
