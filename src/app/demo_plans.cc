#include "app/demo_plans.h"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "domain/project.h"
#include "domain/schedule.h"
#include "storage/calendar_repo.h"
#include "storage/plan_repo.h"
#include "storage/template_repo.h"

namespace zb::app {

namespace {

// "planned_started_on" for 开工: the projects column of the planned date of
// the event a node marks, next to domain::ActualDateField's actual one.
std::optional<std::string> EventColumn(domain::NodeEvent e, bool planned) {
  std::optional<domain::ActualDate> which;
  switch (e) {
    case domain::NodeEvent::kSigned: which = domain::ActualDate::kSigned; break;
    case domain::NodeEvent::kStarted: which = domain::ActualDate::kStarted; break;
    case domain::NodeEvent::kCompleted: which = domain::ActualDate::kCompleted; break;
    case domain::NodeEvent::kOperating: which = domain::ActualDate::kOperating; break;
    case domain::NodeEvent::kNone: return std::nullopt;
  }
  std::string column(domain::ActualDateField(*which));  // "actual_…_on"
  return planned ? "planned_" + column.substr(std::string("actual_").size()) : column;
}

std::optional<Date> DateIn(const db::Row& row, const std::optional<std::string>& column) {
  if (!column) return std::nullopt;
  return storage::OptDate(row, *column);
}

// The template a category's projects get.
std::string TemplateCategory(const std::string& category) {
  if (category == "livelihood") return "infrastructure";  // schools, hospitals: built like infrastructure
  if (category == "manufacturing" || category == "infrastructure" || category == "real_estate") return category;
  return "services";
}

}  // namespace

StatusOr<DemoPlanReport> GiveDemoPlans(db::Connection& conn, int64_t first_id, int64_t last_id, Date today,
                                       uint64_t seed, int64_t now_ms) {
  DemoPlanReport report;
  ZB_ASSIGN_OR_RETURN(auto calendar, storage::CurrentCalendar(conn));
  const WorkCalendar& cal = *calendar;
  std::map<std::string, std::optional<storage::NodeTemplate>> templates;
  ZB_ASSIGN_OR_RETURN(db::Result rows,
                      conn.Query("SELECT p.id, p.category, p.stage, p.planned_signed_on, p.planned_started_on, "
                                 "p.planned_completed_on, p.planned_operating_on, p.actual_signed_on, "
                                 "p.actual_started_on, p.actual_completed_on, p.actual_operating_on FROM projects p "
                                 "LEFT JOIN project_plans pp ON pp.project_id = p.id "
                                 "WHERE p.id BETWEEN $1 AND $2 AND pp.project_id IS NULL ORDER BY p.id",
                                 {first_id, last_id}));
  for (const db::Row& row : rows.rows) {
    const int64_t id = row.Int("id");
    const auto stage = domain::ParseProjectStage(row.Text("stage"));
    if (!stage || *stage == domain::ProjectStage::kPlanning || *stage == domain::ProjectStage::kNegotiating ||
        *stage == domain::ProjectStage::kTerminated) {
      continue;  // no plan before the deal is signed, none for a dropped project
    }
    const std::string category = TemplateCategory(row.Text("category"));
    if (!templates.count(category)) {
      ZB_ASSIGN_OR_RETURN(templates[category], storage::DefaultNodeTemplate(conn, category));
    }
    const std::optional<storage::NodeTemplate>& t = templates[category];
    if (!t) continue;

    const auto& def = t->def;
    const size_t n = def.nodes.size();
    std::map<std::string, int> index;
    std::vector<storage::PlanNodeInput> nodes;
    domain::ScheduleInput in{.today = today};
    for (const auto& node : def.nodes) {
      index[node.key] = static_cast<int>(nodes.size());
      const std::optional<Date> target = DateIn(row, EventColumn(node.event, true));
      nodes.push_back({std::nullopt, node.key, node.name, node.duration, node.event, target});
      in.nodes.push_back({node.name, node.duration, target, std::nullopt, std::nullopt});
    }
    std::vector<storage::PlanLinkInput> links;
    for (const auto& l : def.links) {
      links.push_back({index.at(l.from), index.at(l.to), l.lag});
      in.links.push_back({index.at(l.from), index.at(l.to), l.lag});
    }
    ZB_RETURN_IF_ERROR(storage::CreatePlan(conn, id, t->id, def.name, nodes, links, std::nullopt, now_ms));
    ++report.plans;
    ZB_ASSIGN_OR_RETURN(db::Result ids, conn.Query("SELECT id FROM plan_nodes WHERE project_id = $1 ORDER BY sort", {id}));
    if (ids.rows.size() != n) return Internal("节点计划写入不完整 (plan nodes missing)");

    // The 倒排 latest dates are the office's intended schedule; progress
    // follows them with this project's delay.
    auto schedule = domain::ComputeSchedule(in, cal);
    if (!schedule.ok()) continue;
    std::mt19937_64 rng(seed * 1'000'003 + static_cast<uint64_t>(id));
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    // Offsets from the latest dates, in working days: most projects run a
    // couple of weeks ahead of their deadlines (green), some have used up
    // their slack (yellow), one in ten is behind (red).
    const int kind = uniform(0, 99);
    const int base = kind < 75 ? -uniform(10, 25) : kind < 90 ? -uniform(1, 4) : uniform(5, 30);

    // Nodes before an event the project has reached are done by its date.
    std::vector<std::optional<Date>> done_by(n);
    for (size_t i = 0; i < n; ++i) done_by[i] = DateIn(row, EventColumn(def.nodes[i].event, false));
    for (size_t pass = 0; pass < n; ++pass) {
      for (const auto& l : in.links) {
        if (!done_by[l.to]) continue;
        const Date bound = cal.AddWorkingDays(*done_by[l.to], -(l.lag + 1));
        if (!done_by[l.from] || bound < *done_by[l.from]) done_by[l.from] = bound;
      }
    }
    std::vector<int> delay(n, base);
    for (size_t i = 0; i < n; ++i) {
      for (const auto& l : in.links) {
        if (static_cast<size_t>(l.to) == i && static_cast<size_t>(l.from) < i) delay[i] = std::max(delay[i], delay[l.from]);
      }
      delay[i] += uniform(0, 1);
    }
    for (size_t i = 0; i < n; ++i) {
      const domain::NodeSchedule& s = schedule->nodes[i];
      if (def.nodes[i].event != domain::NodeEvent::kNone || !s.latest_start || !s.latest_finish) continue;
      Date start = cal.AddWorkingDays(*s.latest_start, delay[i]);
      Date finish = def.nodes[i].duration == 0 ? start : cal.AddWorkingDays(*s.latest_finish, delay[i]);
      bool done = finish < today;
      if (done_by[i] && (*done_by[i] < finish || !done)) {
        finish = std::min(finish, *done_by[i]);
        start = std::min(start, cal.AddWorkingDays(finish, -std::max(0, def.nodes[i].duration - 1)));
        done = true;
      }
      if (!done && today < start) continue;
      storage::NodeProgress e{.node_id = ids.rows[i].Int("id"), .project_id = id, .note = done ? "已完成" : "正在办理",
                              .at = now_ms};
      e.started_on = start;
      if (done) e.finished_on = finish;
      ZB_RETURN_IF_ERROR(storage::AddNodeProgress(conn, e).status());
      ++report.progress_entries;
    }
  }
  return report;
}

}  // namespace zb::app
