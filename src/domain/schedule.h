// Node plans scheduled backwards from deadlines (倒排工期) and forwards from
// today (预测), in working days. Pure code: no storage, no clock — the caller
// passes `today` and the WorkCalendar.
//
// The model (everything below is arithmetic on WorkCalendar ordinals, "slots":
// slot s is the working day FromOrdinal(s))
// - A node of duration D > 0 starting in slot S occupies slots S … S+D−1:
//   start date FromOrdinal(S), finish date FromOrdinal(S+D−1); its finish
//   boundary is F = S + D. A milestone (D == 0) sits on one slot S == F:
//   its date is FromOrdinal(S) — a 开工 milestone after a 施工许可 that
//   finishes on 03-09 is on 03-10, the next working day.
// - A link from → to with lag L (finish-to-start, L ≥ 0 working days) says
//   S(to) ≥ F(from) + L.
// - A target date T on a node says the node must be done by T: its finish
//   date ≤ T, i.e. F ≤ Ordinal(T) + 1 for a task and S ≤ Ordinal(T) for a
//   milestone (a target on a rest day means the working day before it).
// - Backward pass (倒排): latest finish/start of every node, as late as
//   possible, from the targets through the links: LF(n) = min(its own target
//   bound, min over successors of LS(succ) − lag), LS = LF − D. A node that
//   reaches no target has no latest dates (nullopt) and no slack.
// - Forward pass (预测): t0 = the slot of AddWorkingDays(today, 0) (today, or
//   the next working day when today is a rest day).
//   * done (actual_finish set): S/F from the actual dates (actual_start
//     missing → S = F − D); a milestone's actual date is its actual_finish.
//   * started, not done: S = Ordinal(actual_start), F = max(S + D, t0 + 1) —
//     unfinished work finishes today at the earliest. A milestone is never
//     in progress: without actual_finish its actual_start is ignored.
//   * not started: S = max(t0, max over predecessors of F(pred) + lag),
//     F = S + D (a milestone: S = F).
//   forecast_start/forecast_finish are FromOrdinal of S and of the finish
//   date's slot, except that recorded actual dates are reported as they are.
// - The forecast's day-invariant form (DayInvariantDate): the forward pass
//   uses only + and max, so every S and F is max(A, t0 + k), A a slot that
//   does not depend on today and k an offset in working days from t0, either
//   absent (done: A only; started: F = max(S + D, t0 + 1); not started
//   without predecessors: S = t0 + 0; after a predecessor, A and k each go
//   through the lag and the max). forecast_start_form and
//   forecast_finish_form hold that form for the reported dates — fixed =
//   FromOrdinal(A) (for the finish: of A's finish date's slot, A − 1 for a
//   task), or the recorded actual date alone; offset = k (for a task's
//   finish k − 1) — so At(today) is, for any today, the date ComputeSchedule
//   run with that today reports, as long as the input is the same
//   (FromOrdinal is monotone, so it commutes with max). ComputeSchedule
//   gives the same forms whatever today it is run with; the warning engine
//   stores them instead of the day's dates (storage/warning_store.h).
// - Slack (机动时间) = LF − F in working days (negative = late). Critical:
//   for each target node t, the nodes whose float toward t alone
//   (LF_t(n) − F(n), LF_t from t's bound only) equals t's own float
//   (LF_t(t) − F(t)) and that are not done lie on t's critical path; a node
//   is critical when it lies on some target's path. (Float below t's counts
//   too: it happens only where recorded progress contradicts the links, e.g.
//   a successor started before its predecessor finished.)
// - Per target: the forecast date, and slip = max(0, F − bound) in working
//   days ("开工 预计推迟 4 个工作日").
//
// Errors and problems
// - Refused (kValidationFailed, field "links" or "nodes[i].duration" /
//   "nodes[i].actual_finish"): a link to a
//   node that does not exist, a self-link, a negative lag or duration, a
//   duration or lag above kMaxWorkingDays, an actual_finish before its
//   actual_start, a cycle — the message
//   names the nodes in order: "节点存在循环依赖:施工许可 → 开工 → 施工许可
//   (dependency cycle: …)". Never a schedule with wrong dates.
// - Reported with the schedule (ScheduleProblem), each naming the nodes:
//   * kTargetPassed {t}: t's target is before today and t is not done
//     ("开工 目标日期 2023-03-10 已过,节点尚未完成");
//   * kCannotFit {n, t}: n has not started and its latest start is before
//     t0 — reported for the first such node of a chain only (its successors
//     are late because of it), t being the target that binds n's latest
//     finish, and not when t's target has passed (kTargetPassed says it):
//     "施工许可 最晚应于 2026-11-10 开始,工期已不足(开工 目标 2026-12-01)";
//   * kConflictingTargets {u, t}: u has a target, is not done, and t's target
//     alone forces u to finish before u's own target (LF_t(u) < u's bound):
//     "施工许可 目标 2026-12-15 与 开工 目标 2026-12-10 冲突:要赶上 开工,
//     施工许可 最晚应于 2026-12-09 完成".
//   Problems and targets are listed by target node in input order (cannot
//   fit last, in topological order).
//
// Performance: one 30-node plan ≤ 50 µs (bench/schedule_bench.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "core/work_calendar.h"

namespace zb::domain {

inline constexpr int kMaxWorkingDays = 2000;  // ~8 years; a duration or lag above is a typo

// The lifecycle event a node marks; its actual date is the project's actual
// date for that event (签约 / 开工 / 竣工 / 投产).
enum class NodeEvent { kNone, kSigned, kStarted, kCompleted, kOperating };
std::string_view NodeEventCode(NodeEvent e);   // "", "signed", "started", "completed", "operating"
std::string_view NodeEventLabel(NodeEvent e);  // "", "签约", "开工", "竣工", "投产"
std::optional<NodeEvent> ParseNodeEvent(std::string_view code_or_label);  // "" → kNone

struct ScheduleNodeInput {
  std::string name;            // for messages
  int duration = 0;            // working days; 0 = milestone
  std::optional<Date> target;  // must be done by
  std::optional<Date> actual_start;
  std::optional<Date> actual_finish;  // set = done
};

struct ScheduleLink {
  int from = 0;  // index into nodes
  int to = 0;
  int lag = 0;   // working days
};

struct ScheduleInput {
  std::vector<ScheduleNodeInput> nodes;
  std::vector<ScheduleLink> links;
  Date today;
};

// t0: the slot the forward pass starts from — the ordinal of today, or of
// the next working day when today is a rest day (AddWorkingDays(today, 0)).
int64_t StartSlot(Date today, const WorkCalendar& cal);

// A forecast date in its day-invariant form (see the header): the later of
// `fixed` and the working day `offset` working days after t0 (t0 = today,
// or the next working day when today is a rest day); at least one is set.
struct DayInvariantDate {
  std::optional<Date> fixed;
  std::optional<int64_t> offset;
  // The date for `today`; t0 = StartSlot(today, cal).
  Date At(Date today, const WorkCalendar& cal) const;
  Date AtSlot(int64_t t0, const WorkCalendar& cal) const;
  bool operator==(const DayInvariantDate&) const = default;
};

struct NodeSchedule {
  std::optional<Date> latest_start, latest_finish;  // 倒排; nullopt when no target constrains it
  Date forecast_start, forecast_finish;             // 预测 (= actual when done)
  DayInvariantDate forecast_start_form, forecast_finish_form;  // the same for any today (see the header)
  std::optional<int64_t> slack;                     // working days; nullopt when unconstrained
  bool critical = false;
  bool done = false;
  bool started = false;
};

struct TargetForecast {
  int node = 0;
  Date target;
  Date forecast;     // the node's forecast finish (a milestone: its date)
  int64_t slip = 0;  // working days beyond the target, 0 when on time
};

struct ScheduleProblem {
  enum class Kind { kTargetPassed, kCannotFit, kConflictingTargets };
  Kind kind;
  std::vector<int> nodes;
  std::string message;  // zh, with the node names and dates
};

struct Schedule {
  std::vector<NodeSchedule> nodes;  // same order as the input
  std::vector<TargetForecast> targets;
  std::vector<ScheduleProblem> problems;
};

StatusOr<Schedule> ComputeSchedule(const ScheduleInput& in, const WorkCalendar& cal);

// One dependency cycle among `links` (which must name nodes in
// [0, node_count)), in link order with its first node — the cycle's node of
// smallest index — repeated at the end: {2, 5, 2} for 2 → 5 → 2. Empty when
// the links are acyclic. ComputeSchedule and ValidateTemplate use it.
std::vector<int> FindCycle(int node_count, const std::vector<ScheduleLink>& links);
// "节点存在循环依赖:施工许可 → 开工 → 施工许可 (dependency cycle: 施工许可 → 开工 → 施工许可)"
std::string CycleMessage(const std::vector<std::string_view>& names_in_order);

}  // namespace zb::domain
