// /api/v1/roles and /api/v1/permissions — roles (a set of permissions plus a
// data scope) and the permission catalogue the role editor shows.
//
// The built-in 系统管理员 (admin) role cannot be changed, so there is always
// a role that can repair the others. A caller may not build a role that holds
// more than they do (a permission they lack, or the 全部 scope when theirs is
// narrower), nor point a custom scope at units they do not see.
#include <algorithm>
#include <map>

#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "api/scope.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/data_scope.h"
#include "domain/permissions.h"
#include "storage/org_unit_repo.h"
#include "storage/role_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

Json ToJson(const storage::Role& r, int64_t user_count) {
  auto scope = domain::ParseDataScope(r.data_scope);
  return {{"id", r.id},
          {"code", r.code},
          {"name", r.name},
          {"builtin", r.builtin},
          {"data_scope", r.data_scope},
          {"data_scope_label", scope ? Json(domain::DataScopeLabel(*scope)) : Json(r.data_scope)},
          {"remark", r.remark},
          {"permissions", r.permissions},
          {"custom_unit_ids", r.custom_unit_ids},
          {"user_count", user_count},
          {"version", r.version},
          {"created_at", FormatRfc3339(r.created_at)},
          {"updated_at", FormatRfc3339(r.updated_at)}};
}

// The role as the audit log records it: user_count is not the role's own.
Json AuditJson(const storage::Role& r) {
  Json j = ToJson(r, 0);
  j.erase("user_count");
  return j;
}

std::vector<std::string> ScopeCodes() {
  std::vector<std::string> out;
  for (const auto& d : domain::DataScopes()) out.emplace_back(d.code);
  return out;
}

Json RoleSchema() {
  Json str = {{"type", "string"}};
  Json integer = {{"type", "integer"}};
  Json time = {{"type", "string"}, {"format", "date-time"}};
  return {{"type", "object"},
          {"properties",
           {{"id", integer},
            {"code", str},
            {"name", str},
            {"builtin", {{"type", "boolean"}}},
            {"data_scope", {{"type", "string"}, {"enum", ScopeCodes()}}},
            {"data_scope_label", str},
            {"remark", str},
            {"permissions", {{"type", "array"}, {"items", str}}},
            {"custom_unit_ids", {{"type", "array"}, {"items", integer}}},
            {"user_count", integer},
            {"version", integer},
            {"created_at", time},
            {"updated_at", time}}}};
}

Json InputSchema(bool creating) {
  Json props = {
      {"name", {{"type", "string"}, {"maxLength", 30}}},
      {"data_scope", {{"type", "string"}, {"description", "all|unit_and_below|unit|self|custom or its label"}}},
      {"remark", {{"type", "string"}, {"maxLength", 200}}},
      {"permissions", {{"type", "array"}, {"items", {{"type", "string"}}}}},
      {"custom_unit_ids",
       {{"type", "array"}, {"items", {{"type", "integer"}}}, {"description", "required when data_scope is custom"}}}};
  Json s = {{"type", "object"}, {"additionalProperties", false}};
  if (creating) {
    props["code"] = {{"type", "string"}, {"pattern", "^[a-z][a-z0-9_]{1,31}$"}};
    s["required"] = {"code", "name", "data_scope"};
  } else {
    props["version"] = {{"type", "integer"}, {"description", "or the If-Match header"}};
  }
  s["properties"] = props;
  return s;
}

struct RoleInput {
  std::optional<std::string> code, name, data_scope, remark;
  std::optional<std::vector<std::string>> permissions;
  std::optional<std::vector<int64_t>> custom_unit_ids;
};

Status CheckCode(const std::string& code) {
  bool ok = code.size() >= 2 && code.size() <= 32 && code[0] >= 'a' && code[0] <= 'z';
  for (char c : code) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok) {
    return ValidationFailed("角色编码应为 2–32 位小写字母、数字或下划线,以字母开头 (code: [a-z][a-z0-9_]{1,31})",
                            "code");
  }
  return Status::Ok();
}

Status ReadRoleInput(const Json& body, RoleInput* in) {
  ZB_RETURN_IF_ERROR(GetString(body, "code", &in->code));
  if (in->code) ZB_RETURN_IF_ERROR(CheckCode(*in->code));
  ZB_RETURN_IF_ERROR(GetString(body, "name", &in->name));
  if (in->name) ZB_RETURN_IF_ERROR(ValidateLine(*in->name, "name", "角色名称", 30, false));
  ZB_RETURN_IF_ERROR(GetString(body, "data_scope", &in->data_scope));
  if (in->data_scope) {
    auto scope = domain::ParseDataScope(*in->data_scope);
    if (!scope) {
      return ValidationFailed("数据范围应为 全部/本单位及以下/本单位/仅本人/自定义单位 之一 (data_scope: all, "
                              "unit_and_below, unit, self or custom)",
                              "data_scope");
    }
    in->data_scope = std::string(domain::DataScopeCode(*scope));
  }
  ZB_RETURN_IF_ERROR(GetString(body, "remark", &in->remark));
  if (in->remark) ZB_RETURN_IF_ERROR(ValidateLine(*in->remark, "remark", "备注", 200, true));
  if (auto it = body.find("permissions"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return ValidationFailed("permissions 应为权限编码数组 (array of codes)", "permissions");
    std::vector<std::string> perms;
    for (const Json& p : *it) {
      if (!p.is_string()) return ValidationFailed("permissions 中的每一项应为字符串", "permissions");
      std::string code = p.get<std::string>();
      if (!domain::IsKnownPermission(code)) {
        return ValidationFailed("未知权限 " + QuoteForMessage(code) + " (unknown permission)", "permissions");
      }
      perms.push_back(std::move(code));
    }
    std::sort(perms.begin(), perms.end());
    perms.erase(std::unique(perms.begin(), perms.end()), perms.end());
    in->permissions = std::move(perms);
  }
  if (auto it = body.find("custom_unit_ids"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return ValidationFailed("custom_unit_ids 应为单位编号数组 (array of ids)", "custom_unit_ids");
    std::vector<int64_t> ids;
    for (const Json& v : *it) {
      if (!v.is_number_integer() || v.get<int64_t>() <= 0) {
        return ValidationFailed("custom_unit_ids 中的每一项应为正整数编号", "custom_unit_ids");
      }
      ids.push_back(v.get<int64_t>());
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    in->custom_unit_ids = std::move(ids);
  }
  return Status::Ok();
}

// The checks on a role as it will be stored (after a create or a patch):
// nothing beyond the caller (403), custom units that exist and that the
// caller sees (422 otherwise, as if unknown), and units only for a custom
// scope (returned: the list to store).
StatusOr<std::vector<int64_t>> CheckRole(db::Connection& conn, const http::Principal& p, const std::string& scope,
                                         const std::vector<std::string>& permissions,
                                         const std::vector<int64_t>& custom_unit_ids) {
  for (const std::string& perm : permissions) {
    if (!p.Has(perm)) {
      return Status(StatusCode::kForbidden,
                    "不能让角色拥有您本人没有的权限 " + perm + " (a role cannot hold a permission you lack)",
                    "permissions");
    }
  }
  if (scope == domain::DataScopeCode(domain::DataScope::kAll) && !p.scope.all) {
    return Status(StatusCode::kForbidden,
                  "您的数据范围不是“全部”,不能设置“全部” (your own data scope is narrower than all)", "data_scope");
  }
  if (scope != domain::DataScopeCode(domain::DataScope::kCustom)) return std::vector<int64_t>{};
  if (custom_unit_ids.empty()) {
    return ValidationFailed("自定义数据范围须至少选择一个单位 (custom_unit_ids: choose at least one unit)",
                            "custom_unit_ids");
  }
  for (int64_t id : custom_unit_ids) {
    auto unit = storage::GetOrgUnit(conn, id);
    if (unit.status().code() == StatusCode::kNotFound || (unit.ok() && !InScope(p, unit->id, unit->path))) {
      return ValidationFailed("组织机构不存在:" + std::to_string(id) + " (no such org unit)", "custom_unit_ids");
    }
    ZB_RETURN_IF_ERROR(unit.status());
  }
  return custom_unit_ids;
}

int64_t CountOf(const std::map<int64_t, int64_t>& counts, int64_t id) {
  auto it = counts.find(id);
  return it == counts.end() ? 0 : it->second;
}

}  // namespace

void RegisterRoleRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kTag = "roles";
  Json str = {{"type", "string"}};
  Json permission = {{"type", "object"}, {"properties", {{"code", str}, {"label", str}}}};
  Json group = {{"type", "object"},
                {"properties",
                 {{"group", str}, {"label", str}, {"permissions", {{"type", "array"}, {"items", permission}}}}}};
  Json catalogue_schema = {{"type", "object"}, {"properties", {{"groups", {{"type", "array"}, {"items", group}}}}}};

  router.Add("GET", "/api/v1/permissions",
             {.summary = "权限目录(按分组),供角色编辑使用 (the permission catalogue, grouped)",
              .tag = kTag,
              .permission = "role:read",
              .response_schema = catalogue_schema},
             [](Request&) -> StatusOr<Response> {
               Json groups = Json::array();
               for (const auto& p : domain::AllPermissions()) {
                 if (groups.empty() || groups.back()["group"] != p.group) {
                   groups.push_back({{"group", p.group}, {"label", p.group_label}, {"permissions", Json::array()}});
                 }
                 groups.back()["permissions"].push_back({{"code", p.code}, {"label", p.label}});
               }
               return Response::Json({{"groups", groups}});
             });

  router.Add("GET", "/api/v1/roles",
             {.summary = "角色列表,含用户数 (every role, with how many users hold it)",
              .tag = kTag,
              .permission = "role:read",
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"items", {{"type", "array"}, {"items", RoleSchema()}}},
                                    {"total", {{"type", "integer"}}},
                                    {"page", {{"type", "integer"}}},
                                    {"page_size", {{"type", "integer"}}}}}}},
             [&ctx](Request&) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto roles, storage::ListRoles(*conn));
               ZB_ASSIGN_OR_RETURN(auto counts, storage::CountUsersByRole(*conn));
               Json items = Json::array();
               for (const auto& r : roles) items.push_back(ToJson(r, CountOf(counts, r.id)));
               const size_t n = roles.size();
               return Response::Json({{"items", std::move(items)}, {"total", n}, {"page", 1}, {"page_size", n}});
             });

  router.Add("GET", "/api/v1/roles/{id}",
             {.summary = "角色详情 (one role)", .tag = kTag, .permission = "role:read", .response_schema = RoleSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto role, storage::GetRole(*conn, id));
               ZB_ASSIGN_OR_RETURN(auto counts, storage::CountUsersByRole(*conn));
               return Response::Json(ToJson(role, CountOf(counts, id)));
             });

  router.Add("POST", "/api/v1/roles",
             {.summary = "新建角色 (create a role)",
              .tag = kTag,
              .permission = "role:write",
              .request_schema = InputSchema(true),
              .response_schema = RoleSchema(),
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(
                   CheckObject(body, {"code", "name", "data_scope", "remark", "permissions", "custom_unit_ids"}));
               RoleInput in;
               ZB_RETURN_IF_ERROR(ReadRoleInput(body, &in));
               if (!in.code) return ValidationFailed("请填写角色编码 (code is required)", "code");
               if (!in.name) return ValidationFailed("请填写角色名称 (name is required)", "name");
               if (!in.data_scope) return ValidationFailed("请选择数据范围 (data_scope is required)", "data_scope");
               storage::NewRole row{.code = *in.code,
                                    .name = *in.name,
                                    .data_scope = *in.data_scope,
                                    .remark = in.remark.value_or(""),
                                    .permissions = in.permissions.value_or(std::vector<std::string>{})};
               storage::Role created;
               const int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(row.custom_unit_ids,
                                     CheckRole(c, p, row.data_scope, row.permissions,
                                               in.custom_unit_ids.value_or(std::vector<int64_t>{})));
                 ZB_ASSIGN_OR_RETURN(created, storage::CreateRole(c, row, now));
                 return RecordAudit(c, req, now, "create", "role", std::to_string(created.id),
                                    ChangedFields(nullptr, AuditJson(created)));
               });
               if (s.code() == StatusCode::kAlreadyExists) {
                 return AlreadyExists("角色编码 " + row.code + " 已存在 (code already in use)", "code");
               }
               ZB_RETURN_IF_ERROR(s);
               Response r = Response::Json(201, ToJson(created, 0));
               r.With("Location", "/api/v1/roles/" + std::to_string(created.id));
               return r;
             });

  router.Add("PATCH", "/api/v1/roles/{id}",
             {.summary = "修改角色,需带版本号;内置系统管理员角色不可修改 (update a role; the built-in admin role "
                         "cannot be changed)",
              .tag = kTag,
              .permission = "role:write",
              .request_schema = InputSchema(false),
              .response_schema = RoleSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(
                   CheckObject(body, {"name", "data_scope", "remark", "permissions", "custom_unit_ids", "version"}));
               RoleInput in;
               ZB_RETURN_IF_ERROR(ReadRoleInput(body, &in));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               storage::Role updated;
               int64_t users = 0;
               const int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto before, storage::GetRole(c, id));
                 if (before.builtin && before.code == "admin") {
                   return Conflict("内置角色“" + before.name + "”不能修改 (the built-in admin role cannot be changed)");
                 }
                 storage::RoleChanges changes{.name = in.name,
                                              .data_scope = in.data_scope,
                                              .remark = in.remark,
                                              .permissions = in.permissions};
                 ZB_ASSIGN_OR_RETURN(changes.custom_unit_ids,
                                     CheckRole(c, p, in.data_scope.value_or(before.data_scope),
                                               in.permissions.value_or(before.permissions),
                                               in.custom_unit_ids.value_or(before.custom_unit_ids)));
                 ZB_ASSIGN_OR_RETURN(updated, storage::UpdateRole(c, id, version, changes, now));
                 ZB_ASSIGN_OR_RETURN(auto counts, storage::CountUsersByRole(c));
                 users = CountOf(counts, id);
                 return RecordAudit(c, req, now, "update", "role", std::to_string(id),
                                    ChangedFields(AuditJson(before), AuditJson(updated)));
               });
               if (s.code() == StatusCode::kVersionConflict) {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(auto current, storage::GetRole(*conn, id));
                 ZB_ASSIGN_OR_RETURN(auto counts, storage::CountUsersByRole(*conn));
                 return Response::Error(VersionConflict("该角色已被他人修改(当前版本 " +
                                                        std::to_string(current.version) +
                                                        "),请刷新后再改 (changed by someone else)"),
                                        {{"current", ToJson(current, CountOf(counts, id))}});
               }
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(ToJson(updated, users));
             });

  router.Add("DELETE", "/api/v1/roles/{id}",
             {.summary = "删除角色;内置角色或仍有用户使用的角色不能删除 (delete an unused custom role)",
              .tag = kTag,
              .permission = "role:write",
              .success_status = 204},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               const int64_t now = ctx.clock->NowMs();
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto before, storage::GetRole(c, id));
                 ZB_RETURN_IF_ERROR(storage::DeleteRole(c, id));
                 return RecordAudit(c, req, now, "delete", "role", std::to_string(id), {{"before", AuditJson(before)}});
               }));
               return Response::NoContent();
             });
}

}  // namespace zb::api
