-- Stage conversion and velocity, over all opportunity history: per stage, how many deals entered
-- it, how many left it for a later open stage or won, how many are still in it, how many were
-- lost from it, and the median and average days spent there (finished intervals).
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/stage_conversion_and_velocity.sql
WITH intervals AS (
  SELECT
    s.*,
    lead(s.is_closed_stage) OVER (PARTITION BY s.opportunity_id ORDER BY s.stage_sequence) AS next_is_closed,
    s.opportunity_outcome AS outcome
  FROM fct_opportunity_stage_history s
)
SELECT
  stage_name,
  count(*) AS deals_entered,
  count_if(NOT is_closed_stage AND exited_at IS NOT NULL AND NOT (next_is_closed AND outcome = 'lost')) AS deals_advanced,
  count_if(NOT is_closed_stage AND exited_at IS NULL) AS deals_in_stage_now,
  count_if(NOT is_closed_stage AND next_is_closed AND outcome = 'lost') AS deals_lost_from_stage,
  round(count_if(NOT is_closed_stage AND exited_at IS NOT NULL AND NOT (next_is_closed AND outcome = 'lost'))
    / nullif(count_if(NOT is_closed_stage AND exited_at IS NOT NULL), 0), 4) AS conversion_rate,
  round(percentile(duration_days, 0.5), 1) AS median_days_in_stage,
  round(avg(duration_days), 1) AS avg_days_in_stage
FROM intervals
WHERE NOT is_closed_stage
GROUP BY stage_name
ORDER BY avg(probability_at_entry), stage_name;
