// /api/v1/notifications — 站内消息: the signed-in user's own inbox
// (docs/api-problems.md § Notifications; written by the workflow and the
// daily job through storage/notification_repo.h). Every route is the
// caller's own: no permission beyond being signed in, and another user's
// notice answers 404 like a missing one.
#include "api/api.h"
#include "api/json_input.h"
#include "core/date.h"
#include "storage/notification_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

Json ToJson(const storage::Notification& n) {
  return {{"id", n.id},
          {"kind", n.kind},
          {"title", n.title},
          {"body", n.body},
          {"entity_type", n.entity_type.empty() ? Json(nullptr) : Json(n.entity_type)},
          {"entity_id", n.entity_id > 0 ? Json(n.entity_id) : Json(nullptr)},
          {"created_at", FormatRfc3339(n.created_at)},
          {"read_at", n.read_at ? Json(FormatRfc3339(*n.read_at)) : Json(nullptr)}};
}

Json NotificationSchema() {
  Json nullable_string = {{"type", "string"}, {"nullable", true}};
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"kind", {{"type", "string"}, {"description", "problem.assigned, problem.due_soon, …"}}},
            {"title", {{"type", "string"}}},
            {"body", {{"type", "string"}}},
            {"entity_type", nullable_string},
            {"entity_id", {{"type", "integer"}, {"nullable", true}}},
            {"created_at", {{"type", "string"}, {"format", "date-time"}}},
            {"read_at", {{"type", "string"}, {"format", "date-time"}, {"nullable", true}}}}}};
}

}  // namespace

void RegisterNotificationRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kTag = "notifications";
  router.Add("GET", "/api/v1/notifications",
             {.summary = "我的站内消息,新的在前 (my notifications, newest first)",
              .tag = kTag,
              .permission = "authenticated",
              .query = {{.name = "unread", .type = "boolean", .description = "只看未读"},
                        {.name = "page", .type = "integer"},
                        {.name = "page_size", .type = "integer", .description = "默认 20,最多 1000"}},
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"items", {{"type", "array"}, {"items", NotificationSchema()}}},
                                    {"total", {{"type", "integer"}}},
                                    {"unread", {{"type", "integer"}}},
                                    {"page", {{"type", "integer"}}},
                                    {"page_size", {{"type", "integer"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Paging paging, QueryPaging(req));
               ZB_ASSIGN_OR_RETURN(bool unread_only, QueryBool(req, "unread", false));
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto page,
                                   storage::ListNotifications(*conn, req.principal()->user_id, unread_only,
                                                              (paging.page - 1) * paging.page_size, paging.page_size));
               Json items = Json::array();
               for (const auto& n : page.items) items.push_back(ToJson(n));
               return Response::Json({{"items", std::move(items)},
                                      {"total", page.total},
                                      {"unread", page.unread},
                                      {"page", paging.page},
                                      {"page_size", paging.page_size}});
             });

  router.Add("GET", "/api/v1/notifications/unread-count",
             {.summary = "我的未读消息数 (my unread count, for the header bell)",
              .tag = kTag,
              .permission = "authenticated",
              .response_schema = {{"type", "object"}, {"properties", {{"unread", {{"type", "integer"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(int64_t unread, storage::CountUnread(*conn, req.principal()->user_id));
               return Response::Json({{"unread", unread}});
             });

  // Reading one's inbox is not audited: it changes nothing but the reader's
  // own read marks.
  router.Add("POST", "/api/v1/notifications/{id}/read",
             {.summary = "标为已读 (mark one of my notifications read)",
              .tag = kTag,
              .permission = "authenticated",
              .success_status = 204},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               int64_t now = ctx.clock->NowMs();
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) {
                 return storage::MarkRead(c, req.principal()->user_id, id, now);
               }));
               return Response::NoContent();
             });

  router.Add("POST", "/api/v1/notifications/read-all",
             {.summary = "全部标为已读 (mark all my notifications read)",
              .tag = kTag,
              .permission = "authenticated",
              .response_schema = {{"type", "object"}, {"properties", {{"updated", {{"type", "integer"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               int64_t now = ctx.clock->NowMs();
               int64_t updated = 0;
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(updated, storage::MarkAllRead(c, req.principal()->user_id, now));
                 return Status();
               }));
               return Response::Json({{"updated", updated}});
             });
}

}  // namespace zb::api
