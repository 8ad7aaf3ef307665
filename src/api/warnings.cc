// /api/v1/warnings (预警) and /api/v1/warnings/settings: the stored
// warnings of the projects in the caller's scope, and the thresholds.
// docs/api-schedule.md "Warnings 预警".
#include "api/warnings.h"

#include <mutex>
#include <string>

#include "api/audit.h"
#include "api/json_input.h"
#include "api/projects.h"
#include "core/date.h"
#include "domain/project.h"
#include "domain/warnings.h"
#include "storage/calendar_repo.h"
#include "storage/list_cache.h"
#include "storage/warning_store.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr const char* kTag = "预警 Warnings";

constexpr const char* kThresholdFields[] = {"slack_yellow", "due_soon", "not_started_red_months",
                                            "lag_yellow_points", "lag_red_points"};

int* ThresholdField(domain::WarningThresholds& t, std::string_view name) {
  if (name == "slack_yellow") return &t.slack_yellow;
  if (name == "due_soon") return &t.due_soon;
  if (name == "not_started_red_months") return &t.not_started_red_months;
  if (name == "lag_yellow_points") return &t.lag_yellow_points;
  return &t.lag_red_points;
}

Json SettingsJson(const storage::WarningSettings& s) {
  domain::WarningThresholds t = s.thresholds;
  Json out = {{"version", s.version},
              {"updated_at", s.updated_at ? Json(FormatRfc3339(s.updated_at)) : Json(nullptr)}};
  for (const char* f : kThresholdFields) out[f] = *ThresholdField(t, f);
  return out;
}

Json SettingsSchema() {
  Json props = {{"version", {{"type", "integer"}}}, {"updated_at", {{"type", "string"}, {"nullable", true}}}};
  props["slack_yellow"] = {{"type", "integer"}, {"description", "机动时间不超过此数(工作日)即黄色"}};
  props["due_soon"] = {{"type", "integer"}, {"description", "距最晚完成不超过此数(工作日)即黄色"}};
  props["not_started_red_months"] = {{"type", "integer"}, {"description", "超过计划开工此数月仍未开工即红色"}};
  props["lag_yellow_points"] = {{"type", "integer"}, {"description", "形象进度落后时间进度此数个百分点即黄色"}};
  props["lag_red_points"] = {{"type", "integer"}, {"description", "落后超过此数个百分点即红色"}};
  return {{"type", "object"}, {"properties", props}};
}

Json WarningItemSchema() {
  Json str = {{"type", "string"}};
  return {{"type", "object"},
          {"properties",
           {{"project",
             {{"type", "object"},
              {"properties",
               {{"id", {{"type", "integer"}}},
                {"code", str},
                {"name", str},
                {"org_unit_name", str},
                {"level", str},
                {"level_label", str},
                {"stage", str}}}}},
            {"colour", {{"type", "string"}, {"nullable", true}}},
            {"reasons", {{"type", "array"}, {"items", str}}},
            {"red_nodes", {{"type", "integer"}}},
            {"yellow_nodes", {{"type", "integer"}}}}}};
}

// The memo of EnsureWarningsFresh: the key of the last context found fresh.
std::mutex fresh_mu;
std::string fresh_key;  // guarded by fresh_mu

}  // namespace

Status EnsureWarningsFresh(ApiContext& ctx) {
  const Date today = LocalDate(ctx.clock->NowMs());
  std::string key;
  bool stale = false;
  {
    ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
    ZB_ASSIGN_OR_RETURN(auto version, storage::ReadListVersion(*conn));
    ZB_ASSIGN_OR_RETURN(storage::WarningContext wc, storage::LoadWarningContext(*conn, today));
    key = (version ? version->epoch : std::string()) + "|" + today.ToString() + "|" +
          std::to_string(wc.calendar_version) + "|" + std::to_string(wc.settings_version);
    std::lock_guard lock(fresh_mu);
    if (fresh_key == key) return Status();
    ZB_ASSIGN_OR_RETURN(stale, storage::WarningsStale(*conn, wc));
  }
  std::lock_guard lock(fresh_mu);
  if (fresh_key == key) return Status();  // another caller recomputed meanwhile
  if (stale) {
    ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(storage::WarningContext wc, storage::LoadWarningContext(c, today));
      return storage::RecomputeStale(c, wc).status();
    }));
  }
  fresh_key = key;
  return Status();
}

void RegisterWarningRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/warnings",
             {.summary = "预警清单:范围内项目的红黄绿预警与原因,附各色计数 (warnings of the projects in your scope)",
              .tag = kTag,
              .permission = "project:read",
              .query = [] {
                auto q = ProjectFilterDocs();
                q.push_back({.name = "colour", .description = "red 红 / yellow 黄 / green 绿 / none 无,可多个"});
                q.push_back({.name = "page", .type = "integer"});
                q.push_back({.name = "page_size", .type = "integer"});
                return q;
              }(),
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"items", {{"type", "array"}, {"items", WarningItemSchema()}}},
                                    {"total", {{"type", "integer"}}},
                                    {"counts", {{"type", "object"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_RETURN_IF_ERROR(EnsureWarningsFresh(ctx));
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(storage::ProjectFilter f,
                                   ParseProjectFilter(req, *conn, *req.principal(), ctx.clock->NowMs()));
               ZB_ASSIGN_OR_RETURN(auto colours, WarningFilterValues(req, "colour"));
               if (!colours.empty()) f.warnings = std::move(colours);
               if (f.sort.empty()) f.sort = {{"warning", false}};
               f.with_facets = true;
               ZB_ASSIGN_OR_RETURN(storage::ProjectPage page, storage::ListProjects(*conn, f));
               ZB_ASSIGN_OR_RETURN(auto calendar, storage::CurrentCalendar(*conn));
               const Date today = *f.today;  // the day the order is for: the words too
               Json items = Json::array();
               for (const auto& p : page.items) {
                 items.push_back({{"project",
                                   {{"id", p.id},
                                    {"code", p.data.code},
                                    {"name", p.data.name},
                                    {"org_unit_name", p.org_unit_name},
                                    {"level", p.data.level},
                                    {"level_label", domain::ProjectLevelLabel(p.data.level)},
                                    {"stage", p.stage}}},
                                  {"colour", p.warning_colour.empty() ? Json(nullptr) : Json(p.warning_colour)},
                                  {"reasons", storage::RenderWarningReasons(p.warning_reasons,
                                                                            p.warning_valid_until, today, *calendar)},
                                  {"red_nodes", p.warning_red_nodes},
                                  {"yellow_nodes", p.warning_yellow_nodes}});
               }
               Json counts = Json::object();
               for (const auto& c : page.facets.warning) counts[c.value] = c.count;
               return Response::Json({{"items", std::move(items)},
                                      {"total", page.total},
                                      {"page", f.page},
                                      {"page_size", f.page_size},
                                      {"counts", std::move(counts)}});
             });

  router.Add("GET", "/api/v1/warnings/settings",
             {.summary = "预警阈值 (warning thresholds)",
              .tag = kTag,
              .permission = "project:read",
              .response_schema = SettingsSchema()},
             [&ctx](Request&) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto settings, storage::GetWarningSettings(*conn));
               return Response::Json(SettingsJson(settings));
             });

  router.Add("PUT", "/api/v1/warnings/settings",
             {.summary = "修改预警阈值,随即重算全部预警 (change the thresholds; every warning is recomputed)",
              .tag = kTag,
              .permission = "template:write",
              .request_schema = SettingsSchema(),
              .response_schema = SettingsSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"slack_yellow", "due_soon", "not_started_red_months",
                                                     "lag_yellow_points", "lag_red_points", "version"}));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               const int64_t now = ctx.clock->NowMs();
               Json out;
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto before, storage::GetWarningSettings(c));
                 domain::WarningThresholds t = before.thresholds;
                 for (const char* name : kThresholdFields) {
                   std::optional<int64_t> v;
                   ZB_RETURN_IF_ERROR(GetInt(body, name, &v));
                   if (!v) continue;
                   if (*v < 0 || *v > 10000) {
                     return ValidationFailed(std::string(name) + " 应为 0–10000 的整数 (out of range)", name);
                   }
                   *ThresholdField(t, name) = static_cast<int>(*v);
                 }
                 ZB_RETURN_IF_ERROR(domain::Validate(t));
                 ZB_ASSIGN_OR_RETURN(auto after,
                                     storage::UpdateWarningSettings(c, t, version, req.principal()->user_id, now));
                 out = SettingsJson(after);
                 ZB_ASSIGN_OR_RETURN(storage::WarningContext wc, storage::LoadWarningContext(c, LocalDate(now)));
                 ZB_RETURN_IF_ERROR(storage::RecomputeAll(c, wc).status());
                 return RecordAudit(c, req, now, "update", "warning_settings", "1",
                                    ChangedFields(SettingsJson(before), out));
               });
               if (s.code() == StatusCode::kVersionConflict) {  // someone saved in between: show what they saved
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(auto current, storage::GetWarningSettings(*conn));
                 return Response::Error(s, {{"current", SettingsJson(current)}});
               }
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(out);
             });
}

}  // namespace zb::api
