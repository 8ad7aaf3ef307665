// /api/v1/audit-log and /api/v1/login-log — 操作日志 and 登录日志: filtered
// lists, .xlsx exports (themselves recorded in the audit log) and the audit
// chain's verification.
//
// The logs are not scoped by org unit: reading them is the auditor's
// permission (audit:read, loginlog:read), and an auditor sees everything.
#include <algorithm>
#include <cctype>
#include <functional>
#include <unordered_set>

#include "api/api.h"
#include "api/audit.h"
#include "api/export.h"
#include "api/json_input.h"
#include "core/date.h"
#include "core/text.h"
#include "io/xlsx.h"
#include "storage/audit_repo.h"
#include "storage/login_log_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {


// ---- query parameters ----------------------------------------------------------

// An exact-match text filter: absent or empty means no filter.
StatusOr<std::optional<std::string>> QueryText(const Request& req, std::string_view name) {
  auto v = req.Query(name);
  if (!v || v->empty()) return std::optional<std::string>();
  if (Utf8Length(*v) > 200) return ValidationFailed("参数 " + std::string(name) + " 过长 (too long)", std::string(name));
  return std::optional<std::string>(std::string(*v));
}

// A login filter: logins are stored lower-cased (sign-in lower-cases them).
StatusOr<std::optional<std::string>> QueryLogin(const Request& req) {
  ZB_ASSIGN_OR_RETURN(auto login, QueryText(req, "login"));
  if (login) {
    std::transform(login->begin(), login->end(), login->begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  return login;
}

// `from`/`to`: a China day "YYYY-MM-DD" (to inclusive: up to the end of
// that day) or an RFC 3339 instant (to inclusive: that millisecond too).
// Answered as [from_ms, to_ms) for the repositories.
struct TimeRange {
  std::optional<int64_t> from_ms, to_ms;
};

StatusOr<std::optional<int64_t>> QueryTime(const Request& req, std::string_view name, bool end) {
  auto v = req.Query(name);
  if (!v || v->empty()) return std::optional<int64_t>();
  std::string field(name);
  if (v->size() == 10) {  // a day; Date::Parse names the field and says what is wrong
    ZB_ASSIGN_OR_RETURN(Date d, Date::Parse(*v, field));
    return std::optional<int64_t>(StartOfDayMs(end ? d.AddDays(1) : d));
  }
  auto t = ParseRfc3339(*v, field);
  if (!t.ok()) {
    return ValidationFailed("参数 " + field + " 应为日期 YYYY-MM-DD 或 RFC 3339 时间,如 2026-11-23T18:00:00+08:00 " +
                                "(a date or an RFC 3339 time): " + QuoteForMessage(*v),
                            field);
  }
  return std::optional<int64_t>(end ? *t + 1 : *t);
}

StatusOr<TimeRange> QueryRange(const Request& req) {
  TimeRange r;
  ZB_ASSIGN_OR_RETURN(r.from_ms, QueryTime(req, "from", false));
  ZB_ASSIGN_OR_RETURN(r.to_ms, QueryTime(req, "to", true));
  if (r.from_ms && r.to_ms && *r.from_ms >= *r.to_ms) {
    return ValidationFailed("结束时间 to 不能早于开始时间 from (to is before from)", "to");
  }
  return r;
}

std::vector<http::QueryParamDoc> PagingDocs() {
  return {{.name = "page", .type = "integer", .description = "页码,从 1 开始"},
          {.name = "page_size", .type = "integer", .description = "每页条数,默认 20,最多 1000"}};
}

std::vector<http::QueryParamDoc> RangeDocs() {
  return {{.name = "from", .description = "起始:日期 YYYY-MM-DD(北京时间)或 RFC 3339 时间"},
          {.name = "to", .description = "截止(含):日期 YYYY-MM-DD(含当天)或 RFC 3339 时间"}};
}

template <typename... Lists>
std::vector<http::QueryParamDoc> Concat(Lists... lists) {
  std::vector<http::QueryParamDoc> out;
  (out.insert(out.end(), lists.begin(), lists.end()), ...);
  return out;
}

// ---- export -----------------------------------------------------------------

// Labels for the export's columns; an unknown code is shown as it is.
std::string Label(std::string_view code, std::initializer_list<std::pair<std::string_view, std::string_view>> table) {
  for (const auto& [c, label] : table) {
    if (c == code) return std::string(label);
  }
  return std::string(code);
}

std::string ActionLabel(std::string_view action) {
  return Label(action, {{"create", "新增"},
                        {"update", "修改"},
                        {"delete", "删除"},
                        {"move", "移动"},
                        {"activate", "启用"},
                        {"deactivate", "停用"},
                        {"revoke", "撤销"},
                        {"force_logout", "强制下线"},
                        {"logout", "退出登录"},
                        {"change_password", "修改密码"},
                        {"reset_password", "重置密码"},
                        {"unlock", "解锁"},
                        {"export", "导出"}});
}

std::string EntityTypeLabel(std::string_view type) {
  return Label(type, {{"org_unit", "组织机构"},
                      {"user", "用户"},
                      {"role", "角色"},
                      {"session", "会话"},
                      {"api_token", "API 令牌"},
                      {"audit_log", "操作日志"},
                      {"login_log", "登录日志"}});
}

// Records an export inside its own transaction: what was asked for and how
// many rows left the system.
// ---- audit log ----------------------------------------------------------------

StatusOr<storage::AuditFilter> AuditFilterFrom(const Request& req) {
  storage::AuditFilter f;
  ZB_ASSIGN_OR_RETURN(f.login, QueryLogin(req));
  ZB_ASSIGN_OR_RETURN(f.entity_type, QueryText(req, "entity_type"));
  ZB_ASSIGN_OR_RETURN(f.entity_id, QueryText(req, "entity_id"));
  ZB_ASSIGN_OR_RETURN(f.action, QueryText(req, "action"));
  ZB_ASSIGN_OR_RETURN(TimeRange range, QueryRange(req));
  f.from_ms = range.from_ms;
  f.to_ms = range.to_ms;
  return f;
}

Json AuditJson(const storage::AuditRow& r) {
  // Stored as JSON text by RecordAudit; shown as it is should it ever not parse.
  Json changes = Json::parse(r.changes, nullptr, false);
  if (changes.is_discarded()) changes = r.changes;
  return {{"seq", r.seq},
          {"at", FormatRfc3339(r.at)},
          {"user_id", r.user_id ? Json(*r.user_id) : Json(nullptr)},
          {"login", r.login},
          {"ip", r.ip},
          {"request_id", r.request_id},
          {"action", r.action},
          {"entity_type", r.entity_type},
          {"entity_id", r.entity_id},
          {"changes", std::move(changes)},
          {"hash", r.hash},
          {"prev_hash", r.prev_hash}};
}

std::vector<http::QueryParamDoc> AuditQueryDocs() {
  return Concat(std::vector<http::QueryParamDoc>{{.name = "login", .description = "操作人账号"},
                                                 {.name = "entity_type", .description = "对象类型,如 org_unit、user"},
                                                 {.name = "entity_id", .description = "对象编号"},
                                                 {.name = "action", .description = "操作,如 create、update、export"}},
                RangeDocs());
}

// ---- login log -----------------------------------------------------------------

StatusOr<storage::LoginLogFilter> LoginLogFilterFrom(const Request& req) {
  storage::LoginLogFilter f;
  ZB_ASSIGN_OR_RETURN(f.login, QueryLogin(req));
  ZB_ASSIGN_OR_RETURN(f.result, QueryText(req, "result"));
  if (f.result && *f.result != "success" && *f.result != "failure") {
    return ValidationFailed("参数 result 应为 success 或 failure", "result");
  }
  ZB_ASSIGN_OR_RETURN(TimeRange range, QueryRange(req));
  f.from_ms = range.from_ms;
  f.to_ms = range.to_ms;
  return f;
}

// A short Chinese label for what sign-in wrote as the reason: its sentences
// (domain/sign_in.cc, api/auth.cc) are matched by how they begin, the most
// specific first; the short codes are those the log's contract names. An
// unknown reason is labelled with its Chinese part (before " (").
std::string ReasonLabel(const storage::LoginLogEntry& e) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"登录成功，须修改初始密码", "登录成功,须修改初始密码"},
      {"登录成功，密码已过期", "登录成功,密码已过期"},
      {"登录成功", "登录成功"},
      {"密码错误，账户已锁定", "密码错误,账户已锁定"},
      {"密码错误", "密码错误"},
      {"账户已锁定", "账户已锁定"},
      {"账户已停用", "账户已停用"},
      {"用户不存在", "用户不存在"},
      {"IP 失败次数过多", "IP 失败过多,已限流"},
      {"bad_password", "密码错误"},
      {"wrong_password", "密码错误"},
      {"locked", "账户已锁定"},
      {"inactive", "账户已停用"},
      {"unknown_user", "用户不存在"},
      {"rate_limited", "IP 失败过多,已限流"},
  };
  if (e.reason.empty()) return e.result == "success" ? "登录成功" : "登录失败";
  for (const auto& [prefix, label] : kLabels) {
    if (e.reason.starts_with(prefix)) return std::string(label);
  }
  return e.reason.substr(0, e.reason.find(" ("));
}

Json LoginLogJson(const storage::LoginLogEntry& e) {
  return {{"id", e.id},
          {"at", FormatRfc3339(e.at)},
          {"login", e.login},
          {"user_id", e.user_id ? Json(*e.user_id) : Json(nullptr)},
          {"ip", e.ip},
          {"user_agent", e.user_agent},
          {"result", e.result},
          {"reason", e.reason},
          {"reason_label", ReasonLabel(e)}};
}

std::vector<http::QueryParamDoc> LoginLogQueryDocs() {
  return Concat(std::vector<http::QueryParamDoc>{{.name = "login", .description = "登录账号"},
                                                 {.name = "result", .description = "success 或 failure"}},
                RangeDocs());
}

Json ListSchema(const Json& item) {
  return {{"type", "object"},
          {"properties",
           {{"items", {{"type", "array"}, {"items", item}}},
            {"total", {{"type", "integer"}}},
            {"page", {{"type", "integer"}}},
            {"page_size", {{"type", "integer"}}}}}};
}

Json ObjectOf(std::initializer_list<std::pair<const char*, const char*>> fields) {
  Json props = Json::object();
  for (const auto& [name, type] : fields) props[name] = {{"type", type}};
  return {{"type", "object"}, {"properties", props}};
}

}  // namespace

void RegisterLogRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kAuditTag = "audit-log";
  const std::string kLoginTag = "login-log";
  Json audit_item = ObjectOf({{"seq", "integer"},
                              {"at", "string"},
                              {"user_id", "integer"},
                              {"login", "string"},
                              {"ip", "string"},
                              {"request_id", "string"},
                              {"action", "string"},
                              {"entity_type", "string"},
                              {"entity_id", "string"},
                              {"changes", "object"},
                              {"hash", "string"},
                              {"prev_hash", "string"}});
  Json login_item = ObjectOf({{"id", "integer"},
                              {"at", "string"},
                              {"login", "string"},
                              {"user_id", "integer"},
                              {"ip", "string"},
                              {"user_agent", "string"},
                              {"result", "string"},
                              {"reason", "string"},
                              {"reason_label", "string"}});

  router.Add("GET", "/api/v1/audit-log",
             {.summary = "操作日志,新的在前 (audit log, newest first)",
              .tag = kAuditTag,
              .permission = "audit:read",
              .query = Concat(AuditQueryDocs(), PagingDocs()),
              .response_schema = ListSchema(audit_item)},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(storage::AuditFilter f, AuditFilterFrom(req));
               ZB_ASSIGN_OR_RETURN(Paging paging, QueryPaging(req));
               f.page = paging.page;
               f.page_size = paging.page_size;
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(storage::AuditPage page, storage::ListAudit(*conn, f));
               Json items = Json::array();
               for (const auto& r : page.items) items.push_back(AuditJson(r));
               return Response::Json({{"items", std::move(items)},
                                      {"total", page.total},
                                      {"page", paging.page},
                                      {"page_size", paging.page_size}});
             });

  router.Add("GET", "/api/v1/audit-log/export",
             {.summary = "导出操作日志 .xlsx,至多 5 万条;导出本身记入操作日志 (export the audit log)",
              .tag = kAuditTag,
              .permission = "audit:export",
              .query = AuditQueryDocs(),
              .success_content_type = kXlsxType},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(storage::AuditFilter f, AuditFilterFrom(req));
               f.page_size = storage::kMaxPageSize;
               std::vector<storage::AuditRow> rows;
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(
                     rows, (CollectForExport<storage::AuditRow, storage::AuditPage>(
                               [&](int64_t page) {
                                 f.page = page;
                                 return storage::ListAudit(*conn, f);
                               },
                               [](const storage::AuditRow& r) { return r.seq; })));
               }
               io::XlsxSheet sheet{.name = "操作日志",
                                   .header = {"序号", "时间", "账号", "IP", "请求号", "操作", "对象类型", "对象编号",
                                              "变更内容"}};
               sheet.rows.reserve(rows.size());
               for (const auto& r : rows) {
                 sheet.rows.push_back({r.seq, io::XlsxDateTime{r.at}, r.login, r.ip, r.request_id,
                                       ActionLabel(r.action), EntityTypeLabel(r.entity_type), r.entity_id,
                                       r.changes});
               }
               ZB_ASSIGN_OR_RETURN(std::string bytes, io::WriteXlsx(sheet));
               int64_t now = ctx.clock->NowMs();
               ZB_RETURN_IF_ERROR(RecordExport(
                   ctx, req, now, "audit_log",
                   GivenFilter(req, {"login", "entity_type", "entity_id", "action", "from", "to"}), rows.size()));
               return XlsxDownload(std::move(bytes), "操作日志", "audit-log", now);
             });

  router.Add("GET", "/api/v1/audit-log/verify",
             {.summary = "校验操作日志哈希链是否完整 (verify the audit hash chain)",
              .tag = kAuditTag,
              .permission = "audit:read",
              .response_schema = ObjectOf({{"entries", "integer"}, {"intact", "boolean"}, {"message", "string"}})},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(AuditVerifyReport report, VerifyAuditLog(*ctx.pool));
               std::string message = report.intact() ? "审计日志完整,共 " + std::to_string(report.entries) +
                                                           " 条 (the audit log is intact)"
                                                     : report.message;
               return Response::Json(
                   {{"entries", report.entries}, {"intact", report.intact()}, {"message", message}});
             });

  router.Add("GET", "/api/v1/login-log",
             {.summary = "登录日志,新的在前 (login log, newest first)",
              .tag = kLoginTag,
              .permission = "loginlog:read",
              .query = Concat(LoginLogQueryDocs(), PagingDocs()),
              .response_schema = ListSchema(login_item)},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(storage::LoginLogFilter f, LoginLogFilterFrom(req));
               ZB_ASSIGN_OR_RETURN(Paging paging, QueryPaging(req));
               f.page = paging.page;
               f.page_size = paging.page_size;
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(storage::LoginLogPage page, storage::ListLoginLog(*conn, f));
               Json items = Json::array();
               for (const auto& e : page.items) items.push_back(LoginLogJson(e));
               return Response::Json({{"items", std::move(items)},
                                      {"total", page.total},
                                      {"page", paging.page},
                                      {"page_size", paging.page_size}});
             });

  router.Add("GET", "/api/v1/login-log/export",
             {.summary = "导出登录日志 .xlsx,至多 5 万条;导出本身记入操作日志 (export the login log)",
              .tag = kLoginTag,
              .permission = "loginlog:read",
              .query = LoginLogQueryDocs(),
              .success_content_type = kXlsxType},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(storage::LoginLogFilter f, LoginLogFilterFrom(req));
               f.page_size = storage::kMaxPageSize;
               std::vector<storage::LoginLogEntry> entries;
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(
                     entries, (CollectForExport<storage::LoginLogEntry, storage::LoginLogPage>(
                                  [&](int64_t page) {
                                    f.page = page;
                                    return storage::ListLoginLog(*conn, f);
                                  },
                                  [](const storage::LoginLogEntry& e) { return e.id; })));
               }
               io::XlsxSheet sheet{.name = "登录日志",
                                   .header = {"序号", "时间", "账号", "IP", "结果", "原因", "详情", "浏览器"}};
               sheet.rows.reserve(entries.size());
               for (const auto& e : entries) {
                 sheet.rows.push_back({e.id, io::XlsxDateTime{e.at}, e.login, e.ip,
                                       std::string(e.result == "success" ? "成功" : "失败"), ReasonLabel(e),
                                       e.reason, e.user_agent});
               }
               ZB_ASSIGN_OR_RETURN(std::string bytes, io::WriteXlsx(sheet));
               int64_t now = ctx.clock->NowMs();
               ZB_RETURN_IF_ERROR(RecordExport(ctx, req, now, "login_log",
                                               GivenFilter(req, {"login", "result", "from", "to"}), entries.size()));
               return XlsxDownload(std::move(bytes), "登录日志", "login-log", now);
             });
}

}  // namespace zb::api
