// Roles in the database: roles, role_permissions and role_units (migration
// 0002). A role is a set of permission strings ("project:read") plus a data
// scope: all | unit_and_below | unit | self | custom; a custom scope lists
// its org units in custom_unit_ids.
//
// Reads take pool.Read(); CreateRole, UpdateRole and DeleteRole run several
// statements and must be inside a Tx. The SQL is the same on SQLite and
// PostgreSQL. Times are epoch milliseconds supplied by the caller. Input is
// assumed validated (permission names known, scope in the list); the
// database still enforces the code's uniqueness, the scope list and the
// unit references.
//
// Errors: NotFound("角色不存在", "id"); NotFound(field "custom_unit_ids")
// for a missing unit; AlreadyExists (field "code") for a duplicate code;
// VersionConflict when the expected version is stale; Conflict naming the
// role when deleting a built-in role or one still assigned to users.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"

namespace zb::storage {

struct Role {
  int64_t id = 0;
  std::string code;
  std::string name;
  bool builtin = false;
  std::string data_scope;  // all | unit_and_below | unit | self | custom
  std::string remark;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<std::string> permissions;   // sorted
  std::vector<int64_t> custom_unit_ids;   // ascending; for data_scope "custom"
};

struct NewRole {
  std::string code;
  std::string name;
  bool builtin = false;
  std::string data_scope;
  std::string remark;
  std::vector<std::string> permissions;
  std::vector<int64_t> custom_unit_ids;
};

// Fields to change; unset ones keep their value. The lists, when set,
// replace the whole set. The code does not change.
struct RoleChanges {
  std::optional<std::string> name;
  std::optional<std::string> data_scope;
  std::optional<std::string> remark;
  std::optional<std::vector<std::string>> permissions;
  std::optional<std::vector<int64_t>> custom_unit_ids;
};

// Inserts the role at version 1 with its permissions and units. Run inside a Tx.
StatusOr<Role> CreateRole(db::Connection& conn, const NewRole& in, int64_t now_ms);

StatusOr<Role> GetRole(db::Connection& conn, int64_t id);

StatusOr<std::optional<Role>> FindRoleByCode(db::Connection& conn, const std::string& code);

// Every role, ordered by id (three queries in all).
StatusOr<std::vector<Role>> ListRoles(db::Connection& conn);

// Applies `changes` if the role is still at `expected_version`; bumps the
// version and updated_at and returns the new role. Run inside a Tx.
StatusOr<Role> UpdateRole(db::Connection& conn, int64_t id, int64_t expected_version, const RoleChanges& changes,
                          int64_t now_ms);

// Deletes a custom role that no user holds (its permissions and units go
// with it). Built-in role or role in use → Conflict naming the role.
// Run inside a Tx.
Status DeleteRole(db::Connection& conn, int64_t id);

// How many users (active or not) hold each role, by role id; a role nobody
// holds is absent. One query.
StatusOr<std::map<int64_t, int64_t>> CountUsersByRole(db::Connection& conn);

// The roles the user holds, ordered by id, permissions and units included
// (three queries, whatever the count). An unknown user has no roles.
StatusOr<std::vector<Role>> RolesForUser(db::Connection& conn, int64_t user_id);

}  // namespace zb::storage
