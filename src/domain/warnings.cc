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
  std::string reason;
};

}  // namespace

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
  const Date t0 = cal.AddWorkingDays(in.today, 0);
  for (size_t i = 0; i < in.nodes.size(); ++i) {
    const NodeSchedule& ns = schedule.nodes[i];
    if (ns.done || !ns.latest_finish) continue;
    const std::string& name = in.nodes[i].name;
    const Date lf = *ns.latest_finish;
    const int64_t slack = *ns.slack;
    NodeWarning& w = out[i];
    if (in.today > lf) {
      w = {WarningColour::kRed, name + " 已逾期 " + Days(cal.WorkingDaysBetween(lf, t0))};
    } else if (slack < 0) {
      w = {WarningColour::kRed, name + " 预计晚于最晚完成日 " + Days(-slack)};
    } else if (const int64_t left = cal.WorkingDaysBetween(in.today, lf); left <= th.due_soon) {
      w = {WarningColour::kYellow, name + (left == 0 ? " 今天到期" : " 还剩 " + Days(left) + "到期")};
    } else if (slack <= th.slack_yellow) {
      w = {WarningColour::kYellow, name + " 机动时间仅 " + Days(slack)};
    } else {
      w = {WarningColour::kGreen, name + " 机动时间 " + Days(slack)};
    }
  }
  return out;
}

ProjectWarning EvaluateProject(const ProjectFacts& facts, const ScheduleInput* plan, const Schedule* schedule,
                               const std::vector<NodeWarning>* node_warnings, Date today, const WorkCalendar& cal,
                               const WarningThresholds& th) {
  (void)cal;  // the rules below count calendar days and months; kept for rules to come
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
      items.push_back({c, nw[v].reason});
    }
    for (const TargetForecast& t : schedule->targets) {
      if (slips(t)) items.push_back({WarningColour::kRed, plan->nodes[t.node].name + " 预计推迟 " + Days(t.slip)});
    }
  }

  if (NotStarted(facts) && facts.planned_start) {
    judged = true;
    const Date start = *facts.planned_start;
    if (today > start.AddMonths(th.not_started_red_months)) {
      items.push_back({WarningColour::kRed, "计划开工 " + start.ToString() + ",已超 " +
                                                std::to_string(th.not_started_red_months) + " 个月未开工"});
    } else if (start.MonthStart() == today.MonthStart()) {
      items.push_back({WarningColour::kYellow, "计划本月开工,尚未开工"});
    } else if (start < today.MonthStart()) {
      items.push_back({WarningColour::kYellow, "计划开工 " + start.ToString() + ",尚未开工"});
    }
  }

  if (facts.stage == ProjectStage::kBuilding && facts.reported_progress && facts.planned_start &&
      facts.planned_completion && *facts.planned_completion > *facts.planned_start) {
    judged = true;
    const int64_t total = DaysBetween(*facts.planned_start, *facts.planned_completion);
    const int64_t elapsed = std::clamp<int64_t>(DaysBetween(*facts.planned_start, today), 0, total);
    const int64_t time_progress = (elapsed * 100 + total / 2) / total;
    const int64_t lag = time_progress - *facts.reported_progress;
    if (lag >= th.lag_yellow_points) {
      items.push_back({lag > th.lag_red_points ? WarningColour::kRed : WarningColour::kYellow,
                       "形象进度 " + std::to_string(*facts.reported_progress) + "%,时间进度 " +
                           std::to_string(time_progress) + "%,滞后 " + std::to_string(lag) + " 个百分点"});
    }
  }

  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.colour > b.colour; });
  out.colour = !items.empty() ? items.front().colour : judged ? WarningColour::kGreen : WarningColour::kNone;
  out.reasons.reserve(items.size());
  for (Item& item : items) out.reasons.push_back(std::move(item.reason));
  return out;
}

}  // namespace zb::domain
