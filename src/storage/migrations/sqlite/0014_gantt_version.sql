-- The portfolio Gantt's data version (issue 5; api/gantt.cc). Keep in step
-- with postgres/0014_gantt_version.sql.
--
-- GET /gantt keeps whole answers per (scope, filters, day, calendar
-- version, threshold version) at storage::ReadGanttVersion: the sum of
-- project_list_version (0005, 0007, 0008: projects, their units' names,
-- their warnings' colours, everything the filters read) and this one.
--
-- This one moves with what people write into a plan: its nodes (added,
-- removed, or their name, duration, event, target, actual dates or order
-- changed) and its links. The columns the warning engine computes (latest
-- and forecast dates, node colours) are a function of those, of the
-- project (project_list_version), of the day, the calendar and the
-- thresholds (the answer's key), so the engine rewriting them — every day,
-- for every plan — moves nothing, and costs no trigger. The route reads
-- the key's versions before api::EnsureWarningsFresh brings those columns
-- up to date, so a kept answer is never older than its key.
CREATE TABLE gantt_data_version (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  epoch    TEXT    NOT NULL,
  version  INTEGER NOT NULL
) STRICT;
INSERT INTO gantt_data_version (id, epoch, version) VALUES (1, lower(hex(randomblob(8))), 0);

CREATE TRIGGER plan_nodes_insert_gantt_version AFTER INSERT ON plan_nodes BEGIN
  UPDATE gantt_data_version SET version = version + 1;
END;
CREATE TRIGGER plan_nodes_delete_gantt_version AFTER DELETE ON plan_nodes BEGIN
  UPDATE gantt_data_version SET version = version + 1;
END;
CREATE TRIGGER plan_nodes_update_gantt_version
AFTER UPDATE OF project_id, name, duration, event, target, actual_start, actual_finish, sort ON plan_nodes
WHEN old.project_id IS NOT new.project_id OR old.name IS NOT new.name OR old.duration IS NOT new.duration
  OR old.event IS NOT new.event OR old.target IS NOT new.target OR old.actual_start IS NOT new.actual_start
  OR old.actual_finish IS NOT new.actual_finish OR old.sort IS NOT new.sort
BEGIN
  UPDATE gantt_data_version SET version = version + 1;
END;
CREATE TRIGGER plan_links_insert_gantt_version AFTER INSERT ON plan_links BEGIN
  UPDATE gantt_data_version SET version = version + 1;
END;
CREATE TRIGGER plan_links_update_gantt_version AFTER UPDATE ON plan_links BEGIN
  UPDATE gantt_data_version SET version = version + 1;
END;
CREATE TRIGGER plan_links_delete_gantt_version AFTER DELETE ON plan_links BEGIN
  UPDATE gantt_data_version SET version = version + 1;
END;
