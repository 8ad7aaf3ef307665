// Who sees a problem (docs/api-problems.md § Scope), for the routes that
// serve what belongs to one: the problem routes themselves and the
// attachments of its timeline.
#pragma once

#include "http/auth.h"
#include "storage/problem_repo.h"

namespace zb::api {

// The caller's scope for problems: an enterprise user's enterprise, else
// their data scope over the item's own, lead, coordinating and co-units.
storage::ProblemScope ProblemScopeOf(const http::Principal& p);
bool ProblemVisible(const http::Principal& p, const storage::Problem& problem);

}  // namespace zb::api
