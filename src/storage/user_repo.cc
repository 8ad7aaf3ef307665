#include "storage/user_repo.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace zb::storage {

namespace {

// Reads join the user's org unit for its name and path.
#define ZB_USER_SELECT                                                                                  \
  "SELECT u.id, u.login, u.display_name, u.mobile, u.email, u.org_unit_id, u.enterprise_id, u.active, " \
  "u.failed_attempts, u.locked_until, u.password_hash, u.password_changed_at, u.must_change_password, " \
  "u.version, u.created_at, u.updated_at, o.name AS org_unit_name, o.path AS org_path "                \
  "FROM users u JOIN org_units o ON o.id = u.org_unit_id"

constexpr char kNotFound[] = "用户不存在";

User FromRow(const db::Row& r) {
  User u;
  u.id = r.Int("id");
  u.login = r.Text("login");
  u.display_name = r.Text("display_name");
  u.mobile = r.Text("mobile");
  u.email = r.Text("email");
  u.org_unit_id = r.Int("org_unit_id");
  u.enterprise_id = r.OptInt("enterprise_id");
  u.active = r.Bool("active");
  u.failed_attempts = r.Int("failed_attempts");
  u.locked_until = r.OptInt("locked_until");
  u.password_hash = r.Text("password_hash");
  u.password_changed_at = r.Int("password_changed_at");
  u.must_change_password = r.Bool("must_change_password");
  u.version = r.Int("version");
  u.created_at = r.Int("created_at");
  u.updated_at = r.Int("updated_at");
  u.org_unit_name = r.Text("org_unit_name");
  u.org_path = r.Text("org_path");
  return u;
}

// Fills role_ids of every user in one query.
Status AttachRoles(db::Connection& conn, std::vector<User>& users) {
  if (users.empty()) return Status();
  std::vector<int64_t> ids;
  ids.reserve(users.size());
  for (const User& u : users) ids.push_back(u.id);
  db::Params params;
  const std::string in = InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT user_id, role_id FROM user_roles WHERE user_id IN (" + in +
                                                   ") ORDER BY user_id, role_id",
                                               params));
  std::map<int64_t, std::vector<int64_t>> by_user;
  for (const db::Row& row : r.rows) by_user[row.Int("user_id")].push_back(row.Int("role_id"));
  for (User& u : users) {
    auto it = by_user.find(u.id);
    u.role_ids = it == by_user.end() ? std::vector<int64_t>{} : std::move(it->second);
  }
  return Status();
}

StatusOr<User> WithRoles(db::Connection& conn, User u) {
  std::vector<User> one{std::move(u)};
  ZB_RETURN_IF_ERROR(AttachRoles(conn, one));
  return std::move(one.front());
}

Status CheckOrgUnit(db::Connection& conn, int64_t org_unit_id) {
  return CheckIdsExist(conn, "org_units", {org_unit_id}, "org_unit_id", "组织机构");
}

std::vector<int64_t> Distinct(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// Replaces the user's roles with `role_ids` (missing roles → NotFound).
Status SetRoles(db::Connection& conn, int64_t user_id, const std::vector<int64_t>& role_ids) {
  const std::vector<int64_t> ids = Distinct(role_ids);
  if (!ids.empty()) {
    db::Params params;
    const std::string in = InList(ids, &params);
    ZB_ASSIGN_OR_RETURN(auto n, conn.QueryOne("SELECT COUNT(*) AS n FROM roles WHERE id IN (" + in + ")", params));
    if (!n || n->Int("n") != static_cast<int64_t>(ids.size())) return NotFound("角色不存在", "role_ids");
  }
  ZB_RETURN_IF_ERROR(conn.Exec("DELETE FROM user_roles WHERE user_id = $1", {user_id}));
  for (int64_t role_id : ids) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2)", {user_id, role_id}));
  }
  return Status();
}

Status StaleOrMissing(db::Connection& conn, int64_t id, int64_t expected_version) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT version FROM users WHERE id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  return VersionConflict("用户已被他人修改,请刷新后重试 (version " + std::to_string(expected_version) +
                         " expected, now " + std::to_string(row->Int("version")) + ")");
}

Status ExpectOneRow(const db::Result& r) {
  if (r.affected == 0) return NotFound(kNotFound, "id");
  return Status();
}

}  // namespace

StatusOr<User> CreateUser(db::Connection& conn, const NewUser& in, int64_t now_ms) {
  ZB_RETURN_IF_ERROR(CheckOrgUnit(conn, in.org_unit_id));
  ZB_ASSIGN_OR_RETURN(
      auto row,
      conn.QueryOne("INSERT INTO users (login, display_name, mobile, email, org_unit_id, enterprise_id, active, "
                    "failed_attempts, locked_until, password_hash, password_changed_at, must_change_password, "
                    "version, created_at, updated_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, 0, NULL, $8, $9, $10, 1, $9, $9) RETURNING id",
                    {in.login, in.display_name, in.mobile, in.email, in.org_unit_id, db::Opt(in.enterprise_id),
                     int64_t{in.active ? 1 : 0}, in.password_hash, now_ms, int64_t{in.must_change_password ? 1 : 0}}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  const int64_t id = row->Int("id");
  ZB_RETURN_IF_ERROR(SetRoles(conn, id, in.role_ids));
  ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)",
                               {id, in.password_hash, now_ms}));
  return GetUser(conn, id);
}

StatusOr<User> GetUser(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_USER_SELECT " WHERE u.id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  return WithRoles(conn, FromRow(*row));
}

StatusOr<std::optional<User>> FindUserByLogin(db::Connection& conn, const std::string& login) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_USER_SELECT " WHERE u.login = $1", {login}));
  if (!row) return std::optional<User>();
  ZB_ASSIGN_OR_RETURN(User u, WithRoles(conn, FromRow(*row)));
  return std::optional<User>(std::move(u));
}

StatusOr<UserPage> ListUsers(db::Connection& conn, const UserFilter& filter) {
  db::Params params;
  std::string where = " WHERE 1=1";
  if (filter.scope) where += " AND " + ScopeWhere(*filter.scope, "o.path", "o.id", "u.id", &params);
  if (filter.org_path_prefix) {
    params.push_back(*filter.org_path_prefix);
    where += " AND o.path LIKE $" + std::to_string(params.size()) + " || '%'";
  }
  if (!filter.keyword.empty()) {
    std::string kw;
    for (char c : filter.keyword) kw += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    params.push_back("%" + EscapeLike(kw) + "%");
    const std::string p = "$" + std::to_string(params.size());
    where += " AND (LOWER(u.login) LIKE " + p + " ESCAPE '\\' OR LOWER(u.display_name) LIKE " + p +
             " ESCAPE '\\' OR u.mobile LIKE " + p + " ESCAPE '\\')";
  }
  if (filter.active) {
    params.push_back(int64_t{*filter.active ? 1 : 0});
    where += " AND u.active = $" + std::to_string(params.size());
  }
  UserPage page;
  ZB_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*) AS n FROM users u JOIN org_units o "
                                                "ON o.id = u.org_unit_id" + where,
                                                params));
  page.total = count ? count->Int("n") : 0;
  const std::string limit = LimitOffset(filter.page, filter.page_size, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(ZB_USER_SELECT + where + " ORDER BY u.id" + limit, params));
  page.items.reserve(r.rows.size());
  for (const db::Row& row : r.rows) page.items.push_back(FromRow(row));
  ZB_RETURN_IF_ERROR(AttachRoles(conn, page.items));
  return page;
}

StatusOr<User> UpdateUser(db::Connection& conn, int64_t id, int64_t expected_version, const UserChanges& changes,
                          int64_t now_ms) {
  if (changes.org_unit_id) ZB_RETURN_IF_ERROR(CheckOrgUnit(conn, *changes.org_unit_id));
  // enterprise_id may be set to NULL, so "leave it" is a flag of its own ($9).
  const int64_t set_enterprise = changes.enterprise_id ? 1 : 0;
  const db::Value enterprise = changes.enterprise_id ? db::Opt(*changes.enterprise_id) : db::Null();
  ZB_ASSIGN_OR_RETURN(
      auto row,
      conn.QueryOne("UPDATE users SET display_name = COALESCE($3, display_name), mobile = COALESCE($4, mobile), "
                    "email = COALESCE($5, email), org_unit_id = COALESCE($6, org_unit_id), "
                    "active = COALESCE($7, active), "
                    "enterprise_id = CASE WHEN $9 = 1 THEN $10 ELSE enterprise_id END, "
                    "version = version + 1, updated_at = $8 "
                    "WHERE id = $1 AND version = $2 RETURNING id",
                    {id, expected_version, db::Opt(changes.display_name), db::Opt(changes.mobile),
                     db::Opt(changes.email), db::Opt(changes.org_unit_id), db::OptBool(changes.active), now_ms,
                     set_enterprise, enterprise}));
  if (!row) return StaleOrMissing(conn, id, expected_version);
  if (changes.role_ids) ZB_RETURN_IF_ERROR(SetRoles(conn, id, *changes.role_ids));
  return GetUser(conn, id);
}

Status RecordLoginFailure(db::Connection& conn, int64_t id, int64_t failed_attempts,
                          std::optional<int64_t> locked_until) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE users SET failed_attempts = $2, locked_until = $3 WHERE id = $1",
                                               {id, failed_attempts, db::Opt(locked_until)}));
  return ExpectOneRow(r);
}

Status RecordLoginSuccess(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1", {id}));
  return ExpectOneRow(r);
}

Status SetPassword(db::Connection& conn, int64_t id, const std::string& password_hash, int64_t now_ms,
                   bool must_change) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("UPDATE users SET password_hash = $2, password_changed_at = $3, "
                                 "must_change_password = $4, updated_at = $3 WHERE id = $1",
                                 {id, password_hash, now_ms, int64_t{must_change ? 1 : 0}}));
  ZB_RETURN_IF_ERROR(ExpectOneRow(r));
  return conn.Exec("INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)",
                   {id, password_hash, now_ms});
}

StatusOr<std::vector<std::string>> RecentPasswordHashes(db::Connection& conn, int64_t user_id, int64_t n) {
  std::vector<std::string> out;
  if (n <= 0) return out;
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT password_hash FROM password_history WHERE user_id = $1 "
                                               "ORDER BY created_at DESC, id DESC LIMIT $2",
                                               {user_id, n}));
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) out.push_back(row.Text("password_hash"));
  return out;
}

#undef ZB_USER_SELECT

}  // namespace zb::storage
