-- Configurable dictionaries and the enterprise library (企业库).
-- Repository SQL is shared with PostgreSQL: keep column names, types
-- (integer 0/1 for booleans, epoch ms for times) and constraints in step with
-- postgres/0003_enterprises.sql.

-- The lists an office edits itself: 行业 (industry), 产业板块 (board),
-- 项目类别 (category). Records keep the code; the label is what people see
-- and type (imports match labels).
CREATE TABLE dict_items (
  id          INTEGER PRIMARY KEY,
  dict_type   TEXT    NOT NULL CHECK (dict_type IN ('industry', 'board', 'category')),
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

CREATE TABLE enterprises (
  id                    INTEGER PRIMARY KEY,
  name                  TEXT    NOT NULL,
  credit_code           TEXT    NOT NULL UNIQUE,  -- 统一社会信用代码, normalised upper-case
  industry              TEXT    NOT NULL DEFAULT '',  -- dict_items.code of type industry; '' unset
  org_unit_id           INTEGER NOT NULL REFERENCES org_units (id),
  address               TEXT    NOT NULL DEFAULT '',
  legal_representative  TEXT    NOT NULL DEFAULT '',
  above_scale           INTEGER NOT NULL DEFAULT 0 CHECK (above_scale IN (0, 1)),  -- 规上
  created_by            INTEGER REFERENCES users (id),
  version               INTEGER NOT NULL DEFAULT 1,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
) STRICT;
CREATE INDEX enterprises_org_unit_id_idx ON enterprises (org_unit_id);

-- Contacts in the order the office lists them.
CREATE TABLE enterprise_contacts (
  enterprise_id  INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  name           TEXT    NOT NULL,
  title          TEXT    NOT NULL DEFAULT '',
  phone          TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (enterprise_id, position)
) STRICT;

CREATE TABLE enterprise_tags (
  enterprise_id  INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
  tag            TEXT    NOT NULL,
  PRIMARY KEY (enterprise_id, tag)
) STRICT;
CREATE INDEX enterprise_tags_tag_idx ON enterprise_tags (tag);
