-- audit_runs
-- grain: attempt_id (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS audit_runs (
  run_id         STRING COMMENT 'Id of the logical run (salespulse-<run date>), the same for every attempt of a date',
  attempt_id     STRING COMMENT 'Unique id of this attempt',
  command        STRING COMMENT 'Command run: nightly, or one step (ingest, attribute, rollup, reconcile, train-attribution)',
  run_date       DATE COMMENT 'Logical run date',
  started_at     TIMESTAMP COMMENT 'Wall-clock start of the attempt (UTC)',
  ended_at       TIMESTAMP COMMENT 'Wall-clock end of the attempt (UTC)',
  status         STRING COMMENT 'succeeded, rejected (input rejected), not_landed, locked (another run held the warehouse), failed, or abandoned (the attempt died without ending: recorded by the run that took over its stale lease)',
  exit_code      INT COMMENT 'Process exit code (0, 1, 64, 65, 75)',
  message        STRING COMMENT 'Error message when the attempt did not succeed',
  dataset_counts ARRAY<STRUCT<dataset: STRING, table_name: STRING, files: INT, rows_read: BIGINT, rows_staged: BIGINT, rows_quarantined: BIGINT, rows_duplicate: BIGINT>> COMMENT 'Per dataset: files, rows read, staged (distinct records), quarantined and duplicate copies collapsed; rows_read = rows_staged + rows_quarantined + rows_duplicate',
  code_version   STRING COMMENT 'SalesPulse version that ran',
  steps          ARRAY<STRUCT<step: STRING, status: STRING, started_at: TIMESTAMP, ended_at: TIMESTAMP, duration_ms: BIGINT, rows_written: BIGINT, tables_written: ARRAY<STRUCT<table_name: STRING, operation: STRING, table_version: BIGINT, rows_written: BIGINT>>, detail: STRING, spark_jobs: BIGINT, spark_tasks: BIGINT>> COMMENT 'Per step run, in order: outcome (succeeded, or the attempt status for the step that failed), start and end (UTC), duration, rows written over its Delta commits, each commit (table, Delta operation, table version, rows written: output rows of a write, rows inserted or updated by a merge), what it recomputed in words (dates, periods, model), and the Spark jobs and tasks it ran (from a SparkListener; null in rows written before they were recorded)'
)
USING DELTA
COMMENT 'One row per attempt of a run (ingest or nightly), whatever its outcome. Grain: one row per attempt_id.';
