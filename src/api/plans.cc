// /api/v1/projects/{id}/plan — a project's node plan (节点计划, 倒排工期):
// made from a template, edited whole or node by node, progress recorded
// per node. Scope is the project's: a project the caller does not see is
// 404 like a missing one. Every write bumps the plan's version, recomputes
// the project's schedule and warning (storage/warning_store.h) and records
// its audit entry, all in one transaction. Contract: docs/api-schedule.md
// "A project's plan".
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "api/plan_input.h"
#include "api/project_input.h"
#include "api/scope.h"
#include "core/text.h"
#include "domain/node_templates.h"
#include "domain/schedule.h"
#include "storage/attachment_repo.h"
#include "storage/plan_repo.h"
#include "storage/project_repo.h"
#include "storage/template_repo.h"
#include "storage/warning_store.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr char kTag[] = "plans";

Json OptDate(const std::optional<Date>& d) { return d ? Json(d->ToString()) : Json(nullptr); }
Json OptColour(const std::string& c) { return c.empty() ? Json(nullptr) : Json(c); }

Status NoPlan() { return NotFound("该项目尚未编制节点计划 (the project has no plan)", "no_plan"); }

std::string_view ProblemKind(domain::ScheduleProblem::Kind k) {
  switch (k) {
    case domain::ScheduleProblem::Kind::kTargetPassed: return "target_passed";
    case domain::ScheduleProblem::Kind::kCannotFit: return "cannot_fit";
    case domain::ScheduleProblem::Kind::kConflictingTargets: return "conflicting_targets";
  }
  return "";
}

std::string_view NodeStatus(const storage::PlanNode& n) {
  if (n.actual_finish) return "done";
  if (n.actual_start) return "in_progress";
  return "not_started";
}

// The plan as the API shows it, computed for today from the stored plan
// (storage::EvaluateProjectNow): the same numbers the warning engine
// stores, current even before the day's recompute has run.
StatusOr<Json> RenderPlan(db::Connection& conn, int64_t project_id, Date today) {
  ZB_ASSIGN_OR_RETURN(auto wctx, storage::LoadWarningContext(conn, today));
  ZB_ASSIGN_OR_RETURN(storage::ProjectEvaluation e, storage::EvaluateProjectNow(conn, project_id, wctx));
  if (!e.plan) return NoPlan();
  const storage::Plan& plan = *e.plan;
  Json nodes = Json::array(), links = Json::array(), targets = Json::array(), problems = Json::array();
  for (size_t i = 0; i < plan.nodes.size(); ++i) {
    const storage::PlanNode& n = plan.nodes[i];
    const storage::PlanNodeComputed& c = e.nodes[i];
    nodes.push_back({{"id", n.id},
                     {"key", n.key},
                     {"name", n.name},
                     {"duration", n.duration},
                     {"milestone", n.duration == 0},
                     {"event", std::string(domain::NodeEventCode(n.event))},
                     {"target", OptDate(n.target)},
                     {"actual_start", OptDate(n.actual_start)},
                     {"actual_finish", OptDate(n.actual_finish)},
                     {"latest_start", OptDate(c.latest_start)},
                     {"latest_finish", OptDate(c.latest_finish)},
                     {"forecast_start", OptDate(c.forecast_start)},
                     {"forecast_finish", OptDate(c.forecast_finish)},
                     {"slack", c.slack ? Json(*c.slack) : Json(nullptr)},
                     {"critical", c.critical},
                     {"status", NodeStatus(n)},
                     {"colour", OptColour(c.colour)},
                     {"reason", c.reason},
                     {"sort", n.sort}});
  }
  for (const auto& l : plan.links) links.push_back({{"from", l.from}, {"to", l.to}, {"lag", l.lag}});
  if (e.schedule) {
    for (const auto& t : e.schedule->targets) {
      targets.push_back({{"node_id", plan.nodes[t.node].id},
                         {"target", t.target.ToString()},
                         {"forecast", t.forecast.ToString()},
                         {"slip", t.slip}});
    }
    for (const auto& p : e.schedule->problems) {
      Json ids = Json::array();
      for (int i : p.nodes) ids.push_back(plan.nodes[i].id);
      problems.push_back({{"kind", ProblemKind(p.kind)}, {"node_ids", ids}, {"message", p.message}});
    }
  }
  return Json{{"project_id", plan.project_id},
              {"version", plan.version},
              {"template_id", plan.template_id ? Json(*plan.template_id) : Json(nullptr)},
              {"template_name", plan.template_name},
              {"today", today.ToString()},
              {"nodes", std::move(nodes)},
              {"links", std::move(links)},
              {"targets", std::move(targets)},
              {"problems", std::move(problems)},
              {"warning",
               {{"colour", OptColour(e.warning.colour)},
                {"reasons", storage::RenderWarningReasons(e.warning.reasons, e.warning.valid_until, today,
                                                          *wctx.calendar)},
                {"red_nodes", e.warning.red_nodes},
                {"yellow_nodes", e.warning.yellow_nodes},
                {"computed_on", e.warning.computed_on}}}};
}

// The checks a plan shares with a template (keys, names, durations, events,
// links, cycles), named by the body's fields. Nodes without a key get one.
Status ValidatePlanNodes(std::vector<storage::PlanNodeInput>& nodes, const std::vector<storage::PlanLinkInput>& links) {
  std::set<std::string> used;
  for (const auto& n : nodes) used.insert(n.key);
  domain::NodeTemplateDef def{.name = "计划", .category = "plan"};
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].key.empty()) {
      std::string key = "n" + std::to_string(i + 1);
      while (used.count(key)) key += "_";
      used.insert(key);
      nodes[i].key = key;
    }
    def.nodes.push_back({nodes[i].key, nodes[i].name, nodes[i].duration, nodes[i].event});
  }
  for (const auto& l : links) def.links.push_back({nodes[l.from].key, nodes[l.to].key, l.lag});
  return domain::ValidateTemplate(def);
}

// PUT's links: from/to are a node id of the list or "#i", the i-th node.
StatusOr<std::vector<storage::PlanLinkInput>> ReadPlanLinks(const Json& body,
                                                            const std::vector<storage::PlanNodeInput>& nodes) {
  std::vector<storage::PlanLinkInput> out;
  auto it = body.find("links");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return ValidationFailed("字段 links 应为数组 (links must be an array)", "links");
  auto resolve = [&](const Json& j, const std::string& field) -> StatusOr<int> {
    if (j.is_string()) {
      const std::string s = j.get<std::string>();
      if (s.size() > 1 && s[0] == '#' && s.size() <= 5 && std::all_of(s.begin() + 1, s.end(), ::isdigit)) {
        const size_t i = std::stoul(s.substr(1));
        if (i < nodes.size()) return static_cast<int>(i);
      }
    } else if (j.is_number_integer()) {
      const int64_t id = j.get<int64_t>();
      for (size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].id && *nodes[i].id == id) return static_cast<int>(i);
      }
    } else if (j.is_null()) {
      return ValidationFailed("请填写连接的节点 (" + field + " is required)", field);
    }
    return ValidationFailed("连接的节点应为列表中节点的 id 或 \"#序号\" (" + field + " names no node of the list)",
                            field);
  };
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& j = (*it)[i];
    const std::string prefix = "links[" + std::to_string(i) + "]";
    if (!j.is_object()) return ValidationFailed("连接应为 JSON 对象 (a link must be an object)", prefix);
    ZB_RETURN_IF_ERROR(Under(CheckObject(j, {"from", "to", "lag"}), prefix));
    std::optional<int64_t> lag;
    ZB_RETURN_IF_ERROR(Under(GetInt(j, "lag", &lag), prefix));
    if (lag && (*lag < 0 || *lag > domain::kMaxWorkingDays)) {
      return ValidationFailed("间隔应为 0–" + std::to_string(domain::kMaxWorkingDays) + " 个工作日 (lag out of range)",
                              prefix + ".lag");
    }
    ZB_ASSIGN_OR_RETURN(int from, resolve(j.value("from", Json()), prefix + ".from"));
    ZB_ASSIGN_OR_RETURN(int to, resolve(j.value("to", Json()), prefix + ".to"));
    out.push_back({from, to, static_cast<int>(lag.value_or(0))});
  }
  return out;
}

// The plan's nodes as a write gives them back (for a node-level edit).
std::vector<storage::PlanNodeInput> InputsOf(const storage::Plan& plan) {
  std::vector<storage::PlanNodeInput> out;
  for (const auto& n : plan.nodes) out.push_back({n.id, n.key, n.name, n.duration, n.event, n.target});
  return out;
}
std::vector<storage::PlanLinkInput> LinkInputsOf(const storage::Plan& plan) {
  std::map<int64_t, int> index;
  for (size_t i = 0; i < plan.nodes.size(); ++i) index[plan.nodes[i].id] = static_cast<int>(i);
  std::vector<storage::PlanLinkInput> out;
  for (const auto& l : plan.links) out.push_back({index[l.from], index[l.to], l.lag});
  return out;
}

// The event nodes' targets from the project's planned dates.
std::optional<Date> PlannedDate(const storage::ProjectData& d, domain::NodeEvent e) {
  const std::optional<std::string>* text = nullptr;
  switch (e) {
    case domain::NodeEvent::kSigned: text = &d.planned_signed_on; break;
    case domain::NodeEvent::kStarted: text = &d.planned_started_on; break;
    case domain::NodeEvent::kCompleted: text = &d.planned_completed_on; break;
    case domain::NodeEvent::kOperating: text = &d.planned_operating_on; break;
    case domain::NodeEvent::kNone: return std::nullopt;
  }
  if (!*text) return std::nullopt;
  auto date = Date::Parse(**text);
  return date.ok() ? std::optional<Date>(*date) : std::nullopt;
}

// Runs `write` in a transaction that then recomputes the project and
// renders the plan; a stale version answers 409 with the current plan.
template <typename Write>
StatusOr<Response> PlanWrite(ApiContext& ctx, Request& req, int64_t project_id, int status, Write write) {
  const int64_t now = ctx.clock->NowMs();
  const Date today = LocalDate(now);
  Json out;
  Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
    ZB_ASSIGN_OR_RETURN(auto project, VisibleProject(c, *req.principal(), project_id));
    ZB_RETURN_IF_ERROR(write(c, project, now));
    ZB_RETURN_IF_ERROR(storage::RecomputeProject(c, project_id, today));
    auto rendered = RenderPlan(c, project_id, today);
    if (rendered.status().field() == "no_plan") return Status();  // deleted
    ZB_ASSIGN_OR_RETURN(out, std::move(rendered));
    return Status();
  });
  if (s.code() == StatusCode::kVersionConflict) {
    ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
    ZB_ASSIGN_OR_RETURN(Json current, RenderPlan(*conn, project_id, today));
    return Response::Error(s, {{"current", current}});
  }
  ZB_RETURN_IF_ERROR(s);
  if (status == 204) return Response::NoContent();
  return Response::Json(status, out);
}

StatusOr<Json> BodyOrEmpty(const Request& req) {
  if (req.body().empty()) return Json::object();
  return req.JsonBody();
}

Json PlanSchema() {
  return {{"type", "object"},
          {"properties",
           {{"project_id", {{"type", "integer"}}},
            {"version", {{"type", "integer"}}},
            {"template_id", {{"type", {"integer", "null"}}}},
            {"template_name", {{"type", "string"}}},
            {"today", {{"type", "string"}, {"format", "date"}}},
            {"nodes", {{"type", "array"}, {"items", {{"type", "object"}}}}},
            {"links", {{"type", "array"}, {"items", {{"type", "object"}}}}},
            {"targets", {{"type", "array"}, {"items", {{"type", "object"}}}}},
            {"problems", {{"type", "array"}, {"items", {{"type", "object"}}}}},
            {"warning", {{"type", {"object", "null"}}}}}}};
}

// What a plan edit changes, for the audit entry: the nodes' entered fields
// and the links (not the computed columns, which follow from them).
Json EditedParts(const Json& plan) {
  Json nodes = Json::array();
  for (const auto& n : plan["nodes"]) {
    nodes.push_back({{"id", n["id"]}, {"key", n["key"]}, {"name", n["name"]}, {"duration", n["duration"]},
                     {"event", n["event"]}, {"target", n["target"]}});
  }
  return {{"nodes", std::move(nodes)}, {"links", plan["links"]}};
}

StatusOr<int64_t> NodeId(const Request& req) { return req.PathId("node_id"); }

}  // namespace

void RegisterPlanRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/projects/{id}/plan",
             {.summary = "项目节点计划:倒排的最晚日期、预测日期、机动时间、预警 (the project's plan)",
              .tag = kTag,
              .permission = "project:read",
              .response_schema = PlanSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_RETURN_IF_ERROR(VisibleProject(*conn, *req.principal(), id).status());
               ZB_ASSIGN_OR_RETURN(Json out, RenderPlan(*conn, id, LocalDate(ctx.clock->NowMs())));
               return Response::Json(out);
             });

  router.Add("POST", "/api/v1/projects/{id}/plan",
             {.summary = "按模板生成节点计划(默认用项目类别的默认模板),事件节点的目标取项目计划日期 "
                         "(make the plan from a template)",
              .tag = kTag,
              .permission = "project:write",
              .request_schema = {{"type", "object"},
                                 {"additionalProperties", false},
                                 {"properties",
                                  {{"template_id", {{"type", "integer"}}}, {"replace", {{"type", "boolean"}}}}}},
              .response_schema = PlanSchema(),
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(Json body, BodyOrEmpty(req));
               ZB_RETURN_IF_ERROR(CheckObject(body, {"template_id", "replace"}));
               std::optional<int64_t> template_id;
               std::optional<bool> replace;
               ZB_RETURN_IF_ERROR(GetInt(body, "template_id", &template_id));
               ZB_RETURN_IF_ERROR(GetBool(body, "replace", &replace));
               return PlanWrite(ctx, req, id, 201, [&](db::Connection& c, const storage::Project& project,
                                                       int64_t now) -> Status {
                 std::optional<storage::NodeTemplate> t;
                 if (template_id) {
                   auto found = storage::GetNodeTemplate(c, *template_id);
                   if (found.status().code() == StatusCode::kNotFound) {
                     return NotFound("节点模板不存在 (no such template)", "template_id");
                   }
                   ZB_ASSIGN_OR_RETURN(t, std::move(found));
                 } else {
                   ZB_ASSIGN_OR_RETURN(t, storage::DefaultNodeTemplate(c, project.data.category));
                   if (!t) {
                     return ValidationFailed("该项目类别没有默认节点模板,请选择模板 (no default template for the "
                                             "project's category)",
                                             "template_id");
                   }
                 }
                 ZB_ASSIGN_OR_RETURN(auto existing, storage::GetPlan(c, id));
                 Json before = nullptr;
                 if (existing) {
                   if (!replace.value_or(false)) {
                     return AlreadyExists("该项目已有节点计划;要按模板重新生成请带 replace: true (the project already "
                                          "has a plan; send replace: true)",
                                          "replace");
                   }
                   ZB_ASSIGN_OR_RETURN(before, RenderPlan(c, id, LocalDate(now)));
                   ZB_RETURN_IF_ERROR(storage::DeletePlan(c, id));
                 }
                 std::vector<storage::PlanNodeInput> nodes;
                 std::map<std::string, int> index;
                 for (const auto& n : t->def.nodes) {
                   index[n.key] = static_cast<int>(nodes.size());
                   nodes.push_back({std::nullopt, n.key, n.name, n.duration, n.event, PlannedDate(project.data, n.event)});
                 }
                 std::vector<storage::PlanLinkInput> links;
                 for (const auto& l : t->def.links) links.push_back({index.at(l.from), index.at(l.to), l.lag});
                 ZB_RETURN_IF_ERROR(storage::CreatePlan(c, id, t->id, t->def.name, nodes, links,
                                                        req.principal()->user_id, now));
                 return RecordAudit(c, req, now, "plan.create", "project", std::to_string(id),
                                    {{"before", before}, {"after", {{"template_id", t->id},
                                                                    {"template_name", t->def.name},
                                                                    {"nodes", nodes.size()}}}});
               });
             });

  router.Add("PUT", "/api/v1/projects/{id}/plan",
             {.summary = "整体修改节点计划:带 id 的节点保留(及其进度),新节点不带 id,未列出的删除 "
                         "(edit the whole node list; optimistic version)",
              .tag = kTag,
              .permission = "project:write",
              .request_schema = {{"type", "object"},
                                 {"additionalProperties", false},
                                 {"required", {"nodes", "version"}},
                                 {"properties",
                                  {{"nodes", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                                   {"links",
                                    {{"type", "array"},
                                     {"items", {{"type", "object"}},
                                      {"description", "from/to: 节点 id,或新节点的 \"#序号\""}}}},
                                   {"version", {{"type", "integer"}}}}}},
              .response_schema = PlanSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_RETURN_IF_ERROR(VisibleProject(*conn, *req.principal(), id).status());
               }
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"nodes", "links", "version"}));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               ZB_ASSIGN_OR_RETURN(auto read, ReadNodes(body, /*plan=*/true));
               std::vector<storage::PlanNodeInput> nodes;
               std::set<int64_t> ids;
               for (size_t i = 0; i < read.size(); ++i) {
                 if (read[i].id && !ids.insert(*read[i].id).second) {
                   return ValidationFailed("节点 " + std::to_string(*read[i].id) + " 重复 (node listed twice)",
                                           "nodes[" + std::to_string(i) + "].id");
                 }
                 auto& n = read[i].node;
                 nodes.push_back({read[i].id, n.key, n.name, n.duration, n.event, read[i].target});
               }
               ZB_ASSIGN_OR_RETURN(auto links, ReadPlanLinks(body, nodes));
               ZB_RETURN_IF_ERROR(ValidatePlanNodes(nodes, links));
               return PlanWrite(ctx, req, id, 200, [&](db::Connection& c, const storage::Project&,
                                                       int64_t now) -> Status {
                 ZB_ASSIGN_OR_RETURN(Json before, RenderPlan(c, id, LocalDate(now)));
                 ZB_RETURN_IF_ERROR(storage::TouchPlan(c, id, version, req.principal()->user_id, now).status());
                 ZB_RETURN_IF_ERROR(storage::WritePlanNodes(c, id, nodes, links));
                 ZB_ASSIGN_OR_RETURN(Json after, RenderPlan(c, id, LocalDate(now)));
                 return RecordAudit(c, req, now, "plan.update", "project", std::to_string(id),
                                    ChangedFields(EditedParts(before), EditedParts(after)));
               });
             });

  router.Add("PATCH", "/api/v1/projects/{id}/plan/nodes/{node_id}",
             {.summary = "修改一个节点的目标日期、工期或名称(甘特图拖动设目标)(edit one node)",
              .tag = kTag,
              .permission = "project:write",
              .request_schema = {{"type", "object"},
                                 {"additionalProperties", false},
                                 {"required", {"version"}},
                                 {"properties",
                                  {{"target", {{"type", {"string", "null"}}, {"format", "date"}}},
                                   {"duration", {{"type", "integer"}}},
                                   {"name", {{"type", "string"}}},
                                   {"version", {{"type", "integer"}}}}}},
              .response_schema = PlanSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(int64_t node_id, NodeId(req));
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_RETURN_IF_ERROR(VisibleProject(*conn, *req.principal(), id).status());
               }
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"target", "duration", "name", "version"}));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               std::optional<std::string> target, name;
               std::optional<int64_t> duration;
               ZB_RETURN_IF_ERROR(GetString(body, "target", &target));
               ZB_RETURN_IF_ERROR(GetString(body, "name", &name));
               ZB_RETURN_IF_ERROR(GetInt(body, "duration", &duration));
               std::optional<Date> target_date;
               if (target && !target->empty()) {
                 auto d = Date::Parse(*target, "target");
                 if (!d.ok()) return ValidationFailed("目标日期应为 YYYY-MM-DD 格式的真实日期 (target is not a date)", "target");
                 target_date = *d;
               }
               if (duration && (*duration < 0 || *duration > domain::kMaxWorkingDays)) {
                 return ValidationFailed("工期应为 0–" + std::to_string(domain::kMaxWorkingDays) +
                                             " 个工作日 (duration out of range)",
                                         "duration");
               }
               return PlanWrite(ctx, req, id, 200, [&](db::Connection& c, const storage::Project&,
                                                       int64_t now) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto plan, storage::GetPlan(c, id));
                 if (!plan) return NoPlan();
                 auto it = std::find_if(plan->nodes.begin(), plan->nodes.end(),
                                        [&](const storage::PlanNode& n) { return n.id == node_id; });
                 if (it == plan->nodes.end()) return NotFound("节点不存在 (no such node in this plan)", "node_id");
                 const Json before = {{"name", it->name}, {"duration", it->duration}, {"target", OptDate(it->target)}};
                 std::vector<storage::PlanNodeInput> nodes = InputsOf(*plan);
                 auto& edited = nodes[it - plan->nodes.begin()];
                 if (name) edited.name = *name;
                 if (duration) edited.duration = static_cast<int>(*duration);
                 if (body.contains("target")) edited.target = target_date;
                 ZB_RETURN_IF_ERROR(ValidatePlanNodes(nodes, LinkInputsOf(*plan)));
                 ZB_RETURN_IF_ERROR(storage::TouchPlan(c, id, version, req.principal()->user_id, now).status());
                 ZB_RETURN_IF_ERROR(storage::UpdatePlanNode(c, id, node_id, edited.name, edited.duration, edited.target));
                 Json after = {{"name", edited.name}, {"duration", edited.duration}, {"target", OptDate(edited.target)}};
                 Json changes = ChangedFields(before, after);
                 changes["node_id"] = node_id;
                 return RecordAudit(c, req, now, "plan.node_update", "project", std::to_string(id), changes);
               });
             });

  router.Add("POST", "/api/v1/projects/{id}/plan/nodes/{node_id}/progress",
             {.summary = "填报节点进度:实际开始/完成日期、说明、附件 (record a node's progress)",
              .tag = kTag,
              .permission = "node:progress",
              .request_schema = {{"type", "object"},
                                 {"additionalProperties", false},
                                 {"properties",
                                  {{"started_on", {{"type", {"string", "null"}}, {"format", "date"}}},
                                   {"finished_on", {{"type", {"string", "null"}}, {"format", "date"}}},
                                   {"note", {{"type", "string"}}},
                                   {"attachment_ids", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}}},
              .response_schema = PlanSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(int64_t node_id, NodeId(req));
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_RETURN_IF_ERROR(VisibleProject(*conn, *req.principal(), id).status());
               }
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"started_on", "finished_on", "note", "attachment_ids"}));
               const Date today = LocalDate(ctx.clock->NowMs());
               // Absent: unchanged; null: cleared; a date: set.
               auto read_date = [&](const char* key, std::optional<std::optional<Date>>* out) -> Status {
                 if (!body.contains(key)) return Status();
                 std::optional<std::string> text;
                 ZB_RETURN_IF_ERROR(GetString(body, key, &text));
                 if (!text || text->empty()) {
                   *out = std::optional<Date>();
                   return Status();
                 }
                 auto d = Date::Parse(*text, key);
                 if (!d.ok()) return ValidationFailed("日期应为 YYYY-MM-DD 格式的真实日期 (not a date)", key);
                 if (today < *d) {
                   return ValidationFailed("日期 " + d->ToString() + " 晚于今天,只能填报已发生的进度 (the date is in "
                                           "the future)",
                                           key);
                 }
                 *out = std::optional<Date>(*d);
                 return Status();
               };
               std::optional<std::optional<Date>> started, finished;
               ZB_RETURN_IF_ERROR(read_date("started_on", &started));
               ZB_RETURN_IF_ERROR(read_date("finished_on", &finished));
               std::optional<std::string> note;
               ZB_RETURN_IF_ERROR(GetString(body, "note", &note));
               std::string note_text = note.value_or("");
               ZB_RETURN_IF_ERROR(ValidateLine(note_text, "note", "说明", 1000, true));
               std::vector<int64_t> attachment_ids;
               if (auto it = body.find("attachment_ids"); it != body.end() && !it->is_null()) {
                 if (!it->is_array()) return ValidationFailed("attachment_ids 应为数组 (must be an array)", "attachment_ids");
                 for (size_t i = 0; i < it->size(); ++i) {
                   if (!(*it)[i].is_number_integer() || (*it)[i].get<int64_t>() <= 0) {
                     return ValidationFailed("附件 id 应为正整数 (attachment id must be a positive integer)",
                                             "attachment_ids[" + std::to_string(i) + "]");
                   }
                   attachment_ids.push_back((*it)[i].get<int64_t>());
                 }
               }
               const bool clears = (started && !*started) || (finished && !*finished);
               if (clears && note_text.empty()) {
                 return ValidationFailed("清除已填报的日期时请说明原因 (a note is required to clear a date)", "note");
               }
               if (!started && !finished && note_text.empty() && attachment_ids.empty()) {
                 return ValidationFailed("请填写实际日期、说明或附件 (nothing to record)", "started_on");
               }
               return PlanWrite(ctx, req, id, 200, [&](db::Connection& c, const storage::Project&,
                                                       int64_t now) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto plan, storage::GetPlan(c, id));
                 if (!plan) return NoPlan();
                 auto it = std::find_if(plan->nodes.begin(), plan->nodes.end(),
                                        [&](const storage::PlanNode& n) { return n.id == node_id; });
                 if (it == plan->nodes.end()) return NotFound("节点不存在 (no such node in this plan)", "node_id");
                 storage::NodeProgress e{.node_id = node_id, .project_id = id, .note = note_text,
                                         .attachment_ids = attachment_ids, .user_id = req.principal()->user_id,
                                         .at = now};
                 e.started_on = started ? *started : it->actual_start;
                 e.finished_on = finished ? *finished : it->actual_finish;
                 if (e.started_on && e.finished_on && *e.finished_on < *e.started_on) {
                   return ValidationFailed("完成日期 " + e.finished_on->ToString() + " 早于开始日期 " +
                                               e.started_on->ToString() + " (finish before start)",
                                           "finished_on");
                 }
                 if (!e.started_on && e.finished_on && it->duration == 0) e.started_on = e.finished_on;
                 ZB_RETURN_IF_ERROR(storage::TouchPlan(c, id, std::nullopt, req.principal()->user_id, now).status());
                 ZB_ASSIGN_OR_RETURN(int64_t entry, storage::AddNodeProgress(c, e));
                 ZB_RETURN_IF_ERROR(storage::AttachToProgress(c, attachment_ids, entry, req.principal()->user_id));
                 Json before = {{"actual_start", OptDate(it->actual_start)}, {"actual_finish", OptDate(it->actual_finish)}};
                 Json after = {{"actual_start", OptDate(e.started_on)}, {"actual_finish", OptDate(e.finished_on)}};
                 Json changes = ChangedFields(before, after);
                 changes["node_id"] = node_id;
                 changes["note"] = note_text;
                 changes["attachment_ids"] = attachment_ids;
                 return RecordAudit(c, req, now, "plan.progress", "project", std::to_string(id), changes);
               });
             });

  router.Add("GET", "/api/v1/projects/{id}/plan/nodes/{node_id}/progress",
             {.summary = "节点进度填报记录,最新在前 (a node's progress entries, newest first)",
              .tag = kTag,
              .permission = "project:read"},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(int64_t node_id, NodeId(req));
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_RETURN_IF_ERROR(VisibleProject(*conn, *req.principal(), id).status());
               ZB_ASSIGN_OR_RETURN(auto plan, storage::GetPlan(*conn, id));
               if (!plan) return NoPlan();
               if (std::none_of(plan->nodes.begin(), plan->nodes.end(),
                                [&](const storage::PlanNode& n) { return n.id == node_id; })) {
                 return NotFound("节点不存在 (no such node in this plan)", "node_id");
               }
               ZB_ASSIGN_OR_RETURN(auto entries, storage::ListNodeProgress(*conn, node_id));
               Json items = Json::array();
               for (const auto& e : entries) {
                 ZB_ASSIGN_OR_RETURN(auto files, storage::GetAttachments(*conn, e.attachment_ids));
                 Json attachments = Json::array();
                 for (const auto& a : files) {
                   attachments.push_back({{"id", a.id},
                                          {"filename", a.filename},
                                          {"content_type", a.content_type},
                                          {"size", a.size},
                                          {"url", "/api/v1/attachments/" + std::to_string(a.id)}});
                 }
                 items.push_back({{"id", e.id},
                                  {"started_on", OptDate(e.started_on)},
                                  {"finished_on", OptDate(e.finished_on)},
                                  {"note", e.note},
                                  {"attachments", std::move(attachments)},
                                  {"user_id", e.user_id ? Json(*e.user_id) : Json(nullptr)},
                                  {"user_name", e.user_name},
                                  {"at", FormatRfc3339(e.at)}});
               }
               return Response::Json({{"items", std::move(items)}});
             });

  router.Add("DELETE", "/api/v1/projects/{id}/plan",
             {.summary = "删除节点计划(需带版本号)(delete the plan; optimistic version)",
              .tag = kTag,
              .permission = "project:write",
              .success_status = 204},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_RETURN_IF_ERROR(VisibleProject(*conn, *req.principal(), id).status());
               }
               ZB_ASSIGN_OR_RETURN(Json body, BodyOrEmpty(req));
               ZB_RETURN_IF_ERROR(CheckObject(body, {"version"}));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               return PlanWrite(ctx, req, id, 204, [&](db::Connection& c, const storage::Project&,
                                                       int64_t now) -> Status {
                 ZB_ASSIGN_OR_RETURN(Json before, RenderPlan(c, id, LocalDate(now)));
                 ZB_RETURN_IF_ERROR(storage::TouchPlan(c, id, version, req.principal()->user_id, now).status());
                 ZB_RETURN_IF_ERROR(storage::DeletePlan(c, id));
                 return RecordAudit(c, req, now, "plan.delete", "project", std::to_string(id),
                                    {{"before", {{"template_name", before["template_name"]},
                                                 {"nodes", before["nodes"].size()}}},
                                     {"after", nullptr}});
               });
             });
}

}  // namespace zb::api
