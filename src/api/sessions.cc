// /api/v1/sessions — 在线用户: who is signed in now, and forced logout.
//
// A session's id here is the stored SHA-256 of its cookie (64 hex digits):
// an opaque handle that cannot sign anyone in. Only sessions still valid now
// (idle and absolute limits applied) of users in the caller's data scope are
// listed or revocable; anything else is 404, as if it did not exist.
#include <algorithm>

#include "api/api.h"
#include "api/audit.h"
#include "api/scope.h"
#include "core/date.h"
#include "storage/session_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

bool IsSessionId(std::string_view id) {
  return id.size() == 64 &&
         std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Json SessionSchema() {
  Json str = {{"type", "string"}}, time = {{"type", "string"}, {"format", "date-time"}};
  return {{"type", "object"},
          {"properties",
           {{"id", str},
            {"user_id", {{"type", "integer"}}},
            {"login", str},
            {"display_name", str},
            {"ip", str},
            {"user_agent", str},
            {"created_at", time},
            {"last_seen_at", time},
            {"current", {{"type", "boolean"}}}}}};
}

}  // namespace

void RegisterSessionRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kTag = "sessions";

  router.Add("GET", "/api/v1/sessions",
             {.summary = "在线用户:当前有效的会话 (sessions valid now, users in your data scope)",
              .tag = kTag,
              .permission = "session:read",
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"items", {{"type", "array"}, {"items", SessionSchema()}}},
                                    {"total", {{"type", "integer"}}},
                                    {"page", {{"type", "integer"}}},
                                    {"page_size", {{"type", "integer"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& me = *req.principal();
               int64_t now = ctx.clock->NowMs();
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto sessions,
                                   storage::ListActiveSessionsInScope(*conn, now, ctx.security.session.idle_ms,
                                                                      ctx.security.session.absolute_ms, ScopeSql(me)));
               Json items = Json::array();
               for (const auto& s : sessions) {
                 items.push_back({{"id", s.session.id_hash},
                                  {"user_id", s.session.user_id},
                                  {"login", s.login},
                                  {"display_name", s.display_name},
                                  {"ip", s.session.ip},
                                  {"user_agent", s.session.user_agent},
                                  {"created_at", FormatRfc3339(s.session.created_at)},
                                  {"last_seen_at", FormatRfc3339(s.session.last_seen_at)},
                                  {"current", !me.session_id_hash.empty() && s.session.id_hash == me.session_id_hash}});
               }
               size_t n = sessions.size();
               Response r = Response::Json({{"items", std::move(items)}, {"total", n}, {"page", 1}, {"page_size", n}});
               r.With("Cache-Control", "no-store");
               return r;
             });

  router.Add("DELETE", "/api/v1/sessions/{id}",
             {.summary = "强制下线:撤销该会话,其浏览器的下一个请求即为未登录 (forced logout)",
              .tag = kTag,
              .permission = "session:revoke",
              .success_status = 204},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& me = *req.principal();
               std::string id(req.PathParam("id"));
               if (!IsSessionId(id)) {
                 return ValidationFailed("会话编号应为 64 位小写十六进制 (id must be 64 lower-case hex digits)", "id");
               }
               int64_t now = ctx.clock->NowMs();
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto found, storage::FindSessionWithUnit(c, id));
                 // Already ended (revoked, idle, too old) or outside the scope:
                 // the same 404 as an unknown id.
                 if (!found ||
                     domain::CheckSession(found->session.created_at, found->session.last_seen_at,
                                          found->session.revoked_at, now,
                                          ctx.security.session) != domain::SessionState::kValid ||
                     !InScope(me, found->org_unit_id, found->org_path, found->session.user_id == me.user_id)) {
                   return NotVisible("在线会话", "session");
                 }
                 ZB_RETURN_IF_ERROR(storage::RevokeSession(c, id, now, "forced_logout"));
                 // Named by its user: the audit log keeps no cookie material.
                 return RecordAudit(c, req, now, "force_logout", "session", std::to_string(found->session.user_id),
                                    ChangedFields(nullptr, {{"login", found->login},
                                                            {"ip", found->session.ip},
                                                            {"signed_in_at", FormatRfc3339(found->session.created_at)},
                                                            {"revoked_reason", "forced_logout"}}));
               }));
               return Response::NoContent();
             });
}

}  // namespace zb::api
