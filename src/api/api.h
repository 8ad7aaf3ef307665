// Route registration, one function per resource file. Handlers are thin:
// parse and validate input → domain / repository → JSON.
#pragma once

#include <memory>
#include <string>

#include "api/auth.h"
#include "core/clock.h"
#include "domain/sign_in.h"
#include "http/router.h"
#include "storage/db.h"

namespace zb::http {
class Service;
}

namespace zb::api {

// What handlers need; owned by the app, outlives the server.
struct ApiContext {
  db::Pool* pool = nullptr;
  const Clock* clock = nullptr;
  std::string version;
  // Set once the Service exists (after the router is built); read by /metrics.
  http::Service* service = nullptr;
  // /api/openapi.json, generated from the finished route table at start-up.
  std::string openapi;
  SecurityConfig security;
  std::string data_dir;  // uploaded files live under it (attachments.cc)
  std::unique_ptr<domain::IpFailureLimiter> ip_limiter;
};

void RegisterSystemRoutes(http::Router& router, ApiContext& ctx);    // system.cc
void RegisterOrgUnitRoutes(http::Router& router, ApiContext& ctx);   // org_units.cc
void RegisterAuthRoutes(http::Router& router, ApiContext& ctx);      // auth.cc
void RegisterApiTokenRoutes(http::Router& router, ApiContext& ctx);  // api_tokens.cc
void RegisterUserRoutes(http::Router& router, ApiContext& ctx);      // users.cc
void RegisterRoleRoutes(http::Router& router, ApiContext& ctx);      // roles.cc
void RegisterSessionRoutes(http::Router& router, ApiContext& ctx);   // sessions.cc
void RegisterLogRoutes(http::Router& router, ApiContext& ctx);       // logs.cc
void RegisterDictionaryRoutes(http::Router& router, ApiContext& ctx);  // dictionaries.cc
void RegisterEnterpriseRoutes(http::Router& router, ApiContext& ctx);  // enterprises.cc
void RegisterProjectRoutes(http::Router& router, ApiContext& ctx);     // projects.cc
void RegisterTeamRoutes(http::Router& router, ApiContext& ctx);        // teams.cc
void RegisterPickerRoutes(http::Router& router, ApiContext& ctx);      // pickers.cc
void RegisterImportRoutes(http::Router& router, ApiContext& ctx);      // imports.cc (Excel in and out)
void RegisterWarningRoutes(http::Router& router, ApiContext& ctx);     // warnings.cc
void RegisterGanttRoutes(http::Router& router, ApiContext& ctx);       // gantt.cc
void RegisterCalendarRoutes(http::Router& router, ApiContext& ctx);    // calendar.cc
void RegisterNodeTemplateRoutes(http::Router& router, ApiContext& ctx);  // node_templates.cc
void RegisterPlanRoutes(http::Router& router, ApiContext& ctx);          // plans.cc
void RegisterAttachmentRoutes(http::Router& router, ApiContext& ctx);    // attachments.cc
void RegisterProblemRoutes(http::Router& router, ApiContext& ctx);       // problems.cc (问题台账)
void RegisterNotificationRoutes(http::Router& router, ApiContext& ctx);  // notifications.cc (站内消息)
void RegisterProblemStatsRoutes(http::Router& router, ApiContext& ctx);  // problem_stats.cc (问题统计)
void RegisterProblemIoRoutes(http::Router& router, ApiContext& ctx);     // problem_io.cc (问题台账 Excel)

// Every route of the product.
inline void RegisterAllRoutes(http::Router& router, ApiContext& ctx) {
  RegisterSystemRoutes(router, ctx);
  RegisterOrgUnitRoutes(router, ctx);
  RegisterAuthRoutes(router, ctx);
  RegisterApiTokenRoutes(router, ctx);
  RegisterUserRoutes(router, ctx);
  RegisterRoleRoutes(router, ctx);
  RegisterSessionRoutes(router, ctx);
  RegisterLogRoutes(router, ctx);
  RegisterDictionaryRoutes(router, ctx);
  RegisterEnterpriseRoutes(router, ctx);
  RegisterProjectRoutes(router, ctx);
  RegisterTeamRoutes(router, ctx);
  RegisterPickerRoutes(router, ctx);
  RegisterImportRoutes(router, ctx);
  RegisterWarningRoutes(router, ctx);
  RegisterGanttRoutes(router, ctx);
  RegisterCalendarRoutes(router, ctx);
  RegisterNodeTemplateRoutes(router, ctx);
  RegisterPlanRoutes(router, ctx);
  RegisterAttachmentRoutes(router, ctx);
  RegisterProblemRoutes(router, ctx);
  RegisterNotificationRoutes(router, ctx);
  RegisterProblemStatsRoutes(router, ctx);
  RegisterProblemIoRoutes(router, ctx);
}

}  // namespace zb::api
