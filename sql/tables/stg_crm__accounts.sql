-- stg_crm__accounts
-- grain: account_id (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS stg_crm__accounts (
  account_id           STRING COMMENT 'CRM Account Id',
  account_name         STRING COMMENT 'Account name',
  website              STRING COMMENT 'Website as entered in the CRM',
  industry             STRING COMMENT 'Industry',
  account_type         STRING COMMENT 'Account type (Account.Type)',
  parent_account_id    STRING COMMENT 'Parent Account Id',
  owner_user_id        STRING COMMENT 'User Id of the account owner',
  is_deleted           BOOLEAN COMMENT 'True when the CRM deleted the record (kept as a tombstone so an older drop loaded later cannot resurrect it); filter it out for current data',
  last_modified_at     TIMESTAMP COMMENT 'LastModifiedDate (UTC)',
  system_modified_at   TIMESTAMP COMMENT 'SystemModstamp (UTC)',
  website_domain       STRING COMMENT 'Website host normalised for matching email domains: lower case, no scheme, path, port or leading www.',
  version_at           TIMESTAMP COMMENT 'Version of the record used to pick the newest copy: SystemModstamp, else LastModifiedDate, else the drop date (UTC)',
  source_dt            DATE COMMENT 'Date (dt=) of the drop the winning copy of this record came from',
  source_file          STRING COMMENT 'URI of the file the winning copy came from',
  source_record_number BIGINT COMMENT '1-based position of the winning copy in its file (CSV header not counted)',
  run_id               STRING COMMENT 'Id of the logical run that staged the winning copy (salespulse-<run date>)',
  ingested_at          TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock'
)
USING DELTA
COMMENT 'Current state of CRM Account records. Grain: one row per account_id, deleted ones kept as tombstones (is_deleted).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'version_at,source_dt');
