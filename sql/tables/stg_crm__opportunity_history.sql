-- stg_crm__opportunity_history
-- grain: opportunity_history_id (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS stg_crm__opportunity_history (
  opportunity_history_id STRING COMMENT 'CRM OpportunityHistory Id',
  opportunity_id         STRING COMMENT 'Opportunity Id',
  stage_name             STRING COMMENT 'Stage after the change',
  amount                 DECIMAL(18,2) COMMENT 'Amount after the change',
  close_date             DATE COMMENT 'Close date after the change',
  probability            DECIMAL(7,4) COMMENT 'Probability in percent after the change',
  created_at             TIMESTAMP COMMENT 'When the change happened (UTC)',
  is_deleted             BOOLEAN COMMENT 'True when the CRM deleted the record (kept as a tombstone so an older drop loaded later cannot resurrect it); filter it out for current data',
  version_at             TIMESTAMP COMMENT 'Version of the record used to pick the newest copy: created_at',
  source_dt              DATE COMMENT 'Date (dt=) of the drop the winning copy of this record came from',
  source_file            STRING COMMENT 'URI of the file the winning copy came from',
  source_record_number   BIGINT COMMENT '1-based position of the winning copy in its file (CSV header not counted)',
  run_id                 STRING COMMENT 'Id of the logical run that staged the winning copy (salespulse-<run date>)',
  ingested_at            TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock'
)
USING DELTA
COMMENT 'CRM OpportunityHistory records: stage, amount and close-date changes. Grain: one row per opportunity_history_id.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'close_date,version_at,source_dt');
