-- fct_rep_performance
-- grain: user_id, period_type, period_start (unique and not null; checked by TableContractTest)
-- zorder: period_start (unpartitioned; maintain rewrites the table in this order when it was written since its last run, so a night that replaces a span of dates rewrites only the files holding them, and a query on dates reads only those)
CREATE TABLE IF NOT EXISTS fct_rep_performance (
  user_id                    STRING COMMENT 'CRM User Id of the person',
  period_type                STRING COMMENT 'day, week (ISO, Monday start), month or quarter (fiscal, from rollup.fiscal-year-start-month); partition column',
  period_start               DATE COMMENT 'First day of the period (org timezone)',
  period_end                 DATE COMMENT 'Last day of the period (inclusive)',
  fiscal_year                INT COMMENT 'Fiscal year of period_start, named after the calendar year it ends in',
  manager_user_id            STRING COMMENT 'Manager of the person as of as_of_date (team for the pace median)',
  activity_count             BIGINT COMMENT 'Activities (emails, held meetings, calls) of the people counted',
  emails_sent                BIGINT COMMENT 'Outbound emails',
  emails_received            BIGINT COMMENT 'Inbound emails',
  meetings_held              BIGINT COMMENT 'Held meetings',
  connected_calls            BIGINT COMMENT 'Calls with disposition connected',
  call_minutes               DOUBLE COMMENT 'Minutes of connected calls',
  accounts_touched           BIGINT COMMENT 'Distinct accounts of those activities',
  deals_touched              BIGINT COMMENT 'Distinct primary deals of those activities',
  deals_created              BIGINT COMMENT 'Opportunities created in the period (credited to the first owner)',
  pipeline_created           DECIMAL(18,2) COMMENT 'Amount of those opportunities when first seen',
  stage_advances             BIGINT COMMENT 'Moves to an open stage of higher probability (credited to the owner at the time)',
  won_count                  BIGINT COMMENT 'Distinct deals won with a close date in the period (a split deal counts for each split owner, once per team)',
  won_amount                 DECIMAL(18,2) COMMENT 'Amount won: the deal owner at close, or OpportunitySplit shares (normalised to 100%, remainder to the largest share)',
  lost_count                 BIGINT COMMENT 'Distinct deals lost with a close date in the period',
  lost_amount                DECIMAL(18,2) COMMENT 'Amount lost, credited like won_amount',
  quota_amount               DECIMAL(18,2) COMMENT 'Quota of the period (ForecastingQuota; only in periods at least as long as rollup.quota-period); null when none',
  attainment                 DOUBLE COMMENT 'won_amount / quota_amount',
  win_rate_count             DOUBLE COMMENT 'won_count / (won_count + lost_count)',
  win_rate_amount            DOUBLE COMMENT 'won_amount / (won_amount + lost_amount)',
  avg_deal_size              DECIMAL(18,2) COMMENT 'won_amount per won deal (split shares weighted)',
  avg_cycle_days             DOUBLE COMMENT 'Average days from creation to close of won deals (split shares weighted)',
  activities_per_won_deal    DOUBLE COMMENT 'Average credit-weighted activities over the whole life of the won deals (split shares weighted)',
  as_of_date                 DATE COMMENT 'Date the row is complete to: the period end, or the latest run date while the period runs',
  is_period_complete         BOOLEAN COMMENT 'True when the period ended on or before the latest run date',
  days_elapsed               INT COMMENT 'Days of the period up to as_of_date',
  days_in_period             INT COMMENT 'Days in the period',
  team_median_activity_count DOUBLE COMMENT 'Median activity_count of the people with the same manager in the same period',
  activity_pace_ratio        DOUBLE COMMENT 'activity_count / team_median_activity_count (same point of the period for everyone)',
  open_pipeline              DECIMAL(18,2) COMMENT 'Running periods: amount of the person''s open deals closing between as_of_date and period_end; null for complete periods',
  remaining_quota            DECIMAL(18,2) COMMENT 'quota_amount - won_amount, not below 0; null without quota',
  pipeline_coverage          DOUBLE COMMENT 'open_pipeline / remaining_quota; null when nothing remains',
  is_at_risk                 BOOLEAN COMMENT 'Running week, month or quarter: activity_pace_ratio below rollup.pace-ratio-at-risk or pipeline_coverage below rollup.coverage-at-risk; null otherwise',
  at_risk_reason             STRING COMMENT 'Comma-separated: activity_pace_below_team, pipeline_coverage_low; empty when not at risk',
  run_id                     STRING COMMENT 'Run that last computed the row'
)
USING DELTA
COMMENT 'Activity beside results per person and period, with early warning for running periods. Grain: one row per user_id, period_type and period_start for every person with an activity, deal event or quota in the period. Activity counts in the period of its date, results in the period of the close date (org timezone). Amounts in org.corporate-currency when it is set, else in the records'' own currency.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'period_type,period_start,period_end,as_of_date');
