-- fct_team_performance
-- grain: hierarchy, node_id, period_type, period_start (unique and not null; checked by TableContractTest)
-- zorder: period_start (unpartitioned; maintain rewrites the table in this order when it was written since its last run, so a night that replaces a span of dates rewrites only the files holding them, and a query on dates reads only those)
CREATE TABLE IF NOT EXISTS fct_team_performance (
  hierarchy               STRING COMMENT 'role or manager (see dim_teams)',
  node_id                 STRING COMMENT 'UserRole Id (role) or the manager''s User Id (manager); (unassigned): the events of people in no node of the hierarchy when they happened (no role; no manager and nobody to manage; not in the User export)',
  node_name               STRING COMMENT 'Role name or manager name; Unassigned for (unassigned)',
  node_depth              INT COMMENT 'Levels from the top of the hierarchy (0 = top; (unassigned) is at 0 beside the top nodes)',
  period_type             STRING COMMENT 'day, week, month or quarter; partition column',
  period_start            DATE COMMENT 'First day of the period (org timezone)',
  period_end              DATE COMMENT 'Last day of the period (inclusive)',
  fiscal_year             INT COMMENT 'Fiscal year of period_start',
  headcount               BIGINT COMMENT 'Distinct members of the team at any time in the period',
  activity_count          BIGINT COMMENT 'Activities (emails, held meetings, calls) of the people counted',
  emails_sent             BIGINT COMMENT 'Outbound emails',
  emails_received         BIGINT COMMENT 'Inbound emails',
  meetings_held           BIGINT COMMENT 'Held meetings',
  connected_calls         BIGINT COMMENT 'Calls with disposition connected',
  call_minutes            DOUBLE COMMENT 'Minutes of connected calls',
  accounts_touched        BIGINT COMMENT 'Distinct accounts of those activities',
  deals_touched           BIGINT COMMENT 'Distinct primary deals of those activities',
  deals_created           BIGINT COMMENT 'Opportunities created in the period (credited to the first owner)',
  pipeline_created        DECIMAL(18,2) COMMENT 'Amount of those opportunities when first seen',
  stage_advances          BIGINT COMMENT 'Moves to an open stage of higher probability (credited to the owner at the time)',
  won_count               BIGINT COMMENT 'Distinct deals won with a close date in the period (a split deal counts for each split owner, once per team)',
  won_amount              DECIMAL(18,2) COMMENT 'Amount won: the deal owner at close, or OpportunitySplit shares (normalised to 100%, remainder to the largest share)',
  lost_count              BIGINT COMMENT 'Distinct deals lost with a close date in the period',
  lost_amount             DECIMAL(18,2) COMMENT 'Amount lost, credited like won_amount',
  quota_amount            DECIMAL(18,2) COMMENT 'Quota of the period (ForecastingQuota; only in periods at least as long as rollup.quota-period); null when none',
  attainment              DOUBLE COMMENT 'won_amount / quota_amount',
  win_rate_count          DOUBLE COMMENT 'won_count / (won_count + lost_count)',
  win_rate_amount         DOUBLE COMMENT 'won_amount / (won_amount + lost_amount)',
  avg_deal_size           DECIMAL(18,2) COMMENT 'won_amount per won deal (split shares weighted)',
  avg_cycle_days          DOUBLE COMMENT 'Average days from creation to close of won deals (split shares weighted)',
  activities_per_won_deal DOUBLE COMMENT 'Average credit-weighted activities over the whole life of the won deals (split shares weighted)',
  reps_with_quota         BIGINT COMMENT 'Members with a quota in the period',
  reps_at_or_above_quota  BIGINT COMMENT 'Members whose attainment is at least 1',
  attainment_min          DOUBLE COMMENT 'Lowest member attainment',
  attainment_median       DOUBLE COMMENT 'Median member attainment',
  attainment_max          DOUBLE COMMENT 'Highest member attainment',
  run_id                  STRING COMMENT 'Run that last computed the row'
)
USING DELTA
COMMENT 'The measures of fct_rep_performance per team node and period, for both hierarchies: each event counts in the teams its person belonged to when it happened, once per node, or in the hierarchy''s (unassigned) node when its person was in none, so the nodes at depth 0 add up to the whole org. Grain: one row per hierarchy, node_id, period_type and period_start. Amounts in org.corporate-currency when it is set, else in the records'' own currency.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'period_type,period_start,period_end');
