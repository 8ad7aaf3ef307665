-- Project keyword search and the project list's indexes (issue 4). Keep in
-- step with sqlite/0005_project_search.sql.
--
-- Search text: one row per project, written by the repository with every
-- project write and an enterprise rename (see storage/project_repo.h):
-- FoldForSearch(name, code, enterprise name, construction content) then the
-- pinyin initials of the name — simplified, lower-cased. Queries are folded
-- the same way and matched as substrings: 3 characters or more through the
-- pg_trgm GIN index (LIKE), shorter ones by scanning the text (strpos).
-- `folded` is 1 when the repository wrote the row; the rows this migration
-- backfills are plain lower-cased copies (SQL has no OpenCC nor pinyin): 0,
-- for RebuildProjectSearch (`zhuanban migrate`, `zhuanban init`).
--
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may
-- create it. It keeps only characters the database's LC_CTYPE calls
-- alphanumeric: with LC_CTYPE C, Chinese text yields no trigrams and
-- searches still answer right but scan every row. Create the database with
-- a UTF-8 LC_CTYPE (C.UTF-8, zh_CN.UTF-8, …): docs/operations.md.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE project_search (
  project_id  BIGINT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  body        TEXT   NOT NULL,
  folded      BIGINT NOT NULL DEFAULT 0 CHECK (folded IN (0, 1))
);
CREATE INDEX project_search_body_trgm_idx ON project_search USING gin (body gin_trgm_ops);
INSERT INTO project_search (project_id, body, folded)
  SELECT p.id, lower(p.name || ' ' || p.code || ' ' || COALESCE(e.name, '') || ' ' || p.construction_content), 0
  FROM projects p LEFT JOIN enterprises e ON e.id = p.enterprise_id;

-- The list (measured on 100 000 generated projects, docs/performance.md):
-- facets, total and 开复工 counts scan this covering index, grouped in its
-- order, without reading a row, and a page filtered on its columns sorts
-- by updated_at (the default) or total_investment from it; the stage
-- events' dates decide 复工 for the projects that moved in or after the
-- year; the other sort keys have their own index (id breaks ties, in the
-- index's rowid order) but stage and level (sorted by rank, not code) and
-- the unit's name: ~20–40 ms over the whole table.
CREATE INDEX projects_facets_idx ON projects (stage, level, category, org_unit_id, project_type, actual_started_on,
                                              stage_since, total_investment, responsible_unit_id, updated_at);
DROP INDEX projects_stage_idx;  -- projects_facets_idx starts with the stage
CREATE INDEX project_stage_events_dates_idx ON project_stage_events (project_id, on_date, to_stage, from_stage);
-- The two commonest sort keys carry the faceted columns: a page can walk
-- them and test its filter without reading a row (storage OrderedIds).
CREATE INDEX projects_updated_at_idx ON projects (updated_at, stage, level, category, org_unit_id, project_type);
CREATE INDEX projects_total_investment_idx ON projects (total_investment, stage, level, category, org_unit_id,
                                                        project_type);
CREATE INDEX projects_planned_started_on_idx ON projects (planned_started_on);
CREATE INDEX projects_actual_started_on_idx ON projects (actual_started_on);
CREATE INDEX projects_planned_completed_on_idx ON projects (planned_completed_on);
CREATE INDEX projects_created_at_idx ON projects (created_at);
CREATE INDEX projects_name_idx ON projects (name COLLATE "C");  -- the list sorts text by code point

-- JIT compilation costs more than it saves on these short queries: the
-- list's facet scan on 100 000 projects took 1.2 s with it (0.5 s of it
-- compiling), 0.35 s without (docs/performance.md). Off for this database,
-- from its next connections on; the owner that migrates may set it.
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET jit = off', current_database()); END $$;

-- The list's cached figures are SQLite-only (sqlite/0005's
-- project_list_version): PostgreSQL counts every time.
