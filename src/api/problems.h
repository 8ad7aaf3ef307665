// Who sees a problem (docs/api-problems.md § Scope), for the routes that
// serve what belongs to one: the problem routes themselves and the
// attachments of its timeline.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/work_calendar.h"
#include "domain/problem.h"

#include "http/auth.h"
#include "http/message.h"
#include "http/router.h"
#include "storage/problem_repo.h"

namespace zb::api {

// The caller's scope for problems: an enterprise user's enterprise, else
// their data scope over the item's own, lead, coordinating and co-units.
storage::ProblemScope ProblemScopeOf(const http::Principal& p);
bool ProblemVisible(const http::Principal& p, const storage::Problem& problem);

// The list's filters from the query (422 naming the parameter), shared by
// the list, the figures and the export so that "the same filters" are the
// same code; and their OpenAPI docs.
StatusOr<storage::ProblemFilter> ReadProblemFilter(db::Connection& conn, const http::Request& req);
std::vector<http::QueryParamDoc> ProblemFilterDocs();

// POST /api/v1/problems's check of a new item's body (422/404 naming the
// field), shared with the ledger import (api/problem_io.cc), which reads
// each row into such a body: what the caller may raise, and for which unit.
StatusOr<storage::ProblemInput> ReadProblemCreate(db::Connection& conn, const http::Principal& who,
                                                  const http::Json& body, Date today);

// An item as the list answers it (no allowed_actions); also what its audit
// entries record, from the routes and the import alike.
http::Json ProblemItemJson(const storage::Problem& p, const WorkCalendar& cal, Date today);

// A status, source, urgency, … code's label; "" for none.
template <typename E>
std::string LabelOf(std::optional<E> v) {
  return v ? std::string(domain::Label(*v)) : "";
}

}  // namespace zb::api
