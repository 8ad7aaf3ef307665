-- Keyword terms of one or two characters through an index (issue 4). Keep
-- in step with sqlite/0019_project_search_grams.sql.
--
-- pg_trgm (0005) cannot answer a term under three characters (光伏, 产业, the
-- pinyin initials `gf`): those scanned every project's text with strpos().
-- This GIN index holds, for every project, each character of its search
-- text and each pair of adjacent characters, as an array of texts, so such
-- a term is one element and `project_search_grams(body) @> ARRAY[term]`
-- finds exactly the texts holding it — the same answer as strpos(). An
-- expression index: it follows `body` through every write with no code of
-- its own, and this CREATE INDEX fills it for the rows already there.
-- (pg_trgm over a text of bigrams would need the text stored twice and a
-- recheck of every candidate; an array's GIN answers @> without a recheck.)
--
-- IMMUTABLE as an index expression must be; the names are schema-qualified
-- so the index means the same under any search_path (pg_dump's restore).
CREATE FUNCTION project_search_grams(body TEXT) RETURNS TEXT[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT DISTINCT g.gram
                 FROM pg_catalog.generate_series(1, pg_catalog.length(body)) AS i,
                      LATERAL (VALUES (pg_catalog.substr(body, i, 1)), (pg_catalog.substr(body, i, 2))) AS g (gram))
  $$;
CREATE INDEX project_search_grams_idx ON project_search USING gin (project_search_grams(body));
