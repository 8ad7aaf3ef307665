// 预警: keeping the materialised warnings current (storage/warning_store.h)
// and the routes that read them (warnings.cc, gantt.cc).
#pragma once

#include "api/api.h"
#include "core/status.h"

namespace zb::api {

// Makes sure every project's stored warning was computed for today (China
// time), the current calendar and the current thresholds; runs RecomputeAll
// in one transaction when not. Cheap when nothing changed: the check is
// remembered per (database, today, calendar version, settings version), so
// only the first call after one of those moves scans. Concurrent callers
// wait for one recompute instead of each running it.
Status EnsureWarningsFresh(ApiContext& ctx);

}  // namespace zb::api
