-- Node plans (倒排工期), their templates, progress with attachments, and the
-- materialised warnings (issue 5; docs/api-schedule.md).
-- Repository SQL is shared between the engines: keep column names, types
-- (integer 0/1 for booleans, epoch ms for times, 'YYYY-MM-DD' text for
-- dates) and constraints in step with postgres/0007_plans.sql.

-- 节点模板: a template is always read and written whole, so its nodes
-- ([{key, name, duration, event}]) and links ([{from, to, lag}], by key) are
-- JSON text checked by domain::ValidateTemplate before they are stored.
CREATE TABLE node_templates (
  id           INTEGER PRIMARY KEY,
  name         TEXT    NOT NULL UNIQUE,
  category     TEXT    NOT NULL,  -- 项目类别 dictionary code
  description  TEXT    NOT NULL DEFAULT '',
  is_default   INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  nodes        TEXT    NOT NULL,
  links        TEXT    NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  created_by   INTEGER REFERENCES users (id),
  updated_by   INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX node_templates_category_idx ON node_templates (category);
-- One default template per category (the one applied when none is named).
CREATE UNIQUE INDEX node_templates_default_idx ON node_templates (category) WHERE is_default = 1;

-- A project's plan: at most one. template_name is the name it was made
-- from, kept when the template is renamed or deleted.
CREATE TABLE project_plans (
  project_id     INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  template_id    INTEGER REFERENCES node_templates (id) ON DELETE SET NULL,
  template_name  TEXT    NOT NULL DEFAULT '',
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  created_by     INTEGER REFERENCES users (id),
  updated_by     INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX project_plans_template_id_idx ON project_plans (template_id);

-- The plan's nodes. The first group of columns is what people enter; the
-- second is COMPUTED by the warning engine (storage/warning_store.h) from
-- domain::ComputeSchedule and domain::EvaluateNodes, and rewritten only
-- where a result changed. actual_* of an event node (签约/开工/竣工/投产)
-- are the project's actual dates, not these columns.
CREATE TABLE plan_nodes (
  id               INTEGER PRIMARY KEY,
  project_id       INTEGER NOT NULL REFERENCES project_plans (project_id) ON DELETE CASCADE,
  key              TEXT    NOT NULL,
  name             TEXT    NOT NULL,
  duration         INTEGER NOT NULL CHECK (duration >= 0),
  event            TEXT    NOT NULL DEFAULT ''
                   CHECK (event IN ('', 'signed', 'started', 'completed', 'operating')),
  target           TEXT,
  actual_start     TEXT,
  actual_finish    TEXT,
  sort             INTEGER NOT NULL,
  latest_start     TEXT,
  latest_finish    TEXT,
  forecast_start   TEXT,
  forecast_finish  TEXT,
  slack            INTEGER,
  critical         INTEGER NOT NULL DEFAULT 0 CHECK (critical IN (0, 1)),
  colour           TEXT    NOT NULL DEFAULT '' CHECK (colour IN ('', 'green', 'yellow', 'red')),
  reason           TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX plan_nodes_project_id_idx ON plan_nodes (project_id, sort, id);

-- Finish-to-start links between two nodes of one plan; lag in working days.
CREATE TABLE plan_links (
  project_id  INTEGER NOT NULL REFERENCES project_plans (project_id) ON DELETE CASCADE,
  from_node   INTEGER NOT NULL REFERENCES plan_nodes (id) ON DELETE CASCADE,
  to_node     INTEGER NOT NULL REFERENCES plan_nodes (id) ON DELETE CASCADE,
  lag         INTEGER NOT NULL DEFAULT 0 CHECK (lag >= 0),
  PRIMARY KEY (from_node, to_node)
) STRICT;
CREATE INDEX plan_links_project_id_idx ON plan_links (project_id);
CREATE INDEX plan_links_to_node_idx ON plan_links (to_node);

-- 进度填报: each entry records the node's actual start and finish as of that
-- entry (null = not yet / cleared), a note and the attachments' ids (a
-- JSON array; each attachment also names its entry as owner).
CREATE TABLE node_progress (
  id              INTEGER PRIMARY KEY,
  node_id         INTEGER NOT NULL REFERENCES plan_nodes (id) ON DELETE CASCADE,
  project_id      INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  started_on      TEXT,
  finished_on     TEXT,
  note            TEXT    NOT NULL DEFAULT '',
  attachment_ids  TEXT    NOT NULL DEFAULT '[]',
  user_id         INTEGER REFERENCES users (id),
  at              INTEGER NOT NULL
) STRICT;
CREATE INDEX node_progress_node_id_idx ON node_progress (node_id, id);
CREATE INDEX node_progress_project_id_idx ON node_progress (project_id);

-- Uploaded files; the bytes live under <data_dir>/attachments/ab/cd/<sha256>.
-- owner_type '' = not attached yet (only the uploader may read it).
CREATE TABLE attachments (
  id            INTEGER PRIMARY KEY,
  sha256        TEXT    NOT NULL,
  filename      TEXT    NOT NULL,
  content_type  TEXT    NOT NULL,
  size          INTEGER NOT NULL CHECK (size >= 0),
  uploaded_by   INTEGER REFERENCES users (id),
  uploaded_at   INTEGER NOT NULL,
  owner_type    TEXT    NOT NULL DEFAULT '' CHECK (owner_type IN ('', 'node_progress')),
  owner_id      INTEGER
) STRICT;
CREATE INDEX attachments_owner_idx ON attachments (owner_type, owner_id);
CREATE INDEX attachments_sha256_idx ON attachments (sha256);

-- 预警, materialised per project: colour '' = none (竣工/投产/终止, or no
-- rule applies), reasons a JSON array of words, worst first; max_slip the
-- most working days anything is late (the list's "most overdue" order).
-- computed_on, calendar_version and settings_version are what it was
-- computed for: a row whose values differ from today's is stale.
CREATE TABLE project_warnings (
  project_id        INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  colour            TEXT    NOT NULL DEFAULT '' CHECK (colour IN ('', 'green', 'yellow', 'red')),
  reasons           TEXT    NOT NULL DEFAULT '[]',
  red_nodes         INTEGER NOT NULL DEFAULT 0,
  yellow_nodes      INTEGER NOT NULL DEFAULT 0,
  max_slip          INTEGER NOT NULL DEFAULT 0,
  computed_on       TEXT    NOT NULL,
  calendar_version  INTEGER NOT NULL,
  settings_version  INTEGER NOT NULL
) STRICT;
CREATE INDEX project_warnings_colour_idx ON project_warnings (colour, max_slip, project_id);

-- The warning thresholds (domain::WarningThresholds): one row.
CREATE TABLE warning_settings (
  id                      INTEGER PRIMARY KEY CHECK (id = 1),
  slack_yellow            INTEGER NOT NULL,
  due_soon                INTEGER NOT NULL,
  not_started_red_months  INTEGER NOT NULL,
  lag_yellow_points       INTEGER NOT NULL,
  lag_red_points          INTEGER NOT NULL,
  version                 INTEGER NOT NULL DEFAULT 1,
  updated_at              INTEGER NOT NULL DEFAULT 0,
  updated_by              INTEGER REFERENCES users (id)
) STRICT;
INSERT INTO warning_settings (id, slack_yellow, due_soon, not_started_red_months, lag_yellow_points, lag_red_points)
  VALUES (1, 5, 3, 3, 10, 30);

-- The project list filters on and shows the warning: its cached figures
-- (0005) must drop when a warning changes.
CREATE TRIGGER project_warnings_insert_list_version AFTER INSERT ON project_warnings BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_warnings_update_list_version AFTER UPDATE OF colour ON project_warnings
WHEN old.colour IS NOT new.colour BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_warnings_delete_list_version AFTER DELETE ON project_warnings BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
