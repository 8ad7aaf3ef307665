-- The 问题台账 list at 500 000 items (issue 6, docs/performance.md).
-- Keep in step with sqlite/0011_problem_list.sql.
--
-- The list's total and its four facets come from one grouped count; over
-- this index it reads no row (storage/problem_repo.cc ListProblems), and a
-- status tab narrows it by its first column.
CREATE INDEX problems_facets_idx ON problems (status, category, level, source);
-- A department sees the items of its own unit (data scope "unit"): the
-- scope's OR is a union of index reads only if every unit column has one.
CREATE INDEX problems_org_unit_id_idx ON problems (org_unit_id);
CREATE INDEX problems_coord_unit_id_idx ON problems (coord_unit_id);
-- A list row shows its project's code: a new code is a new answer.
CREATE CONSTRAINT TRIGGER projects_code_problem_data_version AFTER UPDATE OF code ON projects
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (old.code IS DISTINCT FROM new.code)
  EXECUTE FUNCTION problem_data_version_bump();
