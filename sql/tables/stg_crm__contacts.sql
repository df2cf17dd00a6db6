-- stg_crm__contacts
-- grain: contact_id (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS stg_crm__contacts (
  contact_id           STRING COMMENT 'CRM Contact Id',
  account_id           STRING COMMENT 'Account Id of the contact',
  first_name           STRING COMMENT 'First name',
  last_name            STRING COMMENT 'Last name',
  email                STRING COMMENT 'Email, lower-case bare address',
  phone                STRING COMMENT 'Phone, E.164 (+ and digits)',
  mobile_phone         STRING COMMENT 'Mobile phone, E.164',
  title                STRING COMMENT 'Job title',
  is_deleted           BOOLEAN COMMENT 'True when the CRM deleted the record (kept as a tombstone so an older drop loaded later cannot resurrect it); filter it out for current data',
  last_modified_at     TIMESTAMP COMMENT 'LastModifiedDate (UTC)',
  system_modified_at   TIMESTAMP COMMENT 'SystemModstamp (UTC)',
  version_at           TIMESTAMP COMMENT 'Version of the record used to pick the newest copy: SystemModstamp, else LastModifiedDate, else the drop date (UTC)',
  source_dt            DATE COMMENT 'Date (dt=) of the drop the winning copy of this record came from',
  source_file          STRING COMMENT 'URI of the file the winning copy came from',
  source_record_number BIGINT COMMENT '1-based position of the winning copy in its file (CSV header not counted)',
  run_id               STRING COMMENT 'Id of the logical run that staged the winning copy (salespulse-<run date>)',
  ingested_at          TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock'
)
USING DELTA
COMMENT 'Current state of CRM Contact records. Grain: one row per contact_id, deleted ones kept as tombstones (is_deleted).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'version_at,source_dt');
