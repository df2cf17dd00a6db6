-- stg_crm__forecasting_quotas
-- grain: forecasting_quota_id (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS stg_crm__forecasting_quotas (
  forecasting_quota_id STRING COMMENT 'CRM ForecastingQuota Id',
  quota_owner_user_id  STRING COMMENT 'User Id the quota belongs to',
  period_start_date    DATE COMMENT 'First day of the quota period (its length comes from configuration)',
  quota_amount         DECIMAL(18,2) COMMENT 'Quota amount',
  last_modified_at     TIMESTAMP COMMENT 'LastModifiedDate (UTC)',
  version_at           TIMESTAMP COMMENT 'Version of the record: LastModifiedDate, else the drop date',
  source_dt            DATE COMMENT 'Date (dt=) of the drop the winning copy of this record came from',
  source_file          STRING COMMENT 'URI of the file the winning copy came from',
  source_record_number BIGINT COMMENT '1-based position of the winning copy in its file (CSV header not counted)',
  run_id               STRING COMMENT 'Id of the logical run that staged the winning copy (salespulse-<run date>)',
  ingested_at          TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock'
)
USING DELTA
COMMENT 'Current state of CRM ForecastingQuota records. Grain: one row per forecasting_quota_id.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'period_start_date,version_at,source_dt');
