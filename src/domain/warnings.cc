#include "domain/warnings.h"

#include <algorithm>

namespace zb::domain {
namespace {

std::string Days(int64_t n) { return std::to_string(n) + " 个工作日"; }

Status CheckRange(int value, int lo, int hi, const char* field, const char* label) {
  if (value >= lo && value <= hi) return Status::Ok();
  const std::string range = std::to_string(lo) + "–" + std::to_string(hi);
  return ValidationFailed(std::string(label) + "应为 " + range + " (" + field + " must be " + std::to_string(lo) +
                              ".." + std::to_string(hi) + ")",
                          field);
}

bool Finished(ProjectStage s) {
  return s == ProjectStage::kCompleted || s == ProjectStage::kOperating || s == ProjectStage::kTerminated;
}

// No actual start and not yet building (a 停缓建 project counts as started
// only when it left 在建).
bool NotStarted(const ProjectFacts& f) {
  if (f.actual_start) return false;
  if (f.stage == ProjectStage::kSuspended) return f.suspended_from != ProjectStage::kBuilding;
  return f.stage == ProjectStage::kPlanning || f.stage == ProjectStage::kNegotiating ||
         f.stage == ProjectStage::kSigned || f.stage == ProjectStage::kPreparing;
}

struct Item {
  WarningColour colour;
  WarningReason form;
};

// A node's finish in slots, last-slot terms (the finish date's ordinal):
// X(t0) = max(fixed, t0 + offset), from its day-invariant form; and its
// latest finish's ordinal. Slack = lf − X; a target's slip = X − ordinal(target).
struct FinishSlots {
  std::optional<int64_t> fixed, offset;
  int64_t At(int64_t t0) const {
    if (!offset) return *fixed;
    return fixed ? std::max(*fixed, t0 + *offset) : t0 + *offset;
  }
};

FinishSlots FinishOf(const NodeSchedule& ns, const WorkCalendar& cal) {
  FinishSlots f;
  if (ns.forecast_finish_form.fixed) f.fixed = cal.Ordinal(*ns.forecast_finish_form.fixed);
  f.offset = ns.forecast_finish_form.offset;
  return f;
}

// X − base as a form's (fixed, offset).
void SetRelative(WarningReason& r, const FinishSlots& f, int64_t base) {
  if (f.fixed) r.fixed = *f.fixed - base;
  if (f.offset) r.offset = *f.offset - base;
}

// The node rule for a day (see the header): `day` > LF, slack = lfo − x,
// working days left = lfo − Ordinal(day).
NodeRule RuleAt(Date day, Date lf, int64_t lfo, int64_t x, int64_t ordinal_day, const WarningThresholds& th) {
  if (day > lf) return NodeRule::kOverdue;
  const int64_t slack = lfo - x;
  if (slack < 0) return NodeRule::kForecastLate;
  if (lfo - ordinal_day <= th.due_soon) return NodeRule::kDueSoon;
  if (slack <= th.slack_yellow) return NodeRule::kLittleSlack;
  return NodeRule::kGreen;
}

WarningColour ColourOf(NodeRule r) {
  switch (r) {
    case NodeRule::kNone: return WarningColour::kNone;
    case NodeRule::kGreen: return WarningColour::kGreen;
    case NodeRule::kLittleSlack:
    case NodeRule::kDueSoon: return WarningColour::kYellow;
    case NodeRule::kForecastLate:
    case NodeRule::kOverdue: break;
  }
  return WarningColour::kRed;
}

WarningReason::Kind ReasonKindOf(NodeRule r) {
  switch (r) {
    case NodeRule::kOverdue: return WarningReason::Kind::kOverdue;
    case NodeRule::kForecastLate: return WarningReason::Kind::kForecastLate;
    case NodeRule::kDueSoon: return WarningReason::Kind::kDueSoon;
    case NodeRule::kLittleSlack: return WarningReason::Kind::kLittleSlack;
    default: break;
  }
  return WarningReason::Kind::kGreen;
}

// The not-started rule's state for a day, in the order the days bring them:
// 0 none, 1 计划本月开工, 2 计划开工 … 尚未开工, 3 red (see the header).
int NotStartedState(const ProjectFacts& facts, Date day, const WarningThresholds& th) {
  if (!NotStarted(facts) || !facts.planned_start) return 0;
  const Date start = *facts.planned_start;
  if (day > start.AddMonths(th.not_started_red_months)) return 3;
  if (start.MonthStart() == day.MonthStart()) return 1;
  if (start < day.MonthStart()) return 2;
  return 0;
}

bool ProgressRuleApplies(const ProjectFacts& facts) {
  return facts.stage == ProjectStage::kBuilding && facts.reported_progress && facts.planned_start &&
         facts.planned_completion && *facts.planned_completion > *facts.planned_start;
}

}  // namespace

std::string_view WarningReasonKindCode(WarningReason::Kind k) {
  switch (k) {
    case WarningReason::Kind::kOverdue: return "overdue";
    case WarningReason::Kind::kForecastLate: return "late";
    case WarningReason::Kind::kDueSoon: return "due";
    case WarningReason::Kind::kLittleSlack: return "slack";
    case WarningReason::Kind::kGreen: return "green";
    case WarningReason::Kind::kSlip: return "slip";
    case WarningReason::Kind::kText: break;
  }
  return "text";
}

std::optional<WarningReason::Kind> ParseWarningReasonKind(std::string_view code) {
  using K = WarningReason::Kind;
  for (K k : {K::kText, K::kOverdue, K::kForecastLate, K::kDueSoon, K::kLittleSlack, K::kGreen, K::kSlip}) {
    if (code == WarningReasonKindCode(k)) return k;
  }
  return std::nullopt;
}

std::string WarningReason::Render(Date day, const WorkCalendar& cal) const {
  if (kind == Kind::kText) return subject;
  if (kind == Kind::kDueSoon) {
    const int64_t left = fixed.value_or(0) - cal.Ordinal(day);
    return subject + (left == 0 ? " 今天到期" : " 还剩 " + Days(left) + "到期");
  }
  if (!fixed && !offset) return subject;  // not a form the engine writes
  const int64_t x = FinishSlots{fixed, offset}.At(StartSlot(day, cal));
  switch (kind) {
    case Kind::kOverdue: return subject + " 已逾期 " + Days(x);
    case Kind::kForecastLate: return subject + " 预计晚于最晚完成日 " + Days(x);
    case Kind::kLittleSlack: return subject + " 机动时间仅 " + Days(-x);
    case Kind::kGreen: return subject + " 机动时间 " + Days(-x);
    case Kind::kSlip: return subject + " 预计推迟 " + Days(x);
    default: break;
  }
  return subject;
}

std::string_view WarningColourCode(WarningColour c) {
  switch (c) {
    case WarningColour::kGreen: return "green";
    case WarningColour::kYellow: return "yellow";
    case WarningColour::kRed: return "red";
    case WarningColour::kNone: break;
  }
  return "";
}

std::string_view WarningColourLabel(WarningColour c) {
  switch (c) {
    case WarningColour::kGreen: return "绿";
    case WarningColour::kYellow: return "黄";
    case WarningColour::kRed: return "红";
    case WarningColour::kNone: break;
  }
  return "无";
}

std::optional<WarningColour> ParseWarningColour(std::string_view code) {
  for (WarningColour c : {WarningColour::kNone, WarningColour::kGreen, WarningColour::kYellow, WarningColour::kRed}) {
    if (code == WarningColourCode(c)) return c;
  }
  if (code == "none") return WarningColour::kNone;
  return std::nullopt;
}

Status Validate(const WarningThresholds& th) {
  ZB_RETURN_IF_ERROR(CheckRange(th.slack_yellow, 0, kMaxWorkingDays, "slack_yellow", "机动时间预警阈值"));
  ZB_RETURN_IF_ERROR(CheckRange(th.due_soon, 0, kMaxWorkingDays, "due_soon", "临期预警天数"));
  ZB_RETURN_IF_ERROR(CheckRange(th.not_started_red_months, 1, 120, "not_started_red_months", "未开工红色预警月数"));
  ZB_RETURN_IF_ERROR(CheckRange(th.lag_yellow_points, 1, 100, "lag_yellow_points", "进度滞后黄色预警百分点"));
  ZB_RETURN_IF_ERROR(
      CheckRange(th.lag_red_points, th.lag_yellow_points, 100, "lag_red_points", "进度滞后红色预警百分点"));
  return Status::Ok();
}

std::vector<NodeWarning> EvaluateNodes(const ScheduleInput& in, const Schedule& schedule, const WorkCalendar& cal,
                                       const WarningThresholds& th) {
  std::vector<NodeWarning> out(in.nodes.size());
  const int64_t t0 = StartSlot(in.today, cal);
  const int64_t ordinal_today = cal.Ordinal(in.today);
  for (size_t i = 0; i < in.nodes.size(); ++i) {
    const NodeSchedule& ns = schedule.nodes[i];
    if (ns.done || !ns.latest_finish) continue;
    const Date lf = *ns.latest_finish;
    const int64_t lfo = cal.Ordinal(lf);
    const FinishSlots finish = FinishOf(ns, cal);
    NodeWarning& w = out[i];
    w.rule = RuleAt(in.today, lf, lfo, finish.At(t0), ordinal_today, th);
    w.colour = ColourOf(w.rule);
    w.form.kind = ReasonKindOf(w.rule);
    w.form.subject = in.nodes[i].name;
    switch (w.rule) {
      case NodeRule::kOverdue: w.form.offset = -lfo; break;  // N = t0 − ordinal(LF)
      case NodeRule::kDueSoon: w.form.fixed = lfo; break;    // N = ordinal(LF) − Ordinal(day)
      default: SetRelative(w.form, finish, lfo); break;      // N = ±(X − ordinal(LF))
    }
    w.reason = w.form.Render(in.today, cal);
  }
  return out;
}

ProjectWarning EvaluateProject(const ProjectFacts& facts, const ScheduleInput* plan, const Schedule* schedule,
                               const std::vector<NodeWarning>* node_warnings, Date today, const WorkCalendar& cal,
                               const WarningThresholds& th) {
  ProjectWarning out;
  if (Finished(facts.stage)) return out;
  std::vector<Item> items;
  bool judged = false;

  if (plan && schedule && node_warnings) {
    const std::vector<NodeWarning>& nw = *node_warnings;
    const size_t n = nw.size();
    std::vector<char> inherited(n, 0), slipping(n, 0);
    for (const ScheduleLink& l : plan->links) {
      if (nw[l.from].colour >= nw[l.to].colour) inherited[l.to] = 1;
    }
    // A target met late is history, not a warning: only the slips of nodes
    // not yet done count.
    auto slips = [&](const TargetForecast& t) { return t.slip > 0 && !schedule->nodes[t.node].done; };
    for (const TargetForecast& t : schedule->targets) {
      if (slips(t)) slipping[t.node] = 1;
    }
    for (size_t v = 0; v < n; ++v) {
      const WarningColour c = nw[v].colour;
      if (c == WarningColour::kNone) continue;
      judged = true;
      if (c == WarningColour::kRed) ++out.red_nodes;
      if (c == WarningColour::kYellow) ++out.yellow_nodes;
      if (c < WarningColour::kYellow || inherited[v]) continue;
      // A slipping target says it once, as its slip (listed below) — unless
      // it is overdue, which is a fact of its own.
      const bool overdue = today > *schedule->nodes[v].latest_finish;
      if (slipping[v] && !overdue) continue;
      items.push_back({c, nw[v].form});
    }
    for (const TargetForecast& t : schedule->targets) {
      if (!slips(t)) continue;
      WarningReason r{WarningReason::Kind::kSlip, plan->nodes[t.node].name, std::nullopt, std::nullopt};
      SetRelative(r, FinishOf(schedule->nodes[t.node], cal), cal.Ordinal(t.target));
      items.push_back({WarningColour::kRed, std::move(r)});
    }
  }

  auto text = [](std::string t) {
    return WarningReason{WarningReason::Kind::kText, std::move(t), std::nullopt, std::nullopt};
  };
  if (NotStarted(facts) && facts.planned_start) {
    judged = true;
    const std::string start = facts.planned_start->ToString();
    switch (NotStartedState(facts, today, th)) {
      case 3:
        items.push_back({WarningColour::kRed, text("计划开工 " + start + ",已超 " +
                                                   std::to_string(th.not_started_red_months) + " 个月未开工")});
        break;
      case 1: items.push_back({WarningColour::kYellow, text("计划本月开工,尚未开工")}); break;
      case 2: items.push_back({WarningColour::kYellow, text("计划开工 " + start + ",尚未开工")}); break;
      default: break;
    }
  }

  if (ProgressRuleApplies(facts)) {
    judged = true;
    const int64_t total = DaysBetween(*facts.planned_start, *facts.planned_completion);
    const int64_t elapsed = std::clamp<int64_t>(DaysBetween(*facts.planned_start, today), 0, total);
    const int64_t time_progress = (elapsed * 100 + total / 2) / total;
    const int64_t lag = time_progress - *facts.reported_progress;
    if (lag >= th.lag_yellow_points) {
      items.push_back({lag > th.lag_red_points ? WarningColour::kRed : WarningColour::kYellow,
                       text("形象进度 " + std::to_string(*facts.reported_progress) + "%,时间进度 " +
                            std::to_string(time_progress) + "%,滞后 " + std::to_string(lag) + " 个百分点")});
    }
  }

  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.colour > b.colour; });
  out.colour = !items.empty() ? items.front().colour : judged ? WarningColour::kGreen : WarningColour::kNone;
  out.reasons.reserve(items.size());
  out.forms.reserve(items.size());
  for (Item& item : items) {
    out.reasons.push_back(item.form.Render(today, cal));
    out.forms.push_back(std::move(item.form));
  }
  return out;
}

int64_t SlipForm::At(int64_t t0) const { return FinishSlots{fixed, offset}.At(t0); }

SlipForm MaxSlip(const Schedule& schedule, const WorkCalendar& cal) {
  SlipForm out;
  auto take = [&](const FinishSlots& f, int64_t base) {
    if (f.fixed) out.fixed = std::max(out.fixed, *f.fixed - base);
    if (f.offset) out.offset = std::max(out.offset.value_or(*f.offset - base), *f.offset - base);
  };
  for (const NodeSchedule& ns : schedule.nodes) {
    if (ns.done || !ns.latest_finish) continue;
    take(FinishOf(ns, cal), cal.Ordinal(*ns.latest_finish));  // −slack
  }
  for (const TargetForecast& t : schedule.targets) take(FinishOf(schedule.nodes[t.node], cal), cal.Ordinal(t.target));
  return out;
}

Date StableThrough(const ProjectFacts& facts, const ScheduleInput* in, const Schedule* schedule, Date today,
                   const WorkCalendar& cal, const WarningThresholds& th, Date horizon) {
  if (horizon <= today) return today;
  if (ProgressRuleApplies(facts)) return today;
  // A finished project is not judged, but its nodes still are: no shortcut.
  // The states (see the header) that can move: nodes not done with a latest
  // finish, targets of nodes not done, and the not-started rule.
  struct Watched {
    Date lf;
    int64_t lfo = 0;  // for a target: ordinal(target)
    FinishSlots finish;
    int state = 0;  // a node: its NodeRule; a target: slips or not
    bool target = false;
  };
  thread_local std::vector<Watched> watched;  // reused: RecomputeAll asks for every project
  watched.clear();
  // t0 and Ordinal of the day, as EvaluateNodes has them.
  auto state_at = [&](const Watched& w, Date day, int64_t t0, int64_t ordinal_day) {
    if (w.target) return w.finish.At(t0) > w.lfo ? 1 : 0;
    return static_cast<int>(RuleAt(day, w.lf, w.lfo, w.finish.At(t0), ordinal_day, th));
  };
  const int64_t t0_today = StartSlot(today, cal), ordinal_today = cal.Ordinal(today);
  if (in && schedule) {
    for (size_t i = 0; i < schedule->nodes.size(); ++i) {
      const NodeSchedule& ns = schedule->nodes[i];
      if (ns.done || !ns.latest_finish) continue;
      Watched w{*ns.latest_finish, cal.Ordinal(*ns.latest_finish), FinishOf(ns, cal)};
      w.state = state_at(w, today, t0_today, ordinal_today);
      watched.push_back(w);
    }
    for (const TargetForecast& t : schedule->targets) {
      const NodeSchedule& ns = schedule->nodes[t.node];
      if (ns.done || Finished(facts.stage)) continue;  // a slip is a project reason
      Watched w{t.target, cal.Ordinal(t.target), FinishOf(ns, cal), 0, true};
      w.state = state_at(w, today, t0_today, ordinal_today);
      watched.push_back(w);
    }
  }
  const int not_started = NotStartedState(facts, today, th);
  auto same_as_today = [&](Date day) {
    if (NotStartedState(facts, day, th) != not_started) return false;
    const int64_t t0 = StartSlot(day, cal), ordinal_day = cal.Ordinal(day);
    for (const Watched& w : watched) {
      if (state_at(w, day, t0, ordinal_day) != w.state) return false;
    }
    return true;
  };
  if (same_as_today(horizon)) return horizon;
  Date lo = today, hi = horizon;  // the same at lo, not at hi
  while (DaysBetween(lo, hi) > 1) {
    const Date mid = lo.AddDays(DaysBetween(lo, hi) / 2);
    (same_as_today(mid) ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace zb::domain
