// The portfolio Gantt's rows (挂图作战, api/gantt.cc): for every project id,
// the few columns a row shows, its plan's span and its key nodes — read in
// chunks of ids, narrow columns only, so 10 000 rows stay cheap.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "core/work_calendar.h"
#include "storage/db.h"
#include "storage/list_cache.h"

namespace zb::storage {

struct GanttNode {  // a milestone or a lifecycle-event node
  std::string name, event;
  std::optional<std::string> latest_finish, forecast_finish, actual_finish;
  std::string colour;  // '' when not judged
};

struct GanttRow {
  int64_t id = 0;
  std::string code, name, unit_name, level, stage;
  std::string colour;  // the project's stored warning, '' when not judged
  // The 倒排 plan from the earliest latest start (else forecast start) to
  // the last latest finish (else forecast finish), and the last forecast
  // finish; all unset without a plan. Dates as "YYYY-MM-DD".
  std::optional<std::string> plan_start, plan_finish, forecast_finish;
  std::vector<GanttNode> nodes;
};

// The rows of `ids` in that order; an id deleted meanwhile is left out.
// The forecast dates are `today`'s: plan_nodes stores the forecast in its
// day-invariant form (migration 0021, domain::DayInvariantDate), rendered
// here with `cal` (the calendar the warning engine used: its version is in
// the answer's key, as is the day); the latest dates and colours are read
// as stored.
StatusOr<std::vector<GanttRow>> LoadGanttRows(db::Connection& conn, const std::vector<int64_t>& ids, Date today,
                                              const WorkCalendar& cal);

// What a kept GET /gantt answer holds for (api/gantt.cc, migration 0014).
// `data` moves with every write a row shows: project_list_version
// (projects, their units, their warnings' colours and everything the
// filters read) plus gantt_data_version (what people write into plans) —
// both only grow, so their sum moves whenever either does. The calendar and
// the thresholds, with the day, decide the dates and colours the warning
// engine computes into the plan nodes and the forecast dates LoadGanttRows
// renders for the day: they belong in the answer's key (api/gantt.cc's key
// starts with the day).
struct GanttVersion {
  ListVersion data;
  int64_t calendar = 0, thresholds = 0;
};
StatusOr<GanttVersion> ReadGanttVersion(db::Connection& conn);

}  // namespace zb::storage
