-- The figures for the whole tree at 500 000 items (issue 6,
-- docs/performance.md § Statistics): a monthly roll-up of the additive
-- counts, kept by triggers. Keep in step with postgres/0012_problem_rollup.sql.
--
-- One row per (kind, month of raised_on "YYYY-MM", k, d): kind 'u' keys by
-- lead unit (k = its id as text, '' for an item not yet assigned — the
-- statistics answer's own key), 'c' by category code, 'l' by level code;
-- d = resolve_days of a resolved (or closed) item, -1 for the rest (open,
-- or resolved without known days), so the rows with d ≥ 0 are the
-- resolve_days histogram. The counts are those of domain::ProblemTally
-- (storage/problem_stats_repo.cc's live pass, column for column) except
-- overdue, which depends on today: open_dl counts the open items with a
-- deadline, and overdue = open_dl − those whose deadline is today or
-- later, counted live (items not yet due are the recent intake, ~8 600 at
-- 500 000 items, while the overdue ones pile up: ~62 000). One roll-up per
-- kind, not one per (unit, category, level): a grouped answer then sums
-- ~26 000 rows for the whole range by unit, not ~145 000.
-- A row whose items all left it stays with zeros; readers skip raised = 0.
CREATE TABLE problem_rollup (
  kind        TEXT    NOT NULL CHECK (kind IN ('u', 'c', 'l')),
  month       TEXT    NOT NULL,
  k           TEXT    NOT NULL,
  d           INTEGER NOT NULL,
  raised      INTEGER NOT NULL,
  open_n      INTEGER NOT NULL,
  resolved    INTEGER NOT NULL,
  closed      INTEGER NOT NULL,
  on_time     INTEGER NOT NULL,
  rated       INTEGER NOT NULL,
  satisfied   INTEGER NOT NULL,
  basic       INTEGER NOT NULL,
  unsatisfied INTEGER NOT NULL,
  escalated   INTEGER NOT NULL,
  on_spot     INTEGER NOT NULL,
  open_dl     INTEGER NOT NULL,
  PRIMARY KEY (kind, month, k, d)
) STRICT, WITHOUT ROWID;

-- What one item adds to the roll-up: three rows, one per kind. The open
-- statuses are domain::IsOpen's. The triggers and the backfill read this
-- view, so the rules are written once.
CREATE VIEW problem_rollup_items AS
SELECT p.id, x.kind, SUBSTR(p.raised_on, 1, 7) AS month,
  CASE x.kind WHEN 'u' THEN IFNULL(CAST(p.lead_unit_id AS TEXT), '') WHEN 'c' THEN p.category ELSE p.level END AS k,
  CASE WHEN p.status IN ('resolved', 'closed') THEN IFNULL(p.resolve_days, -1) ELSE -1 END AS d,
  p.status IN ('pending', 'assigned', 'in_progress', 'returned') AS open_n,
  p.status IN ('resolved', 'closed') AS resolved,
  p.status = 'closed' AS closed,
  CASE WHEN p.status IN ('resolved', 'closed') AND (p.on_spot = 1 OR p.resolved_on <= p.original_deadline)
    THEN 1 ELSE 0 END AS on_time,
  p.satisfaction IS NOT NULL AS rated,
  p.satisfaction IS 'satisfied' AS satisfied,
  p.satisfaction IS 'basic' AS basic,
  p.satisfaction IS 'unsatisfied' AS unsatisfied,
  p.escalation_count > 0 AS escalated,
  p.status IN ('resolved', 'closed') AND p.on_spot = 1 AS on_spot,
  p.status IN ('pending', 'assigned', 'in_progress', 'returned') AND p.deadline IS NOT NULL AS open_dl
FROM problems p CROSS JOIN (SELECT 'u' AS kind UNION ALL SELECT 'c' UNION ALL SELECT 'l') x;

INSERT INTO problem_rollup
SELECT kind, month, k, d, COUNT(*), SUM(open_n), SUM(resolved), SUM(closed), SUM(on_time), SUM(rated),
  SUM(satisfied), SUM(basic), SUM(unsatisfied), SUM(escalated), SUM(on_spot), SUM(open_dl)
FROM problem_rollup_items GROUP BY kind, month, k, d;

-- An item's rows are added after it is written and taken away (the same
-- UPSERT, negated: the rows exist) before it changes or goes (a BEFORE
-- trigger still sees the old row through the view); an update touches the roll-up only when a column it counts
-- changed (not for the daily job's markers, a unit's path, a title).
CREATE TRIGGER problems_rollup_insert AFTER INSERT ON problems BEGIN
  INSERT INTO problem_rollup
  SELECT kind, month, k, d, 1, open_n, resolved, closed, on_time, rated, satisfied, basic, unsatisfied, escalated,
    on_spot, open_dl
  FROM problem_rollup_items WHERE id = new.id
  ON CONFLICT (kind, month, k, d) DO UPDATE SET raised = raised + excluded.raised, open_n = open_n + excluded.open_n,
    resolved = resolved + excluded.resolved, closed = closed + excluded.closed,
    on_time = on_time + excluded.on_time, rated = rated + excluded.rated,
    satisfied = satisfied + excluded.satisfied, basic = basic + excluded.basic,
    unsatisfied = unsatisfied + excluded.unsatisfied, escalated = escalated + excluded.escalated,
    on_spot = on_spot + excluded.on_spot, open_dl = open_dl + excluded.open_dl;
END;
CREATE TRIGGER problems_rollup_delete BEFORE DELETE ON problems BEGIN
  INSERT INTO problem_rollup
  SELECT kind, month, k, d, -1, -open_n, -resolved, -closed, -on_time, -rated, -satisfied, -basic, -unsatisfied,
    -escalated, -on_spot, -open_dl
  FROM problem_rollup_items WHERE id = old.id
  ON CONFLICT (kind, month, k, d) DO UPDATE SET raised = raised + excluded.raised, open_n = open_n + excluded.open_n,
    resolved = resolved + excluded.resolved, closed = closed + excluded.closed,
    on_time = on_time + excluded.on_time, rated = rated + excluded.rated,
    satisfied = satisfied + excluded.satisfied, basic = basic + excluded.basic,
    unsatisfied = unsatisfied + excluded.unsatisfied, escalated = escalated + excluded.escalated,
    on_spot = on_spot + excluded.on_spot, open_dl = open_dl + excluded.open_dl;
END;
CREATE TRIGGER problems_rollup_update_old BEFORE UPDATE OF raised_on, lead_unit_id, category, level, status,
  resolve_days, on_spot, resolved_on, original_deadline, satisfaction, escalation_count, deadline ON problems
WHEN old.raised_on IS NOT new.raised_on OR old.lead_unit_id IS NOT new.lead_unit_id
  OR old.category IS NOT new.category OR old.level IS NOT new.level OR old.status IS NOT new.status
  OR old.resolve_days IS NOT new.resolve_days OR old.on_spot IS NOT new.on_spot
  OR old.resolved_on IS NOT new.resolved_on OR old.original_deadline IS NOT new.original_deadline
  OR old.satisfaction IS NOT new.satisfaction OR (old.escalation_count > 0) IS NOT (new.escalation_count > 0)
  OR (old.deadline IS NULL) IS NOT (new.deadline IS NULL)
BEGIN
  INSERT INTO problem_rollup
  SELECT kind, month, k, d, -1, -open_n, -resolved, -closed, -on_time, -rated, -satisfied, -basic, -unsatisfied,
    -escalated, -on_spot, -open_dl
  FROM problem_rollup_items WHERE id = old.id
  ON CONFLICT (kind, month, k, d) DO UPDATE SET raised = raised + excluded.raised, open_n = open_n + excluded.open_n,
    resolved = resolved + excluded.resolved, closed = closed + excluded.closed,
    on_time = on_time + excluded.on_time, rated = rated + excluded.rated,
    satisfied = satisfied + excluded.satisfied, basic = basic + excluded.basic,
    unsatisfied = unsatisfied + excluded.unsatisfied, escalated = escalated + excluded.escalated,
    on_spot = on_spot + excluded.on_spot, open_dl = open_dl + excluded.open_dl;
END;
CREATE TRIGGER problems_rollup_update_new AFTER UPDATE OF raised_on, lead_unit_id, category, level, status,
  resolve_days, on_spot, resolved_on, original_deadline, satisfaction, escalation_count, deadline ON problems
WHEN old.raised_on IS NOT new.raised_on OR old.lead_unit_id IS NOT new.lead_unit_id
  OR old.category IS NOT new.category OR old.level IS NOT new.level OR old.status IS NOT new.status
  OR old.resolve_days IS NOT new.resolve_days OR old.on_spot IS NOT new.on_spot
  OR old.resolved_on IS NOT new.resolved_on OR old.original_deadline IS NOT new.original_deadline
  OR old.satisfaction IS NOT new.satisfaction OR (old.escalation_count > 0) IS NOT (new.escalation_count > 0)
  OR (old.deadline IS NULL) IS NOT (new.deadline IS NULL)
BEGIN
  INSERT INTO problem_rollup
  SELECT kind, month, k, d, 1, open_n, resolved, closed, on_time, rated, satisfied, basic, unsatisfied, escalated,
    on_spot, open_dl
  FROM problem_rollup_items WHERE id = new.id
  ON CONFLICT (kind, month, k, d) DO UPDATE SET raised = raised + excluded.raised, open_n = open_n + excluded.open_n,
    resolved = resolved + excluded.resolved, closed = closed + excluded.closed,
    on_time = on_time + excluded.on_time, rated = rated + excluded.rated,
    satisfied = satisfied + excluded.satisfied, basic = basic + excluded.basic,
    unsatisfied = unsatisfied + excluded.unsatisfied, escalated = escalated + excluded.escalated,
    on_spot = on_spot + excluded.on_spot, open_dl = open_dl + excluded.open_dl;
END;

-- The open items not yet due, counted live for overdue: a range of this
-- index (status, deadline ≥ today) holding raised_on and the keys. Status
-- first so SQLite prefers it to problems_status_deadline_told_idx. With
-- source too it also holds the list's facets: the 问题台账's "overdue"
-- filter counts over it alone.
CREATE INDEX problems_open_stats_idx ON problems (status, deadline, raised_on, lead_unit_id, category, level, source)
  WHERE status IN ('pending', 'assigned', 'in_progress', 'returned');
