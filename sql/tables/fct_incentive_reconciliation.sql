-- fct_incentive_reconciliation
-- grain: hierarchy, node_id, period_type, period_start (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS fct_incentive_reconciliation (
  hierarchy                      STRING COMMENT 'payee (one person), role or manager (a team node of dim_teams, everyone beneath it as of each line''s paid date)',
  node_id                        STRING COMMENT 'The payee''s User Id, or the team node (UserRole Id or manager''s User Id)',
  node_name                      STRING COMMENT 'Payee''s full name, role name or manager''s name',
  period_type                    STRING COMMENT 'month or quarter (fiscal, from rollup.fiscal-year-start-month)',
  period_start                   DATE COMMENT 'First day of the period; a line counts in the periods holding its period_start_date',
  period_end                     DATE COMMENT 'Last day of the period (inclusive)',
  fiscal_year                    INT COMMENT 'Fiscal year of period_start, named after the calendar year it ends in',
  payout_lines                   BIGINT COMMENT 'Payout lines counted',
  commission_paid                DECIMAL(18,2) COMMENT 'Sum of commission lines',
  bonus_paid                     DECIMAL(18,2) COMMENT 'Sum of bonus lines',
  spiff_paid                     DECIMAL(18,2) COMMENT 'Sum of spiff lines',
  clawback_amount                DECIMAL(18,2) COMMENT 'Sum of clawback lines (negative)',
  draw_paid                      DECIMAL(18,2) COMMENT 'Sum of draw lines',
  adjustment_amount              DECIMAL(18,2) COMMENT 'Sum of adjustment lines',
  net_paid                       DECIMAL(18,2) COMMENT 'Sum of every line (all currencies added as written; see currency_mismatch)',
  credited_won_amount            DECIMAL(18,2) COMMENT 'Won amount credited in the period: fct_rep_performance.won_amount (payee) or fct_team_performance.won_amount (team)',
  quota_amount                   DECIMAL(18,2) COMMENT 'Quota of the period from the same rollup row (null when none)',
  attainment                     DOUBLE COMMENT 'credited_won_amount / quota_amount, from the same rollup row',
  effective_rate                 DOUBLE COMMENT 'net_paid / credited_won_amount (null when nothing was won)',
  activity_count                 BIGINT COMMENT 'Activities in the period (rollup row)',
  emails_sent                    BIGINT COMMENT 'Outbound emails (rollup row)',
  meetings_held                  BIGINT COMMENT 'Held meetings (rollup row)',
  connected_calls                BIGINT COMMENT 'Connected calls (rollup row)',
  cost_per_activity              DECIMAL(18,2) COMMENT 'net_paid / activity_count (null when no activity)',
  paid_on_deals_without_activity DECIMAL(18,2) COMMENT 'Payments on deals with no attributed activity by anyone',
  exception_count                BIGINT COMMENT 'Exceptions counted in the period (fct_incentive_exceptions by period_date)',
  exception_amount_high          DECIMAL(18,2) COMMENT 'amount_at_risk of the high-severity exceptions',
  exception_amount_medium        DECIMAL(18,2) COMMENT 'amount_at_risk of the medium-severity exceptions',
  exception_amount_info          DECIMAL(18,2) COMMENT 'amount_at_risk of the info exceptions',
  paid_worked_alignment          DOUBLE COMMENT 'Pay versus work on the deals paid: per deal, the sum over payees of min(share of the deal''s payments, share of its credit-weighted activity), averaged over the period''s payments weighted by amount; 1 = pay follows work exactly, null when no deal was paid',
  run_id                         STRING COMMENT 'Run that computed the row'
)
USING DELTA
COMMENT 'Incentive spend versus results and activity for finance, per payee and team node. Grain: one row per hierarchy, node_id, period_type and period_start, for every payee or node with a payout line, an exception or a rollup row in the period. Rebuilt whole each night. Amounts in org.corporate-currency when it is set, else in the lines'' own currency.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'period_type,period_start,period_end');
