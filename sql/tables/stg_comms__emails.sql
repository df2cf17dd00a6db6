-- stg_comms__emails
-- grain: message_id (unique and not null; checked by TableContractTest)
-- zorder: sent_at (files of at most warehouse.staging-rows-per-file rows, each a span of sent_at: a merge that updates a record sent again, a recent one, rewrites only the file holding it, not the whole table)
CREATE TABLE IF NOT EXISTS stg_comms__emails (
  message_id             STRING COMMENT 'RFC 5322 Message-ID as exported (trimmed)',
  thread_id              STRING COMMENT 'Conversation id, when the source has one',
  in_reply_to_message_id STRING COMMENT 'Message-ID of the parent message',
  sent_at                TIMESTAMP COMMENT 'When the message was sent (UTC)',
  from_email             STRING COMMENT 'Sender, lower-case bare address',
  to_emails              ARRAY<STRING> COMMENT 'To recipients, lower-case bare addresses',
  cc_emails              ARRAY<STRING> COMMENT 'Cc recipients, lower-case bare addresses',
  subject                STRING COMMENT 'Subject line',
  mailboxes              ARRAY<STRING> COMMENT 'Sorted lower-case addresses of every mailbox or calendar that held a copy, over all drops',
  source_dt              DATE COMMENT 'Date (dt=) of the drop the winning copy of this record came from',
  source_file            STRING COMMENT 'URI of the file the winning copy came from',
  source_record_number   BIGINT COMMENT '1-based position of the winning copy in its file (CSV header not counted)',
  run_id                 STRING COMMENT 'Id of the logical run that staged the winning copy (salespulse-<run date>)',
  ingested_at            TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock'
)
USING DELTA
COMMENT 'Email message metadata. Grain: one row per distinct message_id; copies from several mailboxes and re-deliveries are merged (mailboxes lists them).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'sent_at,source_dt');
