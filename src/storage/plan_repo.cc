#include "storage/plan_repo.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <utility>

#include "domain/project.h"
#include "storage/scope_sql.h"

namespace zb::storage {

std::optional<Date> OptDate(const db::Row& row, std::string_view column) {
  if (row.IsNull(column)) return std::nullopt;
  auto d = Date::Parse(row.Text(column));
  if (!d.ok()) return std::nullopt;  // the repositories only ever write valid dates
  return *d;
}

std::optional<Date> OptDate(const db::RowView& row, size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  auto d = Date::Parse(row.Text(column));
  if (!d.ok()) return std::nullopt;
  return *d;
}

db::Value DateValue(const std::optional<Date>& d) { return d ? db::Value(d->ToString()) : db::Null(); }

std::optional<domain::ActualDate> EventActualDate(domain::NodeEvent e) {
  switch (e) {
    case domain::NodeEvent::kSigned: return domain::ActualDate::kSigned;
    case domain::NodeEvent::kStarted: return domain::ActualDate::kStarted;
    case domain::NodeEvent::kCompleted: return domain::ActualDate::kCompleted;
    case domain::NodeEvent::kOperating: return domain::ActualDate::kOperating;
    case domain::NodeEvent::kNone: break;
  }
  return std::nullopt;
}

void ApplyEventDate(const std::optional<Date>& d, int duration, std::optional<Date>& actual_start,
                    std::optional<Date>& actual_finish) {
  if (!d) return;
  actual_finish = d;
  if (duration == 0 || !actual_start || *d < *actual_start) actual_start = d;
}

namespace {

constexpr char kNoPlan[] = "该项目尚未编制节点计划 (the project has no plan)";

#define ZB_NODE_COLUMNS                                                                                  \
  "id, project_id, key, name, duration, event, target, actual_start, actual_finish, sort, latest_start, " \
  "latest_finish, forecast_start_fixed, forecast_start_offset, forecast_finish_fixed, forecast_finish_offset, colour"

PlanNode NodeFromRow(const db::Row& r) {
  PlanNode n;
  n.id = r.Int("id");
  n.key = r.Text("key");
  n.name = r.Text("name");
  n.duration = static_cast<int>(r.Int("duration"));
  n.event = domain::ParseNodeEvent(r.Text("event")).value_or(domain::NodeEvent::kNone);
  n.target = OptDate(r, "target");
  n.actual_start = OptDate(r, "actual_start");
  n.actual_finish = OptDate(r, "actual_finish");
  n.sort = static_cast<int>(r.Int("sort"));
  PlanNodeStored& c = n.stored;
  c.latest_start = OptDate(r, "latest_start");
  c.latest_finish = OptDate(r, "latest_finish");
  c.forecast_start = {OptDate(r, "forecast_start_fixed"), r.OptInt("forecast_start_offset")};
  c.forecast_finish = {OptDate(r, "forecast_finish_fixed"), r.OptInt("forecast_finish_offset")};
  c.colour = r.Text("colour");
  return n;
}

// The project's actual date for an event node overrides the node's own.
void ApplyEventDates(const db::Row& project, Plan& plan) {
  for (PlanNode& n : plan.nodes) {
    if (auto which = EventActualDate(n.event)) {
      ApplyEventDate(OptDate(project, domain::ActualDateField(*which)), n.duration, n.actual_start, n.actual_finish);
    }
  }
}

Status InsertLinks(db::Connection& conn, int64_t project_id, const std::vector<int64_t>& ids,
                   const std::vector<PlanLinkInput>& links) {
  for (const PlanLinkInput& l : links) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO plan_links (project_id, from_node, to_node, lag) VALUES ($1, $2, $3, $4)",
                                 {project_id, ids.at(l.from), ids.at(l.to), int64_t{l.lag}}));
  }
  return Status();
}

StatusOr<int64_t> InsertNode(db::Connection& conn, int64_t project_id, const PlanNodeInput& n, int sort) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO plan_nodes (project_id, key, name, duration, event, "
                                              "target, sort) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                                              {project_id, n.key, n.name, int64_t{n.duration},
                                               std::string(domain::NodeEventCode(n.event)), DateValue(n.target),
                                               int64_t{sort}}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  return row->Int("id");
}

std::string IdsJson(const std::vector<int64_t>& ids) { return nlohmann::json(ids).dump(); }

std::vector<int64_t> IdsFromJson(const std::string& text) {
  std::vector<int64_t> out;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_number_integer()) out.push_back(v.get<int64_t>());
  }
  return out;
}

}  // namespace

StatusOr<std::vector<Plan>> LoadPlans(db::Connection& conn, int64_t first, int64_t last) {
  ZB_ASSIGN_OR_RETURN(db::Result heads,
                      conn.Query("SELECT pp.project_id, pp.template_id, pp.template_name, pp.version, pp.created_at, "
                                 "pp.updated_at, p.actual_signed_on, p.actual_started_on, p.actual_completed_on, "
                                 "p.actual_operating_on FROM project_plans pp JOIN projects p ON p.id = pp.project_id "
                                 "WHERE pp.project_id BETWEEN $1 AND $2 ORDER BY pp.project_id",
                                 {first, last}));
  std::vector<Plan> plans;
  if (heads.rows.empty()) return plans;
  ZB_ASSIGN_OR_RETURN(db::Result nodes,
                      conn.Query("SELECT " ZB_NODE_COLUMNS " FROM plan_nodes WHERE project_id BETWEEN $1 AND $2 "
                                 "ORDER BY project_id, sort, id",
                                 {first, last}));
  ZB_ASSIGN_OR_RETURN(db::Result links,
                      conn.Query("SELECT project_id, from_node, to_node, lag FROM plan_links "
                                 "WHERE project_id BETWEEN $1 AND $2 ORDER BY project_id, from_node, to_node",
                                 {first, last}));
  plans.reserve(heads.rows.size());
  size_t ni = 0, li = 0;
  for (const db::Row& h : heads.rows) {
    Plan plan;
    plan.project_id = h.Int("project_id");
    plan.template_id = h.OptInt("template_id");
    plan.template_name = h.Text("template_name");
    plan.version = h.Int("version");
    plan.created_at = h.Int("created_at");
    plan.updated_at = h.Int("updated_at");
    // Both lists are ordered by project id like the heads: walk them along.
    while (ni < nodes.rows.size() && nodes.rows[ni].Int("project_id") < plan.project_id) ++ni;
    for (; ni < nodes.rows.size() && nodes.rows[ni].Int("project_id") == plan.project_id; ++ni) {
      plan.nodes.push_back(NodeFromRow(nodes.rows[ni]));
    }
    while (li < links.rows.size() && links.rows[li].Int("project_id") < plan.project_id) ++li;
    for (; li < links.rows.size() && links.rows[li].Int("project_id") == plan.project_id; ++li) {
      const db::Row& l = links.rows[li];
      plan.links.push_back({l.Int("from_node"), l.Int("to_node"), static_cast<int>(l.Int("lag"))});
    }
    ApplyEventDates(h, plan);
    plans.push_back(std::move(plan));
  }
  return plans;
}

StatusOr<std::optional<Plan>> GetPlan(db::Connection& conn, int64_t project_id) {
  ZB_ASSIGN_OR_RETURN(std::vector<Plan> plans, LoadPlans(conn, project_id, project_id));
  if (plans.empty()) return std::optional<Plan>();
  return std::optional<Plan>(std::move(plans.front()));
}

Status CreatePlan(db::Connection& conn, int64_t project_id, std::optional<int64_t> template_id,
                  const std::string& template_name, const std::vector<PlanNodeInput>& nodes,
                  const std::vector<PlanLinkInput>& links, std::optional<int64_t> user_id, int64_t now_ms) {
  Status s = conn.Exec(
      "INSERT INTO project_plans (project_id, template_id, template_name, version, created_at, updated_at, "
      "created_by, updated_by) VALUES ($1, $2, $3, 1, $4, $4, $5, $5)",
      {project_id, db::Opt(template_id), template_name, now_ms, db::Opt(user_id)});
  if (s.code() == StatusCode::kAlreadyExists) {
    return AlreadyExists("该项目已有节点计划 (the project already has a plan)", "project_id");
  }
  ZB_RETURN_IF_ERROR(s);
  return WritePlanNodes(conn, project_id, nodes, links);
}

StatusOr<int64_t> TouchPlan(db::Connection& conn, int64_t project_id, std::optional<int64_t> expected_version,
                            std::optional<int64_t> user_id, int64_t now_ms) {
  // Two statements rather than "$2 IS NULL OR …": the same SQL types on both engines.
  auto row = expected_version
                 ? conn.QueryOne("UPDATE project_plans SET version = version + 1, updated_at = $3, updated_by = $4 "
                                 "WHERE project_id = $1 AND version = $2 RETURNING version",
                                 {project_id, *expected_version, now_ms, db::Opt(user_id)})
                 : conn.QueryOne("UPDATE project_plans SET version = version + 1, updated_at = $2, updated_by = $3 "
                                 "WHERE project_id = $1 RETURNING version",
                                 {project_id, now_ms, db::Opt(user_id)});
  ZB_RETURN_IF_ERROR(row.status());
  if (*row) return (*row)->Int("version");
  ZB_ASSIGN_OR_RETURN(auto current, conn.QueryOne("SELECT version FROM project_plans WHERE project_id = $1",
                                                  {project_id}));
  if (!current) return NotFound(kNoPlan, "no_plan");
  return VersionConflict("节点计划已被他人修改(当前版本 " + std::to_string(current->Int("version")) +
                         "),请刷新后重试 (plan changed by someone else)");
}

Status WritePlanNodes(db::Connection& conn, int64_t project_id, const std::vector<PlanNodeInput>& nodes,
                      const std::vector<PlanLinkInput>& links) {
  ZB_ASSIGN_OR_RETURN(db::Result existing, conn.Query("SELECT id FROM plan_nodes WHERE project_id = $1", {project_id}));
  std::set<int64_t> unlisted;
  for (const db::Row& r : existing.rows) unlisted.insert(r.Int("id"));
  // Links go first: they reference nodes that may be deleted below.
  ZB_RETURN_IF_ERROR(conn.Exec("DELETE FROM plan_links WHERE project_id = $1", {project_id}));
  std::vector<int64_t> ids;
  ids.reserve(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const PlanNodeInput& n = nodes[i];
    const int sort = static_cast<int>(i) + 1;
    if (!n.id) {
      ZB_ASSIGN_OR_RETURN(int64_t id, InsertNode(conn, project_id, n, sort));
      ids.push_back(id);
      continue;
    }
    if (unlisted.erase(*n.id) == 0) {
      return NotFound("节点 " + std::to_string(*n.id) + " 不属于该计划 (node not in this plan)",
                      "nodes[" + std::to_string(i) + "].id");
    }
    ZB_RETURN_IF_ERROR(conn.Exec("UPDATE plan_nodes SET key = $2, name = $3, duration = $4, event = $5, target = $6, "
                                 "sort = $7 WHERE id = $1",
                                 {*n.id, n.key, n.name, int64_t{n.duration},
                                  std::string(domain::NodeEventCode(n.event)), DateValue(n.target), int64_t{sort}}));
    ids.push_back(*n.id);
  }
  if (!unlisted.empty()) {
    db::Params params;
    const std::string in = InList(std::vector<int64_t>(unlisted.begin(), unlisted.end()), &params);
    // Their progress entries go with them (ON DELETE CASCADE).
    ZB_RETURN_IF_ERROR(conn.Exec("DELETE FROM plan_nodes WHERE id IN (" + in + ")", params));
  }
  return InsertLinks(conn, project_id, ids, links);
}

Status UpdatePlanNode(db::Connection& conn, int64_t project_id, int64_t node_id, const std::string& name,
                      int duration, std::optional<Date> target) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("UPDATE plan_nodes SET name = $3, duration = $4, target = $5 "
                                 "WHERE id = $1 AND project_id = $2",
                                 {node_id, project_id, name, int64_t{duration}, DateValue(target)}));
  if (r.affected == 0) return NotFound("节点不存在 (no such node in this plan)", "node_id");
  return Status();
}

Status DeletePlan(db::Connection& conn, int64_t project_id) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("DELETE FROM project_plans WHERE project_id = $1", {project_id}));
  if (r.affected == 0) return NotFound(kNoPlan, "no_plan");
  return Status();
}

StatusOr<int64_t> AddNodeProgress(db::Connection& conn, const NodeProgress& e) {
  ZB_ASSIGN_OR_RETURN(db::Result upd, conn.Query("UPDATE plan_nodes SET actual_start = $3, actual_finish = $4 "
                                                 "WHERE id = $1 AND project_id = $2",
                                                 {e.node_id, e.project_id, DateValue(e.started_on),
                                                  DateValue(e.finished_on)}));
  if (upd.affected == 0) return NotFound("节点不存在 (no such node in this plan)", "node_id");
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO node_progress (node_id, project_id, started_on, "
                                              "finished_on, note, attachment_ids, user_id, at) "
                                              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                                              {e.node_id, e.project_id, DateValue(e.started_on),
                                               DateValue(e.finished_on), e.note, IdsJson(e.attachment_ids),
                                               db::Opt(e.user_id), e.at}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  return row->Int("id");
}

StatusOr<std::vector<NodeProgress>> ListNodeProgress(db::Connection& conn, int64_t node_id) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("SELECT g.id, g.node_id, g.project_id, g.started_on, g.finished_on, g.note, "
                                 "g.attachment_ids, g.user_id, COALESCE(u.display_name, '') AS user_name, g.at "
                                 "FROM node_progress g LEFT JOIN users u ON u.id = g.user_id "
                                 "WHERE g.node_id = $1 ORDER BY g.id DESC",
                                 {node_id}));
  std::vector<NodeProgress> out;
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) {
    NodeProgress e;
    e.id = row.Int("id");
    e.node_id = row.Int("node_id");
    e.project_id = row.Int("project_id");
    e.started_on = OptDate(row, "started_on");
    e.finished_on = OptDate(row, "finished_on");
    e.note = row.Text("note");
    e.attachment_ids = IdsFromJson(row.Text("attachment_ids"));
    e.user_id = row.OptInt("user_id");
    e.user_name = row.Text("user_name");
    e.at = row.Int("at");
    out.push_back(std::move(e));
  }
  return out;
}

#undef ZB_NODE_COLUMNS

}  // namespace zb::storage
