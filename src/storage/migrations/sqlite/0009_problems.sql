-- The problem and request ledger (问题台账 · 诉求清单 · 销号管理) and the
-- in-app inbox (站内消息), issue 6: docs/api-problems.md.
-- Repository SQL is shared between the engines: keep column names, types
-- (integer 0/1 for booleans, epoch ms for times like every other table,
-- 'YYYY-MM-DD' text for dates) and constraints in step with
-- postgres/0009_problems.sql.

-- One row per item. The *_path columns copy org_units.path of the item's
-- unit, the lead unit and the coordinating unit, so the data-scope filter
-- (docs/api-problems.md § Scope) is a prefix match on the row itself; the
-- triggers at the end keep them in step when a unit moves. overdue and
-- overdue_days are not stored (they depend on today); resolve_days is the
-- working days raised_on → resolved_on as of the 办结, for the figures.
CREATE TABLE problems (
  id                    INTEGER PRIMARY KEY,
  code                  TEXT    NOT NULL UNIQUE,  -- WT-2026-00001
  title                 TEXT    NOT NULL,
  description           TEXT    NOT NULL DEFAULT '',
  category              TEXT    NOT NULL,  -- problem_category dictionary code
  enterprise_id         INTEGER REFERENCES enterprises (id),
  project_id            INTEGER REFERENCES projects (id),
  source                TEXT    NOT NULL CHECK (source IN ('enterprise', 'visit', 'meeting', 'leader', 'other')),
  urgency               TEXT    NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent', 'critical')),
  raised_by             INTEGER REFERENCES users (id),
  raised_on             TEXT    NOT NULL,
  org_unit_id           INTEGER NOT NULL REFERENCES org_units (id),
  org_unit_path         TEXT    NOT NULL,
  coord_unit_id         INTEGER NOT NULL REFERENCES org_units (id),
  coord_unit_path       TEXT    NOT NULL,
  level                 TEXT    NOT NULL CHECK (level IN ('town', 'county', 'city')),
  lead_unit_id          INTEGER REFERENCES org_units (id),
  lead_unit_path        TEXT,
  handler_id            INTEGER REFERENCES users (id),
  status                TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'assigned', 'in_progress', 'resolved', 'closed', 'returned')),
  assigned_on           TEXT,
  deadline              TEXT,
  original_deadline     TEXT,
  resolved_on           TEXT,
  result                TEXT    NOT NULL DEFAULT '',
  resolve_days          INTEGER,
  closed_on             TEXT,
  on_spot               INTEGER NOT NULL DEFAULT 0 CHECK (on_spot IN (0, 1)),
  escalated             INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)),
  escalation_count      INTEGER NOT NULL DEFAULT 0,
  supervised            INTEGER NOT NULL DEFAULT 0 CHECK (supervised IN (0, 1)),
  on_agenda             INTEGER NOT NULL DEFAULT 0 CHECK (on_agenda IN (0, 1)),
  extension_pending     INTEGER NOT NULL DEFAULT 0 CHECK (extension_pending IN (0, 1)),
  satisfaction          TEXT    CHECK (satisfaction IN ('satisfied', 'basic', 'unsatisfied')),
  rated_on              TEXT,
  reopen_count          INTEGER NOT NULL DEFAULT 0,
  -- the daily job's memory (helper G): the deadline a notice was sent for,
  -- and how many automatic escalations this overdue spell has had
  overdue_notified_on   TEXT,
  due_soon_notified_on  TEXT,
  auto_escalated_count  INTEGER NOT NULL DEFAULT 0,
  version               INTEGER NOT NULL DEFAULT 1,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
) STRICT;
-- The list's hot filters and sorts; the open items by deadline serve the
-- overdue filter and the daily job.
CREATE INDEX problems_status_deadline_idx ON problems (status, deadline);
CREATE INDEX problems_lead_unit_id_idx ON problems (lead_unit_id);
CREATE INDEX problems_org_unit_path_idx ON problems (org_unit_path);
CREATE INDEX problems_lead_unit_path_idx ON problems (lead_unit_path);
CREATE INDEX problems_coord_unit_path_idx ON problems (coord_unit_path);
CREATE INDEX problems_raised_on_idx ON problems (raised_on, id);
CREATE INDEX problems_enterprise_id_idx ON problems (enterprise_id);
CREATE INDEX problems_project_id_idx ON problems (project_id);
CREATE INDEX problems_handler_id_idx ON problems (handler_id);
CREATE INDEX problems_raised_by_idx ON problems (raised_by);
CREATE INDEX problems_updated_at_idx ON problems (updated_at);
CREATE INDEX problems_category_idx ON problems (category);

-- The last sequence number handed out per year of raised_on (WT-2026-00001).
CREATE TABLE problem_code_seq (
  year  INTEGER PRIMARY KEY,
  last  INTEGER NOT NULL
) STRICT;

-- 协办单位.
CREATE TABLE problem_co_units (
  problem_id   INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
  org_unit_id  INTEGER NOT NULL REFERENCES org_units (id),
  PRIMARY KEY (problem_id, org_unit_id)
) STRICT;
CREATE INDEX problem_co_units_org_unit_id_idx ON problem_co_units (org_unit_id);

-- The timeline: one entry per action. user_id NULL = the system (the daily
-- job's automatic escalation). data is a JSON object of what the action
-- recorded (lead unit, deadlines, satisfaction, …). internal entries are
-- never shown to enterprise users.
CREATE TABLE problem_events (
  id           INTEGER PRIMARY KEY,
  problem_id   INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
  at           INTEGER NOT NULL,
  user_id      INTEGER REFERENCES users (id),
  action       TEXT    NOT NULL,
  from_status  TEXT    NOT NULL,
  to_status    TEXT    NOT NULL,
  comment      TEXT    NOT NULL DEFAULT '',
  internal     INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
  data         TEXT    NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX problem_events_problem_id_idx ON problem_events (problem_id, id);

-- 延期申请 and their decisions (status pending → granted / refused).
CREATE TABLE problem_extensions (
  id             INTEGER PRIMARY KEY,
  problem_id     INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
  old_deadline   TEXT,
  new_deadline   TEXT    NOT NULL,
  reason         TEXT    NOT NULL DEFAULT '',
  requested_by   INTEGER REFERENCES users (id),
  requested_at   INTEGER NOT NULL,
  status         TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'granted', 'refused')),
  decided_by     INTEGER REFERENCES users (id),
  decided_at     INTEGER,
  decision_note  TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX problem_extensions_problem_id_idx ON problem_extensions (problem_id, id);

-- 督办单: open while responded_at IS NULL.
CREATE TABLE problem_supervisions (
  id            INTEGER PRIMARY KEY,
  problem_id    INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
  instruction   TEXT    NOT NULL,
  respond_by    TEXT,
  issued_by     INTEGER REFERENCES users (id),
  issued_at     INTEGER NOT NULL,
  response      TEXT    NOT NULL DEFAULT '',
  responded_by  INTEGER REFERENCES users (id),
  responded_at  INTEGER
) STRICT;
CREATE INDEX problem_supervisions_problem_id_idx ON problem_supervisions (problem_id, id);

-- 联席会议: undecided while decided_at IS NULL; bound_unit_ids a JSON array.
CREATE TABLE problem_agenda (
  id              INTEGER PRIMARY KEY,
  problem_id      INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
  meeting_on      TEXT,
  comment         TEXT    NOT NULL DEFAULT '',
  submitted_by    INTEGER REFERENCES users (id),
  submitted_at    INTEGER NOT NULL,
  decision        TEXT    NOT NULL DEFAULT '',
  bound_unit_ids  TEXT    NOT NULL DEFAULT '[]',
  decided_by      INTEGER REFERENCES users (id),
  decided_at      INTEGER
) STRICT;
CREATE INDEX problem_agenda_problem_id_idx ON problem_agenda (problem_id, id);

-- The settings: one row, and the SLA per category (a category without a
-- row gets default_sla_days). auto_escalate_days 0 = off.
CREATE TABLE problem_settings (
  id                  INTEGER PRIMARY KEY CHECK (id = 1),
  default_sla_days    INTEGER NOT NULL CHECK (default_sla_days >= 1),
  auto_escalate_days  INTEGER NOT NULL CHECK (auto_escalate_days >= 0),
  version             INTEGER NOT NULL DEFAULT 1,
  updated_at          INTEGER NOT NULL DEFAULT 0,
  updated_by          INTEGER REFERENCES users (id)
) STRICT;
INSERT INTO problem_settings (id, default_sla_days, auto_escalate_days) VALUES (1, 10, 5);
CREATE TABLE problem_sla (
  category  TEXT    PRIMARY KEY,
  days      INTEGER NOT NULL CHECK (days >= 1)
) STRICT;
INSERT INTO problem_sla (category, days) VALUES
  ('approval', 10), ('land', 20), ('finance', 15), ('labour', 10), ('utilities', 10), ('planning', 10),
  ('demolition', 20), ('talent', 10), ('market', 10), ('policy', 10), ('other', 10);

-- 站内消息 (storage/notification_repo.h).
CREATE TABLE notifications (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind         TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  body         TEXT    NOT NULL DEFAULT '',
  entity_type  TEXT    NOT NULL DEFAULT '',
  entity_id    INTEGER,
  created_at   INTEGER NOT NULL,
  read_at      INTEGER
) STRICT;
CREATE INDEX notifications_user_unread_idx ON notifications (user_id, read_at, id);
CREATE INDEX notifications_user_id_idx ON notifications (user_id, id);

-- The ledger's data version, like project_list_version (0005): bumped by
-- every committed write that could change a list page or a figure, so the
-- figures can be cached per (epoch, version) (storage/list_cache.h).
CREATE TABLE problem_data_version (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  epoch    TEXT    NOT NULL,
  version  INTEGER NOT NULL
) STRICT;
INSERT INTO problem_data_version (id, epoch, version) VALUES (1, lower(hex(randomblob(8))), 0);
CREATE TRIGGER problems_insert_data_version AFTER INSERT ON problems BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
CREATE TRIGGER problems_update_data_version AFTER UPDATE ON problems BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
CREATE TRIGGER problems_delete_data_version AFTER DELETE ON problems BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
CREATE TRIGGER problem_co_units_insert_data_version AFTER INSERT ON problem_co_units BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
CREATE TRIGGER problem_co_units_delete_data_version AFTER DELETE ON problem_co_units BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
CREATE TRIGGER problem_settings_update_data_version AFTER UPDATE ON problem_settings BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
CREATE TRIGGER problem_sla_insert_data_version AFTER INSERT ON problem_sla BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
CREATE TRIGGER problem_sla_update_data_version AFTER UPDATE ON problem_sla BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
CREATE TRIGGER problem_sla_delete_data_version AFTER DELETE ON problem_sla BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
-- The names a page or a figure shows: units, enterprises, projects, users.
CREATE TRIGGER org_units_name_problem_data_version AFTER UPDATE OF name, short_name ON org_units BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
CREATE TRIGGER enterprises_name_problem_data_version AFTER UPDATE OF name ON enterprises
WHEN old.name IS NOT new.name BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
CREATE TRIGGER projects_name_problem_data_version AFTER UPDATE OF name ON projects
WHEN old.name IS NOT new.name BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
CREATE TRIGGER users_name_problem_data_version AFTER UPDATE OF display_name ON users
WHEN old.display_name IS NOT new.display_name BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;

-- A unit that moves takes its items' scope paths along (the repository
-- rewrites each moved unit's path, so a per-row trigger sees them all).
CREATE TRIGGER org_units_path_problems AFTER UPDATE OF path ON org_units
WHEN old.path IS NOT new.path BEGIN
  UPDATE problems SET org_unit_path = new.path WHERE org_unit_id = new.id;
  UPDATE problems SET lead_unit_path = new.path WHERE lead_unit_id = new.id;
  UPDATE problems SET coord_unit_path = new.path WHERE coord_unit_id = new.id;
END;

-- The problem_category dictionary: dict_items' CHECK lists the types, so
-- the table is rebuilt the documented way (create, copy, drop, rename,
-- then its indexes and triggers again; nothing references it).
CREATE TABLE dict_items_new (
  id          INTEGER PRIMARY KEY,
  dict_type   TEXT    NOT NULL CHECK (dict_type IN ('industry', 'board', 'category', 'problem_category')),
  code        TEXT    NOT NULL,
  label       TEXT    NOT NULL,
  sort_order  INTEGER NOT NULL DEFAULT 0,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (dict_type, code),
  UNIQUE (dict_type, label)
) STRICT;
INSERT INTO dict_items_new (id, dict_type, code, label, sort_order, active, version, created_at, updated_at)
  SELECT id, dict_type, code, label, sort_order, active, version, created_at, updated_at FROM dict_items;
DROP TABLE dict_items;
ALTER TABLE dict_items_new RENAME TO dict_items;
CREATE TRIGGER dict_items_label_list_version AFTER UPDATE OF label ON dict_items
WHEN old.label IS NOT new.label BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER dict_items_label_problem_data_version AFTER UPDATE OF label ON dict_items
WHEN old.label IS NOT new.label AND new.dict_type = 'problem_category' BEGIN
  UPDATE problem_data_version SET version = version + 1;
END;
-- The eleven default categories for a database that already has its
-- dictionaries (a new one gets them from domain::DefaultDictItems() when
-- init runs, after this migration: then this inserts nothing).
INSERT INTO dict_items (dict_type, code, label, sort_order, created_at, updated_at)
SELECT 'problem_category', d.code, d.label, d.sort_order,
       CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM (SELECT 'approval' AS code, '审批手续' AS label, 1 AS sort_order
      UNION ALL SELECT 'land', '用地', 2
      UNION ALL SELECT 'finance', '资金融资', 3
      UNION ALL SELECT 'labour', '用工', 4
      UNION ALL SELECT 'utilities', '水电气暖配套', 5
      UNION ALL SELECT 'planning', '规划设计', 6
      UNION ALL SELECT 'demolition', '征地拆迁', 7
      UNION ALL SELECT 'talent', '人才', 8
      UNION ALL SELECT 'market', '市场开拓', 9
      UNION ALL SELECT 'policy', '政策兑现', 10
      UNION ALL SELECT 'other', '其他', 11) d
WHERE EXISTS (SELECT 1 FROM dict_items);

-- Attachments may belong to a timeline entry: widen owner_type's CHECK
-- (rebuilt the same way; nothing references the table).
CREATE TABLE attachments_new (
  id            INTEGER PRIMARY KEY,
  sha256        TEXT    NOT NULL,
  filename      TEXT    NOT NULL,
  content_type  TEXT    NOT NULL,
  size          INTEGER NOT NULL CHECK (size >= 0),
  uploaded_by   INTEGER REFERENCES users (id),
  uploaded_at   INTEGER NOT NULL,
  owner_type    TEXT    NOT NULL DEFAULT '' CHECK (owner_type IN ('', 'node_progress', 'problem_event')),
  owner_id      INTEGER
) STRICT;
INSERT INTO attachments_new (id, sha256, filename, content_type, size, uploaded_by, uploaded_at, owner_type, owner_id)
  SELECT id, sha256, filename, content_type, size, uploaded_by, uploaded_at, owner_type, owner_id FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_new RENAME TO attachments;
CREATE INDEX attachments_owner_idx ON attachments (owner_type, owner_id);
CREATE INDEX attachments_sha256_idx ON attachments (sha256);

-- problem:supervise (督办) for the built-in roles of an existing database
-- (a new one gets it from domain::BuiltinRoles() when init creates the
-- roles, after this migration: then this inserts nothing).
INSERT OR IGNORE INTO role_permissions (role_id, permission)
SELECT r.id, 'problem:supervise'
FROM roles r
WHERE r.builtin = 1 AND r.code IN ('admin', 'leader', 'bureau');
