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

-- What one item adds to the roll-up: three rows, one per kind. A function
-- of the row, so the view (the backfill, the tests' rebuild) and the
-- triggers (over the statement's old and new rows) read the same rules.
CREATE FUNCTION problem_rollup_of(p problems) RETURNS TABLE (
  kind TEXT, month TEXT, k TEXT, d BIGINT, open_n INT, resolved INT, closed INT, on_time INT, rated INT,
  satisfied INT, basic INT, unsatisfied INT, escalated INT, on_spot INT, open_dl INT)
LANGUAGE sql IMMUTABLE AS $$
SELECT x.kind, SUBSTR(p.raised_on, 1, 7),
  CASE x.kind WHEN 'u' THEN COALESCE(p.lead_unit_id::text, '') WHEN 'c' THEN p.category ELSE p.level END,
  CASE WHEN p.status IN ('resolved', 'closed') THEN COALESCE(p.resolve_days, -1) ELSE -1 END::bigint,
  (p.status IN ('pending', 'assigned', 'in_progress', 'returned'))::int,
  (p.status IN ('resolved', 'closed'))::int,
  (p.status = 'closed')::int,
  CASE WHEN p.status IN ('resolved', 'closed') AND (p.on_spot = 1 OR p.resolved_on <= p.original_deadline)
    THEN 1 ELSE 0 END,
  (p.satisfaction IS NOT NULL)::int,
  (p.satisfaction IS NOT DISTINCT FROM 'satisfied')::int,
  (p.satisfaction IS NOT DISTINCT FROM 'basic')::int,
  (p.satisfaction IS NOT DISTINCT FROM 'unsatisfied')::int,
  (p.escalation_count > 0)::int,
  (p.status IN ('resolved', 'closed') AND p.on_spot = 1)::int,
  (p.status IN ('pending', 'assigned', 'in_progress', 'returned') AND p.deadline IS NOT NULL)::int
FROM (VALUES ('u'), ('c'), ('l')) AS x (kind)
$$;
CREATE VIEW problem_rollup_items AS
SELECT p.id, r.* FROM problems p CROSS JOIN LATERAL problem_rollup_of(p) r;

INSERT INTO problem_rollup
SELECT kind, month, k, d, COUNT(*), SUM(open_n), SUM(resolved), SUM(closed), SUM(on_time), SUM(rated),
  SUM(satisfied), SUM(basic), SUM(unsatisfied), SUM(escalated), SUM(on_spot), SUM(open_dl)
FROM problem_rollup_items GROUP BY kind, month, k, d;

-- Adds (sign 1) or takes away (-1) what the items `rows` count. Rows are
-- written in key order, so two writers lock them in the same order.
CREATE FUNCTION problem_rollup_add(rows problems[], sign INTEGER) RETURNS void LANGUAGE sql AS $$
  INSERT INTO problem_rollup
  SELECT r.kind, r.month, r.k, r.d, sign * COUNT(*), sign * SUM(r.open_n), sign * SUM(r.resolved),
    sign * SUM(r.closed), sign * SUM(r.on_time), sign * SUM(r.rated), sign * SUM(r.satisfied), sign * SUM(r.basic),
    sign * SUM(r.unsatisfied), sign * SUM(r.escalated), sign * SUM(r.on_spot), sign * SUM(r.open_dl)
  FROM unnest(rows) AS p CROSS JOIN LATERAL problem_rollup_of(p) r
  GROUP BY r.kind, r.month, r.k, r.d ORDER BY r.kind, r.month, r.k, r.d
  ON CONFLICT (kind, month, k, d) DO UPDATE SET raised = problem_rollup.raised + excluded.raised,
    open_n = problem_rollup.open_n + excluded.open_n, resolved = problem_rollup.resolved + excluded.resolved,
    closed = problem_rollup.closed + excluded.closed, on_time = problem_rollup.on_time + excluded.on_time,
    rated = problem_rollup.rated + excluded.rated, satisfied = problem_rollup.satisfied + excluded.satisfied,
    basic = problem_rollup.basic + excluded.basic, unsatisfied = problem_rollup.unsatisfied + excluded.unsatisfied,
    escalated = problem_rollup.escalated + excluded.escalated, on_spot = problem_rollup.on_spot + excluded.on_spot,
    open_dl = problem_rollup.open_dl + excluded.open_dl;
$$;

-- Once per statement, never per row: a roll-up row updated once per item
-- would be walked through all its earlier versions by the next update in
-- the same transaction (PostgreSQL writes each update as a new version), so
-- a bulk write — the generator, the daily job's escalations — would cost
-- the square of its size. An update counts only the items whose counted
-- columns changed (not the daily job's markers, a path, a title).
CREATE FUNCTION problems_rollup_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM problem_rollup_add(ARRAY(SELECT ROW(n.*)::problems FROM new_rows n), 1);
  RETURN NULL;
END $$;
CREATE FUNCTION problems_rollup_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM problem_rollup_add(ARRAY(SELECT ROW(o.*)::problems FROM old_rows o), -1);
  RETURN NULL;
END $$;
CREATE FUNCTION problems_rollup_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed BIGINT[];
BEGIN
  changed := ARRAY(SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE o.raised_on IS DISTINCT FROM n.raised_on OR o.lead_unit_id IS DISTINCT FROM n.lead_unit_id
      OR o.category IS DISTINCT FROM n.category OR o.level IS DISTINCT FROM n.level
      OR o.status IS DISTINCT FROM n.status OR o.resolve_days IS DISTINCT FROM n.resolve_days
      OR o.on_spot IS DISTINCT FROM n.on_spot OR o.resolved_on IS DISTINCT FROM n.resolved_on
      OR o.original_deadline IS DISTINCT FROM n.original_deadline
      OR o.satisfaction IS DISTINCT FROM n.satisfaction
      OR (o.escalation_count > 0) IS DISTINCT FROM (n.escalation_count > 0)
      OR (o.deadline IS NULL) IS DISTINCT FROM (n.deadline IS NULL));
  IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
  PERFORM problem_rollup_add(ARRAY(SELECT ROW(o.*)::problems FROM old_rows o WHERE o.id = ANY (changed)), -1);
  PERFORM problem_rollup_add(ARRAY(SELECT ROW(n.*)::problems FROM new_rows n WHERE n.id = ANY (changed)), 1);
  RETURN NULL;
END $$;
CREATE TRIGGER problems_rollup_insert AFTER INSERT ON problems REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION problems_rollup_inserted();
CREATE TRIGGER problems_rollup_delete AFTER DELETE ON problems REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION problems_rollup_deleted();
CREATE TRIGGER problems_rollup_update AFTER UPDATE ON problems REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION problems_rollup_updated();

-- The open items not yet due, counted live for overdue (see the SQLite file).
CREATE INDEX problems_open_stats_idx ON problems (status, deadline, raised_on, lead_unit_id, category, level, source)
  WHERE status IN ('pending', 'assigned', 'in_progress', 'returned');
