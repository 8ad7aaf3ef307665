#include "storage/org_unit_repo.h"

#include <string>
#include <utility>

namespace zb::storage {

namespace {

#define ZB_ORG_UNIT_COLUMNS \
  "id, parent_id, name, short_name, code, kind, sort_order, active, path, version, created_at, updated_at"

constexpr char kNotFound[] = "组织机构不存在";

OrgUnit FromRow(const db::Row& r) {
  OrgUnit u;
  u.id = r.Int("id");
  u.parent_id = r.OptInt("parent_id");
  u.name = r.Text("name");
  u.short_name = r.Text("short_name");
  u.code = r.Text("code");
  u.kind = r.Text("kind");
  u.sort_order = r.Int("sort_order");
  u.active = r.Bool("active");
  u.path = r.Text("path");
  u.version = r.Int("version");
  u.created_at = r.Int("created_at");
  u.updated_at = r.Int("updated_at");
  return u;
}

// Explains why a versioned UPDATE matched no row.
Status StaleOrMissing(db::Connection& conn, int64_t id, int64_t expected_version) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT version FROM org_units WHERE id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  return VersionConflict("组织机构已被他人修改,请刷新后重试 (version " + std::to_string(expected_version) +
                         " expected, now " + std::to_string(row->Int("version")) + ")");
}

}  // namespace

StatusOr<OrgUnit> CreateOrgUnit(db::Connection& conn, const NewOrgUnit& in, int64_t now_ms) {
  std::string parent_path = "/";
  if (in.parent_id) {
    ZB_ASSIGN_OR_RETURN(auto parent, conn.QueryOne("SELECT path FROM org_units WHERE id = $1", {*in.parent_id}));
    if (!parent) return NotFound("上级组织机构不存在", "parent_id");
    parent_path = parent->Text("path");
  }
  ZB_ASSIGN_OR_RETURN(
      auto inserted,
      conn.QueryOne("INSERT INTO org_units (parent_id, name, short_name, code, kind, sort_order, active, path, "
                    "version, created_at, updated_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, 1, '', 1, $7, $7) RETURNING id",
                    {db::Opt(in.parent_id), in.name, in.short_name, in.code, in.kind, in.sort_order, now_ms}));
  if (!inserted) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  const int64_t id = inserted->Int("id");
  ZB_ASSIGN_OR_RETURN(auto row,
                      conn.QueryOne("UPDATE org_units SET path = $1 WHERE id = $2 RETURNING " ZB_ORG_UNIT_COLUMNS,
                                    {parent_path + std::to_string(id) + "/", id}));
  if (!row) return Internal("新建的组织机构未找到 (created row vanished)");
  return FromRow(*row);
}

StatusOr<OrgUnit> GetOrgUnit(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " ZB_ORG_UNIT_COLUMNS " FROM org_units WHERE id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  return FromRow(*row);
}

StatusOr<std::vector<OrgUnit>> ListOrgUnits(db::Connection& conn, std::optional<int64_t> root_id,
                                            bool include_inactive, const std::optional<ScopeFilterSql>& scope) {
  std::string prefix = "/";  // every path starts with it
  if (root_id) {
    ZB_ASSIGN_OR_RETURN(auto root, conn.QueryOne("SELECT path FROM org_units WHERE id = $1", {*root_id}));
    if (!root) return NotFound(kNotFound, "id");
    prefix = root->Text("path");
  }
  db::Params params = {prefix, int64_t{include_inactive ? 1 : 0}};
  std::string sql = "SELECT " ZB_ORG_UNIT_COLUMNS " FROM org_units WHERE path LIKE $1 || '%' AND ($2 = 1 OR active = 1)";
  if (scope) sql += " AND " + ScopeWhere(*scope, "path", "id", "", &params);
  sql += " ORDER BY LENGTH(path) - LENGTH(REPLACE(path, '/', '')), sort_order, id";
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(sql, params));
  std::vector<OrgUnit> out;
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) out.push_back(FromRow(row));
  return out;
}

StatusOr<OrgUnit> UpdateOrgUnit(db::Connection& conn, int64_t id, int64_t expected_version,
                                const OrgUnitChanges& changes, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(auto row,
                      conn.QueryOne("UPDATE org_units SET name = COALESCE($3, name), "
                                    "short_name = COALESCE($4, short_name), code = COALESCE($5, code), "
                                    "sort_order = COALESCE($6, sort_order), version = version + 1, updated_at = $7 "
                                    "WHERE id = $1 AND version = $2 RETURNING " ZB_ORG_UNIT_COLUMNS,
                                    {id, expected_version, db::Opt(changes.name), db::Opt(changes.short_name),
                                     db::Opt(changes.code), db::Opt(changes.sort_order), now_ms}));
  if (!row) return StaleOrMissing(conn, id, expected_version);
  return FromRow(*row);
}

StatusOr<OrgUnit> DeactivateOrgUnit(db::Connection& conn, int64_t id, int64_t expected_version, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("UPDATE org_units SET active = 0, version = version + 1, updated_at = $3 "
                                              "WHERE id = $1 AND version = $2 RETURNING " ZB_ORG_UNIT_COLUMNS,
                                              {id, expected_version, now_ms}));
  if (!row) return StaleOrMissing(conn, id, expected_version);
  return FromRow(*row);
}

StatusOr<OrgUnit> ActivateOrgUnit(db::Connection& conn, int64_t id, int64_t expected_version, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("UPDATE org_units SET active = 1, version = version + 1, updated_at = $3 "
                                              "WHERE id = $1 AND version = $2 RETURNING " ZB_ORG_UNIT_COLUMNS,
                                              {id, expected_version, now_ms}));
  if (!row) return StaleOrMissing(conn, id, expected_version);
  return FromRow(*row);
}

StatusOr<OrgUnit> MoveOrgUnit(db::Connection& conn, int64_t id, int64_t new_parent_id, int64_t expected_version,
                              int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(OrgUnit unit, GetOrgUnit(conn, id));
  if (unit.version != expected_version) return StaleOrMissing(conn, id, expected_version);
  if (!unit.parent_id) return ValidationFailed("根单位不能移动 (the root unit cannot move)", "parent_id");
  ZB_ASSIGN_OR_RETURN(auto parent, conn.QueryOne("SELECT path FROM org_units WHERE id = $1", {new_parent_id}));
  if (!parent) return NotFound("上级组织机构不存在", "parent_id");
  const std::string parent_path = parent->Text("path");
  if (parent_path.starts_with(unit.path)) {
    return ValidationFailed("不能移到本单位或其下级单位之下 (cannot move a unit under itself or its descendants)",
                            "parent_id");
  }
  const std::string new_path = parent_path + std::to_string(id) + "/";
  // Descendants first (their prefix still reads the old path), then the unit.
  ZB_RETURN_IF_ERROR(conn.Exec("UPDATE org_units SET path = $1 || SUBSTR(path, $2) WHERE path LIKE $3 || '%' AND id <> $4",
                               {new_path, static_cast<int64_t>(unit.path.size() + 1), unit.path, id}));
  ZB_ASSIGN_OR_RETURN(auto row,
                      conn.QueryOne("UPDATE org_units SET parent_id = $3, path = $4, version = version + 1, "
                                    "updated_at = $5 WHERE id = $1 AND version = $2 RETURNING " ZB_ORG_UNIT_COLUMNS,
                                    {id, expected_version, new_parent_id, new_path, now_ms}));
  if (!row) return StaleOrMissing(conn, id, expected_version);
  return FromRow(*row);
}

StatusOr<UnitDependents> CountUnitDependents(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT "
                                              "(SELECT COUNT(*) FROM org_units WHERE parent_id = $1 AND active = 1) "
                                              "AS children, "
                                              "(SELECT COUNT(*) FROM users WHERE org_unit_id = $1 AND active = 1) "
                                              "AS users",
                                              {id}));
  if (!row) return Internal("COUNT 未返回行 (no row returned)");
  return UnitDependents{.active_children = row->Int("children"), .active_users = row->Int("users")};
}

#undef ZB_ORG_UNIT_COLUMNS

}  // namespace zb::storage
