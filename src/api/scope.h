// The caller's data scope (http::Principal::scope, computed at sign-in from
// the union of their roles) turned into what reads need: the SQL filter for
// lists and counts, and the check for one record. An out-of-scope record is
// answered as 404, exactly like a missing one — callers use NotVisible().
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "http/auth.h"
#include "storage/db.h"
#include "storage/org_unit_repo.h"
#include "storage/scope_sql.h"

namespace zb::api {

// For ScopeWhere: the unit parts as they are, `self` as the caller's user id.
storage::ScopeFilterSql ScopeSql(const http::Principal& p);

// Whether a record owned by unit (unit_id, unit_path), and created by or
// assigned to the caller when `owned_by_caller`, is visible to them.
bool InScope(const http::Principal& p, int64_t unit_id, std::string_view unit_path, bool owned_by_caller = false);

// The 404 an out-of-scope record gets: the same message a missing one gets.
Status NotVisible(std::string_view what_zh, std::string_view what_en, std::string_view field = "id");

// The org unit `id` as the caller sees it — in their data scope, or their
// own unit (everyone sees where they sit) — for reading it, filtering by it
// or placing a record in it; 404 naming `field` otherwise.
StatusOr<storage::OrgUnit> VisibleUnit(db::Connection& conn, const http::Principal& p, int64_t id,
                                       std::string_view field = "id");

}  // namespace zb::api
