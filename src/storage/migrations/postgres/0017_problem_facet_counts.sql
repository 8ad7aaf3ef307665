-- The 问题台账 list's total and facets for the whole tree without reading
-- the ledger, as SQLite has had since 0013 (see sqlite/0013). Keep in step
-- with sqlite/0017_problem_facet_counts.sql.
--
-- 0013 left this table out here because row triggers would update a
-- handful of counter rows once per item written, and PostgreSQL reaches the
-- latest version of a row updated many times in one transaction by walking
-- every earlier one (a bulk write would cost the square of its size). These
-- triggers fire once per STATEMENT, as 0012's roll-up does: the statement's
-- rows are counted per (status, category, level, source) from its transition
-- tables and each counter row is written once, in key order (so two writers
-- lock counter rows in the same order). Counting the index instead took
-- 1–3 s for the ledger's first page at 500 000 items on a busy machine.
CREATE TABLE problem_facet_counts (
  status    TEXT   NOT NULL,
  category  TEXT   NOT NULL,
  level     TEXT   NOT NULL,
  source    TEXT   NOT NULL,
  n         BIGINT NOT NULL,
  PRIMARY KEY (status, category, level, source)
);
INSERT INTO problem_facet_counts (status, category, level, source, n)
  SELECT status, category, level, source, COUNT(*) FROM problems GROUP BY status, category, level, source;

-- Adds sign × the rows' counts (rows: the facet columns of a statement's
-- rows, as composite values).
CREATE FUNCTION problem_facet_counts_add(delta_rows problems[], sign INTEGER) RETURNS void LANGUAGE sql AS $$
  INSERT INTO problem_facet_counts (status, category, level, source, n)
  SELECT p.status, p.category, p.level, p.source, sign * COUNT(*) FROM unnest(delta_rows) AS p
  GROUP BY p.status, p.category, p.level, p.source ORDER BY p.status, p.category, p.level, p.source
  ON CONFLICT (status, category, level, source) DO UPDATE SET n = problem_facet_counts.n + excluded.n;
$$;

CREATE FUNCTION problems_facet_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM problem_facet_counts_add(ARRAY(SELECT ROW(n.*)::problems FROM new_rows n), 1);
  RETURN NULL;
END $$;
CREATE FUNCTION problems_facet_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM problem_facet_counts_add(ARRAY(SELECT ROW(o.*)::problems FROM old_rows o), -1);
  RETURN NULL;
END $$;
CREATE FUNCTION problems_facet_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed BIGINT[];
BEGIN
  changed := ARRAY(SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE o.status IS DISTINCT FROM n.status OR o.category IS DISTINCT FROM n.category
      OR o.level IS DISTINCT FROM n.level OR o.source IS DISTINCT FROM n.source);
  IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
  PERFORM problem_facet_counts_add(ARRAY(SELECT ROW(o.*)::problems FROM old_rows o WHERE o.id = ANY (changed)), -1);
  PERFORM problem_facet_counts_add(ARRAY(SELECT ROW(n.*)::problems FROM new_rows n WHERE n.id = ANY (changed)), 1);
  RETURN NULL;
END $$;
CREATE TRIGGER problems_facet_counts_insert AFTER INSERT ON problems REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION problems_facet_counts_inserted();
CREATE TRIGGER problems_facet_counts_delete AFTER DELETE ON problems REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION problems_facet_counts_deleted();
CREATE TRIGGER problems_facet_counts_update AFTER UPDATE ON problems REFERENCING OLD TABLE AS old_rows
  NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION problems_facet_counts_updated();
