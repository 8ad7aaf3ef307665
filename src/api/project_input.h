// Checking a project as the API and the importers take it: the whole
// editable record (storage::ProjectData) after a PATCH is merged onto the
// current one, or after an import row is mapped onto it. One set of rules
// for both, so an imported row is refused for exactly the reasons a form
// would be (docs/api-projects.md "Validation").
#pragma once

#include <optional>

#include "core/status.h"
#include "http/auth.h"
#include "storage/db.h"
#include "storage/project_repo.h"

namespace zb::api {

// Normalises `d` in place (trims text, sorts and dedupes ids and tags,
// sorts plans by year, turns level/type labels into codes) and checks every
// rule and reference against the database as `p` sees it. The error's
// field is the ProjectData member's JSON name ("code", "total_investment",
// "liaison_ids", "plans[2].year", "planned_started_on", …). Code
// uniqueness is left to the database (AlreadyExists naming "code").
//
// `current` is the stored record when editing (nullptr when creating): a
// reference left as it was (the unit, the enterprise, the 包保领导, …) is
// not re-checked against the caller's scope or for being active — a user
// who sees a project through its 责任部门 may still edit its other fields,
// and a retired 包联人员 does not block an unrelated change.
Status CheckProject(db::Connection& conn, const http::Principal& p, storage::ProjectData& d,
                    const storage::ProjectData* current);

// Whether the project is visible to `p` (unit or 责任部门 in scope; 仅本人:
// created, leads or liaises; an enterprise user: its own enterprise's).
bool ProjectVisible(const http::Principal& p, const storage::Project& project);

// The project `id` if `p` sees it; missing and out of scope are the same 404.
StatusOr<storage::Project> VisibleProject(db::Connection& conn, const http::Principal& p, int64_t id);

}  // namespace zb::api
