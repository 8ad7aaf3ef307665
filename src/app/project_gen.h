// Scale data for benchmarks: `zhuanban gen --projects N [--seed S]`.
//
// GenerateProjects adds `count` believable projects to whatever the
// database holds: spread over its org units (属地: every unit but the
// departments; 责任部门: the departments), its users (包保领导, 包联人员),
// its 产业板块 and 项目类别 dictionaries and its 专班; names like
// "烟台华新新材料年产5万吨高性能纤维项目" or "观海路(迎春大街—山海路)道路
// 改造工程"; every stage, level, category, board and type; investments from
// 500万 to 50亿 (log-uniform, so most are small); planned dates in order;
// lifecycle histories whose moves set the actual dates and stage_since as
// RecordTransition would (some 停缓建 and 终止, 续建 projects started in
// earlier years); this year's annual plan for most (last year's for
// older ones); some 包联人员, tags and 专班. Enterprises are created as
// needed (one per ~4 projects, credit codes that pass both checks, made up
// by domain::MakeCreditCode; codes already stored are skipped).
//
// Deterministic: the same seed, `today` and starting database give the same
// rows. Fast: plain INSERTs in transactions of 2 000 projects (100 000 in
// seconds on SQLite), then each batch's search text through
// storage::RebuildProjectSearch; project codes continue each year's
// XM-<year>-NNNN sequence, skipping codes already taken.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "core/date.h"
#include "core/status.h"
#include "storage/db.h"

namespace zb::app {

struct GenerateReport {
  int64_t projects = 0;
  int64_t enterprises = 0;
  int64_t plans = 0;  // node plans given (app/demo_plans.h); every warning recomputed at the end
};

// `progress(done, count)` after each batch (may be empty). Needs at least
// one org unit that is not a department (init creates the root).
StatusOr<GenerateReport> GenerateProjects(db::Pool& pool, int64_t count, uint64_t seed,
                                          const std::function<void(int64_t done, int64_t total)>& progress,
                                          std::optional<Date> today = std::nullopt);

}  // namespace zb::app
