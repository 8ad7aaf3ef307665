#include "domain/problem.h"

#include <cstdio>

namespace zb::domain {

using S = ProblemStatus;
using A = ProblemAction;

const std::vector<ProblemEnumDef<ProblemStatus>>& ProblemStatuses() {
  static const std::vector<ProblemEnumDef<ProblemStatus>> k = {
      {S::kPending, "pending", "待受理", "pending"},
      {S::kAssigned, "assigned", "已交办", "assigned"},
      {S::kInProgress, "in_progress", "办理中", "in progress"},
      {S::kResolved, "resolved", "已办结", "resolved"},
      {S::kClosed, "closed", "已销号", "closed"},
      {S::kReturned, "returned", "已退回", "returned"},
  };
  return k;
}

const std::vector<ProblemEnumDef<ProblemSource>>& ProblemSources() {
  static const std::vector<ProblemEnumDef<ProblemSource>> k = {
      {ProblemSource::kEnterprise, "enterprise", "企业提交", "submitted by the enterprise"},
      {ProblemSource::kVisit, "visit", "走访发现", "found on a visit"},
      {ProblemSource::kMeeting, "meeting", "调度会", "scheduling meeting"},
      {ProblemSource::kLeader, "leader", "领导交办", "assigned by a leader"},
      {ProblemSource::kOther, "other", "其他", "other"},
  };
  return k;
}

const std::vector<ProblemEnumDef<ProblemUrgency>>& ProblemUrgencies() {
  static const std::vector<ProblemEnumDef<ProblemUrgency>> k = {
      {ProblemUrgency::kNormal, "normal", "一般", "normal"},
      {ProblemUrgency::kUrgent, "urgent", "紧急", "urgent"},
      {ProblemUrgency::kCritical, "critical", "特急", "critical"},
  };
  return k;
}

const std::vector<ProblemEnumDef<Satisfaction>>& Satisfactions() {
  static const std::vector<ProblemEnumDef<Satisfaction>> k = {
      {Satisfaction::kSatisfied, "satisfied", "满意", "satisfied"},
      {Satisfaction::kBasic, "basic", "基本满意", "basically satisfied"},
      {Satisfaction::kUnsatisfied, "unsatisfied", "不满意", "unsatisfied"},
  };
  return k;
}

const std::vector<ProblemEnumDef<ProblemLevel>>& ProblemLevels() {
  static const std::vector<ProblemEnumDef<ProblemLevel>> k = {
      {ProblemLevel::kTown, "town", "镇街", "town"},
      {ProblemLevel::kCounty, "county", "区", "district"},
      {ProblemLevel::kCity, "city", "市", "city"},
  };
  return k;
}

const std::vector<ProblemEnumDef<ProblemAction>>& ProblemActions() {
  static const std::vector<ProblemEnumDef<ProblemAction>> k = {
      {A::kAssign, "assign", "交办", "assign"},
      {A::kOnSpot, "on_spot", "现场解决", "resolve on the spot"},
      {A::kStart, "start", "签收办理", "start"},
      {A::kReturn, "return", "退回", "return"},
      {A::kExtend, "extend", "申请延期", "request an extension"},
      {A::kExtendDecide, "extend_decide", "延期审批", "decide the extension"},
      {A::kResolve, "resolve", "办结", "resolve"},
      {A::kClose, "close", "销号", "close"},
      {A::kReopen, "reopen", "重新办理", "reopen"},
      {A::kRate, "rate", "满意度评价", "rate"},
      {A::kEscalate, "escalate", "提级协调", "escalate"},
      {A::kSupervise, "supervise", "督办", "supervise"},
      {A::kSuperviseRespond, "supervise_respond", "督办反馈", "respond to the supervision"},
      {A::kAgenda, "agenda", "提交联席会议", "put on the joint meeting's agenda"},
      {A::kAgendaDecide, "agenda_decide", "会议决定", "record the meeting's decision"},
      {A::kComment, "comment", "备注", "comment"},
  };
  return k;
}

namespace {

template <typename E>
const ProblemEnumDef<E>& Def(const std::vector<ProblemEnumDef<E>>& all, E v) {
  for (const auto& d : all) {
    if (d.value == v) return d;
  }
  return all.front();
}

template <typename E>
std::optional<E> Parse(const std::vector<ProblemEnumDef<E>>& all, std::string_view s) {
  for (const auto& d : all) {
    if (d.code == s || d.label == s) return d.value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view Code(ProblemStatus v) { return Def(ProblemStatuses(), v).code; }
std::string_view Code(ProblemSource v) { return Def(ProblemSources(), v).code; }
std::string_view Code(ProblemUrgency v) { return Def(ProblemUrgencies(), v).code; }
std::string_view Code(Satisfaction v) { return Def(Satisfactions(), v).code; }
std::string_view Code(ProblemLevel v) { return Def(ProblemLevels(), v).code; }
std::string_view Code(ProblemAction v) { return Def(ProblemActions(), v).code; }
std::string_view Label(ProblemStatus v) { return Def(ProblemStatuses(), v).label; }
std::string_view Label(ProblemSource v) { return Def(ProblemSources(), v).label; }
std::string_view Label(ProblemUrgency v) { return Def(ProblemUrgencies(), v).label; }
std::string_view Label(Satisfaction v) { return Def(Satisfactions(), v).label; }
std::string_view Label(ProblemLevel v) { return Def(ProblemLevels(), v).label; }
std::string_view Label(ProblemAction v) { return Def(ProblemActions(), v).label; }

std::optional<ProblemStatus> ParseProblemStatus(std::string_view s) { return Parse(ProblemStatuses(), s); }
std::optional<ProblemSource> ParseProblemSource(std::string_view s) { return Parse(ProblemSources(), s); }
std::optional<ProblemUrgency> ParseProblemUrgency(std::string_view s) { return Parse(ProblemUrgencies(), s); }
std::optional<Satisfaction> ParseSatisfaction(std::string_view s) { return Parse(Satisfactions(), s); }
std::optional<ProblemLevel> ParseProblemLevel(std::string_view s) { return Parse(ProblemLevels(), s); }
std::optional<ProblemAction> ParseProblemAction(std::string_view s) { return Parse(ProblemActions(), s); }

std::string_view EventLabel(std::string_view kind) {
  if (kind == "import") return "导入台账";
  auto action = ParseProblemAction(kind);
  return action ? Label(*action) : "提报";
}

bool IsOpen(ProblemStatus s) { return s != S::kResolved && s != S::kClosed; }

namespace {

bool In(S s, std::initializer_list<S> set) {
  for (S x : set) {
    if (x == s) return true;
  }
  return false;
}

// Step 1 of PlanAction: whether the item's state admits the action at all.
bool StateAllows(const ProblemFacts& item, A a) {
  const S s = item.status;
  switch (a) {
    case A::kAssign: return In(s, {S::kPending, S::kReturned, S::kAssigned, S::kInProgress});
    case A::kOnSpot: return s == S::kPending;
    case A::kStart: return s == S::kAssigned;
    case A::kReturn: return In(s, {S::kAssigned, S::kInProgress});
    case A::kExtend: return In(s, {S::kAssigned, S::kInProgress}) && !item.extension_pending;
    case A::kExtendDecide: return IsOpen(s) && item.extension_pending;
    case A::kResolve: return In(s, {S::kAssigned, S::kInProgress});
    case A::kClose: return s == S::kResolved;
    case A::kReopen:
    case A::kRate: return In(s, {S::kResolved, S::kClosed});
    case A::kEscalate:
      return In(s, {S::kPending, S::kReturned, S::kAssigned, S::kInProgress}) && item.has_higher_level;
    case A::kSupervise: return IsOpen(s);
    case A::kSuperviseRespond: return item.supervised;
    case A::kAgenda: return IsOpen(s) && !item.on_agenda;
    case A::kAgendaDecide: return item.on_agenda;
    case A::kComment: return true;
  }
  return false;
}

// Step 2: whether this actor may take it.
bool ActorMay(const ProblemActor& who, A a) {
  if (a == A::kSupervise) return who.can_supervise;
  if (!who.can_write) return false;
  switch (a) {
    case A::kAssign: return who.assign_over_coord;
    case A::kOnSpot: return !who.enterprise_user;
    case A::kStart: return who.in_lead_unit || who.assign_over_lead;
    case A::kReturn:
    case A::kExtend:
    case A::kResolve:
    case A::kSuperviseRespond: return who.in_lead_unit;
    case A::kExtendDecide:
    case A::kClose: return who.can_assign && !who.in_lead_unit;
    case A::kReopen:
    case A::kRate: return who.own_enterprise || who.can_assign;
    case A::kEscalate: return who.in_lead_unit || who.assign_over_coord;
    case A::kAgenda:
    case A::kAgendaDecide: return who.can_assign;
    case A::kComment: return true;
    case A::kSupervise: break;
  }
  return false;
}

std::string JoinActions(const std::vector<A>& actions, bool zh) {
  std::string out;
  for (A a : actions) {
    if (!out.empty()) out += zh ? "、" : ", ";
    out += zh ? Label(a) : Code(a);
  }
  if (out.empty()) out = zh ? "无" : "none";
  return out;
}

// Why the state refuses, in words.
std::string Refusal(const ProblemFacts& item, A a) {
  const std::string status = std::string(Label(item.status));
  switch (a) {
    case A::kExtend:
      if (item.extension_pending) return "已有延期申请待审批";
      break;
    case A::kExtendDecide:
      if (!item.extension_pending) return "没有待审批的延期申请";
      break;
    case A::kEscalate:
      if (!item.has_higher_level && IsOpen(item.status)) return "已是最高层级,无法再提级";
      break;
    case A::kSuperviseRespond: return "没有待反馈的督办单";
    case A::kAgenda:
      if (item.on_agenda) return "已提交联席会议,尚未决定";
      break;
    case A::kAgendaDecide: return "未提交联席会议";
    default: break;
  }
  return "「" + status + "」状态下不能" + std::string(Label(a));
}

Status DateNotBefore(std::optional<Date> d, Date min, const char* field, const char* what_zh) {
  if (d && *d < min) {
    return ValidationFailed(std::string(what_zh) + "不能早于 " + min.ToString() + " (" + field +
                                " must not be before " + min.ToString() + ")",
                            field);
  }
  return Status::Ok();
}

void Reopen(const ProblemFacts& item, const ActionInput& in, const WorkCalendar& cal, ProblemChange* c) {
  c->to = item.has_lead_unit ? S::kInProgress : S::kPending;
  c->reopen = true;
  if (item.has_lead_unit) c->deadline = SlaDeadline(cal, in.today, in.sla_days);
}

}  // namespace

std::vector<ProblemAction> AllowedActions(const ProblemFacts& item, const ProblemActor& actor) {
  std::vector<A> out;
  for (const auto& d : ProblemActions()) {
    if (StateAllows(item, d.value) && ActorMay(actor, d.value)) out.push_back(d.value);
  }
  return out;
}

StatusOr<ProblemChange> PlanAction(const ProblemFacts& item, const ProblemActor& actor, const ActionInput& in,
                                   const WorkCalendar& cal) {
  const A a = in.action;
  if (!StateAllows(item, a)) {
    auto allowed = AllowedActions(item, actor);
    return InvalidTransition(Refusal(item, a) + ",当前可执行:" + JoinActions(allowed, true) + " (cannot " +
                                 std::string(Code(a)) + " while " + std::string(Code(item.status)) +
                                 "; allowed: " + JoinActions(allowed, false) + ")",
                             "action");
  }
  if (!ActorMay(actor, a)) {
    return Status(StatusCode::kForbidden,
                  "无权执行「" + std::string(Label(a)) + "」(not allowed to " + std::string(Code(a)) + ")", "action");
  }
  ProblemChange c;
  c.to = item.status;
  switch (a) {
    case A::kAssign: {
      ZB_RETURN_IF_ERROR(DateNotBefore(in.deadline, in.today, "deadline", "办理期限"));
      c.to = S::kAssigned;
      c.assigned_on = in.today;
      c.deadline = in.deadline ? *in.deadline : SlaDeadline(cal, in.today, in.sla_days);
      if (!item.original_deadline) c.original_deadline = c.deadline;
      break;
    }
    case A::kOnSpot:
    case A::kResolve: {
      Date on = in.date.value_or(in.today);
      if (on > in.today) {
        return ValidationFailed("办结日期不能晚于今天 (date must not be after today)", "date");
      }
      ZB_RETURN_IF_ERROR(DateNotBefore(on, item.raised_on, "date", "办结日期"));
      c.resolved_on = on;
      c.resolve_days = cal.WorkingDaysBetween(item.raised_on, on);
      if (a == A::kOnSpot) {
        c.to = S::kClosed;
        c.closed_on = on;
        c.on_spot = true;
      } else {
        c.to = S::kResolved;
      }
      break;
    }
    case A::kStart: c.to = S::kInProgress; break;
    case A::kReturn: c.to = S::kReturned; break;
    case A::kExtend: {
      if (!in.new_deadline) return ValidationFailed("请填写延期后的期限 (new_deadline is required)", "new_deadline");
      if (item.deadline && *in.new_deadline <= *item.deadline) {
        return ValidationFailed("延期后的期限须晚于当前期限 " + item.deadline->ToString() +
                                    " (new_deadline must be after the current deadline)",
                                "new_deadline");
      }
      c.extension_pending = true;
      break;
    }
    case A::kExtendDecide:
      c.extension_pending = false;
      if (in.grant && item.requested_deadline) c.deadline = item.requested_deadline;
      break;
    case A::kClose: c.to = S::kClosed; c.closed_on = in.today; break;
    case A::kReopen: Reopen(item, in, cal, &c); break;
    case A::kRate:
      if (!in.satisfaction) {
        return ValidationFailed("请选择满意度 (satisfaction is required)", "satisfaction");
      }
      c.satisfaction = in.satisfaction;
      c.rated_on = in.today;
      if (*in.satisfaction == Satisfaction::kUnsatisfied) Reopen(item, in, cal, &c);
      break;
    case A::kEscalate: c.escalate = true; break;
    case A::kSupervise:
      ZB_RETURN_IF_ERROR(DateNotBefore(in.respond_by, in.today, "respond_by", "反馈期限"));
      c.supervised = true;
      break;
    case A::kSuperviseRespond: c.supervised = false; break;
    case A::kAgenda: c.on_agenda = true; break;
    case A::kAgendaDecide: c.on_agenda = false; break;
    case A::kComment: break;
  }
  return c;
}

std::optional<ProblemLevel> LevelOfKind(std::string_view kind) {
  if (kind == "town" || kind == "zone" || kind == "village") return ProblemLevel::kTown;
  if (kind == "county") return ProblemLevel::kCounty;
  if (kind == "city") return ProblemLevel::kCity;
  return std::nullopt;
}

std::optional<UnitKind> LevelUnit(const std::vector<UnitKind>& chain) {
  for (const auto& u : chain) {
    if (LevelOfKind(u.kind)) return u;
  }
  return std::nullopt;
}

std::optional<UnitKind> EscalationTarget(const std::vector<UnitKind>& chain) {
  auto from = LevelUnit(chain);
  if (!from) return std::nullopt;
  ProblemLevel level = *LevelOfKind(from->kind);
  bool past = false;
  for (const auto& u : chain) {
    if (u.id == from->id) {
      past = true;
      continue;
    }
    auto l = LevelOfKind(u.kind);
    if (past && l && *l > level) return u;
  }
  return std::nullopt;
}

Date SlaDeadline(const WorkCalendar& cal, Date from, int64_t days) { return cal.AddWorkingDays(from, days); }

int64_t OverdueDays(const WorkCalendar& cal, ProblemStatus status, std::optional<Date> deadline, Date today) {
  if (!IsOpen(status) || !deadline || !(*deadline < today)) return 0;
  return cal.WorkingDaysBetween(*deadline, today);
}

std::string FormatProblemCode(int year, int64_t seq) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "WT-%d-%05lld", year, static_cast<long long>(seq));
  return buf;
}

}  // namespace zb::domain
