-- The names a project list page shows — 包保领导 and 包联人员 (users), 专班
-- (teams), 产业板块 and 项目类别 labels (dict_items) — move the list's data
-- version too, so a cached page (storage/list_cache.h) never shows an old
-- name. Org units and enterprise names already do (0005).
CREATE CONSTRAINT TRIGGER users_name_list_version AFTER UPDATE OF display_name ON users
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (old.display_name IS DISTINCT FROM new.display_name)
  EXECUTE FUNCTION project_list_version_bump();
CREATE CONSTRAINT TRIGGER teams_name_list_version AFTER UPDATE OF name ON teams
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (old.name IS DISTINCT FROM new.name)
  EXECUTE FUNCTION project_list_version_bump();
CREATE CONSTRAINT TRIGGER dict_items_label_list_version AFTER UPDATE OF label ON dict_items
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (old.label IS DISTINCT FROM new.label)
  EXECUTE FUNCTION project_list_version_bump();
