// GET /api/v1/problems/stats — the ledger's figures 统计 (docs/api-problems.md
// § Figures) over the list's filters and the caller's scope, grouped by
// lead unit, category, level or month of raised_on. Aggregated in SQL
// (storage/problem_stats_repo.h), the rules are domain/problem_stats.h's:
// the whole tree with no filter from the monthly roll-up (migration 0012),
// anything narrower in one pass over the items. Whole answers are kept per
// (scope, query) at the ledger's data version.

#include <map>
#include <vector>
#include <variant>
#include <string>

#include "api/api.h"
#include "api/json_input.h"
#include "api/problems.h"
#include "api/scope.h"
#include "core/date.h"
#include "domain/problem.h"
#include "domain/problem_stats.h"
#include "storage/dict_repo.h"
#include "storage/ledger_versions.h"
#include "storage/org_unit_repo.h"
#include "storage/list_cache.h"
#include "storage/problem_stats_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

storage::VersionedCache<std::string>& StatsAnswers() {
  static auto* cache = new storage::VersionedCache<std::string>(500);
  return *cache;
}

Json Opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json FiguresJson(const domain::ProblemFigures& f) {
  const auto& c = f.counts;
  return {{"raised", c.raised},       {"open", c.open},
          {"overdue", c.overdue},     {"resolved", c.resolved},
          {"closed", c.closed},       {"resolve_rate", Opt(f.resolve_rate)},
          {"on_time_rate", Opt(f.on_time_rate)},
          {"avg_days", Opt(f.avg_days)},
          {"p90_days", f.p90_days ? Json(*f.p90_days) : Json(nullptr)},
          {"satisfaction_rate", Opt(f.satisfaction_rate)},
          {"rated", c.rated},         {"satisfied", c.satisfied},
          {"basic", c.basic},         {"unsatisfied", c.unsatisfied},
          {"escalated", c.escalated}, {"on_spot", c.on_spot}};
}

StatusOr<storage::ProblemStatsGroup> ParseGroup(const Request& req, std::string* name) {
  static const std::map<std::string, storage::ProblemStatsGroup> kGroups = {
      {"unit", storage::ProblemStatsGroup::kUnit},
      {"category", storage::ProblemStatsGroup::kCategory},
      {"level", storage::ProblemStatsGroup::kLevel},
      {"month", storage::ProblemStatsGroup::kMonth}};
  *name = std::string(req.Query("group").value_or("unit"));
  auto it = kGroups.find(*name);
  if (it == kGroups.end()) {
    return ValidationFailed("group 应为 unit、category、level 或 month (unknown group)", "group");
  }
  return it->second;
}

// The label a row shows for its key.
StatusOr<std::map<std::string, std::string>> Labels(db::Connection& conn, storage::ProblemStatsGroup g) {
  std::map<std::string, std::string> out;
  switch (g) {
    case storage::ProblemStatsGroup::kUnit: {
      ZB_ASSIGN_OR_RETURN(auto units, storage::ListOrgUnits(conn, std::nullopt, /*include_inactive=*/true));
      for (const auto& u : units) out[std::to_string(u.id)] = u.name;
      out[""] = "未交办";
      break;
    }
    case storage::ProblemStatsGroup::kCategory: {
      ZB_ASSIGN_OR_RETURN(auto items, storage::ListDictItems(conn, "problem_category", /*include_inactive=*/true));
      for (const auto& d : items) out[d.code] = d.label;
      break;
    }
    case storage::ProblemStatsGroup::kLevel:
      for (const auto& l : domain::ProblemLevels()) out[std::string(l.code)] = std::string(l.label);
      break;
    case storage::ProblemStatsGroup::kMonth:
      break;  // "2026-11" → "2026年11月" below
  }
  return out;
}

}  // namespace

void RegisterProblemStatsRoutes(http::Router& router, ApiContext& ctx) {
  router.Add(
      "GET", "/api/v1/problems/stats",
      {.summary = "问题统计:办结率、按时办结率、平均/P90 办理时长、满意率,按责任单位/类别/层级/月份 (the ledger's figures)",
       .tag = "problems",
       .permission = "problem:read",
       .query = [] {
         auto q = ProblemFilterDocs();  // the list's filters; paging and order mean nothing here
         std::erase_if(q, [](const http::QueryParamDoc& d) {
           return d.name == "page" || d.name == "page_size" || d.name == "facets" || d.name == "sort";
         });
         q.push_back({.name = "group", .description = "unit 责任单位 / category 类别 / level 层级 / month 提出月份"});
         q.push_back({.name = "from", .description = "提出日期起 YYYY-MM-DD"});
         q.push_back({.name = "to", .description = "提出日期止 YYYY-MM-DD"});
         return q;
       }(),
       .response_schema = {{"type", "object"},
                           {"properties",
                            {{"group", {{"type", "string"}}},
                             {"from", {{"type", "string"}, {"nullable", true}}},
                             {"to", {{"type", "string"}, {"nullable", true}}},
                             {"rows", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                             {"total", {{"type", "object"}}}}}}},
      [&ctx](Request& req) -> StatusOr<Response> {
        std::string group_name;
        ZB_ASSIGN_OR_RETURN(auto group, ParseGroup(req, &group_name));
        std::optional<std::string> from, to;
        for (auto [name, out] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
          if (auto v = req.Query(name); v && !v->empty()) {
            ZB_ASSIGN_OR_RETURN(Date d, Date::Parse(*v, name));
            *out = d.ToString();
          }
        }
        if (from && to && *to < *from) return ValidationFailed("to 不能早于 from (to before from)", "to");
        const Date today = ctx.clock->Today();
        ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
        ZB_ASSIGN_OR_RETURN(storage::ProblemFilter f, ReadProblemFilter(*conn, req));
        // The cohort: raised in [from, to], within the list's own range if any.
        if (from && (!f.raised_from || *f.raised_from < *from)) f.raised_from = from;
        if (to && (!f.raised_to || *to < *f.raised_to)) f.raised_to = to;
        const storage::ProblemScope scope = ProblemScopeOf(*req.principal());
        db::Params params;
        const std::string from_where = storage::ProblemFromWhere(scope, f, today, conn->dialect(), &params);
        // The same SQL with the same parameters on the same day at the same
        // data version is the same answer.
        ZB_ASSIGN_OR_RETURN(storage::LedgerVersions versions, storage::CurrentLedgerVersions(*ctx.pool, *conn));
        const storage::ListVersion& version = versions.problems;
        std::string key = today.ToString() + "|" + group_name + "|" + from_where;
        key += storage::ParamsKey(params);
        // Computed once per (version, key) however many ask at once.
        ZB_ASSIGN_OR_RETURN(std::string body, StatsAnswers().GetOrCompute(version, key, [&]() -> StatusOr<std::string> {
          // The whole tree with no filter but the period: the roll-up answers, at a cost
          // that does not grow with the ledger. Anything narrower: one pass.
          storage::ProblemFilter period_only;
          period_only.raised_from = f.raised_from;
          period_only.raised_to = f.raised_to;
          period_only.sort = f.sort;  // orders nothing here
          const bool whole_tree = scope.units.all && !scope.enterprise_id && f == period_only;
          std::vector<storage::ProblemStatsRow> rows;
          if (whole_tree) {
            std::optional<Date> lo, hi;
            if (f.raised_from) {
              ZB_ASSIGN_OR_RETURN(lo, Date::Parse(*f.raised_from, "from"));
            }
            if (f.raised_to) {
              ZB_ASSIGN_OR_RETURN(hi, Date::Parse(*f.raised_to, "to"));
            }
            ZB_ASSIGN_OR_RETURN(rows, storage::ProblemStatsWholeTree(*conn, group, lo, hi, today));
          } else {
            ZB_ASSIGN_OR_RETURN(rows, storage::ProblemStatsByGroup(*conn, group, from_where, params, today));
          }
          ZB_ASSIGN_OR_RETURN(auto labels, Labels(*conn, group));
          domain::ProblemTally total;
          Json out_rows = Json::array();
          for (const auto& r : rows) {
            total.Merge(r.tally);
            Json j = FiguresJson(domain::Figures(r.tally));
            j["key"] = r.key;
            if (group == storage::ProblemStatsGroup::kMonth && r.key.size() == 7) {
              j["label"] = r.key.substr(0, 4) + "年" + std::to_string(std::stoi(r.key.substr(5, 2))) + "月";
            } else {
              auto it = labels.find(r.key);
              j["label"] = it == labels.end() ? r.key : it->second;
            }
            out_rows.push_back(std::move(j));
          }
          Json out = {{"group", group_name},
                      {"from", from ? Json(*from) : Json(nullptr)},
                      {"to", to ? Json(*to) : Json(nullptr)},
                      {"rows", std::move(out_rows)},
                      {"total", FiguresJson(domain::Figures(total))}};
          return Response::Json(out).body;
        }));
        return Response::Text(200, std::move(body), "application/json; charset=utf-8");
      });
}

}  // namespace zb::api
