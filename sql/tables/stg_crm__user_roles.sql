-- stg_crm__user_roles
-- grain: user_role_id (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS stg_crm__user_roles (
  user_role_id         STRING COMMENT 'CRM UserRole Id',
  role_name            STRING COMMENT 'Role name (UserRole.Name)',
  parent_role_id       STRING COMMENT 'Parent role Id (UserRole.ParentRoleId); null at the top of the hierarchy',
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
COMMENT 'Current state of CRM UserRole records. Grain: one row per user_role_id.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'version_at,source_dt');
