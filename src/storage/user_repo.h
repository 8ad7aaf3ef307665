// User accounts in the database: users, user_roles and password_history
// (migration 0002).
//
// Every function takes the Connection to run on: pool.Read() for reads, a Tx
// for writes — CreateUser, UpdateUser and SetPassword run several statements
// and must be inside a Tx. The SQL is the same on SQLite and PostgreSQL.
// Times are epoch milliseconds supplied by the caller. Input is assumed
// validated by the domain (login already lower-case, password already
// hashed); the database still enforces uniqueness and references.
//
// Errors: NotFound("用户不存在", "id") for a missing user; NotFound with
// field "org_unit_id" / "role_ids" when a referenced unit or role is missing;
// AlreadyExists (field "login") for a duplicate login; VersionConflict when
// the expected version is stale; anything else from the adapter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"
#include "storage/scope_sql.h"

namespace zb::storage {

struct User {
  int64_t id = 0;
  std::string login;  // lower-case
  std::string display_name;
  std::string mobile;
  std::string email;
  int64_t org_unit_id = 0;
  std::string org_unit_name;  // read with the user (org_units.name)
  std::string org_path;       // the unit's path ("/1/5/12/"), for data-scope checks
  std::optional<int64_t> enterprise_id;  // enterprise users only
  bool active = true;
  int64_t failed_attempts = 0;
  std::optional<int64_t> locked_until;  // epoch ms
  std::string password_hash;            // argon2id encoded, parameters included
  int64_t password_changed_at = 0;      // epoch ms
  bool must_change_password = false;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<int64_t> role_ids;  // ascending
};

struct NewUser {
  std::string login;
  std::string display_name;
  std::string mobile;
  std::string email;
  int64_t org_unit_id = 0;
  std::optional<int64_t> enterprise_id;
  bool active = true;
  std::string password_hash;
  bool must_change_password = true;  // initial passwords must be changed
  std::vector<int64_t> role_ids;
};

// Fields to change; unset ones keep their value. role_ids, when set,
// replaces the whole set.
struct UserChanges {
  std::optional<std::string> display_name;
  std::optional<std::string> mobile;
  std::optional<std::string> email;
  std::optional<int64_t> org_unit_id;
  std::optional<std::optional<int64_t>> enterprise_id;  // set to nullopt inside: unbind
  std::optional<bool> active;
  std::optional<std::vector<int64_t>> role_ids;
};

struct UserFilter {
  std::optional<ScopeFilterSql> scope;        // the reader's data scope, matched on the user's org unit
  std::optional<std::string> org_path_prefix;  // only users in this subtree ("/1/5/")
  std::string keyword;                         // substring of login, display_name or mobile; '' = any
  std::optional<bool> active;
  int64_t page = 1;  // 1-based
  int64_t page_size = kDefaultPageSize;
};

struct UserPage {
  std::vector<User> items;  // ordered by id
  int64_t total = 0;        // rows matching the filter, all pages
};

// Inserts the user at version 1 with its roles, password_changed_at = now
// and the password in password_history. Run inside a Tx.
StatusOr<User> CreateUser(db::Connection& conn, const NewUser& in, int64_t now_ms);

StatusOr<User> GetUser(db::Connection& conn, int64_t id);

// The user with this login (exact match; callers lower-case it), if any.
StatusOr<std::optional<User>> FindUserByLogin(db::Connection& conn, const std::string& login);

// One page of users matching `filter`, role ids included (two queries plus
// the count, whatever the page size).
StatusOr<UserPage> ListUsers(db::Connection& conn, const UserFilter& filter);

// Applies `changes` if the user is still at `expected_version`; bumps the
// version and updated_at and returns the new row. Run inside a Tx.
StatusOr<User> UpdateUser(db::Connection& conn, int64_t id, int64_t expected_version, const UserChanges& changes,
                          int64_t now_ms);

// Stores the failure count and lock the caller computed (the lockout policy
// is the domain's). Does not bump the version: sign-in bookkeeping must not
// make an administrator's open edit stale.
Status RecordLoginFailure(db::Connection& conn, int64_t id, int64_t failed_attempts,
                          std::optional<int64_t> locked_until);

// Clears the failure count and any lock. Same version rule.
Status RecordLoginSuccess(db::Connection& conn, int64_t id);

// Replaces the password hash, sets password_changed_at = now and
// must_change_password, and appends the hash to password_history. Does not
// bump the version. Run inside a Tx.
Status SetPassword(db::Connection& conn, int64_t id, const std::string& password_hash, int64_t now_ms,
                   bool must_change);

// The user's last `n` password hashes, newest first (the current one
// included, as it was appended when set).
StatusOr<std::vector<std::string>> RecentPasswordHashes(db::Connection& conn, int64_t user_id, int64_t n);

}  // namespace zb::storage
