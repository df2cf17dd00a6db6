-- dim_users
-- grain: user_id, valid_from (unique and not null; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS dim_users (
  user_id            STRING COMMENT 'CRM User Id',
  full_name          STRING COMMENT 'Full name',
  email              STRING COMMENT 'Work email (company address), lower-case',
  title              STRING COMMENT 'Job title',
  department         STRING COMMENT 'Department',
  is_active          BOOLEAN COMMENT 'Whether the user could log in during this version',
  user_role_id       STRING COMMENT 'UserRole Id held during this version (role hierarchy)',
  role_name          STRING COMMENT 'Name of that role (current name)',
  parent_role_id     STRING COMMENT 'Parent of that role (current)',
  manager_user_id    STRING COMMENT 'Manager during this version (manager hierarchy)',
  manager_name       STRING COMMENT 'Manager''s current full name',
  has_direct_reports BOOLEAN COMMENT 'True when anyone has ever reported to this user',
  valid_from         TIMESTAMP COMMENT 'Start of this version (UTC); the first version also stands for the time before it (is_first_version)',
  valid_to           TIMESTAMP COMMENT 'Start of the next version (exclusive, UTC); null for the current version',
  is_current         BOOLEAN COMMENT 'True for the newest version',
  is_first_version   BOOLEAN COMMENT 'True for the oldest known version, used for anything before valid_from'
)
USING DELTA
COMMENT 'Reps and managers with their role and manager over time (type 2). Grain: one row per user_id and valid_from. As of T: (valid_from <= T OR is_first_version) AND (valid_to IS NULL OR valid_to > T).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'valid_from,valid_to');
