// /api/v1/gantt (挂图作战): every project in the caller's scope that matches
// the project list's filters — uncapped — with its plan span and key nodes,
// for the portfolio Gantt. Rows are arrays, not objects, so 10 000 rows stay
// small. docs/api-schedule.md "Gantt 挂图作战".
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/api.h"
#include "api/projects.h"
#include "api/warnings.h"
#include "core/date.h"
#include "domain/project.h"
#include "storage/calendar_repo.h"
#include "storage/scope_sql.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr const char* kTag = "预警 Warnings";

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

// One project's plan as the portfolio shows it.
struct Span {
  std::string plan_start, plan_finish, forecast_finish;  // '' when unknown
  Json nodes = Json::array();
};

// Dates are 'YYYY-MM-DD', so text order is date order.
void Lower(std::string& at, const std::string& v) {
  if (!v.empty() && (at.empty() || v < at)) at = v;
}
void Raise(std::string& at, const std::string& v) {
  if (!v.empty() && v > at) at = v;
}

// The spans of `ids`' plans: the 倒排 plan from the earliest latest start
// (else forecast start) to the last latest finish (else forecast finish),
// the last forecast finish, and the milestones and lifecycle-event nodes.
StatusOr<std::unordered_map<int64_t, Span>> LoadSpans(db::Connection& conn, const std::vector<int64_t>& ids) {
  std::unordered_map<int64_t, Span> out;
  db::Params params;
  const std::string in = storage::InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("SELECT project_id, name, event, duration, latest_start, latest_finish, "
                                 "forecast_start, forecast_finish, actual_finish, colour FROM plan_nodes "
                                 "WHERE project_id IN (" + in + ") ORDER BY project_id, sort, id",
                                 params));
  for (const db::Row& row : r.rows) {
    Span& s = out[row.Int("project_id")];
    const std::string latest_start = row.IsNull("latest_start") ? "" : row.Text("latest_start");
    const std::string latest_finish = row.IsNull("latest_finish") ? "" : row.Text("latest_finish");
    const std::string forecast_start = row.IsNull("forecast_start") ? "" : row.Text("forecast_start");
    const std::string forecast_finish = row.IsNull("forecast_finish") ? "" : row.Text("forecast_finish");
    const std::string actual_finish = row.IsNull("actual_finish") ? "" : row.Text("actual_finish");
    Lower(s.plan_start, latest_start.empty() ? forecast_start : latest_start);
    Raise(s.plan_finish, latest_finish.empty() ? forecast_finish : latest_finish);
    Raise(s.forecast_finish, forecast_finish);
    const std::string event = row.Text("event");
    if (row.Int("duration") == 0 || !event.empty()) {
      s.nodes.push_back({row.Text("name"), event, OrNull(latest_finish), OrNull(forecast_finish),
                         OrNull(actual_finish), OrNull(row.Text("colour"))});
    }
  }
  return out;
}

// The first seven members of each row of `ids`: [id, code, name,
// unit_name, level_label, stage, colour].
StatusOr<std::unordered_map<int64_t, Json>> LoadHeads(db::Connection& conn, const std::vector<int64_t>& ids) {
  std::unordered_map<int64_t, Json> out;
  db::Params params;
  const std::string in = storage::InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("SELECT p.id, p.code, p.name, o.name AS unit_name, p.level, p.stage, "
                                 "COALESCE(w.colour, '') AS colour FROM projects p "
                                 "JOIN org_units o ON o.id = p.org_unit_id "
                                 "LEFT JOIN project_warnings w ON w.project_id = p.id WHERE p.id IN (" + in + ")",
                                 params));
  for (const db::Row& row : r.rows) {
    const int64_t id = row.Int("id");
    out[id] = Json::array({id, row.Text("code"), row.Text("name"), row.Text("unit_name"),
                           domain::ProjectLevelLabel(row.Text("level")), row.Text("stage"),
                           OrNull(row.Text("colour"))});
  }
  return out;
}

}  // namespace

void RegisterGanttRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/gantt",
             {.summary = "挂图作战:范围内全部项目(不设上限)的计划跨度与关键节点 (the portfolio Gantt's rows)",
              .tag = kTag,
              .permission = "project:read",
              .query = [] {
                auto q = ProjectFilterDocs();
                q.push_back({.name = "group", .description = "unit 按单位 / level 按级别:行的顺序"});
                return q;
              }(),
              .response_schema =
                  {{"type", "object"},
                   {"description",
                    "rows: [id, code, name, unit_name, level_label, stage, colour, plan_start, plan_finish, "
                    "forecast_finish, nodes]; nodes: [[name, event, latest_finish, forecast_finish, "
                    "actual_finish, colour], …]"},
                   {"properties",
                    {{"today", {{"type", "string"}}},
                     {"from", {{"type", "string"}}},
                     {"to", {{"type", "string"}}},
                     {"overrides", {{"type", "array"}}},
                     {"rows", {{"type", "array"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_RETURN_IF_ERROR(EnsureWarningsFresh(ctx));
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               const Date today = LocalDate(ctx.clock->NowMs());
               ZB_ASSIGN_OR_RETURN(storage::ProjectFilter f,
                                   ParseProjectFilter(req, *conn, *req.principal(), ctx.clock->NowMs()));
               const std::string group(req.Query("group").value_or(""));
               if (!group.empty() && group != "unit" && group != "level") {
                 return ValidationFailed("group 应为 unit(按单位)或 level(按级别)", "group");
               }
               if (f.sort.empty()) {
                 if (group == "unit") f.sort.push_back({"org_unit_name", false});
                 if (group == "level") f.sort.push_back({"level", false});
                 f.sort.push_back({"code", false});
               }
               // The ids in order, then per chunk the few columns a row shows
               // and the plans' nodes.
               ZB_ASSIGN_OR_RETURN(std::vector<int64_t> ids, storage::MatchingProjectIds(*conn, f));
               Json rows = Json::array();
               std::string from = today.AddDays(-30).ToString(), to = today.AddDays(180).ToString();
               constexpr size_t kChunk = 1000;
               for (size_t i = 0; i < ids.size(); i += kChunk) {
                 std::vector<int64_t> chunk(ids.begin() + static_cast<long>(i),
                                            ids.begin() + static_cast<long>(std::min(ids.size(), i + kChunk)));
                 ZB_ASSIGN_OR_RETURN(auto heads, LoadHeads(*conn, chunk));
                 ZB_ASSIGN_OR_RETURN(auto spans, LoadSpans(*conn, chunk));
                 for (size_t k = 0; k < chunk.size(); ++k) {
                   auto head = heads.find(chunk[k]);
                   if (head == heads.end()) continue;  // deleted since the ids were read
                   rows.push_back(std::move(head->second));
                   Json& row = rows.back();
                   auto it = spans.find(chunk[k]);
                   if (it == spans.end()) {
                     row.insert(row.end(), {nullptr, nullptr, nullptr, Json::array()});
                     continue;
                   }
                   Span& s = it->second;
                   Lower(from, s.plan_start);
                   Raise(to, s.plan_finish);
                   Raise(to, s.forecast_finish);
                   row.insert(row.end(), {OrNull(s.plan_start), OrNull(s.plan_finish), OrNull(s.forecast_finish),
                                          std::move(s.nodes)});
                 }
               }
               // A plan reaching decades away would make the chart unreadable:
               // the range stops three years back and eight ahead.
               from = std::max(from, today.AddDays(-3 * 366).ToString());
               to = std::min(to, today.AddDays(8 * 366).ToString());
               ZB_ASSIGN_OR_RETURN(auto days, storage::ListCalendarDays(*conn, *Date::Parse(from), *Date::Parse(to)));
               Json overrides = Json::array();
               for (const auto& d : days) {
                 overrides.push_back({{"date", d.date.ToString()}, {"kind", storage::DayKindCode(d.kind)}});
               }
               return Response::Json({{"today", today.ToString()},
                                      {"from", from},
                                      {"to", to},
                                      {"overrides", std::move(overrides)},
                                      {"rows", std::move(rows)}});
             });
}

}  // namespace zb::api
