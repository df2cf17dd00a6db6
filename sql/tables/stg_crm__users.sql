-- stg_crm__users
-- grain: user_id (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS stg_crm__users (
  user_id              STRING COMMENT 'CRM User Id',
  email                STRING COMMENT 'User email, lower-case bare address',
  is_active            BOOLEAN COMMENT 'Whether the user can log in (User.IsActive)',
  first_name           STRING COMMENT 'First name',
  last_name            STRING COMMENT 'Last name',
  full_name            STRING COMMENT 'Full name (User.Name)',
  manager_user_id      STRING COMMENT 'User Id of the manager (User.ManagerId); the manager hierarchy',
  user_role_id         STRING COMMENT 'UserRole Id; the role hierarchy',
  title                STRING COMMENT 'Job title',
  department           STRING COMMENT 'Department',
  employee_number      STRING COMMENT 'Employee number',
  phone                STRING COMMENT 'Work phone, E.164 (+ and digits)',
  mobile_phone         STRING COMMENT 'Mobile phone, E.164',
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
COMMENT 'Current state of CRM User records. Grain: one row per user_id (newest SystemModstamp, else LastModifiedDate, wins). History: stg_crm__user_versions.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'version_at,source_dt');
