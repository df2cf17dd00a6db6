-- Incentive exceptions by code (the report's section 6): lines flagged, amount paid on them and
-- amount at risk, worst severity first.
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/report_incentive_exceptions_by_code.sql
SELECT
  severity,
  exception_code,
  count(*) AS exceptions,
  sum(amount) AS amount,
  sum(amount_at_risk) AS amount_at_risk
FROM fct_incentive_exceptions
GROUP BY severity, exception_code
ORDER BY CASE severity WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, amount_at_risk DESC NULLS LAST, exception_code;
