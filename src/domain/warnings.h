// Warnings 预警: red / yellow / green for a plan's nodes and for a project,
// each with its reason in words. Pure code over a computed Schedule
// (domain/schedule.h); the caller passes today, the calendar and the
// thresholds, and materialises the results.
//
// Colours: kNone (无: nothing to judge), kGreen (绿), kYellow (黄), kRed (红),
// ordered — a larger value is worse. Codes "", "green", "yellow", "red".
//
// Thresholds (WarningThresholds, configurable; Validate names the field,
// kValidationFailed): slack_yellow 0..kMaxWorkingDays, due_soon
// 0..kMaxWorkingDays, not_started_red_months 1..120, lag_yellow_points
// 1..100, lag_red_points lag_yellow_points..100.
//
// Node rules — EvaluateNodes(in, schedule, cal, th), one NodeWarning per
// input node, same order. "today" is in.today; LF is the node's
// latest_finish; t0 = cal.AddWorkingDays(today, 0).
// - done, or unconstrained (no latest_finish: it reaches no target) → kNone,
//   reason "".
// - red, overdue: today > LF → "施工许可 已逾期 6 个工作日", the count being
//   WorkingDaysBetween(LF, t0) (≥ 1: on the Saturday after a Friday
//   deadline it is 1, as on the Monday).
// - red, forecast late: slack < 0 → "施工许可 预计晚于最晚完成日 3 个工作日"
//   (−slack).
// - yellow, due soon: WorkingDaysBetween(today, LF) ≤ due_soon →
//   "施工许可 还剩 2 个工作日到期", or "施工许可 今天到期" at 0.
// - yellow, little slack: slack ≤ slack_yellow → "施工许可 机动时间仅 3 个工作日".
// - else green: "施工许可 机动时间 12 个工作日".
// The first rule that applies wins, in that order.
//
// Project rules — EvaluateProject(facts, plan, schedule, node_warnings,
// today, cal, th); plan/schedule/node_warnings are null when the project has
// no plan (then only the office rules apply).
// - Stage 竣工 / 投产 / 终止 → kNone, no reasons (nothing left to warn about).
//   Every other stage (停缓建 too: its deadlines still run) is judged.
// - Nodes: red_nodes / yellow_nodes count the node colours. A red or yellow
//   node's reason is listed unless one of its predecessors has the same or a
//   worse colour (its lateness is inherited, the root cause is listed), and
//   a target node that slips lists its slip instead of its own "预计晚于…".
// - Target slips: every target with slip > 0 whose node is not done → red,
//   "开工 预计推迟 4 个工作日" (a target met late is history, not a warning).
//   Always red: a slipping target's node is forecast beyond its latest
//   finish, which the node rule already calls red.
// - Not started (no actual_start, and a stage before 在建 or 停缓建 not from 在建),
//   with a planned_start:
//   * today > planned_start + not_started_red_months months (Date::AddMonths)
//     → red "计划开工 2026-05-10,已超 3 个月未开工";
//   * else planned_start in today's month → yellow "计划本月开工,尚未开工";
//   * else planned_start before today's month → yellow
//     "计划开工 2026-09-10,尚未开工" (between the two rules above: an office
//     wants it seen before it turns red).
// - 在建 with reported_progress, planned_start and planned_completion
//   (completion after start): time progress = calendar days elapsed since
//   planned_start over the whole span, clamped to 0..100, rounded to whole
//   points; lag = time − reported. lag > lag_red_points → red, lag ≥
//   lag_yellow_points → yellow: "形象进度 45%,时间进度 70%,滞后 25 个百分点".
//   reported_progress is nullopt until monthly reporting (issue 8) supplies
//   it: the rule is then skipped.
// - colour = the worst reason's colour; reasons worst first (red, then
//   yellow; within a colour: nodes in input order, then targets, then the
//   office rules). No reason: kGreen when something was judged (a node with
//   a latest finish, a planned_start while not started, or the progress
//   rule), else kNone.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "core/work_calendar.h"
#include "domain/project.h"
#include "domain/schedule.h"

namespace zb::domain {

enum class WarningColour { kNone, kGreen, kYellow, kRed };
std::string_view WarningColourCode(WarningColour c);   // "", "green", "yellow", "red"
std::string_view WarningColourLabel(WarningColour c);  // 无, 绿, 黄, 红
std::optional<WarningColour> ParseWarningColour(std::string_view code);  // "none" or "" → kNone

struct WarningThresholds {
  int slack_yellow = 5;             // working days
  int due_soon = 3;                 // working days
  int not_started_red_months = 3;
  int lag_yellow_points = 10;       // 形象进度 behind 时间进度, percentage points
  int lag_red_points = 30;
};
Status Validate(const WarningThresholds& th);

// A reason in its day-invariant form (WarningReason): what a warning says,
// with the one number in it that moves with the day kept as a formula in
// WorkCalendar ordinals (slots), so a stored reason renders correctly on any
// later day without being rewritten. With t0 = the ordinal of
// AddWorkingDays(day, 0) and X = max(fixed, t0 + offset) (absent parts
// skipped; at least one is set), the number is:
// - kOverdue      "施工许可 已逾期 N 个工作日"          N = X (fixed absent, offset = −ordinal(LF))
// - kForecastLate "施工许可 预计晚于最晚完成日 N 个工作日" N = X (= −slack)
// - kDueSoon      "施工许可 还剩 N 个工作日到期" / "今天到期" at 0
//                                                      N = fixed − Ordinal(day) (fixed = ordinal(LF))
// - kLittleSlack  "施工许可 机动时间仅 N 个工作日"       N = −X (= slack)
// - kGreen        "施工许可 机动时间 N 个工作日"         N = −X
// - kSlip         "开工 预计推迟 N 个工作日"             N = X (the target's slip)
// - kText: `subject` is the whole text (the office rules; their words do
//   not move with the day while their colour holds).
// (t0 = StartSlot(day, cal).) Ordinals belong to one calendar: a stored form is valid for the calendar
// version it was computed with (the warning engine recomputes on a change).
struct WarningReason {
  enum class Kind { kText, kOverdue, kForecastLate, kDueSoon, kLittleSlack, kGreen, kSlip };
  Kind kind = Kind::kText;
  std::string subject;  // the node's name; kText: the text
  std::optional<int64_t> fixed, offset;
  std::string Render(Date day, const WorkCalendar& cal) const;
  bool operator==(const WarningReason&) const = default;
};
std::string_view WarningReasonKindCode(WarningReason::Kind k);  // "text", "overdue", …
std::optional<WarningReason::Kind> ParseWarningReasonKind(std::string_view code);

// Which node rule applied, in the order a node passes through them as the
// days go by (a later one never gives way to an earlier one while the
// plan's input stays the same): see EvaluateNodes.
enum class NodeRule { kNone, kGreen, kLittleSlack, kDueSoon, kForecastLate, kOverdue };

struct NodeWarning {
  WarningColour colour = WarningColour::kNone;
  NodeRule rule = NodeRule::kNone;
  std::string reason;   // rendered for the schedule's today
  WarningReason form;   // the same, day-invariant
};

std::vector<NodeWarning> EvaluateNodes(const ScheduleInput& in, const Schedule& schedule,
                                       const WorkCalendar& cal, const WarningThresholds& th);

struct ProjectFacts {
  ProjectStage stage = ProjectStage::kPlanning;
  std::optional<ProjectStage> suspended_from;  // while 停缓建
  std::optional<Date> planned_start, actual_start;
  std::optional<int> reported_progress;  // 形象进度 %, from monthly reporting (issue 8); nullopt = rule skipped
  std::optional<Date> planned_completion;
};

struct ProjectWarning {
  WarningColour colour = WarningColour::kNone;
  std::vector<std::string> reasons;  // worst first, rendered for today
  std::vector<WarningReason> forms;  // the same, day-invariant
  int red_nodes = 0, yellow_nodes = 0;
};

ProjectWarning EvaluateProject(const ProjectFacts& facts, const ScheduleInput* plan, const Schedule* schedule,
                               const std::vector<NodeWarning>* node_warnings, Date today,
                               const WorkCalendar& cal, const WarningThresholds& th);

// The most working days anything in the plan is late — the largest target
// slip or negative slack of a node not done; 0 when on time — for any day:
// max(fixed, t0 + offset), t0 the day's working-day ordinal (offset absent
// when nothing moves with the day).
struct SlipForm {
  int64_t fixed = 0;
  std::optional<int64_t> offset;
  int64_t At(int64_t t0) const;
};
SlipForm MaxSlip(const Schedule& schedule, const WorkCalendar& cal);

// How long the results hold (the warning engine's "valid until"): the last
// day D in [today, horizon] such that, for every day in [today, D] and the
// same input, EvaluateNodes gives the same colours and reason forms and
// EvaluateProject the same colour, counts and reason forms as for today.
// `in` and `schedule` are null without a plan, else ComputeSchedule's for
// in->today == today (whose
// day-invariant forms give every later day's slack and slips without
// scheduling again).
// Why a bisection is exact: every state the results are a function of —
// each node's NodeRule, each target's "slips" (slip > 0), the not-started
// rule's state (none → 本月 → 已过 → 红) — only moves forward as the day
// grows, so it is the same on a whole interval whenever it is the same at
// its two ends. The progress rule's numbers move daily: while it applies
// the answer is today.
Date StableThrough(const ProjectFacts& facts, const ScheduleInput* in, const Schedule* schedule, Date today,
                   const WorkCalendar& cal, const WarningThresholds& th, Date horizon);

}  // namespace zb::domain
