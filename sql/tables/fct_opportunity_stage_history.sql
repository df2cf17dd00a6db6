-- fct_opportunity_stage_history
-- grain: opportunity_id, stage_sequence (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS fct_opportunity_stage_history (
  opportunity_id        STRING COMMENT 'CRM Opportunity Id',
  stage_sequence        INT COMMENT '1 for the first stage interval of the opportunity, then 2, 3, ...',
  stage_name            STRING COMMENT 'Stage of this interval',
  account_id            STRING COMMENT 'Account of the opportunity (current)',
  owner_user_id         STRING COMMENT 'Owner of the opportunity (current)',
  entered_at            TIMESTAMP COMMENT 'When the opportunity entered the stage (OpportunityHistory.CreatedDate, UTC)',
  exited_at             TIMESTAMP COMMENT 'When it entered the next stage (UTC); null for the latest interval',
  entered_date          DATE COMMENT 'entered_at as a date in the org timezone',
  exited_date           DATE COMMENT 'exited_at as a date in the org timezone',
  duration_days         DOUBLE COMMENT 'Days between entered_at and exited_at; null while in the stage',
  amount_at_entry       DECIMAL(18,2) COMMENT 'Amount when the stage was entered',
  close_date_at_entry   DATE COMMENT 'Close date when the stage was entered',
  probability_at_entry  DECIMAL(7,4) COMMENT 'Probability (percent) when the stage was entered',
  amount_at_exit        DECIMAL(18,2) COMMENT 'Amount at the last change within the stage',
  close_date_at_exit    DATE COMMENT 'Close date at the last change within the stage',
  close_date_push_count INT COMMENT 'Changes within the stage that moved the close date later',
  amount_change_count   INT COMMENT 'Changes within the stage that changed the amount',
  pushes_to_date        INT COMMENT 'Close-date pushes of the opportunity up to the end of this interval',
  next_stage_name       STRING COMMENT 'Stage entered next; null for the latest interval',
  is_advance            BOOLEAN COMMENT 'The stage was entered from a stage of lower probability and is not a closed stage',
  is_current            BOOLEAN COMMENT 'True for the latest interval',
  is_closed_stage       BOOLEAN COMMENT 'True for the final interval of a closed opportunity',
  opportunity_outcome   STRING COMMENT 'open, won or lost (current state of the opportunity)',
  run_id                STRING COMMENT 'Run that last computed the row'
)
USING DELTA
COMMENT 'Stage intervals of opportunities. Grain: one row per opportunity_id and stage_sequence (a new interval starts when OpportunityHistory shows a different stage).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'entered_at,exited_at,entered_date,exited_date,close_date_at_entry,close_date_at_exit');
