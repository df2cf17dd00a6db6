-- Incentive exceptions by code (the report's section 6): lines flagged, amount paid on them and
-- amount at risk (both in the corporate currency: the lines may be paid in several), worst severity first.
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/report_incentive_exceptions_by_code.sql
SELECT
  severity,
  exception_code,
  count(*) AS exceptions,
  sum(amount_in_corporate_currency) AS amount,
  sum(amount_at_risk_in_corporate_currency) AS amount_at_risk
FROM fct_incentive_exceptions
GROUP BY severity, exception_code
ORDER BY CASE severity WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, amount_at_risk DESC NULLS LAST, exception_code;
