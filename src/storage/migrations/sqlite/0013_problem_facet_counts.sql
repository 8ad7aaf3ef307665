-- The 问题台账 list's total and facets for the whole tree without reading
-- the ledger (issue 6, docs/performance.md "The list at 500 000 items").
-- Keep in step with postgres/0013_problem_facet_counts.sql.
--
-- How many items have each (status, category, level, source): at most a
-- few hundred rows, kept by triggers. A caller who sees every item (scope
-- all) and filters on these four columns alone — the ledger as it opens,
-- its status tabs and facet clicks — gets the total and every facet from
-- this table (storage/problem_repo.cc ListProblems); any other filter or a
-- narrower scope counts the items themselves. A row whose items all left
-- it stays with n = 0; readers skip it.
CREATE TABLE problem_facet_counts (
  status    TEXT    NOT NULL,
  category  TEXT    NOT NULL,
  level     TEXT    NOT NULL,
  source    TEXT    NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (status, category, level, source)
) STRICT, WITHOUT ROWID;
INSERT INTO problem_facet_counts (status, category, level, source, n)
  SELECT status, category, level, source, COUNT(*) FROM problems GROUP BY status, category, level, source;

CREATE TRIGGER problems_facet_counts_insert AFTER INSERT ON problems BEGIN
  INSERT INTO problem_facet_counts (status, category, level, source, n)
  VALUES (new.status, new.category, new.level, new.source, 1)
  ON CONFLICT (status, category, level, source) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER problems_facet_counts_delete AFTER DELETE ON problems BEGIN
  UPDATE problem_facet_counts SET n = n - 1
  WHERE status = old.status AND category = old.category AND level = old.level AND source = old.source;
END;
CREATE TRIGGER problems_facet_counts_update AFTER UPDATE OF status, category, level, source ON problems
WHEN old.status IS NOT new.status OR old.category IS NOT new.category OR old.level IS NOT new.level
  OR old.source IS NOT new.source BEGIN
  UPDATE problem_facet_counts SET n = n - 1
  WHERE status = old.status AND category = old.category AND level = old.level AND source = old.source;
  INSERT INTO problem_facet_counts (status, category, level, source, n)
  VALUES (new.status, new.category, new.level, new.source, 1)
  ON CONFLICT (status, category, level, source) DO UPDATE SET n = n + 1;
END;

-- A status tab's page, newest first: a walk of this index (or a sort of
-- its entries for several statuses) instead of sorting the rows of a status
-- (62 000 items 办理中 at 500 000: 0.15 s → 9 ms).
CREATE INDEX problems_status_raised_idx ON problems (status, raised_on, id);
-- A facet clicked (status and category, say) pages from the facet index's
-- entries with raised_on in them, no row read (39 → 4 ms at 500 000).
DROP INDEX problems_facets_idx;
CREATE INDEX problems_facets_idx ON problems (status, category, level, source, raised_on);
-- The flags the ledger filters on (督办, 提级, 联席会议): their items'
-- facet columns, so such a filter counts a small index instead of reading
-- the whole table (督办 at 500 000 items: 0.27 s → 16 ms).
CREATE INDEX problems_supervised_idx ON problems (status, category, level, source, raised_on) WHERE supervised = 1;
CREATE INDEX problems_escalated_idx ON problems (status, category, level, source, raised_on) WHERE escalated = 1;
CREATE INDEX problems_on_agenda_idx ON problems (status, category, level, source, raised_on) WHERE on_agenda = 1;
