-- The figures for the whole tree at 500 000 items (issue 6,
-- docs/performance.md § Statistics): a monthly roll-up of the additive
-- counts, kept by triggers. Keep in step with sqlite/0012_problem_rollup.sql
-- (the rows, the keys and the rules are described there).
CREATE TABLE problem_rollup (
  kind        TEXT   NOT NULL CHECK (kind IN ('u', 'c', 'l')),
  month       TEXT   COLLATE "C" NOT NULL,
  k           TEXT   COLLATE "C" NOT NULL,
  d           BIGINT NOT NULL,
  raised      BIGINT NOT NULL,
  open_n      BIGINT NOT NULL,
  resolved    BIGINT NOT NULL,
  closed      BIGINT NOT NULL,
  on_time     BIGINT NOT NULL,
  rated       BIGINT NOT NULL,
  satisfied   BIGINT NOT NULL,
  basic       BIGINT NOT NULL,
  unsatisfied BIGINT NOT NULL,
  escalated   BIGINT NOT NULL,
  on_spot     BIGINT NOT NULL,
  open_dl     BIGINT NOT NULL,
  PRIMARY KEY (kind, month, k, d)
);

-- What one item adds to the roll-up: three rows, one per kind.
CREATE VIEW problem_rollup_items AS
SELECT p.id, x.kind, SUBSTR(p.raised_on, 1, 7) AS month,
  CASE x.kind WHEN 'u' THEN COALESCE(p.lead_unit_id::text, '') WHEN 'c' THEN p.category ELSE p.level END AS k,
  CASE WHEN p.status IN ('resolved', 'closed') THEN COALESCE(p.resolve_days, -1) ELSE -1 END AS d,
  (p.status IN ('pending', 'assigned', 'in_progress', 'returned'))::int AS open_n,
  (p.status IN ('resolved', 'closed'))::int AS resolved,
  (p.status = 'closed')::int AS closed,
  CASE WHEN p.status IN ('resolved', 'closed') AND (p.on_spot = 1 OR p.resolved_on <= p.original_deadline)
    THEN 1 ELSE 0 END AS on_time,
  (p.satisfaction IS NOT NULL)::int AS rated,
  (p.satisfaction IS NOT DISTINCT FROM 'satisfied')::int AS satisfied,
  (p.satisfaction IS NOT DISTINCT FROM 'basic')::int AS basic,
  (p.satisfaction IS NOT DISTINCT FROM 'unsatisfied')::int AS unsatisfied,
  (p.escalation_count > 0)::int AS escalated,
  (p.status IN ('resolved', 'closed') AND p.on_spot = 1)::int AS on_spot,
  (p.status IN ('pending', 'assigned', 'in_progress', 'returned') AND p.deadline IS NOT NULL)::int AS open_dl
FROM problems p CROSS JOIN (VALUES ('u'), ('c'), ('l')) AS x (kind);

INSERT INTO problem_rollup
SELECT kind, month, k, d, COUNT(*), SUM(open_n), SUM(resolved), SUM(closed), SUM(on_time), SUM(rated),
  SUM(satisfied), SUM(basic), SUM(unsatisfied), SUM(escalated), SUM(on_spot), SUM(open_dl)
FROM problem_rollup_items GROUP BY kind, month, k, d;

-- Adds (sign 1) or takes away (-1) the rows of the items `ids` as they
-- are now. Rows are written in key order, so two writers lock them in the
-- same order.
CREATE FUNCTION problem_rollup_add(ids BIGINT[], sign INTEGER) RETURNS void LANGUAGE sql AS $$
  INSERT INTO problem_rollup
  SELECT kind, month, k, d, sign * COUNT(*), sign * SUM(open_n), sign * SUM(resolved), sign * SUM(closed),
    sign * SUM(on_time), sign * SUM(rated), sign * SUM(satisfied), sign * SUM(basic), sign * SUM(unsatisfied),
    sign * SUM(escalated), sign * SUM(on_spot), sign * SUM(open_dl)
  FROM problem_rollup_items WHERE id = ANY (ids)
  GROUP BY kind, month, k, d ORDER BY kind, month, k, d
  ON CONFLICT (kind, month, k, d) DO UPDATE SET raised = problem_rollup.raised + excluded.raised,
    open_n = problem_rollup.open_n + excluded.open_n, resolved = problem_rollup.resolved + excluded.resolved,
    closed = problem_rollup.closed + excluded.closed, on_time = problem_rollup.on_time + excluded.on_time,
    rated = problem_rollup.rated + excluded.rated, satisfied = problem_rollup.satisfied + excluded.satisfied,
    basic = problem_rollup.basic + excluded.basic, unsatisfied = problem_rollup.unsatisfied + excluded.unsatisfied,
    escalated = problem_rollup.escalated + excluded.escalated, on_spot = problem_rollup.on_spot + excluded.on_spot,
    open_dl = problem_rollup.open_dl + excluded.open_dl;
$$;

-- Inserts once per statement (the generator writes 256 items a statement);
-- an item's rows are taken away before it changes or goes (the view still
-- sees the old row) and added after; an update touches the roll-up only
-- when a column it counts changed.
CREATE FUNCTION problems_rollup_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM problem_rollup_add(ARRAY(SELECT id FROM new_rows), 1);
  RETURN NULL;
END $$;
CREATE FUNCTION problems_rollup_before() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM problem_rollup_add(ARRAY[old.id], -1);
  IF TG_OP = 'DELETE' THEN RETURN old; END IF;
  RETURN new;
END $$;
CREATE FUNCTION problems_rollup_after() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM problem_rollup_add(ARRAY[new.id], 1);
  RETURN NULL;
END $$;
CREATE TRIGGER problems_rollup_insert AFTER INSERT ON problems REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION problems_rollup_inserted();
CREATE TRIGGER problems_rollup_delete BEFORE DELETE ON problems
  FOR EACH ROW EXECUTE FUNCTION problems_rollup_before();
CREATE TRIGGER problems_rollup_update_old BEFORE UPDATE OF raised_on, lead_unit_id, category, level, status,
  resolve_days, on_spot, resolved_on, original_deadline, satisfaction, escalation_count, deadline ON problems
  FOR EACH ROW WHEN (old.raised_on IS DISTINCT FROM new.raised_on OR old.lead_unit_id IS DISTINCT FROM new.lead_unit_id
    OR old.category IS DISTINCT FROM new.category OR old.level IS DISTINCT FROM new.level
    OR old.status IS DISTINCT FROM new.status OR old.resolve_days IS DISTINCT FROM new.resolve_days
    OR old.on_spot IS DISTINCT FROM new.on_spot OR old.resolved_on IS DISTINCT FROM new.resolved_on
    OR old.original_deadline IS DISTINCT FROM new.original_deadline
    OR old.satisfaction IS DISTINCT FROM new.satisfaction
    OR (old.escalation_count > 0) IS DISTINCT FROM (new.escalation_count > 0)
    OR (old.deadline IS NULL) IS DISTINCT FROM (new.deadline IS NULL))
  EXECUTE FUNCTION problems_rollup_before();
CREATE TRIGGER problems_rollup_update_new AFTER UPDATE OF raised_on, lead_unit_id, category, level, status,
  resolve_days, on_spot, resolved_on, original_deadline, satisfaction, escalation_count, deadline ON problems
  FOR EACH ROW WHEN (old.raised_on IS DISTINCT FROM new.raised_on OR old.lead_unit_id IS DISTINCT FROM new.lead_unit_id
    OR old.category IS DISTINCT FROM new.category OR old.level IS DISTINCT FROM new.level
    OR old.status IS DISTINCT FROM new.status OR old.resolve_days IS DISTINCT FROM new.resolve_days
    OR old.on_spot IS DISTINCT FROM new.on_spot OR old.resolved_on IS DISTINCT FROM new.resolved_on
    OR old.original_deadline IS DISTINCT FROM new.original_deadline
    OR old.satisfaction IS DISTINCT FROM new.satisfaction
    OR (old.escalation_count > 0) IS DISTINCT FROM (new.escalation_count > 0)
    OR (old.deadline IS NULL) IS DISTINCT FROM (new.deadline IS NULL))
  EXECUTE FUNCTION problems_rollup_after();

-- The open items not yet due, counted live for overdue (see the SQLite file).
CREATE INDEX problems_open_stats_idx ON problems (status, deadline, raised_on, lead_unit_id, category, level, source)
  WHERE status IN ('pending', 'assigned', 'in_progress', 'returned');
