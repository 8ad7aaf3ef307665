// /api/v1/org-units — the organisation tree (the next issue adds moving,
// deactivation rules and data scopes on top).
#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "core/date.h"
#include "domain/org_unit.h"
#include "storage/org_unit_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

Json ToJson(const storage::OrgUnit& u) {
  std::string_view label;
  for (const auto& k : domain::OrgUnitKinds()) {
    if (k.code == u.kind) label = k.label;
  }
  return {{"id", u.id},
          {"parent_id", u.parent_id ? Json(*u.parent_id) : Json(nullptr)},
          {"name", u.name},
          {"short_name", u.short_name},
          {"code", u.code},
          {"kind", u.kind},
          {"kind_label", label},
          {"sort_order", u.sort_order},
          {"active", u.active},
          {"path", u.path},
          {"version", u.version},
          {"created_at", FormatRfc3339(u.created_at)},
          {"updated_at", FormatRfc3339(u.updated_at)}};
}

Json OrgUnitSchema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"parent_id", {{"type", "integer"}, {"nullable", true}}},
            {"name", {{"type", "string"}}},
            {"short_name", {{"type", "string"}}},
            {"code", {{"type", "string"}}},
            {"kind", {{"type", "string"}, {"enum", {"city", "county", "zone", "town", "village", "department"}}}},
            {"kind_label", {{"type", "string"}}},
            {"sort_order", {{"type", "integer"}}},
            {"active", {{"type", "boolean"}}},
            {"path", {{"type", "string"}}},
            {"version", {{"type", "integer"}}},
            {"created_at", {{"type", "string"}, {"format", "date-time"}}},
            {"updated_at", {{"type", "string"}, {"format", "date-time"}}}}}};
}

Json InputSchema(bool creating) {
  Json props = {{"name", {{"type", "string"}, {"maxLength", 100}}},
                {"short_name", {{"type", "string"}, {"maxLength", 50}}},
                {"code", {{"type", "string"}, {"maxLength", 64}}},
                {"kind", {{"type", "string"}, {"description", "code or Chinese label, e.g. town / 镇街"}}},
                {"sort_order", {{"type", "integer"}}}};
  Json s = {{"type", "object"}, {"additionalProperties", false}};
  if (creating) {
    props["parent_id"] = {{"type", "integer"}, {"nullable", true}};
    s["required"] = {"name", "code", "kind"};
  } else {
    props.erase("kind");
    props["version"] = {{"type", "integer"}, {"description", "or the If-Match header"}};
  }
  s["properties"] = props;
  return s;
}

// Reads the user-editable fields of a body into a domain input.
Status ReadInput(const Json& body, domain::OrgUnitInput* in) {
  ZB_RETURN_IF_ERROR(GetString(body, "name", &in->name));
  ZB_RETURN_IF_ERROR(GetString(body, "short_name", &in->short_name));
  ZB_RETURN_IF_ERROR(GetString(body, "code", &in->code));
  ZB_RETURN_IF_ERROR(GetString(body, "kind", &in->kind));
  ZB_RETURN_IF_ERROR(GetInt(body, "sort_order", &in->sort_order));
  return Status::Ok();
}


}  // namespace

void RegisterOrgUnitRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kTag = "org-units";
  Json list_schema = {{"type", "object"},
                      {"properties",
                       {{"items", {{"type", "array"}, {"items", OrgUnitSchema()}}},
                        {"total", {{"type", "integer"}}},
                        {"page", {{"type", "integer"}}},
                        {"page_size", {{"type", "integer"}}}}}};

  router.Add("GET", "/api/v1/org-units",
             {.summary = "组织机构列表,可限定某单位及其下级 (list org units, optionally a subtree)",
              .tag = kTag,
              .permission = "org:read",
              .query = {{.name = "root", .type = "integer", .description = "只列此单位及其下级"},
                        {.name = "include_inactive", .type = "boolean", .description = "包含已停用单位"}},
              .response_schema = list_schema},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(auto root, QueryId(req, "root"));
               ZB_ASSIGN_OR_RETURN(bool inactive, QueryBool(req, "include_inactive", false));
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               if (root) {
                 auto exists = storage::GetOrgUnit(*conn, *root);
                 if (!exists.ok()) return NotFound("组织机构不存在 (no such org unit)", "root");
               }
               ZB_ASSIGN_OR_RETURN(auto units, storage::ListOrgUnits(*conn, root, inactive));
               Json items = Json::array();
               for (const auto& u : units) items.push_back(ToJson(u));
               size_t n = units.size();
               return Response::Json({{"items", std::move(items)}, {"total", n}, {"page", 1}, {"page_size", n}});
             });

  router.Add("GET", "/api/v1/org-units/{id}",
             {.summary = "组织机构详情 (one org unit)", .tag = kTag, .permission = "org:read", .response_schema = OrgUnitSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto unit, storage::GetOrgUnit(*conn, id));
               return Response::Json(ToJson(unit));
             });

  router.Add("POST", "/api/v1/org-units",
             {.summary = "新建组织机构 (create an org unit)",
              .tag = kTag,
              .permission = "org:write",
              .request_schema = InputSchema(true),
              .response_schema = OrgUnitSchema(),
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"name", "short_name", "code", "kind", "sort_order", "parent_id"}));
               domain::OrgUnitInput in;
               ZB_RETURN_IF_ERROR(ReadInput(body, &in));
               std::optional<int64_t> parent;
               ZB_RETURN_IF_ERROR(GetInt(body, "parent_id", &parent));
               if (parent && *parent <= 0) return ValidationFailed("上级单位编号应为正整数", "parent_id");
               ZB_RETURN_IF_ERROR(domain::ValidateOrgUnit(in, /*creating=*/true));
               storage::NewOrgUnit row{.parent_id = parent,
                                       .name = *in.name,
                                       .short_name = in.short_name.value_or(""),
                                       .code = *in.code,
                                       .kind = *in.kind,
                                       .sort_order = in.sort_order.value_or(0)};
               storage::OrgUnit created;
               int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(created, storage::CreateOrgUnit(c, row, now));
                 return RecordAudit(c, req, now, "create", "org_unit", std::to_string(created.id),
                                    ChangedFields(nullptr, ToJson(created)));
               });
               if (s.code() == StatusCode::kNotFound) {
                 return ValidationFailed("上级单位不存在 (parent org unit not found)", "parent_id");
               }
               if (s.code() == StatusCode::kAlreadyExists) {
                 return AlreadyExists("编码 " + row.code + " 已被其他单位使用 (code already in use)", "code");
               }
               ZB_RETURN_IF_ERROR(s);
               Response r = Response::Json(201, ToJson(created));
               r.With("Location", "/api/v1/org-units/" + std::to_string(created.id));
               return r;
             });

  router.Add("PATCH", "/api/v1/org-units/{id}",
             {.summary = "修改组织机构,需带版本号 (update an org unit; optimistic version)",
              .tag = kTag,
              .permission = "org:write",
              .request_schema = InputSchema(false),
              .response_schema = OrgUnitSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"name", "short_name", "code", "sort_order", "version"}));
               domain::OrgUnitInput in;
               ZB_RETURN_IF_ERROR(ReadInput(body, &in));
               ZB_RETURN_IF_ERROR(domain::ValidateOrgUnit(in, /*creating=*/false));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               storage::OrgUnitChanges changes{
                   .name = in.name, .short_name = in.short_name, .code = in.code, .sort_order = in.sort_order};
               storage::OrgUnit updated;
               int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto before, storage::GetOrgUnit(c, id));
                 ZB_ASSIGN_OR_RETURN(updated, storage::UpdateOrgUnit(c, id, version, changes, now));
                 return RecordAudit(c, req, now, "update", "org_unit", std::to_string(id),
                                    ChangedFields(ToJson(before), ToJson(updated)));
               });
               if (s.code() == StatusCode::kVersionConflict) {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(auto current, storage::GetOrgUnit(*conn, id));
                 // 409 with the record as it now is, so the client can show what changed.
                 return Response::Error(VersionConflict("该单位已被他人修改(当前版本 " + std::to_string(current.version) +
                                                        "),请刷新后再改 (changed by someone else)"),
                                        {{"current", ToJson(current)}});
               }
               if (s.code() == StatusCode::kAlreadyExists) {
                 return AlreadyExists("编码已被其他单位使用 (code already in use)", "code");
               }
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(ToJson(updated));
             });
}

}  // namespace zb::api
