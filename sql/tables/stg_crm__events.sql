-- stg_crm__events
-- grain: event_id (unique and not null; checked by TableContractTest)
-- zorder: start_at (files of at most warehouse.staging-rows-per-file rows, each a span of start_at: a merge that updates a record sent again, a recent one, rewrites only the file holding it, not the whole table)
CREATE TABLE IF NOT EXISTS stg_crm__events (
  event_id             STRING COMMENT 'CRM Event Id (not the calendar UID)',
  owner_user_id        STRING COMMENT 'User Id of the rep who owns (logged) the event',
  what_id              STRING COMMENT 'WhatId: the Opportunity or Account Id the event is logged against (look it up in both)',
  who_id               STRING COMMENT 'WhoId: the Contact Id the event is about, when set',
  subject              STRING COMMENT 'Subject as logged',
  start_at             TIMESTAMP COMMENT 'StartDateTime (UTC); matches a calendar meeting organised by the owner at the same instant',
  end_at               TIMESTAMP COMMENT 'EndDateTime (UTC)',
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
COMMENT 'Current state of CRM Event records (logged meetings). Grain: one row per event_id, deleted ones kept as tombstones (is_deleted).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'start_at,end_at,version_at,source_dt');
