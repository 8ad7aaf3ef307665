-- The ledger's daily job and figures at 500 000 items (issue 6,
-- docs/performance.md § Daily job, § Statistics). Keep in step with
-- sqlite/0015_problem_daily_untold.sql.

-- The open items not yet told they are overdue (see the SQLite file).
CREATE INDEX problems_untold_overdue_idx ON problems (deadline)
  WHERE status IN ('pending', 'assigned', 'in_progress', 'returned')
    AND (overdue_notified_on IS NULL OR overdue_notified_on <> deadline);

-- The figures' count of the open items not yet due (deadline ≥ today,
-- storage/problem_stats_repo.cc) read every entry of 0012's
-- problems_open_stats_idx: PostgreSQL drops "status IN (the open ones)"
-- from the scan's conditions because the index's WHERE already implies
-- it, so with status first nothing bounded the scan (1 059 pages for 8 603
-- entries at 500 000 items; 88 with deadline first). The same columns,
-- deadline leading; status last keeps it covering for the list's counts.
-- SQLite keeps status first (it ranges over each open status).
DROP INDEX problems_open_stats_idx;
CREATE INDEX problems_open_stats_idx ON problems (deadline, raised_on, lead_unit_id, category, level, source, status)
  WHERE status IN ('pending', 'assigned', 'in_progress', 'returned');
