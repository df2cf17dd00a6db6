-- stg_crm__opportunity_splits
-- grain: opportunity_split_id (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS stg_crm__opportunity_splits (
  opportunity_split_id STRING COMMENT 'CRM OpportunitySplit Id',
  opportunity_id       STRING COMMENT 'Opportunity Id',
  split_owner_user_id  STRING COMMENT 'User Id credited with the split',
  split_percentage     DECIMAL(7,4) COMMENT 'Share of the deal credited, in percent (0-100)',
  split_amount         DECIMAL(18,2) COMMENT 'Amount credited, when exported',
  is_deleted           BOOLEAN COMMENT 'True when the CRM deleted the record (kept as a tombstone so an older drop loaded later cannot resurrect it); filter it out for current data',
  last_modified_at     TIMESTAMP COMMENT 'LastModifiedDate (UTC)',
  version_at           TIMESTAMP COMMENT 'Version of the record: LastModifiedDate, else the drop date',
  source_dt            DATE COMMENT 'Date (dt=) of the drop the winning copy of this record came from',
  source_file          STRING COMMENT 'URI of the file the winning copy came from',
  source_record_number BIGINT COMMENT '1-based position of the winning copy in its file (CSV header not counted)',
  run_id               STRING COMMENT 'Id of the logical run that staged the winning copy (salespulse-<run date>)',
  ingested_at          TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock'
)
USING DELTA
COMMENT 'Current state of CRM OpportunitySplit records (optional object). Grain: one row per opportunity_split_id.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'version_at,source_dt');
