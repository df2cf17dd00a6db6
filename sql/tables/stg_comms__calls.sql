-- stg_comms__calls
-- grain: call_id (unique and not null; checked by TableContractTest)
-- zorder: started_at (files of at most warehouse.staging-rows-per-file rows, each a span of started_at: a merge that updates a record sent again, a recent one, rewrites only the file holding it, not the whole table)
CREATE TABLE IF NOT EXISTS stg_comms__calls (
  call_id              STRING COMMENT 'Call id from the dialer',
  started_at           TIMESTAMP COMMENT 'When the call started (UTC)',
  duration_seconds     INT COMMENT 'Duration in seconds (>= 0)',
  direction            STRING COMMENT 'outbound or inbound',
  user_email           STRING COMMENT 'Company user who placed or took the call, lower-case bare address',
  counterpart_phone    STRING COMMENT 'The other party''s number, E.164 (+ and digits)',
  disposition          STRING COMMENT 'connected, no_answer, voicemail, busy or failed',
  source_dt            DATE COMMENT 'Date (dt=) of the drop the winning copy of this record came from',
  source_file          STRING COMMENT 'URI of the file the winning copy came from',
  source_record_number BIGINT COMMENT '1-based position of the winning copy in its file (CSV header not counted)',
  run_id               STRING COMMENT 'Id of the logical run that staged the winning copy (salespulse-<run date>)',
  ingested_at          TIMESTAMP COMMENT 'Logical ingestion time of that run (midnight UTC after its run date), not the wall clock'
)
USING DELTA
COMMENT 'Dialer call records. Grain: one row per call_id (re-deliveries merged).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'started_at,source_dt');
