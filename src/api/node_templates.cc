// /api/v1/node-templates — 节点模板: the networks a project's plan starts
// from. Read by any signed-in user; written with template:write. A template
// is written whole and checked by domain::ValidateTemplate. Contract:
// docs/api-schedule.md "Node templates".
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "api/plan_input.h"
#include "domain/node_templates.h"
#include "storage/dict_repo.h"
#include "storage/template_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr char kTag[] = "node-templates";

StatusOr<std::map<std::string, std::string>> CategoryLabels(db::Connection& conn) {
  std::map<std::string, std::string> out;
  ZB_ASSIGN_OR_RETURN(auto items, storage::ListDictItems(conn, "category", /*include_inactive=*/true));
  for (const auto& d : items) out[d.code] = d.label;
  return out;
}

Json ToJson(const storage::NodeTemplate& t, const std::map<std::string, std::string>& labels, bool with_nodes) {
  auto label = labels.find(t.def.category);
  Json out = {{"id", t.id},
              {"name", t.def.name},
              {"category", t.def.category},
              {"category_label", label == labels.end() ? "" : label->second},
              {"description", t.def.description},
              {"is_default", t.is_default},
              {"node_count", t.def.nodes.size()},
              {"version", t.version},
              {"created_at", FormatRfc3339(t.created_at)},
              {"updated_at", FormatRfc3339(t.updated_at)}};
  if (!with_nodes) return out;
  Json nodes = Json::array(), links = Json::array();
  for (const auto& n : t.def.nodes) {
    nodes.push_back({{"key", n.key},
                     {"name", n.name},
                     {"duration", n.duration},
                     {"milestone", n.duration == 0},
                     {"event", std::string(domain::NodeEventCode(n.event))}});
  }
  for (const auto& l : t.def.links) links.push_back({{"from", l.from}, {"to", l.to}, {"lag", l.lag}});
  out["nodes"] = std::move(nodes);
  out["links"] = std::move(links);
  return out;
}

// The body of a POST or PUT as a template, checked whole.
StatusOr<std::pair<domain::NodeTemplateDef, bool>> ReadTemplate(db::Connection& conn, const Json& body,
                                                                bool with_version) {
  if (with_version) {
    ZB_RETURN_IF_ERROR(
        CheckObject(body, {"name", "category", "description", "is_default", "nodes", "links", "version"}));
  } else {
    ZB_RETURN_IF_ERROR(CheckObject(body, {"name", "category", "description", "is_default", "nodes", "links"}));
  }
  std::optional<std::string> name, category, description;
  std::optional<bool> is_default;
  ZB_RETURN_IF_ERROR(GetString(body, "name", &name));
  ZB_RETURN_IF_ERROR(GetString(body, "category", &category));
  ZB_RETURN_IF_ERROR(GetString(body, "description", &description));
  ZB_RETURN_IF_ERROR(GetBool(body, "is_default", &is_default));
  if (!name) return ValidationFailed("请填写模板名称 (name is required)", "name");
  if (!category) return ValidationFailed("请选择项目类别 (category is required)", "category");
  if (description && description->size() > 2000) {
    return ValidationFailed("说明不能超过 2000 字节 (description too long)", "description");
  }
  ZB_ASSIGN_OR_RETURN(auto labels, CategoryLabels(conn));
  if (!labels.count(*category)) {
    return ValidationFailed("项目类别 " + *category + " 不存在 (unknown category)", "category");
  }
  domain::NodeTemplateDef def{.name = *name, .category = *category, .description = description.value_or("")};
  ZB_ASSIGN_OR_RETURN(auto nodes, ReadNodes(body, /*plan=*/false));
  for (auto& n : nodes) def.nodes.push_back(std::move(n.node));
  ZB_ASSIGN_OR_RETURN(def.links, ReadTemplateLinks(body));
  ZB_RETURN_IF_ERROR(domain::ValidateTemplate(def));
  return std::make_pair(std::move(def), is_default.value_or(false));
}

Json TemplateSchema() {
  Json node = {{"type", "object"},
               {"properties",
                {{"key", {{"type", "string"}}},
                 {"name", {{"type", "string"}}},
                 {"duration", {{"type", "integer"}, {"description", "工作日;0 = 里程碑"}}},
                 {"milestone", {{"type", "boolean"}}},
                 {"event", {{"type", "string"}, {"enum", {"", "signed", "started", "completed", "operating"}}}}}}};
  Json link = {{"type", "object"},
               {"properties",
                {{"from", {{"type", "string"}}}, {"to", {{"type", "string"}}}, {"lag", {{"type", "integer"}}}}}};
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"name", {{"type", "string"}}},
            {"category", {{"type", "string"}}},
            {"category_label", {{"type", "string"}}},
            {"description", {{"type", "string"}}},
            {"is_default", {{"type", "boolean"}}},
            {"node_count", {{"type", "integer"}}},
            {"nodes", {{"type", "array"}, {"items", node}}},
            {"links", {{"type", "array"}, {"items", link}}},
            {"version", {{"type", "integer"}}}}}};
}

Json InputSchema(bool with_version) {
  Json s = TemplateSchema();
  s["additionalProperties"] = false;
  s["required"] = {"name", "category", "nodes"};
  for (const char* k : {"id", "category_label", "node_count"}) s["properties"].erase(k);
  if (!with_version) s["properties"].erase("version");
  return s;
}

Status Current(ApiContext& ctx, int64_t id, Json* out) {
  ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
  ZB_ASSIGN_OR_RETURN(auto t, storage::GetNodeTemplate(*conn, id));
  ZB_ASSIGN_OR_RETURN(auto labels, CategoryLabels(*conn));
  *out = ToJson(t, labels, true);
  return Status();
}

}  // namespace

void RegisterNodeTemplateRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/node-templates",
             {.summary = "节点模板列表(不含节点)(node templates, without their nodes)",
              .tag = kTag,
              .permission = "authenticated",
              .query = {{.name = "category", .type = "string", .description = "项目类别编码"}},
              .response_schema = {{"type", "object"},
                                  {"properties", {{"items", {{"type", "array"}, {"items", TemplateSchema()}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               std::string category(req.Query("category").value_or(""));
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto list, storage::ListNodeTemplates(*conn, category));
               ZB_ASSIGN_OR_RETURN(auto labels, CategoryLabels(*conn));
               Json items = Json::array();
               for (const auto& t : list) items.push_back(ToJson(t, labels, false));
               return Response::Json({{"items", std::move(items)}});
             });

  router.Add("GET", "/api/v1/node-templates/{id}",
             {.summary = "节点模板详情 (one template with its nodes and links)",
              .tag = kTag,
              .permission = "authenticated",
              .response_schema = TemplateSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               Json out;
               ZB_RETURN_IF_ERROR(Current(ctx, id, &out));
               return Response::Json(out);
             });

  router.Add("POST", "/api/v1/node-templates",
             {.summary = "新增节点模板 (create a template)",
              .tag = kTag,
              .permission = "template:write",
              .request_schema = InputSchema(false),
              .response_schema = TemplateSchema(),
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               const int64_t now = ctx.clock->NowMs();
               Json out;
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto input, ReadTemplate(c, body, false));
                 ZB_ASSIGN_OR_RETURN(auto t, storage::CreateNodeTemplate(c, input.first, input.second,
                                                                         req.principal()->user_id, now));
                 ZB_ASSIGN_OR_RETURN(auto labels, CategoryLabels(c));
                 out = ToJson(t, labels, true);
                 return RecordAudit(c, req, now, "template.create", "node_template", std::to_string(t.id),
                                    ChangedFields(nullptr, out));
               }));
               Response r = Response::Json(201, out);
               r.With("Location", "/api/v1/node-templates/" + std::to_string(out["id"].get<int64_t>()));
               return r;
             });

  router.Add("PUT", "/api/v1/node-templates/{id}",
             {.summary = "修改节点模板(整体替换,需带版本号)(replace a template; optimistic version)",
              .tag = kTag,
              .permission = "template:write",
              .request_schema = InputSchema(true),
              .response_schema = TemplateSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               if (!body.is_object()) return BadRequest("请求体应为 JSON 对象 (body must be a JSON object)", "body");
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               const int64_t now = ctx.clock->NowMs();
               Json out;
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto before, storage::GetNodeTemplate(c, id));
                 ZB_ASSIGN_OR_RETURN(auto input, ReadTemplate(c, body, true));
                 ZB_ASSIGN_OR_RETURN(auto labels, CategoryLabels(c));
                 ZB_ASSIGN_OR_RETURN(auto t, storage::UpdateNodeTemplate(c, id, version, input.first, input.second,
                                                                         req.principal()->user_id, now));
                 out = ToJson(t, labels, true);
                 return RecordAudit(c, req, now, "template.update", "node_template", std::to_string(id),
                                    ChangedFields(ToJson(before, labels, true), out));
               });
               if (s.code() == StatusCode::kVersionConflict) {
                 Json current;
                 ZB_RETURN_IF_ERROR(Current(ctx, id, &current));
                 return Response::Error(s, {{"current", current}});
               }
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(out);
             });

  router.Add("DELETE", "/api/v1/node-templates/{id}",
             {.summary = "删除节点模板;由它生成的计划保留其节点 (delete a template; plans keep their nodes)",
              .tag = kTag,
              .permission = "template:write",
              .success_status = 204},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               const int64_t now = ctx.clock->NowMs();
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto before, storage::GetNodeTemplate(c, id));
                 ZB_ASSIGN_OR_RETURN(auto labels, CategoryLabels(c));
                 ZB_RETURN_IF_ERROR(storage::DeleteNodeTemplate(c, id));
                 return RecordAudit(c, req, now, "template.delete", "node_template", std::to_string(id),
                                    ChangedFields(ToJson(before, labels, true), Json::object()));
               }));
               return Response::NoContent();
             });
}

}  // namespace zb::api
