-- The portfolio Gantt's data version (issue 5; api/gantt.cc). Keep in step
-- with sqlite/0014_gantt_version.sql, which says what it covers and why
-- the warning engine's computed columns need no trigger. Bumped once per
-- transaction, at commit, like project_list_version (0005): the row is
-- locked only for that last moment.
CREATE TABLE gantt_data_version (
  id       BIGINT PRIMARY KEY CHECK (id = 1),
  epoch    TEXT   NOT NULL,
  version  BIGINT NOT NULL
);
INSERT INTO gantt_data_version (id, epoch, version) VALUES (1, md5(random()::text || clock_timestamp()::text), 0);

CREATE FUNCTION gantt_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('zb.gantt_version_bumped', true) IS DISTINCT FROM txid_current()::text THEN
    UPDATE gantt_data_version SET version = version + 1 WHERE id = 1;
    PERFORM set_config('zb.gantt_version_bumped', txid_current()::text, true);
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER plan_nodes_insert_delete_gantt_version AFTER INSERT OR DELETE ON plan_nodes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gantt_data_version_bump();
CREATE CONSTRAINT TRIGGER plan_nodes_update_gantt_version
  AFTER UPDATE OF project_id, name, duration, event, target, actual_start, actual_finish, sort ON plan_nodes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((old.project_id, old.name, old.duration, old.event, old.target, old.actual_start, old.actual_finish, old.sort)
        IS DISTINCT FROM
        (new.project_id, new.name, new.duration, new.event, new.target, new.actual_start, new.actual_finish, new.sort))
  EXECUTE FUNCTION gantt_data_version_bump();
CREATE CONSTRAINT TRIGGER plan_links_gantt_version AFTER INSERT OR UPDATE OR DELETE ON plan_links
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gantt_data_version_bump();
