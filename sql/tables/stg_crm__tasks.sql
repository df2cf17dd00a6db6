-- stg_crm__tasks
-- grain: task_id (unique and not null; checked by TableContractTest)
-- zorder: activity_date (files of at most warehouse.staging-rows-per-file rows, each a span of activity_date: a merge that updates a record sent again, a recent one, rewrites only the file holding it, not the whole table)
CREATE TABLE IF NOT EXISTS stg_crm__tasks (
  task_id              STRING COMMENT 'CRM Task Id',
  owner_user_id        STRING COMMENT 'User Id of the rep who owns (logged) the task',
  what_id              STRING COMMENT 'WhatId: the Opportunity or Account Id the task is logged against (look it up in both)',
  who_id               STRING COMMENT 'WhoId: the Contact Id the task is about, when set',
  subject              STRING COMMENT 'Subject as logged',
  activity_date        DATE COMMENT 'ActivityDate: the day of the call, email or to-do',
  task_subtype         STRING COMMENT 'TaskSubtype as written (Call and Email are activities; Task and any other subtype are not)',
  call_object          STRING COMMENT 'CallObject: the dialer call_id when the dialer integration logged the call',
  call_duration_seconds INT COMMENT 'CallDurationInSeconds',
  status               STRING COMMENT 'Status as written',
  created_at           TIMESTAMP COMMENT 'CreatedDate (UTC)',
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
COMMENT 'Current state of CRM Task records (logged calls, emails and to-dos). Grain: one row per task_id, deleted ones kept as tombstones (is_deleted).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'activity_date,version_at,source_dt');
