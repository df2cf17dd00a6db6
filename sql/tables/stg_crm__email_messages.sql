-- stg_crm__email_messages
-- grain: email_message_id (unique and not null; checked by TableContractTest)
-- zorder: message_at (files of at most warehouse.staging-rows-per-file rows, each a span of message_at: a merge that updates a record sent again, a recent one, rewrites only the file holding it, not the whole table)
CREATE TABLE IF NOT EXISTS stg_crm__email_messages (
  email_message_id     STRING COMMENT 'CRM EmailMessage Id',
  message_identifier   STRING COMMENT 'MessageIdentifier as written: the RFC 5322 Message-ID of the logged email',
  related_to_id        STRING COMMENT 'RelatedToId: the Opportunity or Account Id the email is logged against (look it up in both)',
  from_email           STRING COMMENT 'FromAddress, lower-case bare address',
  subject              STRING COMMENT 'Subject as logged',
  message_at           TIMESTAMP COMMENT 'MessageDate (UTC)',
  created_at           TIMESTAMP COMMENT 'CreatedDate (UTC)',
  is_deleted           BOOLEAN COMMENT 'True when the CRM deleted the record (kept as a tombstone so an older drop loaded later cannot resurrect it); filter it out for current data',
  last_modified_at     TIMESTAMP COMMENT 'LastModifiedDate (UTC)',
  system_modified_at   TIMESTAMP COMMENT 'SystemModstamp (UTC)',
  to_emails            ARRAY<STRING> COMMENT 'ToAddress split on ; or , into lower-case bare addresses (unreadable ones dropped)',
  message_key          STRING COMMENT 'message_identifier trimmed and without angle brackets: the key that matches stg_comms__emails.message_id',
  version_at           TIMESTAMP COMMENT 'Version of the record used to pick the newest copy: SystemModstamp, else LastModifiedDate, else the drop date (UTC)',
  source_dt            DATE COMMENT 'Date (dt=) of the drop the winning copy of this record came from',
  source_file          STRING COMMENT 'URI of the file the winning copy came from',
  source_record_number BIGINT COMMENT '1-based position of the winning copy in its file (CSV header not counted)',
  run_id               STRING COMMENT 'Id of the logical run that staged the winning copy (salespulse-<run date>)',
  ingested_at          TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock'
)
USING DELTA
COMMENT 'Current state of CRM EmailMessage records (emails logged against a deal or an account). Grain: one row per email_message_id, deleted ones kept as tombstones (is_deleted).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'message_at,version_at,source_dt');
