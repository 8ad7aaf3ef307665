// Problems and requests 问题诉求: the workflow of the ledger closed item by
// item (问题台账 · 诉求清单 · 销号管理). Pure rules; storage/problem_repo
// stores what they decide. Contract: docs/api-problems.md § The workflow.
//
//   pending 待受理 ─交办→ assigned 已交办 ─签收→ in_progress 办理中 ─办结→
//   resolved 已办结 ─销号→ closed 已销号;  退回 → returned 已退回 (the
//   bureau reassigns); 现场解决 pending → closed; 重新办理 (or 不满意)
//   resolved/closed → in_progress.
//
// Contract
// - Statuses, sources, urgencies, satisfactions, levels and actions each have
//   a wire code, a zh label and an en label; Parse* accepts the code or the
//   zh label, nullopt otherwise. The *s() lists are in the order above /
//   the contract's tables.
// - AllowedActions(item, actor): the actions this actor may take now, in
//   the contract's table order — exactly what PlanAction accepts (before
//   the body's own checks). The web shows these buttons.
// - PlanAction(item, actor, input): the checks, in this order:
//   1. the action is not possible in the item's state (status, a pending
//      extension, an open 督办单, on the agenda, a higher level to escalate
//      to) → kInvalidTransition, field "action", the message listing what
//      the actor may do now ("……,当前可执行:签收办理、退回 (allowed: start,
//      return)");
//   2. the actor may not take it (role, unit, enterprise) → kForbidden
//      (the message names the action; the API adds field "action");
//   3. the input's dates: extend's new_deadline after the current deadline,
//      an explicit assign deadline and supervise's respond_by not before
//      today, on_spot/resolve's date neither after today nor before
//      raised_on → kValidationFailed naming the field.
//   On success, ProblemChange says what to write. Deadlines: assign sets
//   `deadline` (the given one, else SlaDeadline from today) and sets
//   `original_deadline` only when the item has none (改派 keeps it);
//   extend_decide with grant moves `deadline` to the requested date and
//   never `original_deadline`; reopen (and rate 不满意) clears the
//   resolution, counts a reopen, gives a new deadline = SLA from today and
//   keeps `original_deadline`; an item reopened without a lead unit (it was
//   resolved on the spot) goes back to pending instead of in_progress.
//   resolve_days = working days raised_on → resolved_on.
// - Who: every action but supervise needs problem:write; supervise needs
//   problem:supervise. "A user of the lead unit" is a non-enterprise user
//   whose own unit is the lead unit. close and extend_decide need
//   problem:assign and refuse a user of the lead unit (a unit cannot verify
//   or grant itself). Enterprise users never on_spot, assign, nor mark an
//   entry internal (the API checks the last).
// - LevelOfKind: town/zone/village → town, county → county, city → city,
//   department → nullopt (it counts at the level of its nearest
//   non-department ancestor: LevelUnit). EscalationTarget: the nearest
//   ancestor of the coordinating unit whose level is higher than its own,
//   nullopt when there is none (a city item).
// - SlaDeadline(cal, from, days) = the days-th working day after `from`.
//   OverdueDays: open, with a deadline before today → working days
//   (deadline, today]; 0 otherwise.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "core/work_calendar.h"

namespace zb::domain {

enum class ProblemStatus { kPending, kAssigned, kInProgress, kResolved, kClosed, kReturned };
enum class ProblemSource { kEnterprise, kVisit, kMeeting, kLeader, kOther };
enum class ProblemUrgency { kNormal, kUrgent, kCritical };
enum class Satisfaction { kSatisfied, kBasic, kUnsatisfied };
enum class ProblemLevel { kTown, kCounty, kCity };  // ordered: a higher level compares greater
enum class ProblemAction {
  kAssign,
  kOnSpot,
  kStart,
  kReturn,
  kExtend,
  kExtendDecide,
  kResolve,
  kClose,
  kReopen,
  kRate,
  kEscalate,
  kSupervise,
  kSuperviseRespond,
  kAgenda,
  kAgendaDecide,
  kComment,
};

template <typename E>
struct ProblemEnumDef {
  E value;
  std::string_view code;
  std::string_view label;
  std::string_view label_en;
};

const std::vector<ProblemEnumDef<ProblemStatus>>& ProblemStatuses();
const std::vector<ProblemEnumDef<ProblemSource>>& ProblemSources();
const std::vector<ProblemEnumDef<ProblemUrgency>>& ProblemUrgencies();
const std::vector<ProblemEnumDef<Satisfaction>>& Satisfactions();
const std::vector<ProblemEnumDef<ProblemLevel>>& ProblemLevels();
const std::vector<ProblemEnumDef<ProblemAction>>& ProblemActions();

std::string_view Code(ProblemStatus v);
std::string_view Code(ProblemSource v);
std::string_view Code(ProblemUrgency v);
std::string_view Code(Satisfaction v);
std::string_view Code(ProblemLevel v);
std::string_view Code(ProblemAction v);
std::string_view Label(ProblemStatus v);
std::string_view Label(ProblemSource v);
std::string_view Label(ProblemUrgency v);
std::string_view Label(Satisfaction v);
std::string_view Label(ProblemLevel v);
std::string_view Label(ProblemAction v);

std::optional<ProblemStatus> ParseProblemStatus(std::string_view code_or_label);
std::optional<ProblemSource> ParseProblemSource(std::string_view code_or_label);
std::optional<ProblemUrgency> ParseProblemUrgency(std::string_view code_or_label);
std::optional<Satisfaction> ParseSatisfaction(std::string_view code_or_label);
std::optional<ProblemLevel> ParseProblemLevel(std::string_view code_or_label);
std::optional<ProblemAction> ParseProblemAction(std::string_view code_or_label);

// A timeline entry's label by its kind: an action's label, 提报 for
// "create" (the first entry of a raised item) and 导入台账 for "import" (the
// one entry of an item that came with an imported ledger).
std::string_view EventLabel(std::string_view kind);

// Open = neither 已办结 nor 已销号.
bool IsOpen(ProblemStatus s);

// What the workflow needs to know about the item.
struct ProblemFacts {
  ProblemStatus status = ProblemStatus::kPending;
  Date raised_on;
  bool has_lead_unit = false;
  std::optional<Date> deadline;
  std::optional<Date> original_deadline;
  bool extension_pending = false;
  std::optional<Date> requested_deadline;  // the pending extension's date
  bool supervised = false;                 // an open 督办单
  bool on_agenda = false;
  bool has_higher_level = false;           // EscalationTarget exists
};

// What it needs to know about the caller (the API works these out; the
// item is already known to be in the caller's scope).
struct ProblemActor {
  bool can_write = false;          // problem:write
  bool can_assign = false;         // problem:assign
  bool can_supervise = false;      // problem:supervise
  bool assign_over_coord = false;  // problem:assign and the coordinating unit in their subtree
  bool assign_over_lead = false;   // problem:assign and the lead unit in their subtree
  bool in_lead_unit = false;       // a (non-enterprise) user whose unit is the lead unit
  bool enterprise_user = false;    // bound to an enterprise
  bool own_enterprise = false;     // … the item's
};

// The parts of an action's body the rules look at.
struct ActionInput {
  ProblemAction action = ProblemAction::kComment;
  Date today;
  std::optional<Date> date;          // on_spot, resolve (default today)
  std::optional<Date> deadline;      // assign (default: SLA from today)
  std::optional<Date> new_deadline;  // extend
  std::optional<Date> respond_by;    // supervise
  bool grant = false;                // extend_decide
  std::optional<Satisfaction> satisfaction;  // rate
  int64_t sla_days = 10;             // the item's category (assign default, reopen)
};

struct ProblemChange {
  ProblemStatus to = ProblemStatus::kPending;
  std::optional<Date> assigned_on;
  std::optional<Date> deadline;           // set when present
  std::optional<Date> original_deadline;  // set when present
  std::optional<Date> resolved_on;
  std::optional<int64_t> resolve_days;
  std::optional<Date> closed_on;
  bool on_spot = false;          // set on_spot
  bool reopen = false;           // clear resolved_on/resolve_days/closed_on/on_spot, reopen_count + 1
  bool escalate = false;         // the caller moves coord_unit_id to EscalationTarget
  std::optional<bool> extension_pending;
  std::optional<bool> supervised;
  std::optional<bool> on_agenda;
  std::optional<Satisfaction> satisfaction;  // with rated_on
  std::optional<Date> rated_on;
};

std::vector<ProblemAction> AllowedActions(const ProblemFacts& item, const ProblemActor& actor);
StatusOr<ProblemChange> PlanAction(const ProblemFacts& item, const ProblemActor& actor, const ActionInput& input,
                                   const WorkCalendar& cal);

std::optional<ProblemLevel> LevelOfKind(std::string_view org_unit_kind);

// A unit and its ancestors, the unit first then its parent and so on up.
struct UnitKind {
  int64_t id = 0;
  std::string kind;
};
// The unit whose level an item raised in chain[0] has (chain[0] itself
// unless a department), nullopt when the chain has no level unit.
std::optional<UnitKind> LevelUnit(const std::vector<UnitKind>& chain);
// The coordinating unit one level up from chain[0] (the coordinating unit).
std::optional<UnitKind> EscalationTarget(const std::vector<UnitKind>& chain);

Date SlaDeadline(const WorkCalendar& cal, Date from, int64_t days);
int64_t OverdueDays(const WorkCalendar& cal, ProblemStatus status, std::optional<Date> deadline, Date today);

// "WT-2026-00001": the year of raised_on and its sequence, at least 5 digits.
std::string FormatProblemCode(int year, int64_t seq);

}  // namespace zb::domain
