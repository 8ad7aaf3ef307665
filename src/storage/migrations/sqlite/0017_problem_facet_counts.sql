-- Nothing to do on SQLite: problem_facet_counts and its triggers came with
-- 0013. postgres/0017_problem_facet_counts.sql brings the same table to
-- PostgreSQL, kept by statement-level triggers.
SELECT 1;
