#include "storage/warning_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <utility>

#include "domain/project.h"
#include "storage/calendar_repo.h"

namespace zb::storage {

namespace {

using nlohmann::json;

// Rows per multi-row statement: few round trips on PostgreSQL, well under
// SQLite's parameter limit (9 parameters a row).
constexpr size_t kBatch = 100;

#define ZB_PROJECT_FACTS                                                                                   \
  "SELECT p.id, p.stage, p.suspended_from, p.stage_since, p.planned_started_on, p.actual_started_on, "        \
  "p.planned_completed_on, "                                                                               \
  "w.project_id AS has_warning, w.colour, w.reasons, w.red_nodes, w.yellow_nodes, w.max_slip, w.computed_on " \
  "FROM projects p LEFT JOIN project_warnings w ON w.project_id = p.id"

struct ProjectRow {
  int64_t id = 0;
  domain::ProjectFacts facts;
  std::optional<Date> stage_since;  // when the current stage was entered
  std::optional<StoredWarning> stored;
};

std::vector<std::string> ReasonsFromJson(const std::string& text) {
  std::vector<std::string> out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

StoredWarning WarningFromRow(const db::Row& r) {
  return {r.Text("colour"),   ReasonsFromJson(r.Text("reasons")), r.Int("red_nodes"), r.Int("yellow_nodes"),
          r.Int("max_slip"), r.Text("computed_on")};
}

ProjectRow ProjectFromRow(const db::Row& r) {
  ProjectRow p;
  p.id = r.Int("id");
  p.facts.stage = domain::ParseProjectStage(r.Text("stage")).value_or(domain::ProjectStage::kPlanning);
  if (!r.IsNull("suspended_from")) p.facts.suspended_from = domain::ParseProjectStage(r.Text("suspended_from"));
  p.facts.planned_start = OptDate(r, "planned_started_on");
  p.facts.actual_start = OptDate(r, "actual_started_on");
  p.facts.planned_completion = OptDate(r, "planned_completed_on");
  p.stage_since = OptDate(r, "stage_since");
  // reported_progress (形象进度) arrives with monthly reporting (issue 8).
  if (!r.IsNull("has_warning")) p.stored = WarningFromRow(r);
  return p;
}

// Collects changed rows and writes them kBatch at a time.
class Writer {
 public:
  Writer(db::Connection& conn, const WarningContext& ctx) : conn_(conn), ctx_(ctx) {}

  Status Node(int64_t id, const PlanNodeComputed& c) {
    nodes_.emplace_back(id, c);
    ++stats.nodes_written;
    return nodes_.size() >= kBatch ? FlushNodes() : Status();
  }
  Status Warning(int64_t project_id, const StoredWarning& w) {
    warnings_.emplace_back(project_id, w);
    ++stats.warnings_written;
    return warnings_.size() >= kBatch ? FlushWarnings() : Status();
  }
  Status Flush() {
    ZB_RETURN_IF_ERROR(FlushNodes());
    return FlushWarnings();
  }

  RecomputeStats stats;

 private:
  Status FlushNodes() {
    if (nodes_.empty()) return Status();
    std::string sql = "WITH v (id, ls, lf, fs, ff, sl, cr, co, re) AS (VALUES ";
    db::Params params;
    params.reserve(nodes_.size() * 9);
    for (size_t i = 0; i < nodes_.size(); ++i) {
      const size_t b = i * 9;
      auto p = [&](size_t k) { return "$" + std::to_string(b + k); };
      sql += (i ? ", (" : "(") + std::string("CAST(") + p(1) + " AS BIGINT), " + p(2) + ", " + p(3) + ", " + p(4) +
             ", " + p(5) + ", CAST(" + p(6) + " AS BIGINT), CAST(" + p(7) + " AS BIGINT), " + p(8) + ", " + p(9) + ")";
      const auto& [id, c] = nodes_[i];
      params.insert(params.end(), {id, DateValue(c.latest_start), DateValue(c.latest_finish),
                                   DateValue(c.forecast_start), DateValue(c.forecast_finish), db::Opt(c.slack),
                                   int64_t{c.critical ? 1 : 0}, c.colour, c.reason});
    }
    sql += ") UPDATE plan_nodes SET latest_start = v.ls, latest_finish = v.lf, forecast_start = v.fs, "
           "forecast_finish = v.ff, slack = v.sl, critical = v.cr, colour = v.co, reason = v.re "
           "FROM v WHERE plan_nodes.id = v.id";
    nodes_.clear();
    return conn_.Exec(sql, params);
  }

  Status FlushWarnings() {
    if (warnings_.empty()) return Status();
    std::string sql =
        "INSERT INTO project_warnings (project_id, colour, reasons, red_nodes, yellow_nodes, max_slip, "
        "computed_on, calendar_version, settings_version) VALUES ";
    db::Params params;
    params.reserve(warnings_.size() * 9);
    for (size_t i = 0; i < warnings_.size(); ++i) {
      sql += i ? ", (" : "(";
      for (size_t k = 1; k <= 9; ++k) sql += (k > 1 ? ", $" : "$") + std::to_string(i * 9 + k);
      sql += ")";
      const auto& [id, w] = warnings_[i];
      params.insert(params.end(), {id, w.colour, json(w.reasons).dump(), w.red_nodes, w.yellow_nodes, w.max_slip,
                                   ctx_.today.ToString(), ctx_.calendar_version, ctx_.settings_version});
    }
    sql += " ON CONFLICT (project_id) DO UPDATE SET colour = excluded.colour, reasons = excluded.reasons, "
           "red_nodes = excluded.red_nodes, yellow_nodes = excluded.yellow_nodes, max_slip = excluded.max_slip, "
           "computed_on = excluded.computed_on, calendar_version = excluded.calendar_version, "
           "settings_version = excluded.settings_version";
    warnings_.clear();
    return conn_.Exec(sql, params);
  }

  db::Connection& conn_;
  const WarningContext& ctx_;
  std::vector<std::pair<int64_t, PlanNodeComputed>> nodes_;
  std::vector<std::pair<int64_t, StoredWarning>> warnings_;
};

// One project's schedule and rules, nothing written.
ProjectEvaluation Compute(const ProjectRow& project, std::optional<Plan> plan, const WarningContext& ctx) {
  const WorkCalendar& cal = *ctx.calendar;
  ProjectEvaluation out;
  std::optional<domain::ProjectWarning> result;
  if (plan) {
    const domain::ScheduleInput in = ScheduleInputOf(*plan, ctx.today, project.facts, project.stage_since);
    auto schedule = domain::ComputeSchedule(in, cal);
    out.nodes.resize(plan->nodes.size());
    if (schedule.ok()) {
      std::vector<domain::NodeWarning> node_warnings = domain::EvaluateNodes(in, *schedule, cal, ctx.thresholds);
      for (size_t i = 0; i < plan->nodes.size(); ++i) {
        const domain::NodeSchedule& s = schedule->nodes[i];
        PlanNodeComputed& c = out.nodes[i];
        c.latest_start = s.latest_start;
        c.latest_finish = s.latest_finish;
        c.forecast_start = s.forecast_start;
        c.forecast_finish = s.forecast_finish;
        c.slack = s.slack;
        c.critical = s.critical;
        c.colour = std::string(domain::WarningColourCode(node_warnings[i].colour));
        c.reason = node_warnings[i].reason;
        if (s.slack && !s.done) out.warning.max_slip = std::max<int64_t>(out.warning.max_slip, -*s.slack);
      }
      for (const auto& t : schedule->targets) out.warning.max_slip = std::max(out.warning.max_slip, t.slip);
      result = domain::EvaluateProject(project.facts, &in, &*schedule, &node_warnings, ctx.today, cal,
                                       ctx.thresholds);
      out.schedule = std::move(*schedule);
    }
    out.plan = std::move(plan);
  }
  if (!result) {
    result = domain::EvaluateProject(project.facts, nullptr, nullptr, nullptr, ctx.today, cal, ctx.thresholds);
  }
  out.warning.colour = std::string(domain::WarningColourCode(result->colour));
  out.warning.reasons = std::move(result->reasons);
  out.warning.red_nodes = result->red_nodes;
  out.warning.yellow_nodes = result->yellow_nodes;
  out.warning.computed_on = ctx.today.ToString();
  return out;
}

// Hands `w` the rows of `e` that differ from the stored ones.
Status WriteChanges(const ProjectRow& project, const ProjectEvaluation& e, Writer& w) {
  if (e.plan) {
    for (size_t i = 0; i < e.plan->nodes.size(); ++i) {
      if (!(e.nodes[i] == e.plan->nodes[i].computed)) ZB_RETURN_IF_ERROR(w.Node(e.plan->nodes[i].id, e.nodes[i]));
    }
    w.stats.nodes += static_cast<int64_t>(e.plan->nodes.size());
  }
  ++w.stats.projects;
  if (project.stored && *project.stored == e.warning) return Status();
  return w.Warning(project.id, e.warning);
}

}  // namespace

StatusOr<WarningSettings> GetWarningSettings(db::Connection& conn) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT slack_yellow, due_soon, not_started_red_months, "
                                              "lag_yellow_points, lag_red_points, version, updated_at, updated_by "
                                              "FROM warning_settings WHERE id = 1"));
  if (!row) return Internal("预警设置缺失 (warning_settings row missing)");
  WarningSettings s;
  s.thresholds.slack_yellow = static_cast<int>(row->Int("slack_yellow"));
  s.thresholds.due_soon = static_cast<int>(row->Int("due_soon"));
  s.thresholds.not_started_red_months = static_cast<int>(row->Int("not_started_red_months"));
  s.thresholds.lag_yellow_points = static_cast<int>(row->Int("lag_yellow_points"));
  s.thresholds.lag_red_points = static_cast<int>(row->Int("lag_red_points"));
  s.version = row->Int("version");
  s.updated_at = row->Int("updated_at");
  s.updated_by = row->OptInt("updated_by");
  return s;
}

StatusOr<WarningSettings> UpdateWarningSettings(db::Connection& conn, const domain::WarningThresholds& t,
                                                int64_t expected_version, std::optional<int64_t> user_id,
                                                int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("UPDATE warning_settings SET slack_yellow = $2, due_soon = $3, "
                                 "not_started_red_months = $4, lag_yellow_points = $5, lag_red_points = $6, "
                                 "version = version + 1, updated_at = $7, updated_by = $8 "
                                 "WHERE id = 1 AND version = $1",
                                 {expected_version, int64_t{t.slack_yellow}, int64_t{t.due_soon},
                                  int64_t{t.not_started_red_months}, int64_t{t.lag_yellow_points},
                                  int64_t{t.lag_red_points}, now_ms, db::Opt(user_id)}));
  if (r.affected == 0) {
    ZB_ASSIGN_OR_RETURN(auto current, GetWarningSettings(conn));
    return VersionConflict("预警设置已被他人修改(当前版本 " + std::to_string(current.version) +
                           "),请刷新后重试 (settings changed by someone else)");
  }
  return GetWarningSettings(conn);
}

StatusOr<WarningContext> LoadWarningContext(db::Connection& conn, Date today) {
  WarningContext ctx;
  ctx.today = today;
  ZB_ASSIGN_OR_RETURN(ctx.calendar, CurrentCalendar(conn));
  ZB_ASSIGN_OR_RETURN(ctx.calendar_version, CalendarVersion(conn));
  ZB_ASSIGN_OR_RETURN(WarningSettings settings, GetWarningSettings(conn));
  ctx.thresholds = settings.thresholds;
  ctx.settings_version = settings.version;
  return ctx;
}

StatusOr<std::optional<StoredWarning>> GetProjectWarning(db::Connection& conn, int64_t project_id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT colour, reasons, red_nodes, yellow_nodes, max_slip, "
                                              "computed_on FROM project_warnings WHERE project_id = $1",
                                              {project_id}));
  if (!row) return std::optional<StoredWarning>();
  return std::optional<StoredWarning>(WarningFromRow(*row));
}

namespace {

// The lifecycle stage an event node's event is reached at.
domain::ProjectStage EventStage(domain::NodeEvent e) {
  switch (e) {
    case domain::NodeEvent::kSigned: return domain::ProjectStage::kSigned;
    case domain::NodeEvent::kStarted: return domain::ProjectStage::kBuilding;
    case domain::NodeEvent::kCompleted: return domain::ProjectStage::kCompleted;
    default: return domain::ProjectStage::kOperating;
  }
}

// Position on the main line 谋划 … 投产; -1 off it (停缓建 is read as the
// stage it left, 终止 as nowhere).
int MainLinePosition(const domain::ProjectFacts& f) {
  domain::ProjectStage s = f.stage == domain::ProjectStage::kSuspended && f.suspended_from ? *f.suspended_from : f.stage;
  if (s == domain::ProjectStage::kSuspended || s == domain::ProjectStage::kTerminated) return -1;
  return static_cast<int>(s);  // the enum lists the main line first, in order
}

}  // namespace

domain::ScheduleInput ScheduleInputOf(const Plan& plan, Date today, const domain::ProjectFacts& facts,
                                      std::optional<Date> stage_since) {
  domain::ScheduleInput in;
  in.today = today;
  in.nodes.reserve(plan.nodes.size());
  std::map<int64_t, int> index;
  const int reached = MainLinePosition(facts);
  for (const PlanNode& n : plan.nodes) {
    index.emplace(n.id, static_cast<int>(in.nodes.size()));
    domain::ScheduleNodeInput node{n.name, n.duration, n.target, n.actual_start, n.actual_finish};
    // A project that has reached the stage of the node's event has had the
    // event, even when the move skipped it and left no date (签约 → 在建
    // records 开工 only): done by the day it entered its current stage.
    if (!node.actual_finish && n.event != domain::NodeEvent::kNone &&
        reached >= static_cast<int>(EventStage(n.event))) {
      node.actual_finish = std::min(stage_since.value_or(today), today);
      if (node.actual_start && *node.actual_start > *node.actual_finish) node.actual_start.reset();
    }
    in.nodes.push_back(std::move(node));
  }
  in.links.reserve(plan.links.size());
  for (const PlanLink& l : plan.links) {
    auto from = index.find(l.from), to = index.find(l.to);
    if (from != index.end() && to != index.end()) in.links.push_back({from->second, to->second, l.lag});
  }
  // Whatever must precede a node that is done is done too, by the day that
  // node started at the latest (施工许可 before a recorded 开工) — a bound,
  // not a date anyone recorded, so the actual dates shown stay as recorded.
  for (bool changed = true; changed;) {
    changed = false;
    for (const domain::ScheduleLink& l : in.links) {
      const domain::ScheduleNodeInput& to = in.nodes[l.to];
      domain::ScheduleNodeInput& from = in.nodes[l.from];
      if (!to.actual_finish || from.actual_finish) continue;
      const Date by = to.actual_start.value_or(*to.actual_finish);
      from.actual_finish = by;
      if (from.actual_start && *from.actual_start > by) from.actual_start.reset();
      changed = true;
    }
  }
  return in;
}

StatusOr<ProjectEvaluation> EvaluateProjectNow(db::Connection& conn, int64_t project_id, const WarningContext& ctx) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_PROJECT_FACTS " WHERE p.id = $1", {project_id}));
  if (!row) return NotFound("项目不存在", "id");
  ZB_ASSIGN_OR_RETURN(std::optional<Plan> plan, GetPlan(conn, project_id));
  return Compute(ProjectFromRow(*row), std::move(plan), ctx);
}

Status RecomputeProject(db::Connection& conn, int64_t project_id, const WarningContext& ctx) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_PROJECT_FACTS " WHERE p.id = $1", {project_id}));
  if (!row) return NotFound("项目不存在", "id");
  ZB_ASSIGN_OR_RETURN(std::optional<Plan> plan, GetPlan(conn, project_id));
  const ProjectRow project = ProjectFromRow(*row);
  Writer w(conn, ctx);
  ZB_RETURN_IF_ERROR(WriteChanges(project, Compute(project, std::move(plan), ctx), w));
  ZB_RETURN_IF_ERROR(w.Flush());
  // An unchanged row still records that it holds for this context.
  return conn.Exec("UPDATE project_warnings SET computed_on = $2, calendar_version = $3, settings_version = $4 "
                   "WHERE project_id = $1 AND (computed_on <> $2 OR calendar_version <> $3 OR settings_version <> $4)",
                   {project_id, ctx.today.ToString(), ctx.calendar_version, ctx.settings_version});
}

Status RecomputeProject(db::Connection& conn, int64_t project_id, Date today) {
  ZB_ASSIGN_OR_RETURN(WarningContext ctx, LoadWarningContext(conn, today));
  return RecomputeProject(conn, project_id, ctx);
}

StatusOr<RecomputeStats> RecomputeAll(db::Connection& conn, const WarningContext& ctx) {
  Writer w(conn, ctx);
  int64_t after = 0;
  for (;;) {
    ZB_ASSIGN_OR_RETURN(db::Result projects,
                        conn.Query(ZB_PROJECT_FACTS " WHERE p.id > $1 ORDER BY p.id LIMIT $2", {after, kRecomputeChunk}));
    if (projects.rows.empty()) break;
    const int64_t first = projects.rows.front().Int("id");
    after = projects.rows.back().Int("id");
    ZB_ASSIGN_OR_RETURN(std::vector<Plan> plans, LoadPlans(conn, first, after));
    size_t pi = 0;  // plans are ordered by project id like the projects
    for (const db::Row& r : projects.rows) {
      ProjectRow project = ProjectFromRow(r);
      while (pi < plans.size() && plans[pi].project_id < project.id) ++pi;
      std::optional<Plan> plan;
      if (pi < plans.size() && plans[pi].project_id == project.id) plan = std::move(plans[pi]);
      ZB_RETURN_IF_ERROR(WriteChanges(project, Compute(project, std::move(plan), ctx), w));
    }
  }
  ZB_RETURN_IF_ERROR(w.Flush());
  ZB_RETURN_IF_ERROR(conn.Exec("UPDATE project_warnings SET computed_on = $1, calendar_version = $2, "
                               "settings_version = $3 WHERE computed_on <> $1 OR calendar_version <> $2 OR "
                               "settings_version <> $3",
                               {ctx.today.ToString(), ctx.calendar_version, ctx.settings_version}));
  return w.stats;
}

StatusOr<bool> WarningsStale(db::Connection& conn, const WarningContext& ctx) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT p.id FROM projects p LEFT JOIN project_warnings w "
                                              "ON w.project_id = p.id WHERE w.project_id IS NULL OR "
                                              "w.computed_on <> $1 OR w.calendar_version <> $2 OR "
                                              "w.settings_version <> $3 LIMIT 1",
                                              {ctx.today.ToString(), ctx.calendar_version, ctx.settings_version}));
  return row.has_value();
}

#undef ZB_PROJECT_FACTS

}  // namespace zb::storage
