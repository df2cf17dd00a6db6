-- Pay versus performance by attainment band: payees with a quota in each fiscal quarter, banded
-- by attainment (<50%, 50-75%, 75-100%, 100-125%, >125%), with what the band was paid, won and
-- did. A plan that pays for performance pays more per head, and less per won dollar, as the band
-- rises.
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/incentive_pay_vs_performance_by_attainment_band.sql
WITH banded AS (
  SELECT
    period_start,
    node_id,
    net_paid,
    credited_won_amount,
    activity_count,
    attainment,
    CASE
      WHEN attainment < 0.5 THEN 1
      WHEN attainment < 0.75 THEN 2
      WHEN attainment < 1.0 THEN 3
      WHEN attainment <= 1.25 THEN 4
      ELSE 5 END AS band_order
  FROM fct_incentive_reconciliation
  WHERE hierarchy = 'payee' AND period_type = 'quarter' AND quota_amount > 0
)
SELECT
  period_start AS quarter_start,
  band_order,
  CASE band_order WHEN 1 THEN '<50%' WHEN 2 THEN '50-75%' WHEN 3 THEN '75-100%' WHEN 4 THEN '100-125%'
    ELSE '>125%' END AS attainment_band,
  count(*) AS payees,
  sum(net_paid) AS net_paid,
  round(sum(net_paid) / count(*), 2) AS net_paid_per_payee,
  sum(credited_won_amount) AS credited_won_amount,
  round(sum(net_paid) / nullif(sum(credited_won_amount), 0), 4) AS effective_rate,
  round(avg(attainment), 4) AS avg_attainment,
  sum(activity_count) AS activity_count
FROM banded
GROUP BY period_start, band_order
ORDER BY period_start DESC, band_order;
