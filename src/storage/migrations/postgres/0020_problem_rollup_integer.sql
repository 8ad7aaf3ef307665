-- The figures for the whole tree on PostgreSQL (issue 6, docs/performance.md
-- § 问题台账 at 500 000 items): 0012's roll-up counts as INTEGER, not BIGINT.
-- Keep in step with sqlite/0020_problem_rollup_integer.sql (a no-op there).
--
-- SUM(bigint) adds in numeric: a palloc'd state per group and per column,
-- and an answer in numeric. The page by unit over the whole range sums
-- ~26 000 roll-up rows into ~1 400 groups × 12 columns, and that state cost
-- more than reading the rows (first answer of a connection 140–195 ms, then
-- 35–50 ms; with INTEGER 54–81 ms, then 11–29 ms — psql, 500 400 items,
-- machine at load 5). SUM(integer) adds in a bigint held by value. A count
-- of items of one unit, month and day bucket is far below 2^31; the trigger
-- function's bigint sums are cast on assignment.
ALTER TABLE problem_rollup
  ALTER COLUMN d TYPE INTEGER,
  ALTER COLUMN raised TYPE INTEGER,
  ALTER COLUMN open_n TYPE INTEGER,
  ALTER COLUMN resolved TYPE INTEGER,
  ALTER COLUMN closed TYPE INTEGER,
  ALTER COLUMN on_time TYPE INTEGER,
  ALTER COLUMN rated TYPE INTEGER,
  ALTER COLUMN satisfied TYPE INTEGER,
  ALTER COLUMN basic TYPE INTEGER,
  ALTER COLUMN unsatisfied TYPE INTEGER,
  ALTER COLUMN escalated TYPE INTEGER,
  ALTER COLUMN on_spot TYPE INTEGER,
  ALTER COLUMN open_dl TYPE INTEGER;
