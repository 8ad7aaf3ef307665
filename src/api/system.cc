// Health, readiness, metrics, the OpenAPI document, system info and the
// dictionaries of enumerations.
#include "api/api.h"
#include "domain/data_scope.h"
#include "domain/org_unit.h"
#include "domain/project.h"
#include "http/service.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;
using http::RouteDoc;

void RegisterSystemRoutes(http::Router& router, ApiContext& ctx) {
  static const std::string kHealthy = R"({"status":"ok"})";
  router.Add("GET", "/healthz", RouteDoc{.summary = "进程存活检查 (liveness)", .tag = "system", .permission = std::string(http::kPublic)},
             [](Request&) -> StatusOr<Response> {
               Response r;
               r.body = kHealthy;
               r.With("Cache-Control", "no-store");
               return r;
             });

  router.Add("GET", "/readyz", RouteDoc{.summary = "就绪检查:数据库可用 (readiness: database reachable)", .tag = "system", .permission = std::string(http::kPublic)},
             [&ctx](Request&) -> StatusOr<Response> {
               auto lease = ctx.pool->Read();
               Status s = lease.ok() ? (*lease)->Ping() : lease.status();
               if (!s.ok()) return Unavailable("数据库不可用 (database unavailable): " + s.message());
               return Response::Json({{"status", "ok"}, {"database", db::DialectName(ctx.pool->dialect())}});
             });

  router.Add("GET", "/metrics",
             RouteDoc{.summary = "Prometheus 指标 (request counts, latency histogram)",
                      .tag = "system",
                      .permission = std::string(http::kPublic),
                      .success_content_type = "text/plain"},
             [&ctx](Request&) -> StatusOr<Response> {
               return Response::Text(200, ctx.service->metrics().Render(), "text/plain; version=0.0.4; charset=utf-8");
             });

  router.Add("GET", "/api/v1/system/info",
             RouteDoc{.summary = "系统信息:名称、版本、数据库类型 (system info)",
                      .tag = "system",
                      .permission = std::string(http::kPublic),
                      .response_schema = {{"type", "object"},
                                          {"properties",
                                           {{"name", {{"type", "string"}}},
                                            {"version", {{"type", "string"}}},
                                            {"database", {{"type", "string"}}}}}}},
             [&ctx](Request&) -> StatusOr<Response> {
               return Response::Json({{"name", "zhuanban"},
                                      {"version", ctx.version},
                                      {"database", db::DialectName(ctx.pool->dialect())}});
             });

  router.Add("GET", "/api/openapi.json", RouteDoc{.summary = "本 API 的 OpenAPI 3 文档 (this document)", .tag = "system", .permission = std::string(http::kPublic)},
             [&ctx](Request&) -> StatusOr<Response> {
               Response r;
               r.body = ctx.openapi;
               return r;
             });

  router.Add("GET", "/api/v1/dictionaries",
             RouteDoc{.summary = "字典:枚举的编码与中英文名称 (enumerations with labels)",
                      .tag = "system",
                      .permission = std::string(http::kAuthenticated)},
             [](Request&) -> StatusOr<Response> {
               // Every table has code, label and label_en.
               auto list = [](const auto& table) {
                 Json out = Json::array();
                 for (const auto& d : table) out.push_back({{"code", d.code}, {"label", d.label}, {"label_en", d.label_en}});
                 return out;
               };
               return Response::Json({{"org_unit_kind", list(domain::OrgUnitKinds())},
                                      {"data_scope", list(domain::DataScopes())},
                                      {"project_stage", list(domain::ProjectStages())},
                                      {"project_type", list(domain::ProjectTypes())},
                                      {"project_level", list(domain::ProjectLevels())}});
             });
}

}  // namespace zb::api
