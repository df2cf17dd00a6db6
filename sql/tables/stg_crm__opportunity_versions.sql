-- stg_crm__opportunity_versions
-- grain: opportunity_id, valid_from (unique and not null; checked by TableContractTest)
-- zorder: valid_from (files of at most warehouse.staging-rows-per-file rows, each a span of valid_from: a merge that updates a record sent again, a recent one, rewrites only the file holding it, not the whole table)
CREATE TABLE IF NOT EXISTS stg_crm__opportunity_versions (
  opportunity_id         STRING COMMENT 'CRM Opportunity Id',
  account_id             STRING COMMENT 'Account Id',
  owner_user_id          STRING COMMENT 'User Id of the opportunity owner',
  opportunity_name       STRING COMMENT 'Opportunity name',
  stage_name             STRING COMMENT 'Stage (Opportunity.StageName)',
  amount                 DECIMAL(18,2) COMMENT 'Amount in currency_code',
  currency_code          STRING COMMENT 'ISO 4217 currency of amount',
  close_date             DATE COMMENT 'Expected or actual close date',
  is_closed              BOOLEAN COMMENT 'Whether the opportunity is closed',
  is_won                 BOOLEAN COMMENT 'Whether the opportunity is closed won',
  probability            DECIMAL(7,4) COMMENT 'Probability in percent (0-100)',
  forecast_category_name STRING COMMENT 'Forecast category',
  opportunity_type       STRING COMMENT 'Opportunity type (Opportunity.Type)',
  created_at             TIMESTAMP COMMENT 'When the opportunity was created (UTC)',
  is_deleted             BOOLEAN COMMENT 'True when the CRM deleted the record (kept as a tombstone so an older drop loaded later cannot resurrect it); filter it out for current data',
  last_modified_at       TIMESTAMP COMMENT 'LastModifiedDate (UTC)',
  system_modified_at     TIMESTAMP COMMENT 'SystemModstamp (UTC)',
  version_at             TIMESTAMP COMMENT 'Version of the record used to pick the newest copy: SystemModstamp, else LastModifiedDate, else the drop date (UTC)',
  source_dt              DATE COMMENT 'Date (dt=) of the drop the winning copy of this record came from',
  source_file            STRING COMMENT 'URI of the file the winning copy came from',
  source_record_number   BIGINT COMMENT '1-based position of the winning copy in its file (CSV header not counted)',
  run_id                 STRING COMMENT 'Id of the logical run that staged the winning copy (salespulse-<run date>)',
  ingested_at            TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock',
  valid_from             TIMESTAMP COMMENT 'Start of this version''s validity (= version_at, UTC)',
  valid_to               TIMESTAMP COMMENT 'Start of the next version (exclusive); null for the current version',
  is_current             BOOLEAN COMMENT 'True for the newest version of the record'
)
USING DELTA
COMMENT 'Type-2 history of CRM Opportunities: stage, owner, amount and close date over time, as exported. Grain: one row per opportunity_id and valid_from. As of T: valid_from <= T AND (valid_to IS NULL OR valid_to > T).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'close_date,version_at,source_dt,valid_from,valid_to');
