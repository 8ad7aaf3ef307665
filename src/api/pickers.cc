// /api/v1/pickers — the choices a project's 包保 needs, across the whole
// district: a 镇街 user filing a project must name a district leader as
// 包保领导 and a district department as 责任部门, though neither is in
// their data scope. Only what a picker shows travels (id, name, unit) —
// never mobiles, e-mails or roles — and only active units and officials
// (enterprise accounts are never offered, nor may they browse the list).
#include <string>

#include "api/api.h"
#include "api/json_input.h"
#include "core/text.h"
#include "storage/org_unit_repo.h"
#include "storage/user_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr int64_t kMaxPickerUsers = 50;

Json RefList(const Json& item_properties) {
  return {{"type", "object"},
          {"properties",
           {{"items", {{"type", "array"}, {"items", {{"type", "object"}, {"properties", item_properties}}}}}}}};
}

}  // namespace

void RegisterPickerRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kTag = "pickers";

  router.Add("GET", "/api/v1/pickers/departments",
             {.summary = "可选的责任部门:全区在用的部门,不受数据范围限制 (active departments, for 责任部门)",
              .tag = kTag,
              .permission = "project:read",
              .response_schema = RefList({{"id", {{"type", "integer"}}},
                                          {"name", {{"type", "string"}}},
                                          {"parent_name", {{"type", "string"}}}})},
             [&ctx](Request&) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto units, storage::ListOrgUnits(*conn, std::nullopt, /*include_inactive=*/false));
               std::map<int64_t, std::string> names;
               for (const auto& u : units) names[u.id] = u.name;
               Json items = Json::array();
               for (const auto& u : units) {
                 if (u.kind != "department") continue;
                 std::string parent = u.parent_id && names.contains(*u.parent_id) ? names[*u.parent_id] : "";
                 items.push_back({{"id", u.id}, {"name", u.name}, {"parent_name", parent}});
               }
               return Response::Json({{"items", std::move(items)}});
             });

  router.Add("GET", "/api/v1/pickers/users",
             {.summary = "可选的人员(包保领导、包联人员、专班成员):全区在用的工作人员,仅姓名与单位,不受数据范围限制 "
                         "(active officials for 包保 and 专班)",
              .tag = kTag,
              .permission = "project:read",
              .query = {{.name = "keyword", .description = "姓名、登录名或手机号的一部分"},
                        {.name = "page_size", .type = "integer", .description = "默认 20,最多 50"}},
              .response_schema = RefList({{"id", {{"type", "integer"}}},
                                          {"name", {{"type", "string"}}},
                                          {"login", {{"type", "string"}}},
                                          {"org_unit_name", {{"type", "string"}}}})},
             [&ctx](Request& req) -> StatusOr<Response> {
               if (req.principal()->enterprise_id) {
                 return Forbidden("企业账号不能查看工作人员名单 (enterprise accounts cannot list officials)");
               }
               std::string keyword(req.Query("keyword").value_or(""));
               ZB_RETURN_IF_ERROR(ValidateLine(keyword, "keyword", "关键词", 50, true));
               ZB_ASSIGN_OR_RETURN(Paging paging, QueryPaging(req));
               if (paging.page_size > kMaxPickerUsers) {
                 return ValidationFailed("page_size 最多 50 (at most 50)", "page_size");
               }
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               // Enterprise accounts are skipped after reading, so read a
               // little more than asked for.
               ZB_ASSIGN_OR_RETURN(auto page, storage::ListUsers(*conn, {.keyword = keyword,
                                                                        .active = true,
                                                                        .page = 1,
                                                                        .page_size = paging.page_size * 2}));
               Json items = Json::array();
               for (const auto& u : page.items) {
                 if (u.enterprise_id) continue;
                 if (static_cast<int64_t>(items.size()) >= paging.page_size) break;
                 items.push_back(
                     {{"id", u.id}, {"name", u.display_name}, {"login", u.login}, {"org_unit_name", u.org_unit_name}});
               }
               return Response::Json({{"items", std::move(items)}});
             });
}

}  // namespace zb::api
