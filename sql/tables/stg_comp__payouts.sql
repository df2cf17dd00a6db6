-- stg_comp__payouts
-- grain: payout_id (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS stg_comp__payouts (
  payout_id            STRING COMMENT 'Payout line id',
  payee_user_id        STRING COMMENT 'CRM User Id paid',
  period_start_date    DATE COMMENT 'First day of the compensation period',
  period_end_date      DATE COMMENT 'Last day of the compensation period (inclusive)',
  component            STRING COMMENT 'commission, bonus, spiff, clawback, draw or adjustment',
  opportunity_id       STRING COMMENT 'Deal a deal-level line pays on; null for period-level lines',
  amount               DECIMAL(18,2) COMMENT 'Amount in currency_code; negative for clawbacks',
  currency_code        STRING COMMENT 'ISO 4217 currency',
  paid_date            DATE COMMENT 'Date paid',
  content_hashes       ARRAY<STRING> COMMENT 'Sorted SHA-256 digests of every distinct content (all fields but payout_id) this payout_id was delivered with, over all drops; more than one means the line was re-sent changed',
  source_dt            DATE COMMENT 'Date (dt=) of the drop the winning copy of this record came from',
  source_file          STRING COMMENT 'URI of the file the winning copy came from',
  source_record_number BIGINT COMMENT '1-based position of the winning copy in its file (CSV header not counted)',
  run_id               STRING COMMENT 'Id of the logical run that staged the winning copy (salespulse-<run date>)',
  ingested_at          TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock'
)
USING DELTA
COMMENT 'Incentive payout lines from the compensation system. Grain: one row per payout_id (re-deliveries merged, latest delivery wins; content_hashes remembers every distinct content).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'period_start_date,period_end_date,paid_date,source_dt');
