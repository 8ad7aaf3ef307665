// /api/v1/org-units — the organisation tree: list, read, create, edit, move,
// deactivate and reactivate. Reads and writes go through the caller's data
// scope; a user always sees their own unit (a 仅本人 user included), and a
// unit outside what they see answers 404 as if it did not exist.
#include <functional>

#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "api/scope.h"
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


// The caller's scope for units: their data scope plus their own unit.
storage::ScopeFilterSql UnitScope(const http::Principal& p) {
  storage::ScopeFilterSql s = ScopeSql(p);
  if (p.org_unit_id > 0) s.unit_ids.push_back(p.org_unit_id);
  return s;
}

// 409 with the unit as it now is, so the client can show what changed.
StatusOr<Response> StaleUnit(ApiContext& ctx, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
  ZB_ASSIGN_OR_RETURN(auto current, storage::GetOrgUnit(*conn, id));
  return Response::Error(VersionConflict("该单位已被他人修改(当前版本 " + std::to_string(current.version) +
                                         "),请刷新后再改 (changed by someone else)"),
                         {{"current", ToJson(current)}});
}

// A versioned state change of one visible unit (move, deactivate, activate):
// reads the body's version, runs `change` in a Tx with the unit as it was,
// records the audit entry under `action` and answers the new unit.
using UnitChange = std::function<StatusOr<storage::OrgUnit>(db::Connection&, const Json& body,
                                                            const storage::OrgUnit& before, int64_t version,
                                                            int64_t now)>;
StatusOr<Response> ChangeUnit(ApiContext& ctx, Request& req, const std::string& action,
                              std::initializer_list<std::string_view> allowed, const UnitChange& change) {
  ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
  ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
  ZB_RETURN_IF_ERROR(CheckObject(body, allowed));
  ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
  const http::Principal& p = *req.principal();
  storage::OrgUnit updated;
  int64_t now = ctx.clock->NowMs();
  Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
    ZB_ASSIGN_OR_RETURN(auto before, VisibleUnit(c, p, id));
    ZB_ASSIGN_OR_RETURN(updated, change(c, body, before, version, now));
    return RecordAudit(c, req, now, action, "org_unit", std::to_string(id),
                       ChangedFields(ToJson(before), ToJson(updated)));
  });
  if (s.code() == StatusCode::kVersionConflict) return StaleUnit(ctx, id);
  ZB_RETURN_IF_ERROR(s);
  return Response::Json(ToJson(updated));
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
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               if (root) ZB_RETURN_IF_ERROR(VisibleUnit(*conn, p, *root, "root").status());
               ZB_ASSIGN_OR_RETURN(auto units, storage::ListOrgUnits(*conn, root, inactive, UnitScope(p)));
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
               ZB_ASSIGN_OR_RETURN(auto unit, VisibleUnit(*conn, *req.principal(), id));
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
               // A second root is the administrator's business only.
               if (!parent && !req.principal()->scope.all) {
                 return ValidationFailed("请选择上级单位 (parent_id is required)", "parent_id");
               }
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
                 if (parent) ZB_RETURN_IF_ERROR(VisibleUnit(c, *req.principal(), *parent, "parent_id").status());
                 ZB_ASSIGN_OR_RETURN(created, storage::CreateOrgUnit(c, row, now));
                 return RecordAudit(c, req, now, "create", "org_unit", std::to_string(created.id),
                                    ChangedFields(nullptr, ToJson(created)));
               });
               if (s.code() == StatusCode::kNotFound) {
                 return NotVisible("上级单位", "parent org unit", "parent_id");
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
                 ZB_ASSIGN_OR_RETURN(auto before, VisibleUnit(c, *req.principal(), id));
                 ZB_ASSIGN_OR_RETURN(updated, storage::UpdateOrgUnit(c, id, version, changes, now));
                 return RecordAudit(c, req, now, "update", "org_unit", std::to_string(id),
                                    ChangedFields(ToJson(before), ToJson(updated)));
               });
               if (s.code() == StatusCode::kVersionConflict) return StaleUnit(ctx, id);
               if (s.code() == StatusCode::kAlreadyExists) {
                 return AlreadyExists("编码已被其他单位使用 (code already in use)", "code");
               }
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(ToJson(updated));
             });

  Json version_only = {{"type", "object"},
                       {"additionalProperties", false},
                       {"properties", {{"version", {{"type", "integer"}, {"description", "or the If-Match header"}}}}}};

  router.Add("POST", "/api/v1/org-units/{id}/move",
             {.summary = "调整上级单位,下级随之移动 (move a unit and its subtree under another parent)",
              .tag = kTag,
              .permission = "org:write",
              .request_schema = {{"type", "object"},
                                 {"additionalProperties", false},
                                 {"required", {"parent_id"}},
                                 {"properties",
                                  {{"parent_id", {{"type", "integer"}}},
                                   {"version", {{"type", "integer"}, {"description", "or the If-Match header"}}}}}},
              .response_schema = OrgUnitSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               return ChangeUnit(ctx, req, "move", {"parent_id", "version"},
                                 [&](db::Connection& c, const Json& body, const storage::OrgUnit& before,
                                     int64_t version, int64_t now) -> StatusOr<storage::OrgUnit> {
                                   std::optional<int64_t> parent;
                                   ZB_RETURN_IF_ERROR(GetInt(body, "parent_id", &parent));
                                   if (!parent || *parent <= 0) {
                                     return ValidationFailed("请选择新的上级单位 (parent_id required)", "parent_id");
                                   }
                                   ZB_ASSIGN_OR_RETURN(auto target, VisibleUnit(c, *req.principal(), *parent, "parent_id"));
                                   if (!target.active) {
                                     return ValidationFailed("新的上级单位已停用 (the new parent is inactive)", "parent_id");
                                   }
                                   return storage::MoveOrgUnit(c, before.id, *parent, version, now);
                                 });
             });

  router.Add("POST", "/api/v1/org-units/{id}/deactivate",
             {.summary = "停用单位;仍有启用的下级单位或用户时不能停用 (deactivate a unit that owns nothing active)",
              .tag = kTag,
              .permission = "org:write",
              .request_schema = version_only,
              .response_schema = OrgUnitSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               return ChangeUnit(ctx, req, "deactivate", {"version"},
                                 [&](db::Connection& c, const Json&, const storage::OrgUnit& before,
                                     int64_t version, int64_t now) -> StatusOr<storage::OrgUnit> {
                                   if (before.id == req.principal()->org_unit_id) {
                                     return Conflict("不能停用本人所在单位 (cannot deactivate your own unit)");
                                   }
                                   ZB_ASSIGN_OR_RETURN(auto deps, storage::CountUnitDependents(c, before.id));
                                   if (deps.active_children > 0 || deps.active_users > 0) {
                                     return Conflict("「" + before.name + "」下还有 " +
                                                     std::to_string(deps.active_children) + " 个启用的下级单位、" +
                                                     std::to_string(deps.active_users) +
                                                     " 个启用的用户,请先调整或停用 (the unit still has active "
                                                     "sub-units or users)");
                                   }
                                   return storage::DeactivateOrgUnit(c, before.id, version, now);
                                 });
             });

  router.Add("POST", "/api/v1/org-units/{id}/activate",
             {.summary = "重新启用单位 (reactivate a unit)",
              .tag = kTag,
              .permission = "org:write",
              .request_schema = version_only,
              .response_schema = OrgUnitSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               return ChangeUnit(ctx, req, "activate", {"version"},
                                 [&](db::Connection& c, const Json&, const storage::OrgUnit& before,
                                     int64_t version, int64_t now) -> StatusOr<storage::OrgUnit> {
                                   if (before.parent_id) {
                                     ZB_ASSIGN_OR_RETURN(auto parent, storage::GetOrgUnit(c, *before.parent_id));
                                     if (!parent.active) {
                                       return Conflict("上级单位「" + parent.name +
                                                       "」已停用,请先启用上级 (the parent unit is inactive)");
                                     }
                                   }
                                   return storage::ActivateOrgUnit(c, before.id, version, now);
                                 });
             });
}

}  // namespace zb::api
