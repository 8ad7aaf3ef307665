-- Keep in step with postgres/0020_problem_rollup_integer.sql, which narrows
-- the roll-up's counts to INTEGER so PostgreSQL sums them without numeric.
-- Nothing to do on SQLite: an INTEGER column already sums in 64 bits.
SELECT 1;
