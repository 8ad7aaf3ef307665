// /api/v1/api-tokens — a user's own tokens for integrations (a city
// platform pulling figures, a robot filling a ledger). The secret is shown
// once, at creation; only its SHA-256 is kept.
#include <algorithm>

#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/permissions.h"
#include "domain/token.h"
#include "storage/api_token_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

Json ToJson(const storage::ApiToken& t, int64_t now_ms) {
  auto opt_time = [](const std::optional<int64_t>& ms) { return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr); };
  std::string state = t.revoked_at                                ? "revoked"
                      : (t.expires_at && now_ms >= *t.expires_at) ? "expired"
                                                                  : "active";
  return {{"id", t.id},
          {"name", t.name},
          {"permissions", t.permissions},
          {"expires_at", opt_time(t.expires_at)},
          {"created_at", FormatRfc3339(t.created_at)},
          {"last_used_at", opt_time(t.last_used_at)},
          {"revoked_at", opt_time(t.revoked_at)},
          {"state", state}};
}

}  // namespace

void RegisterApiTokenRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kTag = "api-tokens";
  router.Add("GET", "/api/v1/api-tokens",
             {.summary = "我的 API 令牌 (my API tokens)", .tag = kTag, .permission = "token:manage"},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto tokens, storage::ListApiTokens(*conn, req.principal()->user_id));
               Json items = Json::array();
               int64_t now = ctx.clock->NowMs();
               for (const auto& t : tokens) items.push_back(ToJson(t, now));
               size_t n = tokens.size();
               return Response::Json({{"items", items}, {"total", n}, {"page", 1}, {"page_size", n}});
             });

  router.Add("POST", "/api/v1/api-tokens",
             {.summary = "创建 API 令牌,令牌原文只显示这一次 (create a token; the secret is shown once)",
              .tag = kTag,
              .permission = "token:manage",
              .request_schema = {{"type", "object"},
                                 {"required", {"name", "permissions"}},
                                 {"properties",
                                  {{"name", {{"type", "string"}}},
                                   {"permissions", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                                   {"expires_at", {{"type", "string"}, {"format", "date"}}}}}},
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& me = *req.principal();
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"name", "permissions", "expires_at"}));
               std::optional<std::string> name, expires;
               ZB_RETURN_IF_ERROR(GetString(body, "name", &name));
               ZB_RETURN_IF_ERROR(GetString(body, "expires_at", &expires));
               if (!name) return ValidationFailed("请填写令牌名称", "name");
               ZB_RETURN_IF_ERROR(ValidateLine(*name, "name", "令牌名称", 64, false));
               if (!body.contains("permissions") || !body["permissions"].is_array() || body["permissions"].empty()) {
                 return ValidationFailed("permissions 应为非空的权限列表", "permissions");
               }
               std::vector<std::string> perms;
               for (const auto& p : body["permissions"]) {
                 if (!p.is_string()) return ValidationFailed("permissions 中的每一项应为字符串", "permissions");
                 std::string code = p.get<std::string>();
                 if (!domain::IsKnownPermission(code)) {
                   return ValidationFailed("未知权限 " + code + " (unknown permission)", "permissions");
                 }
                 if (!me.Has(code)) {
                   return ValidationFailed("令牌不能拥有本人没有的权限 " + code + " (beyond your own permissions)",
                                           "permissions");
                 }
                 perms.push_back(code);
               }
               std::sort(perms.begin(), perms.end());
               perms.erase(std::unique(perms.begin(), perms.end()), perms.end());
               int64_t now = ctx.clock->NowMs();
               std::optional<int64_t> expires_at;
               if (expires) {
                 ZB_ASSIGN_OR_RETURN(Date d, Date::Parse(*expires, "expires_at"));
                 expires_at = StartOfDayMs(d.AddDays(1));  // valid through the given day
                 if (*expires_at <= now) return ValidationFailed("到期日不能早于今天", "expires_at");
               }
               std::string secret = "zbt_" + domain::NewSecretToken();
               storage::ApiToken created;
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(created, storage::CreateApiToken(c,
                                                                      {.user_id = me.user_id,
                                                                       .name = *name,
                                                                       .token_hash = domain::Sha256Hex(secret),
                                                                       .permissions = perms,
                                                                       .expires_at = expires_at},
                                                                      now));
                 return RecordAudit(c, req, now, "create", "api_token", std::to_string(created.id),
                                    {{"after", {{"name", created.name}, {"permissions", perms}}}});
               }));
               Json out = ToJson(created, now);
               out["token"] = secret;
               Response r = Response::Json(201, out);
               r.With("Location", "/api/v1/api-tokens/" + std::to_string(created.id));
               r.With("Cache-Control", "no-store");
               return r;
             });

  router.Add("DELETE", "/api/v1/api-tokens/{id}",
             {.summary = "撤销我的 API 令牌 (revoke one of my tokens)",
              .tag = kTag,
              .permission = "token:manage",
              .success_status = 204},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               int64_t now = ctx.clock->NowMs();
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_RETURN_IF_ERROR(storage::RevokeApiToken(c, id, req.principal()->user_id, now));
                 return RecordAudit(c, req, now, "revoke", "api_token", std::to_string(id), {});
               }));
               return Response::NoContent();
             });
}

}  // namespace zb::api
