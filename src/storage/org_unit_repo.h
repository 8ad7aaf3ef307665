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
// the subtree of a unit is every row whose path starts with its path. A
// unit's parent does not change after creation.
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
// ones only unless `include_inactive`. Ordered by depth, then sort_order,
// then id, so every parent comes before its children.
StatusOr<std::vector<OrgUnit>> ListOrgUnits(db::Connection& conn, std::optional<int64_t> root_id,
                                            bool include_inactive);

// Applies `changes` if the unit is still at `expected_version`; bumps the
// version and updated_at and returns the new row.
StatusOr<OrgUnit> UpdateOrgUnit(db::Connection& conn, int64_t id, int64_t expected_version,
                                const OrgUnitChanges& changes, int64_t now_ms);

// Marks the unit inactive (it stays in the tree and in history); same
// version rule as UpdateOrgUnit. Children are left as they are: whether an
// active child blocks this is the caller's rule.
StatusOr<OrgUnit> DeactivateOrgUnit(db::Connection& conn, int64_t id, int64_t expected_version, int64_t now_ms);

}  // namespace zb::storage
