-- Project keyword search, the project list's indexes, and the list's data
-- version (issue 4). Keep in step with sqlite/0005_project_search.sql.
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

-- The list's data version. ListProjects caches its total, facets and
-- counts per filter in the process, keyed by (epoch, version): every
-- transaction that writes what they are made of bumps `version` once, as
-- it commits (deferred constraint triggers), so a cached figure is never
-- served after a commit that changed it — in any server process. The row
-- is locked only for that last moment of a commit, so writers do not queue
-- on it for their whole transaction, and two commits cannot deadlock on
-- it. `epoch` tells databases apart in one process (tests open many).
CREATE TABLE project_list_version (
  id       BIGINT PRIMARY KEY CHECK (id = 1),
  epoch    TEXT   NOT NULL,
  version  BIGINT NOT NULL
);
INSERT INTO project_list_version (id, epoch, version) VALUES (1, md5(random()::text || clock_timestamp()::text), 0);

-- Once per transaction: the first row event bumps, the others see the
-- transaction-local mark and return.
CREATE FUNCTION project_list_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('zb.list_version_bumped', true) IS DISTINCT FROM txid_current()::text THEN
    UPDATE project_list_version SET version = version + 1 WHERE id = 1;
    PERFORM set_config('zb.list_version_bumped', txid_current()::text, true);
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER projects_list_version AFTER INSERT OR UPDATE OR DELETE ON projects
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION project_list_version_bump();
CREATE CONSTRAINT TRIGGER project_liaisons_list_version AFTER INSERT OR UPDATE OR DELETE ON project_liaisons
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION project_list_version_bump();
CREATE CONSTRAINT TRIGGER project_tags_list_version AFTER INSERT OR UPDATE OR DELETE ON project_tags
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION project_list_version_bump();
CREATE CONSTRAINT TRIGGER project_annual_plans_list_version AFTER INSERT OR UPDATE OR DELETE ON project_annual_plans
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION project_list_version_bump();
CREATE CONSTRAINT TRIGGER project_teams_list_version AFTER INSERT OR UPDATE OR DELETE ON project_teams
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION project_list_version_bump();
CREATE CONSTRAINT TRIGGER project_stage_events_list_version AFTER INSERT OR UPDATE OR DELETE ON project_stage_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION project_list_version_bump();
CREATE CONSTRAINT TRIGGER org_units_list_version AFTER INSERT OR UPDATE OR DELETE ON org_units
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION project_list_version_bump();
-- An enterprise's name is part of its projects' search text.
CREATE CONSTRAINT TRIGGER enterprises_name_list_version AFTER UPDATE OF name ON enterprises
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (old.name IS DISTINCT FROM new.name)
  EXECUTE FUNCTION project_list_version_bump();
