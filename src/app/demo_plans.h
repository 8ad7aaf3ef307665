// Node plans for the demo (`init --demo`) and for generated projects
// (`zhuanban gen`): each project past 在谈 gets the plan of its category's
// default template (社会民生 uses 基础设施's, 其他 服务业's), the event
// nodes' targets from its planned dates, and believable progress — the
// nodes its 倒排 latest dates put in the past done or under way, most a few
// days either side of those dates, some projects a week or two behind, a
// few a month or more (those turn yellow and red). Nodes before an event the
// project has reached (its actual 开工, …) are done by that date. Event
// nodes get no progress of their own: they read the project's dates.
//
// Deterministic for a seed, `today` and the stored projects. Projects that
// already have a plan are left alone, so running it twice adds nothing.
// Call inside the transaction that wrote the projects; the caller runs
// storage::RecomputeAll (or RecomputeProject) afterwards.
#pragma once

#include <cstdint>

#include "core/date.h"
#include "core/status.h"
#include "storage/db.h"

namespace zb::app {

struct DemoPlanReport {
  int64_t plans = 0;
  int64_t progress_entries = 0;
};

// The projects with ids in [first_id, last_id].
StatusOr<DemoPlanReport> GiveDemoPlans(db::Connection& conn, int64_t first_id, int64_t last_id, Date today,
                                       uint64_t seed, int64_t now_ms);

}  // namespace zb::app
