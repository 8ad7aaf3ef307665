// /api/v1/gantt (挂图作战): every project in the caller's scope that matches
// the project list's filters — uncapped — with its plan span and key nodes,
// for the portfolio Gantt. Rows are arrays, not objects, so 10 000 rows stay
// small; `limit` and `offset` give a first screen of them and the rest.
// docs/api-schedule.md "Gantt 挂图作战".
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/json_input.h"
#include "api/projects.h"
#include "api/warnings.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/project.h"
#include "storage/calendar_repo.h"
#include "storage/gantt_repo.h"
#include "storage/list_cache.h"
#include "storage/project_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr const char* kTag = "预警 Warnings";

// The answer is written straight into the body rather than built as a JSON
// tree: 10 000 rows of ~15 values and ~6 nodes each made the tree, its
// serialisation and their allocations a third of the route's time.
void AppendOpt(std::string& out, const std::optional<std::string>& v) {
  if (v) {
    AppendJsonString(out, *v);
  } else {
    out += "null";
  }
}
// '' (not judged) is written as null.
void AppendColour(std::string& out, const std::string& v) {
  if (v.empty()) {
    out += "null";
  } else {
    AppendJsonString(out, v);
  }
}

// [id, code, name, unit_name, level_label, stage, colour, plan_start,
// plan_finish, forecast_finish, nodes]; nodes: [[name, event,
// latest_finish, forecast_finish, actual_finish, colour], …]
void AppendRow(std::string& out, const storage::GanttRow& g) {
  out += '[';
  out += std::to_string(g.id);
  for (std::string_view v : {std::string_view(g.code), std::string_view(g.name), std::string_view(g.unit_name),
                             domain::ProjectLevelLabel(g.level), std::string_view(g.stage)}) {
    out += ',';
    AppendJsonString(out, v);
  }
  out += ',';
  AppendColour(out, g.colour);
  for (const auto* v : {&g.plan_start, &g.plan_finish, &g.forecast_finish}) {
    out += ',';
    AppendOpt(out, *v);
  }
  out += ",[";
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const storage::GanttNode& n = g.nodes[i];
    if (i > 0) out += ',';
    out += '[';
    AppendJsonString(out, n.name);
    out += ',';
    AppendJsonString(out, n.event);
    for (const auto* v : {&n.latest_finish, &n.forecast_finish, &n.actual_finish}) {
      out += ',';
      AppendOpt(out, *v);
    }
    out += ',';
    AppendColour(out, n.colour);
    out += ']';
  }
  out += "]]";
}

// A whole answer, kept per (scope, filter, day, calendar) at one
// ReadGanttVersion: 10 000 rows take a few hundred ms to read and write, and
// the page asks for a first screen of them and then the rest (limit,
// offset), which are slices of the same rows.
struct GanttAnswer {
  std::string head;            // {"today":…,"from":…,"to":…,"overrides":[…] — without its closing brace
  std::string rows;            // every row's array, comma-separated
  std::vector<size_t> starts;  // where each row begins in `rows`

  // The answer with rows [first, first + count) of the whole.
  std::string Body(size_t first, size_t count) const {
    const size_t n = starts.size();
    first = std::min(first, n);
    const size_t end = count > n - first ? n : first + count;
    std::string body;
    const size_t from = first < n ? starts[first] : 0;
    const size_t to = end == n ? rows.size() : starts[end] - 1;  // before the comma
    body.reserve(head.size() + 48 + (first < end ? to - from : 0));
    body += head;
    body += ",\"total\":" + std::to_string(n) + ",\"rows\":[";
    if (first < end) body.append(rows, from, to - from);
    body += "]}";
    return body;
  }
};

StatusOr<std::shared_ptr<const GanttAnswer>> BuildAnswer(db::Connection& conn, const storage::ProjectFilter& f,
                                                         const Date& today) {
  ZB_ASSIGN_OR_RETURN(std::vector<int64_t> ids, storage::MatchingProjectIds(conn, f));
  // The stored forecasts are rendered for today with the calendar
  // (storage/gantt_repo.h); both are in the answer's key.
  ZB_ASSIGN_OR_RETURN(auto calendar, storage::CurrentCalendar(conn));
  ZB_ASSIGN_OR_RETURN(std::vector<storage::GanttRow> found, storage::LoadGanttRows(conn, ids, today, *calendar));
  auto answer = std::make_shared<GanttAnswer>();
  // The chart's range: a month back to half a year ahead, widened to every
  // plan's span.
  std::string from = today.AddDays(-30).ToString(), to = today.AddDays(180).ToString();
  answer->rows.reserve(found.size() * 400);
  answer->starts.reserve(found.size());
  for (const auto& g : found) {
    if (g.plan_start) from = std::min(from, *g.plan_start);
    for (const auto& end : {g.plan_finish, g.forecast_finish}) {
      if (end) to = std::max(to, *end);
    }
    if (!answer->rows.empty()) answer->rows += ',';
    answer->starts.push_back(answer->rows.size());
    AppendRow(answer->rows, g);
  }
  // A plan reaching decades away would make the chart unreadable: the range
  // stops three years back and eight ahead.
  from = std::max(from, today.AddDays(-3 * 366).ToString());
  to = std::min(to, today.AddDays(8 * 366).ToString());
  ZB_ASSIGN_OR_RETURN(auto days, storage::ListCalendarDays(conn, *Date::Parse(from), *Date::Parse(to)));
  Json overrides = Json::array();
  for (const auto& d : days) {
    overrides.push_back({{"date", d.date.ToString()}, {"kind", storage::DayKindCode(d.kind)}});
  }
  answer->head = Json{{"today", today.ToString()}, {"from", from}, {"to", to}, {"overrides", overrides}}.dump();
  answer->head.pop_back();  // the closing brace: Body adds total and rows first
  return std::shared_ptr<const GanttAnswer>(std::move(answer));
}

storage::VersionedCache<std::shared_ptr<const GanttAnswer>>& GanttAnswers() {
  // A few MB each at 10 000 rows: a handful of scopes and filters.
  static auto* cache = new storage::VersionedCache<std::shared_ptr<const GanttAnswer>>(16);
  return *cache;
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
                q.push_back({.name = "limit", .description = "只要前 N 行(首屏);total 仍是全部行数"});
                q.push_back({.name = "offset", .description = "跳过前 N 行(首屏之后的其余行)"});
                return q;
              }(),
              .response_schema =
                  {{"type", "object"},
                   {"description",
                    "rows: [id, code, name, unit_name, level_label, stage, colour, plan_start, plan_finish, "
                    "forecast_finish, nodes]; nodes: [[name, event, latest_finish, forecast_finish, "
                    "actual_finish, colour], …]; total: every matching row, whatever limit and offset leave out"},
                   {"properties",
                    {{"today", {{"type", "string"}}},
                     {"from", {{"type", "string"}}},
                     {"to", {{"type", "string"}}},
                     {"overrides", {{"type", "array"}}},
                     {"total", {{"type", "integer"}}},
                     {"rows", {{"type", "array"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               const Date today = LocalDate(ctx.clock->NowMs());
               ZB_ASSIGN_OR_RETURN(storage::GanttVersion version, [&]() -> StatusOr<storage::GanttVersion> {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 return storage::ReadGanttVersion(*conn);
               }());
               // Read before the warnings are brought up to date for the
               // day, calendar and thresholds (so the rows are never older
               // than the versions the answer is kept under).
               ZB_RETURN_IF_ERROR(EnsureWarningsFresh(ctx));
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(storage::ProjectFilter f,
                                   ParseProjectFilter(req, *conn, *req.principal(), ctx.clock->NowMs()));
               const std::string group(req.Query("group").value_or(""));
               if (!group.empty() && group != "unit" && group != "level") {
                 return ValidationFailed("group 应为 unit(按单位)或 level(按级别)", "group");
               }
               ZB_ASSIGN_OR_RETURN(std::optional<int64_t> limit, QueryId(req, "limit"));
               std::optional<int64_t> offset;
               if (req.Query("offset") != "0") {
                 ZB_ASSIGN_OR_RETURN(offset, QueryId(req, "offset"));
               }
               if (f.sort.empty()) {
                 if (group == "unit") f.sort.push_back({"org_unit_name", false});
                 if (group == "level") f.sort.push_back({"level", false});
                 f.sort.push_back({"code", false});
               }
               // The same scope and filters on the same day, calendar and
               // thresholds, at the same data version, are the same answer —
               // computed once however many ask at once (storage/list_cache.h).
               const std::string key = today.ToString() + "|" + std::to_string(version.calendar) + "|" +
                                       std::to_string(version.thresholds) + "|" + group + "|" +
                                       storage::ProjectPageKey(f);
               ZB_ASSIGN_OR_RETURN(auto answer, GanttAnswers().GetOrCompute(version.data, key, [&] {
                 return BuildAnswer(*conn, f, today);
               }));
               return Response::Text(200,
                                     answer->Body(static_cast<size_t>(offset.value_or(0)),
                                                  limit ? static_cast<size_t>(*limit) : answer->starts.size()),
                                     "application/json; charset=utf-8");
             });
}

}  // namespace zb::api
