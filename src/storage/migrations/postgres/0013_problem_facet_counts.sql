-- The 问题台账 list's total and facets for the whole tree without reading
-- the ledger (issue 6). Keep in step with sqlite/0013_problem_facet_counts.sql,
-- which says how the list uses it.
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

CREATE FUNCTION problem_facet_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND old.status = new.status AND old.category = new.category AND old.level = new.level
     AND old.source = new.source THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE problem_facet_counts SET n = n - 1
    WHERE status = old.status AND category = old.category AND level = old.level AND source = old.source;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO problem_facet_counts (status, category, level, source, n)
    VALUES (new.status, new.category, new.level, new.source, 1)
    ON CONFLICT (status, category, level, source) DO UPDATE SET n = problem_facet_counts.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER problems_facet_counts AFTER INSERT OR DELETE OR UPDATE OF status, category, level, source ON problems
  FOR EACH ROW EXECUTE FUNCTION problem_facet_counts_keep();

-- A status tab's page, newest first (see the SQLite file).
CREATE INDEX problems_status_raised_idx ON problems (status, raised_on, id);
-- A facet clicked pages from the facet index's entries (see the SQLite file).
DROP INDEX problems_facets_idx;
CREATE INDEX problems_facets_idx ON problems (status, category, level, source, raised_on);
