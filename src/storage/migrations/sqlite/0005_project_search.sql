-- Project keyword search, the project list's indexes, and the list's data
-- version (issue 4). Keep in step with postgres/0005_project_search.sql.
--
-- Search text: one row per project, rowid = projects.id. The repository
-- writes it with every project write and an enterprise rename (see
-- storage/project_repo.h SearchText): FoldForSearch(name, code, enterprise
-- name, construction content) then the pinyin initials of the name —
-- simplified, lower-cased. Queries are folded the same way and matched as
-- substrings: 3 characters or more through the trigram index (FTS5's
-- trigram tokenizer, SQLite ≥ 3.34), shorter ones by scanning the text.
-- `folded` is 1 when the repository wrote the row; the rows this migration
-- backfills are plain lower-cased copies (SQL has no OpenCC nor pinyin):
-- 0, for RebuildProjectSearch (`zhuanban migrate`, `zhuanban init`).
CREATE VIRTUAL TABLE project_search USING fts5(body, folded UNINDEXED, tokenize = 'trigram');
INSERT INTO project_search (rowid, body, folded)
  SELECT p.id, lower(p.name || ' ' || p.code || ' ' || COALESCE(e.name, '') || ' ' || p.construction_content), 0
  FROM projects p LEFT JOIN enterprises e ON e.id = p.enterprise_id;
-- A virtual table cannot cascade: a deleted project takes its text along.
CREATE TRIGGER projects_search_delete AFTER DELETE ON projects BEGIN
  DELETE FROM project_search WHERE rowid = old.id;
END;

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
CREATE INDEX projects_name_idx ON projects (name);

-- The list's data version. ListProjects caches its total, facets and
-- counts per filter in the process, keyed by (epoch, version): every write
-- that can change them bumps `version` in its own transaction (these
-- triggers), so a cached figure is never served after a commit that
-- changed it. `epoch` tells databases apart in one process (tests open
-- many). SQLite has one writer at a time, so the shared row costs no
-- concurrency (PostgreSQL bumps once per transaction, at commit).
CREATE TABLE project_list_version (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  epoch    TEXT    NOT NULL,
  version  INTEGER NOT NULL
) STRICT;
INSERT INTO project_list_version (id, epoch, version) VALUES (1, lower(hex(randomblob(8))), 0);
CREATE TRIGGER projects_insert_list_version AFTER INSERT ON projects BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER projects_update_list_version AFTER UPDATE ON projects BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER projects_delete_list_version AFTER DELETE ON projects BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_liaisons_insert_list_version AFTER INSERT ON project_liaisons BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_liaisons_update_list_version AFTER UPDATE ON project_liaisons BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_liaisons_delete_list_version AFTER DELETE ON project_liaisons BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_tags_insert_list_version AFTER INSERT ON project_tags BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_tags_update_list_version AFTER UPDATE ON project_tags BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_tags_delete_list_version AFTER DELETE ON project_tags BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_annual_plans_insert_list_version AFTER INSERT ON project_annual_plans BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_annual_plans_update_list_version AFTER UPDATE ON project_annual_plans BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_annual_plans_delete_list_version AFTER DELETE ON project_annual_plans BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_teams_insert_list_version AFTER INSERT ON project_teams BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_teams_update_list_version AFTER UPDATE ON project_teams BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_teams_delete_list_version AFTER DELETE ON project_teams BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_stage_events_insert_list_version AFTER INSERT ON project_stage_events BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_stage_events_update_list_version AFTER UPDATE ON project_stage_events BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER project_stage_events_delete_list_version AFTER DELETE ON project_stage_events BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER org_units_insert_list_version AFTER INSERT ON org_units BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER org_units_update_list_version AFTER UPDATE ON org_units BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER org_units_delete_list_version AFTER DELETE ON org_units BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
-- An enterprise's name is part of its projects' search text.
CREATE TRIGGER enterprises_name_list_version AFTER UPDATE OF name ON enterprises
WHEN old.name IS NOT new.name BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
