-- dim_teams
-- grain: hierarchy, node_id, member_user_id, valid_from? (unique; ? = may be null: valid_from null = since the beginning of history; checked by TableContractTest)
CREATE TABLE IF NOT EXISTS dim_teams (
  hierarchy      STRING COMMENT 'role (UserRole.ParentRoleId tree) or manager (User.ManagerId tree)',
  node_id        STRING COMMENT 'Team node: the UserRole Id (role) or the manager''s User Id (manager)',
  node_name      STRING COMMENT 'Role name, or the manager''s full name',
  node_depth     INT COMMENT 'Levels between the node and the top of its hierarchy today (0 = top)',
  member_user_id STRING COMMENT 'User in the team: holds the role or one beneath it (role); is the manager or reports to them at any depth (manager)',
  distance       INT COMMENT 'Levels between member and node (0 = the node''s own role or the manager themself)',
  valid_from     TIMESTAMP COMMENT 'Start of the membership (UTC); null = since the beginning of history',
  valid_to       TIMESTAMP COMMENT 'End of the membership (exclusive, UTC); null = still a member',
  is_current     BOOLEAN COMMENT 'True when the membership holds today',
  is_first_line  BOOLEAN COMMENT 'True on every row of a node that is a first-line team today: a manager with a direct report who manages no one (manager), a role with a sub-role that has none of its own (role). Charting only these never counts a person twice'
)
USING DELTA
COMMENT 'Closure (bridge) table of both team hierarchies over time, to any depth: a team''s figures include everyone beneath it. Grain: one row per hierarchy, node_id, member_user_id and validity interval; at any instant a member belongs to a node at most once. As of T: (valid_from IS NULL OR valid_from <= T) AND (valid_to IS NULL OR valid_to > T).'
TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'valid_from,valid_to');
