// /api/v1/calendar — the working-day calendar (工作日历): everyone signed in
// reads it and does working-day arithmetic with it; calendar:write sets,
// clears and imports the overrides (法定节假日 放假, 调休上班). Contract:
// docs/api-schedule.md "Working-day calendar".
//
// Reads go through storage::CurrentCalendar, the process's cached
// WorkCalendar — the very arithmetic the scheduler uses. A write bumps
// calendar_meta.version in its transaction, so every process (and the plans
// code, which recomputes the dates and warnings) sees the change on its next
// read.
#include "api/calendar.h"

#include <algorithm>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "api/ledger.h"
#include "core/date.h"
#include "core/text.h"
#include "io/calendar_csv.h"
#include "storage/calendar_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;
using Kind = WorkCalendar::DayKind;

namespace {

constexpr char kTag[] = "calendar";
constexpr int kFirstYear = 1990, kLastYear = 2100;  // WorkCalendar's indexed window
constexpr int64_t kMaxWorkingDays = 100'000;        // |n| of /working-days: ~400 years

Json DayJson(const storage::CalendarDay& d) {
  return {{"date", d.date.ToString()}, {"kind", storage::DayKindCode(d.kind)}, {"name", d.name}};
}

Json DaySchema() {
  return {{"type", "object"},
          {"properties",
           {{"date", {{"type", "string"}, {"format", "date"}}},
            {"kind", {{"type", "string"}, {"enum", {"holiday", "workday"}}, {"description", "holiday 放假 / workday 调休上班"}}},
            {"name", {{"type", "string"}}}}}};
}

Status OutOfWindow(std::string_view field) {
  return ValidationFailed("日期应在 1990–2100 年之间 (date outside 1990–2100)", std::string(field));
}

// A "YYYY-MM-DD" query parameter or path segment within the calendar's window.
StatusOr<Date> DayIn(std::string_view text, std::string_view field) {
  if (text.empty()) return ValidationFailed("请填写日期 " + std::string(field) + " (date is required)", std::string(field));
  ZB_ASSIGN_OR_RETURN(Date d, Date::Parse(text, field));
  if (d.year() < kFirstYear || d.year() > kLastYear) return OutOfWindow(field);
  return d;
}

StatusOr<Date> QueryDay(const Request& req, std::string_view name) {
  return DayIn(req.Query(name).value_or(""), name);
}

// An integer query parameter (sign allowed).
StatusOr<int64_t> QueryInt(const Request& req, std::string_view name, int64_t bound) {
  std::string_view v = req.Query(name).value_or("");
  size_t i = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
  int64_t n = 0;
  bool ok = i < v.size();
  for (; ok && i < v.size(); ++i) {
    ok = v[i] >= '0' && v[i] <= '9' && n <= bound;
    n = n * 10 + (v[i] - '0');
  }
  if (!ok || n > bound) {
    return ValidationFailed(std::string(name) + " 应为 -" + std::to_string(bound) + " 到 " + std::to_string(bound) +
                                " 之间的整数 (not an integer in range)",
                            std::string(name));
  }
  return v[0] == '-' ? -n : n;
}

StatusOr<std::shared_ptr<const WorkCalendar>> Calendar(ApiContext& ctx) {
  ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
  return storage::CurrentCalendar(*conn);
}

// Monday–Friday already work: a swapped working day is a weekend day.
Status CheckWorkdayOnWeekend(Date d, Kind kind) {
  if (kind == Kind::kWorkday && !d.IsWeekend()) {
    return ValidationFailed("调休上班应在周六或周日," + d.ToString() +
                                " 本来就上班 (a swapped working day falls on a Saturday or Sunday)",
                            "kind");
  }
  return Status::Ok();
}

StatusOr<Response> Import(ApiContext& ctx, Request& req) {
  ZB_ASSIGN_OR_RETURN(bool dry_run, QueryBool(req, "dry_run", false));
  ZB_ASSIGN_OR_RETURN(std::string bytes, UploadedFile(req));
  ZB_ASSIGN_OR_RETURN(ImportReport report, ImportCalendar(*ctx.pool, req, bytes, ctx.clock->NowMs(), dry_run));
  if (report.ok) return Response::Json(report.ToJson());
  return Response::Error(ValidationFailed("导入文件有 " + std::to_string(report.problem_count) +
                                              " 处问题,未写入任何数据 (the file has problems; nothing was written)",
                                          "file"),
                         report.ToJson());
}

}  // namespace

StatusOr<ImportReport> ImportCalendar(db::Pool& pool, const Request& req, std::string_view bytes, int64_t now_ms,
                                      bool dry_run) {
  ImportReport report{.dry_run = dry_run};
  std::vector<storage::CalendarDay> days;
  if (bytes.starts_with("PK")) {  // a zip: .xlsx
    report.errors.push_back({0, "", "工作日历请用 .csv 文件导入(date,kind,name),可在 Excel 中另存为 CSV (upload a .csv)"});
  } else {
    io::CalendarCsv csv = io::ReadCalendarCsv(bytes);
    report.rows = csv.rows;
    for (auto& p : csv.problems) report.errors.push_back({p.row, std::move(p.column), std::move(p.message)});
    for (auto& d : csv.days) days.push_back({.date = d.date, .kind = d.kind, .name = std::move(d.name)});
    if (report.errors.empty() && days.empty()) report.errors.push_back({0, "", "文件中没有日期 (no days in the file)"});
  }
  storage::CalendarImportCounts counts;
  if (!report.errors.empty() || dry_run) {
    ZB_ASSIGN_OR_RETURN(auto conn, pool.Read());
    ZB_ASSIGN_OR_RETURN(counts, storage::CountCalendarImport(*conn, days));
  } else {
    const int64_t user = req.principal() ? req.principal()->user_id : 0;
    ZB_RETURN_IF_ERROR(db::InTx(pool, [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(counts, storage::ImportCalendarDays(c, days, now_ms, user));
      auto [first, last] = std::minmax_element(days.begin(), days.end(), [](const auto& a, const auto& b) {
        return a.date < b.date;
      });
      Json after = {{"rows", report.rows},          {"created", counts.created},
                    {"updated", counts.updated},    {"unchanged", counts.unchanged},
                    {"from", first->date.ToString()}, {"to", last->date.ToString()}};
      return RecordAudit(c, req, now_ms, "calendar.import", "calendar", "", {{"after", std::move(after)}});
    }));
  }
  report.created = counts.created;
  report.updated = counts.updated;
  report.unchanged = counts.unchanged;
  report.problem_count = static_cast<int64_t>(report.errors.size());
  report.ok = report.errors.empty();
  return report;
}

void RegisterCalendarRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/calendar",
             {.summary = "工作日历:某年(或 from–to,至多 3 年)的法定节假日与调休上班,及工作日、休息日天数 (the "
                         "calendar's overrides and day counts)",
              .tag = kTag,
              .permission = std::string(http::kAuthenticated),
              .query = {{.name = "year", .type = "integer", .description = "年份 1990–2100;或改用 from 与 to"},
                        {.name = "from", .description = "起始日期 YYYY-MM-DD(含)"},
                        {.name = "to", .description = "截止日期 YYYY-MM-DD(含),距 from 不超过 3 年"}},
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"from", {{"type", "string"}, {"format", "date"}}},
                                    {"to", {{"type", "string"}, {"format", "date"}}},
                                    {"days", {{"type", "array"}, {"items", DaySchema()}}},
                                    {"working_days", {{"type", "integer"}}},
                                    {"rest_days", {{"type", "integer"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               Date from, to;
               if (req.Query("year")) {
                 if (req.Query("from") || req.Query("to")) {
                   return ValidationFailed("year 与 from/to 只能二选一 (give year or from and to)", "year");
                 }
                 ZB_ASSIGN_OR_RETURN(int64_t year, QueryInt(req, "year", Date::kMaxYear));
                 if (year < kFirstYear || year > kLastYear) {
                   return ValidationFailed("year 应为 1990–2100 的年份 (year outside 1990–2100)", "year");
                 }
                 from = *Date::FromYmd(static_cast<int>(year), 1, 1);
                 to = *Date::FromYmd(static_cast<int>(year), 12, 31);
               } else if (req.Query("from") || req.Query("to")) {
                 ZB_ASSIGN_OR_RETURN(from, QueryDay(req, "from"));
                 ZB_ASSIGN_OR_RETURN(to, QueryDay(req, "to"));
                 if (to < from) return ValidationFailed("to 不能早于 from (to is before from)", "to");
                 if (to >= from.AddMonths(36)) {
                   return ValidationFailed("一次至多查询 3 年 (at most 3 years at a time)", "to");
                 }
               } else {
                 return ValidationFailed("请给出 year,或 from 与 to (year is required)", "year");
               }
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto days, storage::ListCalendarDays(*conn, from, to));
               ZB_ASSIGN_OR_RETURN(auto calendar, storage::CurrentCalendar(*conn));
               Json items = Json::array();
               for (const auto& d : days) items.push_back(DayJson(d));
               const int64_t working = calendar->WorkingDaysBetween(from.AddDays(-1), to);
               const int64_t all = to.ToDays() - from.ToDays() + 1;
               return Response::Json({{"from", from.ToString()},
                                      {"to", to.ToString()},
                                      {"days", std::move(items)},
                                      {"working_days", working},
                                      {"rest_days", all - working}});
             });

  router.Add("PUT", "/api/v1/calendar/days/{date}",
             {.summary = "设置某天为放假(holiday)或调休上班(workday),覆盖周一至周五上班、周末休息的默认 (set a day's "
                         "override)",
              .tag = kTag,
              .permission = "calendar:write",
              .request_schema = {{"type", "object"},
                                 {"additionalProperties", false},
                                 {"required", {"kind"}},
                                 {"properties",
                                  {{"kind", {{"type", "string"}, {"enum", {"holiday", "workday"}}}},
                                   {"name", {{"type", "string"}, {"maxLength", io::kMaxCalendarNameChars},
                                             {"description", "如 春节、国庆节调休上班"}}}}}},
              .response_schema = DaySchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Date date, DayIn(req.PathParam("date"), "date"));
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"kind", "name"}));
               std::optional<std::string> kind_code, name;
               ZB_RETURN_IF_ERROR(GetString(body, "kind", &kind_code));
               ZB_RETURN_IF_ERROR(GetString(body, "name", &name));
               if (!kind_code) {
                 return ValidationFailed("请选择类型:holiday(放假)或 workday(调休上班) (kind is required)", "kind");
               }
               auto kind = storage::ParseDayKindCode(*kind_code);
               if (!kind) {
                 return ValidationFailed("类型应为 holiday(放假)或 workday(调休上班) (unknown kind)", "kind");
               }
               ZB_RETURN_IF_ERROR(CheckWorkdayOnWeekend(date, *kind));
               std::string day_name = name.value_or("");
               ZB_RETURN_IF_ERROR(ValidateLine(day_name, "name", "名称", io::kMaxCalendarNameChars, true));
               const int64_t now = ctx.clock->NowMs();
               storage::CalendarDay stored;
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto before, storage::GetCalendarDay(c, date));
                 ZB_ASSIGN_OR_RETURN(stored, storage::SetCalendarDay(c, {.date = date, .kind = *kind, .name = day_name},
                                                                     now, req.principal()->user_id));
                 Json changes = ChangedFields(before ? DayJson(*before) : Json(nullptr), DayJson(stored));
                 if (changes.is_object() && changes.value("after", Json::object()).empty()) return Status::Ok();
                 return RecordAudit(c, req, now, "calendar.set", "calendar_day", date.ToString(), changes);
               }));
               return Response::Json(DayJson(stored));
             });

  router.Add("DELETE", "/api/v1/calendar/days/{date}",
             {.summary = "恢复某天的默认(周一至周五上班、周末休息) (clear a day's override)",
              .tag = kTag,
              .permission = "calendar:write",
              .success_status = 204},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Date date, DayIn(req.PathParam("date"), "date"));
               const int64_t now = ctx.clock->NowMs();
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto before, storage::GetCalendarDay(c, date));
                 if (!before) {
                   return NotFound(date.ToString() + " 没有放假或调休上班的设置 (no override on this day)", "date");
                 }
                 ZB_RETURN_IF_ERROR(storage::ClearCalendarDay(c, date).status());
                 return RecordAudit(c, req, now, "calendar.clear", "calendar_day", date.ToString(),
                                    {{"before", DayJson(*before)}, {"after", Json::object()}});
               }));
               return Response::NoContent();
             });

  router.Add("POST", "/api/v1/calendar/import",
             {.summary = "导入工作日历 .csv(date,kind,name;UTF-8 或 GBK):逐日设置放假或调休上班;dry_run 只检查;有问题则全部不写入 "
                         "(import calendar days; all rows or none)",
              .tag = kTag,
              .permission = "calendar:write",
              .query = {{.name = "dry_run", .type = "boolean",
                         .description = "只检查、不写入,返回全部问题。请求体为文件:multipart/form-data 的 file 字段,或 .csv 原始内容"}},
              .response_schema = ImportReportSchema()},
             [&ctx](Request& req) { return Import(ctx, req); });

  router.Add("GET", "/api/v1/calendar/working-days",
             {.summary = "工作日推算:from 之后第 n 个工作日(n 为负则往前),或 from 到 to 之间的工作日数 (working-day "
                         "arithmetic)",
              .tag = kTag,
              .permission = std::string(http::kAuthenticated),
              .query = {{.name = "from", .description = "日期 YYYY-MM-DD"},
                        {.name = "n", .type = "integer",
                         .description = "工作日数(可为负):>0 为 from 之后第 n 个工作日,<0 为之前第 |n| 个,0 为 from 当天或其后第一个工作日"},
                        {.name = "to", .description = "日期 YYYY-MM-DD:返回 (from, to] 中的工作日数(to 早于 from 时为负)"}},
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"from", {{"type", "string"}, {"format", "date"}}},
                                    {"n", {{"type", "integer"}}},
                                    {"date", {{"type", "string"}, {"format", "date"}}},
                                    {"to", {{"type", "string"}, {"format", "date"}}},
                                    {"working_days", {{"type", "integer"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Date from, QueryDay(req, "from"));
               const bool has_n = req.Query("n").has_value(), has_to = req.Query("to").has_value();
               if (has_n == has_to) return ValidationFailed("请给出 n 或 to 之一 (give n or to)", has_n ? "to" : "n");
               ZB_ASSIGN_OR_RETURN(auto calendar, Calendar(ctx));
               if (has_n) {
                 ZB_ASSIGN_OR_RETURN(int64_t n, QueryInt(req, "n", kMaxWorkingDays));
                 return Response::Json(
                     {{"from", from.ToString()}, {"n", n}, {"date", calendar->AddWorkingDays(from, n).ToString()}});
               }
               ZB_ASSIGN_OR_RETURN(Date to, QueryDay(req, "to"));
               return Response::Json({{"from", from.ToString()},
                                      {"to", to.ToString()},
                                      {"working_days", calendar->WorkingDaysBetween(from, to)}});
             });
}

}  // namespace zb::api
