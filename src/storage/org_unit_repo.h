// Organisation units in the database: table org_units (migration 0001).
//
// Every function takes the Connection to run on, so the caller chooses:
// pool.Read() for reads, a Tx (tx.conn()) for writes — Create runs two
// statements and must be inside a Tx. The SQL is the same on SQLite and
// PostgreSQL. Times are epoch milliseconds supplied by the caller. Input is
// assumed validated (domain::ValidateOrgUnit); the database still enforces
// uniqueness, references and the kind list.
//
// path holds the ids from the root down to the unit itself, "/1/5/12/", so
// the subtree of a unit is every row whose path starts with its path.
// MoveOrgUnit rewrites the moved unit's path and every descendant's in one
// statement, so the subtree query stays a single indexed prefix match.
//
// Errors: NotFound("组织机构不存在", "id") for a missing id (field
// "parent_id" when the parent is missing); VersionConflict when the
// expected version is stale; AlreadyExists (field "code") for a duplicate
// code; anything else from the adapter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"
#include "storage/scope_sql.h"

namespace zb::storage {

struct OrgUnit {
  int64_t id = 0;
  std::optional<int64_t> parent_id;
  std::string name;
  std::string short_name;
  std::string code;
  std::string kind;  // city | county | zone | town | village | department
  int64_t sort_order = 0;
  bool active = true;
  std::string path;  // "/1/5/12/"
  int64_t version = 1;
  int64_t created_at = 0;  // epoch ms
  int64_t updated_at = 0;  // epoch ms
};

struct NewOrgUnit {
  std::optional<int64_t> parent_id;
  std::string name;
  std::string short_name;
  std::string code;
  std::string kind;
  int64_t sort_order = 0;
};

// Fields to change; unset ones keep their value.
struct OrgUnitChanges {
  std::optional<std::string> name;
  std::optional<std::string> short_name;
  std::optional<std::string> code;
  std::optional<int64_t> sort_order;
};

// Inserts an active unit at version 1 under `in.parent_id` (a root when
// unset) and returns it with its id and path. Run inside a Tx.
StatusOr<OrgUnit> CreateOrgUnit(db::Connection& conn, const NewOrgUnit& in, int64_t now_ms);

StatusOr<OrgUnit> GetOrgUnit(db::Connection& conn, int64_t id);

// All units, or the subtree rooted at `root_id` (the root included), active
// ones only unless `include_inactive`, and only those `scope` admits when
// given (matched on the unit's own path and id). Ordered by depth, then
// sort_order, then id, so every parent comes before its children.
StatusOr<std::vector<OrgUnit>> ListOrgUnits(db::Connection& conn, std::optional<int64_t> root_id,
                                            bool include_inactive,
                                            const std::optional<ScopeFilterSql>& scope = std::nullopt);

// Applies `changes` if the unit is still at `expected_version`; bumps the
// version and updated_at and returns the new row.
StatusOr<OrgUnit> UpdateOrgUnit(db::Connection& conn, int64_t id, int64_t expected_version,
                                const OrgUnitChanges& changes, int64_t now_ms);

// Marks the unit inactive (it stays in the tree and in history); same
// version rule as UpdateOrgUnit. Children are left as they are: whether an
// active child blocks this is the caller's rule (see CountUnitDependents).
StatusOr<OrgUnit> DeactivateOrgUnit(db::Connection& conn, int64_t id, int64_t expected_version, int64_t now_ms);

// Marks the unit active again; same version rule.
StatusOr<OrgUnit> ActivateOrgUnit(db::Connection& conn, int64_t id, int64_t expected_version, int64_t now_ms);

// Moves the unit under `new_parent_id`: its parent_id and the path of the
// unit and of every unit below it change; the moved unit's version is
// bumped. ValidationFailed (field "parent_id") when the new parent is the
// unit itself or one of its descendants, or the unit is a root;
// NotFound("parent_id") for a missing parent. Run inside a Tx.
StatusOr<OrgUnit> MoveOrgUnit(db::Connection& conn, int64_t id, int64_t new_parent_id, int64_t expected_version,
                              int64_t now_ms);

// What still hangs from a unit: active direct sub-units and active users.
// Later issues add their records (projects, problems…) here.
struct UnitDependents {
  int64_t active_children = 0;
  int64_t active_users = 0;
};
StatusOr<UnitDependents> CountUnitDependents(db::Connection& conn, int64_t id);

}  // namespace zb::storage
