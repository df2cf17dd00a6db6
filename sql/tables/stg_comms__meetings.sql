-- stg_comms__meetings
-- grain: event_id (unique and not null; checked by TableContractTest)
-- zorder: start_at (files of at most warehouse.staging-rows-per-file rows, each a span of start_at: a merge that updates a record sent again, a recent one, rewrites only the file holding it, not the whole table)
CREATE TABLE IF NOT EXISTS stg_comms__meetings (
  event_id             STRING COMMENT 'iCalendar UID',
  start_at             TIMESTAMP COMMENT 'Start (UTC)',
  end_at               TIMESTAMP COMMENT 'End (UTC)',
  organizer_email      STRING COMMENT 'Organiser, lower-case bare address',
  attendees            ARRAY<STRUCT<email: STRING, response: STRING>> COMMENT 'Attendees: lower-case bare address and response (accepted, declined, tentative, none)',
  subject              STRING COMMENT 'Subject',
  status               STRING COMMENT 'confirmed or cancelled',
  mailboxes            ARRAY<STRING> COMMENT 'Sorted lower-case addresses of every mailbox or calendar that held a copy, over all drops',
  source_dt            DATE COMMENT 'Date (dt=) of the drop the winning copy of this record came from',
  source_file          STRING COMMENT 'URI of the file the winning copy came from',
  source_record_number BIGINT COMMENT '1-based position of the winning copy in its file (CSV header not counted)',
  run_id               STRING COMMENT 'Id of the logical run that staged the winning copy (salespulse-<run date>)',
  ingested_at          TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock'
)
USING DELTA
COMMENT 'Calendar event metadata. Grain: one row per distinct event_id; copies from several calendars and re-deliveries are merged (mailboxes lists them).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'start_at,end_at,source_dt');
