-- Which activity mix precedes won versus lost deals: for every closed deal, the activities
-- credited to it over its life (credit-weighted, by type; two-way = inbound emails, connected
-- calls, held meetings), averaged per outcome, with the share of each type.
-- Run: scripts/salespulse sql --warehouse data/warehouse -f sql/queries/activity_mix_won_vs_lost.sql
WITH closed AS (
  SELECT opportunity_id, CASE WHEN is_won THEN 'won' ELSE 'lost' END AS outcome
  FROM stg_crm__opportunities WHERE is_closed AND NOT is_deleted
),
per_deal AS (
  SELECT
    c.opportunity_id,
    c.outcome,
    coalesce(sum(cr.credit_weight), 0) AS activities,
    coalesce(sum(CASE WHEN a.activity_type = 'email' THEN cr.credit_weight END), 0) AS emails,
    coalesce(sum(CASE WHEN a.activity_type = 'meeting' THEN cr.credit_weight END), 0) AS meetings,
    coalesce(sum(CASE WHEN a.activity_type = 'call' THEN cr.credit_weight END), 0) AS calls,
    coalesce(sum(CASE WHEN a.activity_type = 'meeting'
                        OR (a.activity_type = 'email' AND a.direction = 'inbound')
                        OR (a.activity_type = 'call' AND a.call_disposition = 'connected')
                      THEN cr.credit_weight END), 0) AS two_way_touches
  FROM closed c
  LEFT JOIN fct_activity_opportunity_credits cr ON cr.opportunity_id = c.opportunity_id
  LEFT JOIN fct_activities a ON a.activity_id = cr.activity_id
  GROUP BY c.opportunity_id, c.outcome
)
SELECT
  outcome,
  count(*) AS deals,
  round(avg(activities), 2) AS avg_activities,
  round(avg(emails), 2) AS avg_emails,
  round(avg(meetings), 2) AS avg_meetings,
  round(avg(calls), 2) AS avg_calls,
  round(avg(two_way_touches), 2) AS avg_two_way_touches,
  round(sum(meetings) / nullif(sum(activities), 0), 4) AS meeting_share,
  round(sum(two_way_touches) / nullif(sum(activities), 0), 4) AS two_way_share
FROM per_deal
GROUP BY outcome
ORDER BY outcome DESC;
