-- Organisation units: the tree every record hangs from (市 → 区县/开发区 →
-- 镇街/园区 → 村社, 部门 under any level).
-- path lists the ancestors' ids and the unit's own, e.g. '/1/5/12/', so a
-- subtree is `path LIKE $1 || '%'`. Repository SQL is shared with
-- PostgreSQL: keep column names, types (integer 0/1 for active) and
-- constraints in step with postgres/0001_org_units.sql.
CREATE TABLE org_units (
  id          INTEGER PRIMARY KEY,
  parent_id   INTEGER REFERENCES org_units (id),
  name        TEXT    NOT NULL,
  short_name  TEXT    NOT NULL DEFAULT '',
  code        TEXT    NOT NULL UNIQUE,
  kind        TEXT    NOT NULL
              CHECK (kind IN ('city', 'county', 'zone', 'town', 'village', 'department')),
  sort_order  INTEGER NOT NULL DEFAULT 0,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  path        TEXT    NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX org_units_parent_id_idx ON org_units (parent_id);
CREATE INDEX org_units_path_idx ON org_units (path);
