-- fct_opportunity_engagement_daily
-- grain: opportunity_id, snapshot_date (unique and not null; checked by TableContractTest)
-- zorder: snapshot_date (unpartitioned; maintain rewrites the table in this order when it was written since its last run, so a night that replaces a span of dates rewrites only the files holding them, and a query on dates reads only those)
CREATE TABLE IF NOT EXISTS fct_opportunity_engagement_daily (
  opportunity_id                 STRING COMMENT 'CRM Opportunity Id',
  snapshot_date                  DATE COMMENT 'Date the row describes (end of that day in the org timezone); partition column',
  account_id                     STRING COMMENT 'Account of the opportunity as of the snapshot',
  owner_user_id                  STRING COMMENT 'Owner as of the snapshot',
  stage_name                     STRING COMMENT 'Stage as of the snapshot',
  amount                         DECIMAL(18,2) COMMENT 'Amount as of the snapshot, in currency_code',
  currency_code                  STRING COMMENT 'ISO 4217 currency of amount',
  amount_in_corporate_currency   DECIMAL(18,2) COMMENT 'amount in the corporate currency (org.corporate-currency, at org.currency-rates): what to add up or rank deals by; amount as it is when no corporate currency is set; null on snapshots written before this column existed (nightly --full refills them)',
  close_date                     DATE COMMENT 'Close date as of the snapshot',
  forecast_category_name         STRING COMMENT 'Forecast category as of the snapshot',
  is_closed                      BOOLEAN COMMENT 'Closed at the snapshot (only when it closed that day: close_date = snapshot_date)',
  is_won                         BOOLEAN COMMENT 'Won at the snapshot',
  days_open                      INT COMMENT 'Days since the opportunity was created',
  stage_entered_date             DATE COMMENT 'Date the current stage was entered',
  days_in_stage                  INT COMMENT 'Days in the current stage',
  won_stage_median_days          DOUBLE COMMENT 'Median days won deals spent in this stage (deals won before the snapshot''s month)',
  close_date_push_count          INT COMMENT 'Times the close date was moved later, up to the snapshot',
  activity_count_30d             DOUBLE COMMENT 'Activities credited to the deal in the 30 days to the snapshot (credit-weighted)',
  email_count_30d                DOUBLE COMMENT 'Emails, same window, credit-weighted',
  meeting_count_30d              DOUBLE COMMENT 'Held meetings, same window, credit-weighted',
  call_count_30d                 DOUBLE COMMENT 'Calls, same window, credit-weighted',
  two_way_touch_count_30d        DOUBLE COMMENT 'Two-way touches (inbound emails, connected calls, held meetings), same window, credit-weighted',
  outbound_count_30d             DOUBLE COMMENT 'Outbound activities, same window, credit-weighted',
  contacts_engaged_30d           INT COMMENT 'Distinct outside contacts on activities credited to the deal, same window',
  contact_roles_engaged_30d      INT COMMENT 'Of those, contacts with a role on the deal',
  contact_role_count             INT COMMENT 'Contact roles on the deal (current)',
  last_activity_date             DATE COMMENT 'Date of the last activity credited to the deal, up to the snapshot',
  days_since_last_activity       INT COMMENT 'Days from last_activity_date to the snapshot; null when none',
  last_two_way_touch_date        DATE COMMENT 'Date of the last two-way touch, up to the snapshot',
  days_since_last_two_way_touch  INT COMMENT 'Days from last_two_way_touch_date to the snapshot; null when none',
  is_stale                       BOOLEAN COMMENT 'Open and no activity for more than rollup.stale-days (counting from creation when none)',
  is_ghosted                     BOOLEAN COMMENT 'Open, outbound activity in the last rollup.ghosted-days but no two-way touch for longer than that',
  is_single_threaded             BOOLEAN COMMENT 'Open, active in the 30 days, with at most rollup.single-threaded-max-contacts contacts engaged',
  is_stalled_in_stage            BOOLEAN COMMENT 'Open and in its stage longer than rollup.stalled-stage-ratio times the won-deal median',
  is_close_date_slipping         BOOLEAN COMMENT 'Open and the close date was pushed at least rollup.slipping-pushes times, or is past',
  is_closing_without_meeting     BOOLEAN COMMENT 'Open, closing within rollup.closing-without-meeting-days, and no meeting in the 30 days',
  risk_reasons                   STRING COMMENT 'Comma-separated names of the flags set (stale, ghosted, single_threaded, stalled_in_stage, close_date_slipping, closing_without_meeting); empty when none',
  run_id                         STRING COMMENT 'Run that last computed the row'
)
USING DELTA
COMMENT 'Daily engagement and risk of deals. Grain: one row per opportunity_id and snapshot_date, for opportunities open at the end of the day or closed that day; everything as of the end of snapshot_date.'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'snapshot_date,close_date,stage_entered_date,last_activity_date,last_two_way_touch_date');
