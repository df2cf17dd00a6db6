-- stg_crm__user_versions
-- grain: user_id, valid_from (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS stg_crm__user_versions (
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
  ingested_at          TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock',
  valid_from           TIMESTAMP COMMENT 'Start of this version''s validity (= version_at, UTC)',
  valid_to             TIMESTAMP COMMENT 'Start of the next version (exclusive); null for the current version',
  is_current           BOOLEAN COMMENT 'True for the newest version of the record'
)
USING DELTA
COMMENT 'Type-2 history of CRM Users: manager, role, title and activity over time. Grain: one row per user_id and valid_from. As of T: valid_from <= T AND (valid_to IS NULL OR valid_to > T).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'version_at,source_dt,valid_from,valid_to');
