-- quarantine_records
-- grain: run_date, source_file, record_number (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS quarantine_records (
  run_id        STRING COMMENT 'Id of the logical run (salespulse-<run date>)',
  run_date      DATE COMMENT 'Logical date of the run and of the drop',
  dataset       STRING COMMENT 'Input dataset, e.g. crm/User or comms/email',
  table_name    STRING COMMENT 'Staging table the record was meant for',
  source_file   STRING COMMENT 'URI of the input file',
  record_number BIGINT COMMENT '1-based position of the record in its file (CSV header not counted; for JSON lines the line number)',
  field_name    STRING COMMENT 'Input field that failed (<record> when the record itself could not be parsed, <row> for a rule over several fields)',
  reason        STRING COMMENT 'Why the record was rejected, naming the field and the value',
  raw_record    STRING COMMENT 'The record as read (CSV re-quoted), cut at 20000 characters'
)
USING DELTA
PARTITIONED BY (run_date)
COMMENT 'Input records that could not be staged, with the reason. Grain: one row per rejected input record per run date (a rerun replaces its run date''s rows).';
