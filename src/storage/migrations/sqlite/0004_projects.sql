-- The project library (项目库): projects with their 包保 (包保领导, 责任部门,
-- 包联人员), tags, annual plans, the lifecycle's history, 专班 teams, and the
-- per-year sequence behind generated codes (XM-2026-0001).
-- Repository SQL is shared between the engines: keep column names, types
-- (integer 0/1 for booleans, epoch ms for times, 'YYYY-MM-DD' text for
-- dates, whole yuan for money) and constraints in step with
-- postgres/0004_projects.sql.
CREATE TABLE projects (
  id                    INTEGER PRIMARY KEY,
  code                  TEXT    NOT NULL UNIQUE,
  name                  TEXT    NOT NULL,
  enterprise_id         INTEGER REFERENCES enterprises (id),  -- 建设单位; none yet while 谋划
  org_unit_id           INTEGER NOT NULL REFERENCES org_units (id),  -- 属地
  board                 TEXT    NOT NULL DEFAULT '',  -- 产业板块 dictionary code
  category              TEXT    NOT NULL DEFAULT '',  -- 项目类别 dictionary code
  level                 TEXT    NOT NULL DEFAULT 'general'
                        CHECK (level IN ('national', 'provincial', 'municipal', 'county', 'general')),
  project_type          TEXT    NOT NULL DEFAULT 'new'
                        CHECK (project_type IN ('new', 'continuing', 'expansion', 'renovation')),
  stage                 TEXT    NOT NULL DEFAULT 'planning'
                        CHECK (stage IN ('planning', 'negotiating', 'signed', 'preparing', 'under_construction',
                                         'completed', 'operating', 'suspended', 'terminated')),
  suspended_from        TEXT    CHECK (suspended_from IN ('preparing', 'under_construction')),
  stage_since           TEXT,
  total_investment      INTEGER NOT NULL DEFAULT 0 CHECK (total_investment >= 0),
  construction_content  TEXT    NOT NULL DEFAULT '',
  address               TEXT    NOT NULL DEFAULT '',
  lng                   REAL,
  lat                   REAL,
  planned_signed_on     TEXT,
  actual_signed_on      TEXT,
  planned_started_on    TEXT,
  actual_started_on     TEXT,
  planned_completed_on  TEXT,
  actual_completed_on   TEXT,
  planned_operating_on  TEXT,
  actual_operating_on   TEXT,
  leader_user_id        INTEGER REFERENCES users (id),      -- 包保领导
  responsible_unit_id   INTEGER REFERENCES org_units (id),  -- 责任部门
  created_by            INTEGER REFERENCES users (id),
  version               INTEGER NOT NULL DEFAULT 1,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
) STRICT;
CREATE INDEX projects_org_unit_id_idx ON projects (org_unit_id);
CREATE INDEX projects_stage_idx ON projects (stage);
CREATE INDEX projects_enterprise_id_idx ON projects (enterprise_id);
CREATE INDEX projects_leader_user_id_idx ON projects (leader_user_id);
CREATE INDEX projects_responsible_unit_id_idx ON projects (responsible_unit_id);

-- 包联人员: the officials who visit the project.
CREATE TABLE project_liaisons (
  project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (project_id, user_id)
) STRICT;
CREATE INDEX project_liaisons_user_id_idx ON project_liaisons (user_id);

CREATE TABLE project_tags (
  project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  tag         TEXT   NOT NULL,
  PRIMARY KEY (project_id, tag)
) STRICT;
CREATE INDEX project_tags_tag_idx ON project_tags (tag);

-- 年度计划: the year's planned investment and goals.
CREATE TABLE project_annual_plans (
  project_id          INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  year                INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  planned_investment  INTEGER NOT NULL DEFAULT 0 CHECK (planned_investment >= 0),
  goal_start          INTEGER NOT NULL DEFAULT 0 CHECK (goal_start IN (0, 1)),
  goal_complete       INTEGER NOT NULL DEFAULT 0 CHECK (goal_complete IN (0, 1)),
  goal_operate        INTEGER NOT NULL DEFAULT 0 CHECK (goal_operate IN (0, 1)),
  PRIMARY KEY (project_id, year)
) STRICT;
CREATE INDEX project_annual_plans_year_idx ON project_annual_plans (year);

-- Every lifecycle move: from, to, the date it happened, a note, who and when.
CREATE TABLE project_stage_events (
  id          INTEGER PRIMARY KEY,
  project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  from_stage  TEXT   NOT NULL,
  to_stage    TEXT   NOT NULL,
  on_date     TEXT   NOT NULL,
  note        TEXT   NOT NULL DEFAULT '',
  user_id     INTEGER REFERENCES users (id),
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX project_stage_events_project_id_idx ON project_stage_events (project_id, id);

-- 专班: a named team (组长, 副组长, 组员) serving one or more projects.
CREATE TABLE teams (
  id          INTEGER PRIMARY KEY,
  name        TEXT   NOT NULL UNIQUE,
  remark      TEXT   NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE team_members (
  team_id   INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id   INTEGER NOT NULL REFERENCES users (id),
  role      TEXT   NOT NULL CHECK (role IN ('leader', 'deputy', 'member')),
  position  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (team_id, user_id)
) STRICT;

CREATE TABLE project_teams (
  project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  team_id     INTEGER NOT NULL REFERENCES teams (id),
  PRIMARY KEY (project_id, team_id)
) STRICT;
CREATE INDEX project_teams_team_id_idx ON project_teams (team_id);

-- The last sequence number handed out per year for generated codes.
CREATE TABLE project_code_seq (
  year  INTEGER PRIMARY KEY,
  last  INTEGER NOT NULL
) STRICT;
