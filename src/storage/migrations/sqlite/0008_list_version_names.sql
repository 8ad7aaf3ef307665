-- The names a project list page shows — 包保领导 and 包联人员 (users), 专班
-- (teams), 产业板块 and 项目类别 labels (dict_items) — move the list's data
-- version too, so a cached page (storage/list_cache.h) never shows an old
-- name. Org units and enterprise names already do (0005).
CREATE TRIGGER users_name_list_version AFTER UPDATE OF display_name ON users
WHEN old.display_name IS NOT new.display_name BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER teams_name_list_version AFTER UPDATE OF name ON teams
WHEN old.name IS NOT new.name BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
CREATE TRIGGER dict_items_label_list_version AFTER UPDATE OF label ON dict_items
WHEN old.label IS NOT new.label BEGIN
  UPDATE project_list_version SET version = version + 1;
END;
