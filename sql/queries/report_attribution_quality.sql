-- How far to trust the activity figures (the report's section 5): the activities of the period
-- holding :as_of up to :as_of, by attribution outcome. One row per outcome: a confidence band of
-- the attributed ('attributed 0.9-1.0' and so on, by the calibrated attribution_confidence), or the
-- unmatched_reason of those without a deal ('unmatched: <reason>').
-- Parameters: :as_of (a date), :period_type ('quarter' or 'month').
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/report_attribution_quality.sql \
--        --param as_of=2026-11-03 --param period_type=quarter
WITH period AS (
  SELECT max(period_start) AS period_start FROM fct_rep_performance
  WHERE period_type = :period_type AND CAST(:as_of AS DATE) BETWEEN period_start AND period_end
),
bands AS (
  SELECT
    CASE WHEN a.opportunity_id IS NULL THEN 'unmatched'
         ELSE 'attributed' END AS outcome,
    CASE WHEN a.opportunity_id IS NULL THEN coalesce(a.unmatched_reason, 'unknown')
         ELSE format_string('%.1f-%.1f', least(floor(a.attribution_confidence * 10), 9) / 10,
                            least(floor(a.attribution_confidence * 10), 9) / 10 + 0.1) END AS detail
  FROM fct_activities a CROSS JOIN period p
  WHERE a.activity_date BETWEEN p.period_start AND CAST(:as_of AS DATE)
)
SELECT outcome, detail, count(*) AS activities, round(count(*) / sum(count(*)) OVER (), 4) AS share
FROM bands
GROUP BY outcome, detail
ORDER BY outcome, detail;
