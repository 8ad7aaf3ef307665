-- The 问题台账 list (issue 6). Keep in step with sqlite/0013_problem_facet_counts.sql.
--
-- No problem_facet_counts here: kept by triggers, a handful of counter rows
-- would be updated once per item written, and PostgreSQL writes each update
-- of a row as a new version that the next update of that row, in the same
-- transaction, reaches by walking all the earlier ones — a bulk write (the
-- generator, an import, the daily job's first run) would cost the square of
-- its size. PostgreSQL counts the list's total and facets over
-- problems_facets_idx (an index-only scan) as before
-- (storage/problem_repo.cc ListProblems).

-- A status tab's page, newest first (see the SQLite file).
CREATE INDEX problems_status_raised_idx ON problems (status, raised_on, id);
-- A facet clicked pages from the facet index's entries (see the SQLite file).
DROP INDEX problems_facets_idx;
CREATE INDEX problems_facets_idx ON problems (status, category, level, source, raised_on);
-- The flags the ledger filters on (督办, 提级, 联席会议), see the SQLite file.
CREATE INDEX problems_supervised_idx ON problems (status, category, level, source, raised_on) WHERE supervised = 1;
CREATE INDEX problems_escalated_idx ON problems (status, category, level, source, raised_on) WHERE escalated = 1;
CREATE INDEX problems_on_agenda_idx ON problems (status, category, level, source, raised_on) WHERE on_agenda = 1;
