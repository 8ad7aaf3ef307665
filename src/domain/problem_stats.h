// The ledger's figures 统计 (docs/api-problems.md § Figures): what the
// district reports — 为企业协调解决问题 N 个, 办结率, 按时办结率, 平均/P90 办理
// 时长, 满意率 — over a cohort of items, as of today.
//
// Contract
// - ProblemTally holds additive counts, so a tally can be built item by
//   item (Add) or from counts a database aggregated (the fields, and
//   resolve_days as a days → items histogram), and tallies Merge into the
//   total of a grouped answer.
// - Add(item, today) counts one item:
//     raised      every item
//     open        status neither resolved nor closed (domain::IsOpen)
//     overdue     open with a deadline before today
//     resolved    resolved or closed (on the spot included)
//     closed      closed
//     on_time     resolved, and on the spot or resolved_on ≤ original_deadline
//                 (no original deadline and not on the spot: not on time)
//     resolve_days[d] + 1  resolved with resolve_days d known
//     rated / satisfied / basic / unsatisfied  by the latest rating
//     escalated   escalation_count > 0
//     on_spot     resolved on the spot
// - Figures(tally): the counts plus the rates, fractions 0–1, nullopt when
//   the denominator is 0: resolve_rate = resolved / raised, on_time_rate =
//   on_time / resolved, satisfaction_rate = (satisfied + basic) / rated;
//   avg_days = mean of the histogram, p90_days = the smallest d with at
//   least 90 % of the histogram's items at or below d (exact, no
//   interpolation); both nullopt on an empty histogram.
// Pure; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "core/date.h"
#include "domain/problem.h"

namespace zb::domain {

// The parts of an item the figures look at.
struct ProblemStatsItem {
  ProblemStatus status = ProblemStatus::kPending;
  Date raised_on;
  std::optional<Date> deadline;
  std::optional<Date> original_deadline;
  std::optional<Date> resolved_on;
  std::optional<int64_t> resolve_days;
  bool on_spot = false;
  int64_t escalation_count = 0;
  std::optional<Satisfaction> satisfaction;
};

struct ProblemTally {
  int64_t raised = 0;
  int64_t open = 0;
  int64_t overdue = 0;
  int64_t resolved = 0;
  int64_t closed = 0;
  int64_t on_time = 0;
  int64_t rated = 0;
  int64_t satisfied = 0;
  int64_t basic = 0;
  int64_t unsatisfied = 0;
  int64_t escalated = 0;
  int64_t on_spot = 0;
  std::map<int64_t, int64_t> resolve_days;  // working days → resolved items

  void Add(const ProblemStatsItem& item, Date today);
  void Merge(const ProblemTally& other);
};

struct ProblemFigures {
  ProblemTally counts;  // resolve_days is the histogram the two below come from
  std::optional<double> resolve_rate;
  std::optional<double> on_time_rate;
  std::optional<double> satisfaction_rate;
  std::optional<double> avg_days;
  std::optional<int64_t> p90_days;
};

ProblemFigures Figures(const ProblemTally& tally);

}  // namespace zb::domain
