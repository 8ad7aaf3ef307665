-- Keyword terms of one or two characters through an index, and a keyword's
-- facets read from an index by id (issue 4). Keep in step with
-- postgres/0019_project_search_grams.sql (no index by id there: its facet
-- count for a keyword was not measured).
--
-- The trigram index (0005) cannot answer a term under three characters (光伏,
-- 产业, the pinyin initials `gf`): those scanned all of project_search's text,
-- 28 MB on 100 000 projects, 54–97 ms for each new term. This index holds,
-- for every project, each character of its search text and each pair of
-- adjacent characters (the tokenizer zb_grams, storage/sqlite/search_grams.h,
-- registered on every connection the server opens), so such a term is one
-- token and its matches are exactly the texts holding it. External content:
-- the text stays in project_search alone; detail=none: only which projects
-- hold a token, not where.
--
-- In step with project_search: the repository writes both (storage
-- WriteSearch: the old text's tokens out, the new ones in); a deleted project
-- takes its tokens along (the trigger below, before the text goes).
CREATE VIRTUAL TABLE project_search_grams USING fts5(body, content = 'project_search', content_rowid = 'rowid',
                                                     detail = none, tokenize = 'zb_grams');
-- Back-filled row by row: FTS5's 'rebuild' cannot read an FTS5 table as its
-- content ("SQL logic error", SQLite 3.40).
INSERT INTO project_search_grams (rowid, body) SELECT rowid, body FROM project_search;
DROP TRIGGER projects_search_delete;
CREATE TRIGGER projects_search_delete AFTER DELETE ON projects BEGIN
  INSERT INTO project_search_grams (project_search_grams, rowid, body)
    SELECT 'delete', rowid, body FROM project_search WHERE rowid = old.id;
  DELETE FROM project_search WHERE rowid = old.id;
END;

-- A keyword's matches are counted by facet (storage FacetGroups) one by one,
-- by id: their stage, level, category, unit, type, dates and investment come
-- from this index (7.5 MB on 100 300 projects) instead of the table's rows
-- (48 MB) — 项目( (35 038 matches): 150–180 ms of CPU reading rows, 60 ms
-- from here (sqlite3 3.40 shell, cold page cache, load average 5). The
-- planner would rather seek the rowid: the query names it (INDEXED BY).
CREATE INDEX projects_facets_by_id_idx ON projects (id, stage, level, category, org_unit_id, responsible_unit_id,
                                                    project_type, actual_started_on, stage_since, total_investment);
