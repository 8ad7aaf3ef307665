// The problem and request ledger (问题台账, issue 6) for the demo and for
// benchmarks.
//
// - SeedDemoProblems: `zhuanban init --demo` adds `count` (~400) items over
//   the demo's enterprises and projects, raised across the year so far,
//   with believable Chinese titles and descriptions per category and a full
//   timeline each: created, 交办 (some 退回 and 改派), 签收, 延期 (granted,
//   refused or still pending), 提级, 督办单 (answered or open), 联席会议,
//   办结, 销号, 回访 (mostly 满意; a few 不满意 reopen), 现场解决 — every
//   status, some overdue. The office user raises, assigns, closes and rates.
// - GenerateProblems: `zhuanban gen --problems N` adds N items the same way
//   over whatever enterprises, projects and units the database holds,
//   raised over the two years up to today; transactions of 5 000 items.
//
// Both write rows directly (as storage/problem_repo would leave them: paths,
// level from the unit tree, codes from problem_code_seq, versions = the
// number of timeline entries) without notifications or audit entries.
// Deterministic for a seed, `today` and the stored data. Dates follow the
// working calendar (storage::CurrentCalendar): deadlines are the category's
// SLA in working days, resolve_days working days.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "core/date.h"
#include "core/status.h"
#include "storage/db.h"

namespace zb::app {

// Inside the demo's transaction, after its projects. `office`: the user who
// keeps the ledger (项目服务中心). Returns the number of items.
StatusOr<int64_t> SeedDemoProblems(db::Connection& conn, int64_t office, Date today, uint64_t seed, int64_t count);

// `progress(done, count)` after each transaction (may be empty).
StatusOr<int64_t> GenerateProblems(db::Pool& pool, int64_t count, uint64_t seed,
                                   const std::function<void(int64_t done, int64_t total)>& progress,
                                   std::optional<Date> today = std::nullopt);

}  // namespace zb::app
