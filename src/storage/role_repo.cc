#include "storage/role_repo.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "storage/scope_sql.h"

namespace zb::storage {

namespace {

#define ZB_ROLE_COLUMNS "id, code, name, builtin, data_scope, remark, version, created_at, updated_at"
#define ZB_ROLE_COLUMNS_R \
  "r.id, r.code, r.name, r.builtin, r.data_scope, r.remark, r.version, r.created_at, r.updated_at"

constexpr char kNotFound[] = "角色不存在";

Role FromRow(const db::Row& r) {
  Role role;
  role.id = r.Int("id");
  role.code = r.Text("code");
  role.name = r.Text("name");
  role.builtin = r.Bool("builtin");
  role.data_scope = r.Text("data_scope");
  role.remark = r.Text("remark");
  role.version = r.Int("version");
  role.created_at = r.Int("created_at");
  role.updated_at = r.Int("updated_at");
  return role;
}

// Fills permissions and custom_unit_ids of every role: two queries.
Status AttachDetails(db::Connection& conn, std::vector<Role>& roles) {
  if (roles.empty()) return Status();
  std::vector<int64_t> ids;
  ids.reserve(roles.size());
  for (const Role& r : roles) ids.push_back(r.id);
  db::Params params;
  const std::string in = InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(db::Result perms,
                      conn.Query("SELECT role_id, permission FROM role_permissions WHERE role_id IN (" + in +
                                     ") ORDER BY role_id, permission",
                                 params));
  ZB_ASSIGN_OR_RETURN(db::Result units, conn.Query("SELECT role_id, org_unit_id FROM role_units WHERE role_id IN (" +
                                                       in + ") ORDER BY role_id, org_unit_id",
                                                   params));
  std::map<int64_t, Role*> by_id;
  for (Role& r : roles) {
    r.permissions.clear();
    r.custom_unit_ids.clear();
    by_id[r.id] = &r;
  }
  for (const db::Row& row : perms.rows) by_id[row.Int("role_id")]->permissions.push_back(row.Text("permission"));
  for (const db::Row& row : units.rows) by_id[row.Int("role_id")]->custom_unit_ids.push_back(row.Int("org_unit_id"));
  return Status();
}

StatusOr<Role> WithDetails(db::Connection& conn, Role role) {
  std::vector<Role> one{std::move(role)};
  ZB_RETURN_IF_ERROR(AttachDetails(conn, one));
  return std::move(one.front());
}

Status SetPermissions(db::Connection& conn, int64_t role_id, std::vector<std::string> permissions) {
  std::sort(permissions.begin(), permissions.end());
  permissions.erase(std::unique(permissions.begin(), permissions.end()), permissions.end());
  ZB_RETURN_IF_ERROR(conn.Exec("DELETE FROM role_permissions WHERE role_id = $1", {role_id}));
  for (const std::string& p : permissions) {
    ZB_RETURN_IF_ERROR(
        conn.Exec("INSERT INTO role_permissions (role_id, permission) VALUES ($1, $2)", {role_id, p}));
  }
  return Status();
}

Status SetUnits(db::Connection& conn, int64_t role_id, std::vector<int64_t> unit_ids) {
  std::sort(unit_ids.begin(), unit_ids.end());
  unit_ids.erase(std::unique(unit_ids.begin(), unit_ids.end()), unit_ids.end());
  if (!unit_ids.empty()) {
    db::Params params;
    const std::string in = InList(unit_ids, &params);
    ZB_ASSIGN_OR_RETURN(auto n, conn.QueryOne("SELECT COUNT(*) AS n FROM org_units WHERE id IN (" + in + ")", params));
    if (!n || n->Int("n") != static_cast<int64_t>(unit_ids.size())) {
      return NotFound("组织机构不存在", "custom_unit_ids");
    }
  }
  ZB_RETURN_IF_ERROR(conn.Exec("DELETE FROM role_units WHERE role_id = $1", {role_id}));
  for (int64_t unit : unit_ids) {
    ZB_RETURN_IF_ERROR(
        conn.Exec("INSERT INTO role_units (role_id, org_unit_id) VALUES ($1, $2)", {role_id, unit}));
  }
  return Status();
}

StatusOr<std::vector<Role>> LoadRoles(db::Connection& conn, const std::string& sql, const db::Params& params) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(sql, params));
  std::vector<Role> out;
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) out.push_back(FromRow(row));
  ZB_RETURN_IF_ERROR(AttachDetails(conn, out));
  return out;
}

}  // namespace

StatusOr<Role> CreateRole(db::Connection& conn, const NewRole& in, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO roles (code, name, builtin, data_scope, remark, version, "
                                              "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6) "
                                              "RETURNING " ZB_ROLE_COLUMNS,
                                              {in.code, in.name, int64_t{in.builtin ? 1 : 0}, in.data_scope,
                                               in.remark, now_ms}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  Role role = FromRow(*row);
  ZB_RETURN_IF_ERROR(SetPermissions(conn, role.id, in.permissions));
  ZB_RETURN_IF_ERROR(SetUnits(conn, role.id, in.custom_unit_ids));
  return WithDetails(conn, std::move(role));
}

StatusOr<Role> GetRole(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " ZB_ROLE_COLUMNS " FROM roles WHERE id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  return WithDetails(conn, FromRow(*row));
}

StatusOr<std::optional<Role>> FindRoleByCode(db::Connection& conn, const std::string& code) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " ZB_ROLE_COLUMNS " FROM roles WHERE code = $1", {code}));
  if (!row) return std::optional<Role>();
  ZB_ASSIGN_OR_RETURN(Role role, WithDetails(conn, FromRow(*row)));
  return std::optional<Role>(std::move(role));
}

StatusOr<std::vector<Role>> ListRoles(db::Connection& conn) {
  return LoadRoles(conn, "SELECT " ZB_ROLE_COLUMNS " FROM roles ORDER BY id", {});
}

StatusOr<Role> UpdateRole(db::Connection& conn, int64_t id, int64_t expected_version, const RoleChanges& changes,
                          int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("UPDATE roles SET name = COALESCE($3, name), "
                                              "data_scope = COALESCE($4, data_scope), remark = COALESCE($5, remark), "
                                              "version = version + 1, updated_at = $6 "
                                              "WHERE id = $1 AND version = $2 RETURNING " ZB_ROLE_COLUMNS,
                                              {id, expected_version, db::Opt(changes.name),
                                               db::Opt(changes.data_scope), db::Opt(changes.remark), now_ms}));
  if (!row) {
    ZB_ASSIGN_OR_RETURN(auto cur, conn.QueryOne("SELECT version FROM roles WHERE id = $1", {id}));
    if (!cur) return NotFound(kNotFound, "id");
    return VersionConflict("角色已被他人修改,请刷新后重试 (version " + std::to_string(expected_version) +
                           " expected, now " + std::to_string(cur->Int("version")) + ")");
  }
  Role role = FromRow(*row);
  if (changes.permissions) ZB_RETURN_IF_ERROR(SetPermissions(conn, id, *changes.permissions));
  if (changes.custom_unit_ids) ZB_RETURN_IF_ERROR(SetUnits(conn, id, *changes.custom_unit_ids));
  return WithDetails(conn, std::move(role));
}

Status DeleteRole(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT name, builtin FROM roles WHERE id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  const std::string name = row->Text("name");
  if (row->Bool("builtin")) return Conflict("内置角色“" + name + "”不能删除 (built-in role)", "id");
  ZB_ASSIGN_OR_RETURN(auto users, conn.QueryOne("SELECT COUNT(*) AS n FROM user_roles WHERE role_id = $1", {id}));
  const int64_t n = users ? users->Int("n") : 0;
  if (n > 0) {
    return Conflict("角色“" + name + "”仍有 " + std::to_string(n) + " 个用户使用,不能删除 (role in use)", "id");
  }
  return conn.Exec("DELETE FROM roles WHERE id = $1", {id});
}

StatusOr<std::map<int64_t, int64_t>> CountUsersByRole(db::Connection& conn) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT role_id, COUNT(*) AS n FROM user_roles GROUP BY role_id", {}));
  std::map<int64_t, int64_t> out;
  for (const db::Row& row : r.rows) out[row.Int("role_id")] = row.Int("n");
  return out;
}

StatusOr<std::vector<Role>> RolesForUser(db::Connection& conn, int64_t user_id) {
  return LoadRoles(conn,
                   "SELECT " ZB_ROLE_COLUMNS_R " FROM roles r JOIN user_roles ur ON ur.role_id = r.id "
                   "WHERE ur.user_id = $1 ORDER BY r.id",
                   {user_id});
}

#undef ZB_ROLE_COLUMNS
#undef ZB_ROLE_COLUMNS_R

}  // namespace zb::storage
