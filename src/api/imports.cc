// Excel in and out over HTTP: the 项目台账 export, the import templates and
// the project and enterprise imports (api/ledger.h does the work; the CLI
// shares it). Contract: docs/api-projects.md "项目台账 export and import",
// "Enterprise import".
//
// An import takes the file as multipart/form-data (field `file`, as a
// browser's FormData sends it) or as the raw body with its own Content-Type
// (.xlsx, .csv or application/octet-stream). The answer is the report
// {ok, dry_run, rows, created, updated, unchanged, errors, warnings}: 200
// when the file has no problem (a dry run wrote nothing, a real run wrote
// every row), 422 when it has — the same report beside the usual error
// envelope, and nothing written. The body is bounded by the server's
// body_limit (8 MiB by default, 413 beyond): about 20 000 rows of .xlsx;
// larger files go through `zhuanban import`.
#include <cctype>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/export.h"
#include "api/json_input.h"
#include "api/ledger.h"
#include "api/projects.h"
#include "core/date.h"
#include "http/multipart.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr char kProjectsTag[] = "projects";
constexpr char kEnterprisesTag[] = "enterprises";

StatusOr<int> QueryYear(const Request& req, int64_t now_ms) {
  auto v = req.Query("year");
  if (!v || v->empty()) return LocalDate(now_ms).year();
  int year = 0;
  for (char c : *v) {
    if (c < '0' || c > '9' || year > 10000) return ValidationFailed("year 应为 2000–2100 的年份 (bad year)", "year");
    year = year * 10 + (c - '0');
  }
  if (year < 2000 || year > 2100) return ValidationFailed("year 应为 2000–2100 的年份 (bad year)", "year");
  return year;
}

StatusOr<Response> RunImport(ApiContext& ctx, Request& req, Ledger which) {
  ZB_ASSIGN_OR_RETURN(bool dry_run, QueryBool(req, "dry_run", false));
  const int64_t now = ctx.clock->NowMs();
  ZB_ASSIGN_OR_RETURN(int year, QueryYear(req, now));
  ZB_ASSIGN_OR_RETURN(std::string bytes, UploadedFile(req));
  ZB_ASSIGN_OR_RETURN(ImportReport report,
                      ImportLedger(which, *ctx.pool, {*req.principal(), req}, std::move(bytes), now,
                                   {.dry_run = dry_run, .year = year}));
  return ImportResponse(report);
}

std::vector<http::QueryParamDoc> ImportQuery(bool projects) {
  // The body is the file (multipart/form-data field `file`, or raw .xlsx /
  // .csv): RouteDoc documents JSON bodies only, so it is described here.
  std::vector<http::QueryParamDoc> q = {
      {.name = "dry_run", .type = "boolean", .description = "只检查、不写入,返回全部问题。请求体为文件:multipart/form-data 的 file 字段,或 .xlsx/.csv 原始内容"}};
  if (projects) {
    q.push_back({.name = "year", .type = "integer", .description = "「年度计划投资」所属年度,默认今年"});
  }
  return q;
}

// The list's parameters, for the export's audit entry.
const std::vector<std::string>& ExportParams() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n = {"q",         "org_unit_id",   "stage",    "level",          "category",
                                  "board",     "project_type",  "leader_user_id", "responsible_unit_id",
                                  "enterprise_id", "team_id",   "tag",      "year",           "min_investment",
                                  "max_investment", "start_kind", "start_year", "sort"};
    for (const char* f : {"planned_signed_on", "actual_signed_on", "planned_started_on", "actual_started_on",
                          "planned_completed_on", "actual_completed_on", "planned_operating_on",
                          "actual_operating_on"}) {
      n.push_back(std::string(f) + "_from");
      n.push_back(std::string(f) + "_to");
    }
    return n;
  }();
  return names;
}

}  // namespace

Json ImportReportSchema() {
  Json problem = {{"type", "object"},
                  {"properties",
                   {{"row", {{"type", "integer"}, {"description", "Excel 行号;0 为整个文件"}}},
                    {"column", {{"type", "string"}, {"description", "表头;空为整行或整个文件"}}},
                    {"message", {{"type", "string"}}}}}};
  return {{"type", "object"},
          {"properties",
           {{"ok", {{"type", "boolean"}}},
            {"dry_run", {{"type", "boolean"}}},
            {"rows", {{"type", "integer"}}},
            {"created", {{"type", "integer"}}},
            {"updated", {{"type", "integer"}}},
            {"unchanged", {{"type", "integer"}}},
            {"errors", {{"type", "array"}, {"items", problem}}},
            {"warnings", {{"type", "array"}, {"items", problem}}}}}};
}

Response ImportResponse(const ImportReport& report) {
  if (report.ok) return Response::Json(report.ToJson());
  return Response::Error(ValidationFailed("导入文件有 " + std::to_string(report.problem_count) +
                                              " 处问题,未写入任何数据 (the file has problems; nothing was written)",
                                          "file"),
                         report.ToJson());
}

StatusOr<std::string> UploadedFile(const Request& req) {
  std::string_view type = req.Header("Content-Type");
  std::string lower(type.substr(0, type.find(';')));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!lower.empty() && lower.back() == ' ') lower.pop_back();
  std::string bytes;
  if (lower == "multipart/form-data") {
    ZB_ASSIGN_OR_RETURN(std::string boundary, http::MultipartBoundary(type));
    ZB_ASSIGN_OR_RETURN(auto parts, http::ParseMultipart(req.body(), boundary));
    bool found = false;
    for (const auto& part : parts) {
      if (part.name != "file") {
        return ValidationFailed("未知的表单字段 " + part.name + ",文件应放在 file 字段 (unknown form field)",
                                part.name);
      }
      if (found) return ValidationFailed("一次只能导入一个文件 (one file at a time)", "file");
      found = true;
      bytes = std::string(part.content);
    }
    if (!found) return ValidationFailed("请上传文件:表单字段 file (no file field)", "file");
  } else if (lower == kXlsxType || lower == "text/csv" || lower == "application/csv" ||
             lower == "application/vnd.ms-excel" || lower == "application/octet-stream" || lower == "text/plain") {
    bytes = req.body();
  } else {
    return Status(StatusCode::kUnsupportedMediaType,
                  "请以 multipart/form-data(字段 file)或 .xlsx / .csv 的原始内容上传 (upload the file as "
                  "multipart/form-data or as the raw .xlsx/.csv body)",
                  "Content-Type");
  }
  if (bytes.empty()) return ValidationFailed("上传的文件是空的 (the file is empty)", "file");
  return bytes;
}

void RegisterImportRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/projects/export",
             {.summary = "导出项目台账 .xlsx:筛选与列表相同,至多 20 万个项目;导出记入操作日志 (export the project "
                         "ledger)",
              .tag = kProjectsTag,
              .permission = "project:read",
              .query = {{.name = "q", .description = "列表的全部筛选参数均可用,见 GET /api/v1/projects"},
                        {.name = "year", .type = "integer", .description = "年度计划投资的年度(并只含有该年度计划的项目),默认今年"},
                        {.name = "sort", .description = "排序,同列表"}},
              .success_content_type = kXlsxType},
             [&ctx](Request& req) -> StatusOr<Response> {
               const int64_t now = ctx.clock->NowMs();
               int64_t rows = 0;
               std::string bytes;
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(storage::ProjectFilter f, ParseProjectFilter(req, *conn, *req.principal(), now));
                 ProjectExport what{.filter = std::move(f), .filter_text = DescribeProjectFilter(*conn, req.query())};
                 what.year = static_cast<int>(what.filter.year.value_or(0));
                 ZB_ASSIGN_OR_RETURN(bytes, ExportProjects(*conn, what, now, &rows));
               }
               Json given = Json::object();
               for (const auto& name : ExportParams()) {
                 if (auto v = req.Query(name); v && !v->empty()) given[name] = std::string(*v);
               }
               ZB_RETURN_IF_ERROR(RecordExport(ctx, req, now, "project", given, static_cast<size_t>(rows)));
               return XlsxDownload(std::move(bytes), "项目台账", "projects", now);
             });

  router.Add("GET", "/api/v1/projects/import-template",
             {.summary = "项目导入模板 .xlsx(表头、示例行、说明页) (the project import template)",
              .tag = kProjectsTag,
              .permission = "project:read",
              .success_content_type = kXlsxType},
             [&ctx](Request& req) -> StatusOr<Response> {
               const int64_t now = ctx.clock->NowMs();
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(std::string bytes, LedgerTemplate(Ledger::kProjects, *conn, now));
               return XlsxDownload(std::move(bytes), "项目导入模板", "project-import-template", now);
             });

  router.Add("POST", "/api/v1/projects/import",
             {.summary = "导入项目台账(.xlsx / .csv,UTF-8 或 GBK):按项目编号更新或新建;dry_run 只检查;有问题则全部不写入 "
                         "(import projects; all rows or none)",
              .tag = kProjectsTag,
              .permission = "project:write",
              .query = ImportQuery(true),
              .response_schema = ImportReportSchema()},
             [&ctx](Request& req) { return RunImport(ctx, req, Ledger::kProjects); });

  router.Add("GET", "/api/v1/enterprises/import-template",
             {.summary = "企业导入模板 .xlsx(表头、示例行、说明页) (the enterprise import template)",
              .tag = kEnterprisesTag,
              .permission = "enterprise:read",
              .success_content_type = kXlsxType},
             [&ctx](Request& req) -> StatusOr<Response> {
               const int64_t now = ctx.clock->NowMs();
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(std::string bytes, LedgerTemplate(Ledger::kEnterprises, *conn, now));
               return XlsxDownload(std::move(bytes), "企业导入模板", "enterprise-import-template", now);
             });

  router.Add("POST", "/api/v1/enterprises/import",
             {.summary = "导入企业(.xlsx / .csv,UTF-8 或 GBK):按统一社会信用代码更新或新建;dry_run 只检查;有问题则全部不写入 "
                         "(import enterprises; all rows or none)",
              .tag = kEnterprisesTag,
              .permission = "enterprise:write",
              .query = ImportQuery(false),
              .response_schema = ImportReportSchema()},
             [&ctx](Request& req) { return RunImport(ctx, req, Ledger::kEnterprises); });
}

}  // namespace zb::api
