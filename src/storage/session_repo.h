// Sign-in sessions in the database: table sessions (migration 0002). They
// survive restarts and are shared by every zhuanban process on the database.
//
// id_hash is the hex SHA-256 of the cookie token; the raw token is never
// stored or passed here. Reads take pool.Read(), writes a Tx (each write is
// one statement, so a plain InTx). Timeouts are the caller's policy, passed
// in; times are epoch milliseconds supplied by the caller. The SQL is the
// same on SQLite and PostgreSQL.
//
// Errors: NotFound("会话不存在", "id_hash") for an unknown session;
// AlreadyExists for a duplicate id_hash; anything else from the adapter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/data_scope.h"
#include "storage/db.h"

namespace zb::storage {

struct Session {
  std::string id_hash;  // hex SHA-256 of the cookie token
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  std::string ip;
  std::string user_agent;
  std::optional<int64_t> revoked_at;
  std::string revoked_reason;
};

// A session with its user's names, for the "online users" list.
struct ActiveSession {
  Session session;
  std::string login;
  std::string display_name;
};

// Inserts `s` as given (revoked_at should be unset).
Status CreateSession(db::Connection& conn, const Session& s);

// The session row as stored, revoked or not; the caller judges validity.
StatusOr<std::optional<Session>> FindSession(db::Connection& conn, const std::string& id_hash);

// What every authenticated request needs, in one statement: the session, its
// user with the org unit's path, the union of the user's roles' permissions
// (sorted, distinct) and each role's data scope (a role whose stored scope
// is not a known code is read as kSelf, the narrowest).
struct SessionIdentity {
  Session session;
  std::string login;
  std::string display_name;
  int64_t org_unit_id = 0;
  std::string org_path;
  std::optional<int64_t> enterprise_id;
  bool active = true;
  bool must_change_password = false;
  int64_t password_changed_at = 0;
  std::vector<std::string> permissions;
  std::vector<domain::RoleScope> role_scopes;
};
StatusOr<std::optional<SessionIdentity>> FindSessionIdentity(db::Connection& conn, const std::string& id_hash);

// Sets last_seen_at = now on a session that is not revoked; NotFound if
// there is no such unrevoked session.
Status TouchSession(db::Connection& conn, const std::string& id_hash, int64_t now_ms);

// Revokes the session; revoking it again keeps the first time and reason.
// NotFound if there is no such session.
Status RevokeSession(db::Connection& conn, const std::string& id_hash, int64_t now_ms, const std::string& reason);

// Revokes every unrevoked session of the user; returns how many.
StatusOr<int64_t> RevokeUserSessions(db::Connection& conn, int64_t user_id, int64_t now_ms,
                                     const std::string& reason);

// Revokes every unrevoked session of the user except `keep_id_hash` (the
// one making the request, e.g. after a password change); returns how many.
StatusOr<int64_t> RevokeOtherUserSessions(db::Connection& conn, int64_t user_id, const std::string& keep_id_hash,
                                          int64_t now_ms, const std::string& reason);

// Sessions still valid at `now`: not revoked, last_seen_at > now - idle_ms
// and created_at > now - absolute_ms. Newest activity first.
StatusOr<std::vector<ActiveSession>> ListActiveSessions(db::Connection& conn, int64_t now_ms, int64_t idle_ms,
                                                        int64_t absolute_ms);

// Deletes sessions last seen before `before_ms` (revoked ones included);
// returns how many. Pass now - idle timeout: a session past its absolute
// limit is refused, so it stops being touched and goes the same way.
StatusOr<int64_t> DeleteExpiredSessions(db::Connection& conn, int64_t before_ms);

// ---- Online users (api/sessions.cc) ---------------------------------------

struct ScopeFilterSql;  // storage/scope_sql.h

// A session with its user's names and org unit, for the online-users list
// and its data-scope check.
struct SessionWithUnit {
  Session session;
  std::string login;
  std::string display_name;
  int64_t org_unit_id = 0;
  std::string org_path;  // "/1/5/12/"
};

// Sessions valid at `now` (as ListActiveSessions) of users within `scope`,
// matched on the user's org unit, self_user_id on the user. Newest activity
// first.
StatusOr<std::vector<SessionWithUnit>> ListActiveSessionsInScope(db::Connection& conn, int64_t now_ms,
                                                                 int64_t idle_ms, int64_t absolute_ms,
                                                                 const ScopeFilterSql& scope);

// The session row as stored (revoked or not) with its user's unit; none for
// an unknown id_hash.
StatusOr<std::optional<SessionWithUnit>> FindSessionWithUnit(db::Connection& conn, const std::string& id_hash);

}  // namespace zb::storage
