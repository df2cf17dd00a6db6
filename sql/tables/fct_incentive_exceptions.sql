-- fct_incentive_exceptions
-- grain: exception_id (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS fct_incentive_exceptions (
  exception_id      STRING COMMENT 'SHA-256 of exception_code, payout_id, opportunity_id and payee_user_id: stable across runs',
  exception_code    STRING COMMENT 'paid_not_won, missing_clawback, duplicate_payout, payee_not_credited, credit_over_100, unknown_deal, unknown_payee, deal_without_activity, out_of_period, won_not_paid, clawback_without_payout, currency_mismatch, payee_without_activity, inactive_payee (README, "Incentive reconciliation")',
  severity          STRING COMMENT 'high (money likely wrong), medium (look before paying more), info (context)',
  payout_id         STRING COMMENT 'Payout line that raised it; null for won_not_paid (a missing line)',
  opportunity_id    STRING COMMENT 'Deal concerned; null for period-level lines',
  payee_user_id     STRING COMMENT 'Payee of the line, or for won_not_paid the credited person without a payment',
  component         STRING COMMENT 'Component of the line',
  amount            DECIMAL(18,2) COMMENT 'Amount of the line',
  amount_at_risk    DECIMAL(18,2) COMMENT 'Money the exception puts in doubt: the line''s amount; the share above 100% for credit_over_100; the amount taken back for clawback_without_payout; null for won_not_paid (the commission owed is not known)',
  currency_code     STRING COMMENT 'Currency of amount and amount_at_risk',
  amount_in_corporate_currency         DECIMAL(18,2) COMMENT 'amount in the corporate currency (org.corporate-currency, at org.currency-rates): what to add up across lines; amount as it is when no corporate currency is set',
  amount_at_risk_in_corporate_currency DECIMAL(18,2) COMMENT 'amount_at_risk in the corporate currency, like amount_in_corporate_currency',
  evidence          STRING COMMENT 'What raised it, in words: the stage at paid, the line paid before, the split total, ...',
  related_payout_id STRING COMMENT 'For duplicate_payout, the first payment this line repeats',
  reference_date    DATE COMMENT 'The line''s reference_date (paid date, else period end); for won_not_paid the close date',
  period_date       DATE COMMENT 'Date whose month and quarter the exception counts in (fct_incentive_reconciliation): the line''s period_start_date; for won_not_paid the close date',
  as_of_date        DATE COMMENT '"Now": the latest successful run date when the table was computed (grace periods count to it)',
  run_id            STRING COMMENT 'Run that computed the row'
)
USING DELTA
COMMENT 'Incentive exceptions for finance: every payout line that needs a second look, and every won deal a credited person was not paid on. Grain: one row per exception_id (a payout line and exception code; for won_not_paid a deal and credited person). Rebuilt whole each night.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'reference_date,period_date,as_of_date');
