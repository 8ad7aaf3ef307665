#include "storage/session_repo.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

#include "storage/scope_sql.h"

namespace zb::storage {

namespace {

#define ZB_SESSION_COLUMNS \
  "id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent, revoked_at, revoked_reason"
#define ZB_SESSION_COLUMNS_S                                                                        \
  "s.id_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.ip, s.user_agent, s.revoked_at, " \
  "s.revoked_reason"

constexpr char kNotFound[] = "会话不存在";

Session FromRow(const db::Row& r) {
  Session s;
  s.id_hash = r.Text("id_hash");
  s.user_id = r.Int("user_id");
  s.csrf_token = r.Text("csrf_token");
  s.created_at = r.Int("created_at");
  s.last_seen_at = r.Int("last_seen_at");
  s.ip = r.Text("ip");
  s.user_agent = r.Text("user_agent");
  s.revoked_at = r.OptInt("revoked_at");
  s.revoked_reason = r.Text("revoked_reason");
  return s;
}

}  // namespace

Status CreateSession(db::Connection& conn, const Session& s) {
  return conn.Exec("INSERT INTO sessions (" ZB_SESSION_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                   {s.id_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.ip, s.user_agent,
                    db::Opt(s.revoked_at), s.revoked_reason});
}

StatusOr<std::optional<SessionIdentity>> FindSessionIdentity(db::Connection& conn, const std::string& id_hash) {
  // One statement (a round trip to a PostgreSQL server per request, not
  // three — issue 6): part 0 is the session with its user and unit, part 1
  // a permission per row, part 2 a role's data scope and custom unit per
  // row; parts 1 and 2 are empty for an unknown session.
  ZB_ASSIGN_OR_RETURN(
      db::Result r,
      conn.Query("SELECT 0 AS part, " ZB_SESSION_COLUMNS_S
                 ", u.login, u.display_name, u.org_unit_id, o.path, u.enterprise_id, "
                 "u.active, u.must_change_password, u.password_changed_at, "
                 "CAST(NULL AS TEXT) AS t, CAST(NULL AS BIGINT) AS role_id, CAST(NULL AS BIGINT) AS unit_id "
                 "FROM sessions s JOIN users u ON u.id = s.user_id "
                 "JOIN org_units o ON o.id = u.org_unit_id WHERE s.id_hash = $1 "
                 "UNION ALL SELECT 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                 "NULL, NULL, NULL, NULL, NULL, rp.permission, NULL, NULL "
                 "FROM sessions s JOIN user_roles ur ON ur.user_id = s.user_id "
                 "JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE s.id_hash = $1 "
                 "UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                 "NULL, NULL, NULL, NULL, NULL, r.data_scope, r.id, ru.org_unit_id "
                 "FROM sessions s JOIN user_roles ur ON ur.user_id = s.user_id "
                 "JOIN roles r ON r.id = ur.role_id LEFT JOIN role_units ru ON ru.role_id = r.id "
                 "WHERE s.id_hash = $1",
                 {id_hash}));
  const db::Row* head = nullptr;
  for (const auto& row : r.rows) {
    if (row.Int("part") == 0) head = &row;
  }
  if (head == nullptr) return std::optional<SessionIdentity>();
  SessionIdentity id;
  id.session = FromRow(*head);
  id.login = head->Text("login");
  id.display_name = head->Text("display_name");
  id.org_unit_id = head->Int("org_unit_id");
  id.org_path = head->Text("path");
  id.enterprise_id = head->OptInt("enterprise_id");
  id.active = head->Bool("active");
  id.must_change_password = head->Bool("must_change_password");
  id.password_changed_at = head->Int("password_changed_at");
  // The permissions sorted and distinct; the roles by id, each with its
  // custom units in order (as the three statements this replaces read them).
  struct RoleRow {
    int64_t role_id;
    std::optional<int64_t> unit_id;
    std::string scope;
  };
  std::vector<RoleRow> roles;
  for (const auto& row : r.rows) {
    const int64_t part = row.Int("part");
    if (part == 1) id.permissions.push_back(row.Text("t"));
    if (part == 2) roles.push_back({row.Int("role_id"), row.OptInt("unit_id"), row.Text("t")});
  }
  std::sort(id.permissions.begin(), id.permissions.end());
  id.permissions.erase(std::unique(id.permissions.begin(), id.permissions.end()), id.permissions.end());
  std::sort(roles.begin(), roles.end(), [](const RoleRow& a, const RoleRow& b) {
    return std::tie(a.role_id, a.unit_id) < std::tie(b.role_id, b.unit_id);
  });
  int64_t last_role = 0;
  for (const auto& role : roles) {
    if (role.role_id != last_role) {
      last_role = role.role_id;
      id.role_scopes.push_back({domain::ParseDataScope(role.scope).value_or(domain::DataScope::kSelf), {}});
    }
    if (role.unit_id) id.role_scopes.back().custom_unit_ids.push_back(*role.unit_id);
  }
  return std::optional<SessionIdentity>(std::move(id));
}

StatusOr<std::optional<Session>> FindSession(db::Connection& conn, const std::string& id_hash) {
  ZB_ASSIGN_OR_RETURN(auto row,
                      conn.QueryOne("SELECT " ZB_SESSION_COLUMNS " FROM sessions WHERE id_hash = $1", {id_hash}));
  if (!row) return std::optional<Session>();
  return std::optional<Session>(FromRow(*row));
}

Status TouchSession(db::Connection& conn, const std::string& id_hash, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL",
                                 {id_hash, now_ms}));
  if (r.affected == 0) return NotFound(kNotFound, "id_hash");
  return Status();
}

Status RevokeSession(db::Connection& conn, const std::string& id_hash, int64_t now_ms, const std::string& reason) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE sessions SET revoked_at = COALESCE(revoked_at, $2), "
                                               "revoked_reason = CASE WHEN revoked_at IS NULL THEN $3 "
                                               "ELSE revoked_reason END WHERE id_hash = $1",
                                               {id_hash, now_ms, reason}));
  if (r.affected == 0) return NotFound(kNotFound, "id_hash");
  return Status();
}

StatusOr<int64_t> RevokeUserSessions(db::Connection& conn, int64_t user_id, int64_t now_ms,
                                     const std::string& reason) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE sessions SET revoked_at = $2, revoked_reason = $3 "
                                               "WHERE user_id = $1 AND revoked_at IS NULL",
                                               {user_id, now_ms, reason}));
  return r.affected;
}

StatusOr<int64_t> RevokeOtherUserSessions(db::Connection& conn, int64_t user_id, const std::string& keep_id_hash,
                                          int64_t now_ms, const std::string& reason) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE sessions SET revoked_at = $2, revoked_reason = $3 "
                                               "WHERE user_id = $1 AND revoked_at IS NULL AND id_hash <> $4",
                                               {user_id, now_ms, reason, keep_id_hash}));
  return r.affected;
}

StatusOr<std::vector<ActiveSession>> ListActiveSessions(db::Connection& conn, int64_t now_ms, int64_t idle_ms,
                                                        int64_t absolute_ms) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("SELECT " ZB_SESSION_COLUMNS_S ", u.login, u.display_name "
                                 "FROM sessions s JOIN users u ON u.id = s.user_id "
                                 "WHERE s.revoked_at IS NULL AND s.last_seen_at > $1 AND s.created_at > $2 "
                                 "ORDER BY s.last_seen_at DESC, s.id_hash",
                                 {now_ms - idle_ms, now_ms - absolute_ms}));
  std::vector<ActiveSession> out;
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) {
    out.push_back(ActiveSession{FromRow(row), row.Text("login"), row.Text("display_name")});
  }
  return out;
}

StatusOr<int64_t> DeleteExpiredSessions(db::Connection& conn, int64_t before_ms) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("DELETE FROM sessions WHERE last_seen_at < $1", {before_ms}));
  return r.affected;
}

#undef ZB_SESSION_COLUMNS
#undef ZB_SESSION_COLUMNS_S

// ---- Online users ------------------------------------------------------------

namespace {

#define ZB_SESSION_WITH_UNIT_SELECT                                                                        \
  "SELECT s.id_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.ip, s.user_agent, "          \
  "s.revoked_at, s.revoked_reason, u.login, u.display_name, u.org_unit_id, o.path "                         \
  "FROM sessions s JOIN users u ON u.id = s.user_id JOIN org_units o ON o.id = u.org_unit_id "

SessionWithUnit SessionWithUnitFromRow(const db::Row& r) {
  return {FromRow(r), r.Text("login"), r.Text("display_name"), r.Int("org_unit_id"), r.Text("path")};
}

}  // namespace

StatusOr<std::vector<SessionWithUnit>> ListActiveSessionsInScope(db::Connection& conn, int64_t now_ms,
                                                                 int64_t idle_ms, int64_t absolute_ms,
                                                                 const ScopeFilterSql& scope) {
  db::Params params{now_ms - idle_ms, now_ms - absolute_ms};
  std::string sql = ZB_SESSION_WITH_UNIT_SELECT
      "WHERE s.revoked_at IS NULL AND s.last_seen_at > $1 AND s.created_at > $2 AND " +
      ScopeWhere(scope, "o.path", "o.id", "u.id", &params) + " ORDER BY s.last_seen_at DESC, s.id_hash";
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(sql, params));
  std::vector<SessionWithUnit> out;
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) out.push_back(SessionWithUnitFromRow(row));
  return out;
}

StatusOr<std::optional<SessionWithUnit>> FindSessionWithUnit(db::Connection& conn, const std::string& id_hash) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_SESSION_WITH_UNIT_SELECT "WHERE s.id_hash = $1", {id_hash}));
  if (!row) return std::optional<SessionWithUnit>();
  return std::optional<SessionWithUnit>(SessionWithUnitFromRow(*row));
}

#undef ZB_SESSION_WITH_UNIT_SELECT

}  // namespace zb::storage
