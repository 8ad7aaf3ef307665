// /api/v1/problems — 问题台账 · 诉求清单 · 销号管理: the list with its
// filters and facets, read, create, edit while pending, the timeline, the
// workflow's actions and the settings (时限). The rules are
// domain/problem.h's; reads go through the scope of docs/api-problems.md
// (an enterprise user: its own enterprise's items; others: the item's own,
// lead, coordinating or co-handling unit in their scope) and out of scope
// answers 404 like a missing item. Contract: docs/api-problems.md.
// /problems/stats, /export, /import and the notifications are elsewhere
// (problem_stats.cc, problem_io.cc, notifications.cc).
#include "api/problems.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/audit.h"
#include "api/enterprises.h"
#include "api/json_input.h"
#include "api/project_input.h"
#include "api/scope.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/problem.h"
#include "storage/calendar_repo.h"
#include "storage/dict_repo.h"
#include "storage/ledger_versions.h"
#include "storage/list_cache.h"
#include "storage/org_unit_repo.h"
#include "storage/problem_repo.h"
#include "storage/user_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr char kTag[] = "problems";

StatusOr<storage::Problem> VisibleProblem(db::Connection& conn, const http::Principal& p, int64_t id) {
  auto item = storage::GetProblem(conn, id);
  if (item.status().code() == StatusCode::kNotFound || (item.ok() && !ProblemVisible(p, *item))) {
    return NotVisible("问题", "problem");
  }
  return item;
}

Json Opt(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }
Json Opt(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
// Times go out as RFC 3339 in China time, like every other route's.
Json OptTime(const std::optional<int64_t>& ms) { return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr); }

std::optional<Date> DateOf(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  auto d = Date::Parse(*s);
  return d.ok() ? std::optional<Date>(*d) : std::nullopt;
}

domain::ProblemStatus StatusOf(const storage::Problem& p) {
  return domain::ParseProblemStatus(p.status).value_or(domain::ProblemStatus::kPending);
}

}  // namespace

Json ProblemItemJson(const storage::Problem& p, const WorkCalendar& cal, Date today) {
  Json co_ids = Json::array(), co = Json::array();
  for (const auto& u : p.co_units) {
    co_ids.push_back(u.id);
    co.push_back({{"id", u.id}, {"name", u.name}});
  }
  const auto status = StatusOf(p);
  const auto deadline = DateOf(p.deadline);
  const bool overdue = domain::IsOpen(status) && deadline && *deadline < today;
  return {{"id", p.id},
          {"code", p.code},
          {"title", p.title},
          {"description", p.description},
          {"category", p.category},
          {"category_label", p.category_label},
          {"enterprise_id", Opt(p.enterprise_id)},
          {"enterprise_name", p.enterprise_name},
          {"project_id", Opt(p.project_id)},
          {"project_code", p.project_code},
          {"project_name", p.project_name},
          {"source", p.source},
          {"source_label", LabelOf(domain::ParseProblemSource(p.source))},
          {"urgency", p.urgency},
          {"urgency_label", LabelOf(domain::ParseProblemUrgency(p.urgency))},
          {"raised_by", Opt(p.raised_by)},
          {"raised_by_name", p.raised_by_name},
          {"raised_on", p.raised_on},
          {"created_at", FormatRfc3339(p.created_at)},
          {"org_unit_id", p.org_unit_id},
          {"org_unit_name", p.org_unit_name},
          {"coord_unit_id", p.coord_unit_id},
          {"coord_unit_name", p.coord_unit_name},
          {"level", p.level},
          {"level_label", LabelOf(domain::ParseProblemLevel(p.level))},
          {"lead_unit_id", Opt(p.lead_unit_id)},
          {"lead_unit_name", p.lead_unit_name},
          {"co_unit_ids", co_ids},
          {"co_units", co},
          {"handler_id", Opt(p.handler_id)},
          {"handler_name", p.handler_name},
          {"status", p.status},
          {"status_label", domain::Label(status)},
          {"assigned_on", Opt(p.assigned_on)},
          {"deadline", Opt(p.deadline)},
          {"original_deadline", Opt(p.original_deadline)},
          {"overdue", overdue},
          {"overdue_days", domain::OverdueDays(cal, status, deadline, today)},
          {"resolved_on", Opt(p.resolved_on)},
          {"result", p.result},
          {"resolve_days", Opt(p.resolve_days)},
          {"closed_on", Opt(p.closed_on)},
          {"on_spot", p.on_spot},
          {"escalated", p.escalated},
          {"escalation_count", p.escalation_count},
          {"supervised", p.supervised},
          {"on_agenda", p.on_agenda},
          {"extension_pending", p.extension_pending},
          {"satisfaction", Opt(p.satisfaction)},
          {"satisfaction_label",
           p.satisfaction ? LabelOf(domain::ParseSatisfaction(*p.satisfaction)) : std::string()},
          {"rated_on", Opt(p.rated_on)},
          {"reopen_count", p.reopen_count},
          {"version", p.version},
          {"updated_at", FormatRfc3339(p.updated_at)}};
}

namespace {

// The caller as the workflow sees them, for this item.
domain::ProblemActor ActorFor(const http::Principal& who, const storage::Problem& p) {
  const bool assign = who.Has("problem:assign");
  domain::ProblemActor a;
  a.can_write = who.Has("problem:write");
  a.can_assign = assign;
  a.can_supervise = who.Has("problem:supervise");
  a.enterprise_user = who.enterprise_id.has_value();
  a.own_enterprise = a.enterprise_user && p.enterprise_id == who.enterprise_id;
  a.in_lead_unit = !a.enterprise_user && p.lead_unit_id && *p.lead_unit_id == who.org_unit_id;
  a.assign_over_coord = assign && !a.enterprise_user && InScope(who, p.coord_unit_id, p.coord_unit_path);
  a.assign_over_lead = assign && !a.enterprise_user && p.lead_unit_id && p.lead_unit_path &&
                       InScope(who, *p.lead_unit_id, *p.lead_unit_path);
  return a;
}

struct Loaded {
  storage::ProblemDetail detail;
  domain::ProblemFacts facts;
  std::optional<domain::UnitKind> escalate_to;
};

StatusOr<Loaded> Load(db::Connection& conn, const http::Principal& who, int64_t id) {
  Loaded l;
  ZB_RETURN_IF_ERROR(VisibleProblem(conn, who, id).status());
  ZB_ASSIGN_OR_RETURN(l.detail, storage::GetProblemDetail(conn, id));
  const storage::Problem& p = l.detail.problem;
  ZB_ASSIGN_OR_RETURN(auto chain, storage::UnitChain(conn, p.coord_unit_id));
  l.escalate_to = domain::EscalationTarget(chain);
  l.facts = {.status = StatusOf(p),
             .raised_on = DateOf(p.raised_on).value_or(Date()),
             .has_lead_unit = p.lead_unit_id.has_value(),
             .deadline = DateOf(p.deadline),
             .original_deadline = DateOf(p.original_deadline),
             .extension_pending = p.extension_pending,
             .requested_deadline = DateOf(l.detail.requested_deadline),
             .supervised = p.supervised,
             .on_agenda = p.on_agenda,
             .has_higher_level = l.escalate_to.has_value()};
  return l;
}

// The whole item: allowed_actions for this caller, 延期, 督办单, 联席会议.
StatusOr<Json> DetailJson(db::Connection& conn, const http::Principal& who, int64_t id, Date today) {
  ZB_ASSIGN_OR_RETURN(Loaded l, Load(conn, who, id));
  ZB_ASSIGN_OR_RETURN(auto cal, storage::CurrentCalendar(conn));
  Json out = ProblemItemJson(l.detail.problem, *cal, today);
  Json allowed = Json::array();
  for (auto a : domain::AllowedActions(l.facts, ActorFor(who, l.detail.problem))) allowed.push_back(domain::Code(a));
  out["allowed_actions"] = allowed;
  Json ext = Json::array(), sup = Json::array(), agenda = Json::array();
  for (const auto& x : l.detail.extensions) {
    ext.push_back({{"id", x.id},
                   {"old_deadline", Opt(x.old_deadline)},
                   {"new_deadline", x.new_deadline},
                   {"reason", x.reason},
                   {"status", x.status},
                   {"requested_by", Opt(x.requested_by)},
                   {"requested_by_name", x.requested_by_name},
                   {"requested_at", FormatRfc3339(x.requested_at)},
                   {"decided_by", Opt(x.decided_by)},
                   {"decided_by_name", x.decided_by_name},
                   {"decided_at", OptTime(x.decided_at)},
                   {"decision_note", who.enterprise_id ? "" : x.decision_note}});
  }
  for (const auto& s : l.detail.supervisions) {
    sup.push_back({{"id", s.id},
                   {"instruction", s.instruction},
                   {"respond_by", Opt(s.respond_by)},
                   {"issued_by", Opt(s.issued_by)},
                   {"issued_by_name", s.issued_by_name},
                   {"issued_at", FormatRfc3339(s.issued_at)},
                   {"response", s.response},
                   {"responded_by", Opt(s.responded_by)},
                   {"responded_by_name", s.responded_by_name},
                   {"responded_at", OptTime(s.responded_at)}});
  }
  for (const auto& g : l.detail.agenda) {
    agenda.push_back({{"id", g.id},
                      {"meeting_on", Opt(g.meeting_on)},
                      {"comment", g.comment},
                      {"submitted_by", Opt(g.submitted_by)},
                      {"submitted_by_name", g.submitted_by_name},
                      {"submitted_at", FormatRfc3339(g.submitted_at)},
                      {"decision", g.decision},
                      {"bound_unit_ids", g.bound_unit_ids},
                      {"decided_by", Opt(g.decided_by)},
                      {"decided_at", OptTime(g.decided_at)}});
  }
  out["extensions"] = ext;
  out["supervisions"] = sup;
  out["agenda"] = agenda;
  return out;
}

// ---- input --------------------------------------------------------------------

Status ReadText(const Json& body, std::string_view key, std::string_view label, size_t max_chars, bool required,
                std::optional<std::string>* out) {
  ZB_RETURN_IF_ERROR(GetString(body, key, out));
  if (!*out) {
    if (required) {
      return ValidationFailed("请填写" + std::string(label) + " (" + std::string(key) + " is required)",
                              std::string(key));
    }
    return Status::Ok();
  }
  std::string& v = **out;
  // Multi-line text: trim, then count characters.
  while (!v.empty() && (v.back() == ' ' || v.back() == '\n' || v.back() == '\r' || v.back() == '\t')) v.pop_back();
  size_t start = v.find_first_not_of(" \n\r\t");
  v = start == std::string::npos ? "" : v.substr(start);
  if (v.empty() && required) {
    return ValidationFailed("请填写" + std::string(label) + " (" + std::string(key) + " is required)",
                            std::string(key));
  }
  if (Utf8Length(v) > max_chars) {
    return ValidationFailed(std::string(label) + "不能超过 " + std::to_string(max_chars) + " 个字 (" +
                                std::string(key) + " is too long)",
                            std::string(key));
  }
  return Status::Ok();
}

Status ReadDate(const Json& body, std::string_view key, std::optional<Date>* out) {
  std::optional<std::string> s;
  ZB_RETURN_IF_ERROR(GetString(body, key, &s));
  if (!s) return Status::Ok();
  ZB_ASSIGN_OR_RETURN(Date d, Date::Parse(*s, key));
  *out = d;
  return Status::Ok();
}

Status ReadIds(const Json& body, std::string_view key, std::vector<int64_t>* out) {
  auto it = body.find(std::string(key));
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) {
    return ValidationFailed(std::string(key) + " 应为整数数组 (must be an array of ids)", std::string(key));
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& v = (*it)[i];
    if (!v.is_number_integer() || v.get<int64_t>() <= 0) {
      std::string field = std::string(key) + "[" + std::to_string(i) + "]";
      return ValidationFailed(field + " 应为正整数 (must be a positive id)", field);
    }
    out->push_back(v.get<int64_t>());
  }
  return Status::Ok();
}

Status CheckCategory(db::Connection& conn, const std::string& code) {
  ZB_ASSIGN_OR_RETURN(auto items, storage::ListDictItems(conn, "problem_category", /*include_inactive=*/false));
  for (const auto& d : items) {
    if (d.code == code) return Status::Ok();
  }
  return ValidationFailed("未知的问题类别:" + code + " (unknown category)", "category");
}

template <typename E>
Status CheckEnum(const std::optional<std::string>& v, std::optional<E> (*parse)(std::string_view), const char* field,
                 const char* label) {
  if (v && (!parse(*v) || domain::Code(*parse(*v)) != *v)) {
    return ValidationFailed("未知的" + std::string(label) + ":" + *v + " (unknown " + field + ")", field);
  }
  return Status::Ok();
}

// An active org unit for `field`; 404 when missing.
StatusOr<storage::OrgUnit> ActiveUnit(db::Connection& conn, int64_t id, const std::string& field) {
  auto u = storage::GetOrgUnit(conn, id);
  if (u.status().code() == StatusCode::kNotFound) return NotVisible("组织机构", "org unit", field);
  ZB_RETURN_IF_ERROR(u.status());
  if (!u->active) return ValidationFailed("单位「" + u->name + "」已停用 (the unit is inactive)", field);
  return u;
}

// 409 with the item as it now is.
StatusOr<Response> Stale(db::Connection& conn, const http::Principal& who, int64_t id, Date today, Status why) {
  ZB_ASSIGN_OR_RETURN(Json current, DetailJson(conn, who, id, today));
  return Response::Error(why, {{"current", current}});
}

// ---- list filters ---------------------------------------------------------------

StatusOr<std::optional<bool>> OptBool(const Request& req, std::string_view name) {
  if (!req.Query(name)) return std::optional<bool>();
  ZB_ASSIGN_OR_RETURN(bool v, QueryBool(req, name, false));
  return std::optional<bool>(v);
}

}  // namespace

StatusOr<storage::ProblemFilter> ReadProblemFilter(db::Connection& conn, const Request& req) {
  const http::Principal& who = *req.principal();
  storage::ProblemFilter f;
  if (auto s = req.Query("status"); s && !s->empty()) {
    std::string all(*s);
    size_t start = 0;
    while (start <= all.size()) {
      size_t comma = all.find(',', start);
      std::string one = all.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!one.empty()) {
        auto st = domain::ParseProblemStatus(one);
        if (!st) return ValidationFailed("未知的状态:" + one + " (unknown status)", "status");
        f.statuses.emplace_back(domain::Code(*st));
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  auto text = [&](const char* name) -> std::optional<std::string> {
    auto v = req.Query(name);
    return v && !v->empty() ? std::optional<std::string>(std::string(*v)) : std::nullopt;
  };
  f.category = text("category");
  f.source = text("source");
  f.urgency = text("urgency");
  f.level = text("level");
  f.satisfaction = text("satisfaction");
  ZB_RETURN_IF_ERROR(CheckEnum(f.source, &domain::ParseProblemSource, "source", "来源"));
  ZB_RETURN_IF_ERROR(CheckEnum(f.urgency, &domain::ParseProblemUrgency, "urgency", "紧急程度"));
  ZB_RETURN_IF_ERROR(CheckEnum(f.level, &domain::ParseProblemLevel, "level", "层级"));
  ZB_RETURN_IF_ERROR(CheckEnum(f.satisfaction, &domain::ParseSatisfaction, "satisfaction", "满意度"));
  ZB_ASSIGN_OR_RETURN(auto org_unit_id, QueryId(req, "org_unit_id"));
  if (org_unit_id) {
    ZB_ASSIGN_OR_RETURN(auto u, VisibleUnit(conn, who, *org_unit_id, "org_unit_id"));
    f.org_unit_path = u.path;
  }
  ZB_ASSIGN_OR_RETURN(auto lead_unit_id, QueryId(req, "lead_unit_id"));
  if (lead_unit_id) {
    auto u = storage::GetOrgUnit(conn, *lead_unit_id);
    if (!u.ok()) return NotVisible("组织机构", "org unit", "lead_unit_id");
    f.lead_unit_path = u->path;
  }
  ZB_ASSIGN_OR_RETURN(f.enterprise_id, QueryId(req, "enterprise_id"));
  ZB_ASSIGN_OR_RETURN(f.project_id, QueryId(req, "project_id"));
  ZB_ASSIGN_OR_RETURN(f.overdue, OptBool(req, "overdue"));
  ZB_ASSIGN_OR_RETURN(f.escalated, OptBool(req, "escalated"));
  ZB_ASSIGN_OR_RETURN(f.supervised, OptBool(req, "supervised"));
  ZB_ASSIGN_OR_RETURN(f.on_agenda, OptBool(req, "on_agenda"));
  ZB_ASSIGN_OR_RETURN(f.on_spot, OptBool(req, "on_spot"));
  for (const char* name : {"raised_from", "raised_to"}) {
    if (auto v = text(name)) {
      ZB_RETURN_IF_ERROR(Date::Parse(*v, name).status());
      (std::string_view(name) == "raised_from" ? f.raised_from : f.raised_to) = *v;
    }
  }
  if (auto mine = text("mine")) {
    if (*mine == "handler") {
      f.mine_handler = who.user_id;
    } else if (*mine == "unit") {
      f.mine_unit = who.org_unit_id;
    } else {
      return ValidationFailed("mine 只能是 handler 或 unit (mine must be handler or unit)", "mine");
    }
  }
  f.q = text("q").value_or("");
  if (auto sort = text("sort")) {
    if (!storage::IsProblemSortKey(*sort)) return ValidationFailed("不支持的排序:" + *sort + " (unknown sort)", "sort");
    f.sort = *sort;
  }
  return f;
}

std::vector<http::QueryParamDoc> ProblemFilterDocs() {
  return {{.name = "status", .description = "状态(逗号分隔):pending, assigned, in_progress, resolved, closed, returned"},
          {.name = "category", .description = "问题类别编码"},
          {.name = "source", .description = "来源:enterprise, visit, meeting, leader, other"},
          {.name = "urgency", .description = "紧急程度:normal, urgent, critical"},
          {.name = "level", .description = "层级:town, county, city"},
          {.name = "org_unit_id", .type = "integer", .description = "所属单位(含下级)"},
          {.name = "lead_unit_id", .type = "integer", .description = "责任单位(含下级)"},
          {.name = "enterprise_id", .type = "integer", .description = "企业"},
          {.name = "project_id", .type = "integer", .description = "项目"},
          {.name = "overdue", .type = "boolean", .description = "逾期"},
          {.name = "escalated", .type = "boolean", .description = "提级过"},
          {.name = "supervised", .type = "boolean", .description = "督办中"},
          {.name = "on_agenda", .type = "boolean", .description = "待联席会议"},
          {.name = "on_spot", .type = "boolean", .description = "现场解决"},
          {.name = "satisfaction", .description = "满意度:satisfied, basic, unsatisfied"},
          {.name = "raised_from", .description = "提出日期起 YYYY-MM-DD"},
          {.name = "raised_to", .description = "提出日期止 YYYY-MM-DD"},
          {.name = "mine", .description = "handler(我经办)或 unit(本单位责任或协办)"},
          {.name = "q", .description = "编号、标题、描述、企业或项目名称"},
          {.name = "sort", .description = "raised_on, deadline, status, urgency, overdue_days, code, updated_at;'-' 降序"},
          {.name = "page", .type = "integer"},
          {.name = "page_size", .type = "integer", .description = "≤ 1000"},
          {.name = "facets", .type = "boolean", .description = "同时返回分面计数"}};
}

// ---- create ---------------------------------------------------------------------

StatusOr<storage::ProblemInput> ReadProblemCreate(db::Connection& conn, const http::Principal& who, const Json& body,
                                                  Date today) {
  ZB_RETURN_IF_ERROR(CheckObject(body, {"title", "description", "category", "enterprise_id", "project_id", "source",
                                        "urgency", "raised_on", "attachment_ids"}));
  storage::ProblemInput in;
  std::optional<std::string> title, description, category, source, urgency;
  ZB_RETURN_IF_ERROR(ReadText(body, "title", "标题", 100, true, &title));
  ZB_RETURN_IF_ERROR(ReadText(body, "description", "描述", 4000, false, &description));
  ZB_RETURN_IF_ERROR(ReadText(body, "category", "问题类别", 64, true, &category));
  ZB_RETURN_IF_ERROR(GetString(body, "source", &source));
  ZB_RETURN_IF_ERROR(GetString(body, "urgency", &urgency));
  ZB_RETURN_IF_ERROR(CheckEnum(source, &domain::ParseProblemSource, "source", "来源"));
  ZB_RETURN_IF_ERROR(CheckEnum(urgency, &domain::ParseProblemUrgency, "urgency", "紧急程度"));
  std::optional<int64_t> enterprise_id, project_id;
  ZB_RETURN_IF_ERROR(GetInt(body, "enterprise_id", &enterprise_id));
  ZB_RETURN_IF_ERROR(GetInt(body, "project_id", &project_id));
  std::optional<Date> raised_on;
  ZB_RETURN_IF_ERROR(ReadDate(body, "raised_on", &raised_on));
  ZB_RETURN_IF_ERROR(ReadIds(body, "attachment_ids", &in.attachment_ids));
  ZB_RETURN_IF_ERROR(CheckCategory(conn, *category));
  if (raised_on && *raised_on > today) {
    return ValidationFailed("提出日期不能晚于今天 (raised_on must not be after today)", "raised_on");
  }
  // An enterprise user raises for their own enterprise (another's is as good
  // as missing), and what they raise is 企业提交.
  if (who.enterprise_id) {
    if (enterprise_id && *enterprise_id != *who.enterprise_id) return NotVisible("企业", "enterprise", "enterprise_id");
    enterprise_id = who.enterprise_id;
    source = "enterprise";
  }
  std::optional<int64_t> unit;
  if (project_id) {
    auto project = VisibleProject(conn, who, *project_id);
    if (!project.ok()) return NotVisible("项目", "project", "project_id");
    if (project->data.enterprise_id) {
      if (enterprise_id && *enterprise_id != *project->data.enterprise_id) {
        return ValidationFailed("该项目属于另一家企业 (the project belongs to another enterprise)", "project_id");
      }
      enterprise_id = project->data.enterprise_id;
    }
    unit = project->data.org_unit_id;
  }
  if (enterprise_id) {
    ZB_ASSIGN_OR_RETURN(auto e, VisibleEnterprise(conn, who, *enterprise_id, "enterprise_id"));
    if (!unit) unit = e.org_unit_id;
  }
  if (!unit) {
    return ValidationFailed("请选择所涉及的企业或项目 (enterprise_id or project_id is required)", "enterprise_id");
  }
  in.title = *title;
  in.description = description.value_or("");
  in.category = *category;
  in.enterprise_id = enterprise_id;
  in.project_id = project_id;
  in.source = source.value_or("other");
  in.urgency = urgency.value_or("normal");
  in.raised_on = raised_on.value_or(today).ToString();
  in.raised_by = who.user_id;
  in.org_unit_id = *unit;
  return in;
}

namespace {

// ---- actions --------------------------------------------------------------------

// The body keys each action takes besides action, version, comment and attachment_ids.
std::vector<std::string_view> ActionKeys(domain::ProblemAction a) {
  using A = domain::ProblemAction;
  switch (a) {
    case A::kAssign: return {"lead_unit_id", "co_unit_ids", "handler_id", "deadline"};
    case A::kOnSpot:
    case A::kResolve: return {"result", "date"};
    case A::kReturn:
    case A::kReopen:
    case A::kEscalate: return {"reason"};
    case A::kExtend: return {"new_deadline", "reason"};
    case A::kExtendDecide: return {"grant"};
    case A::kRate: return {"satisfaction"};
    case A::kSupervise: return {"instruction", "respond_by"};
    case A::kSuperviseRespond: return {"response"};
    case A::kAgenda: return {"meeting_on"};
    case A::kAgendaDecide: return {"decision", "bound_unit_ids"};
    case A::kComment: return {"internal"};
    default: return {};
  }
}

Status CheckActionKeys(const Json& body, domain::ProblemAction a) {
  if (!body.is_object()) return BadRequest("请求体应为 JSON 对象 (body must be a JSON object)");
  auto keys = ActionKeys(a);
  for (const auto& [k, v] : body.items()) {
    if (k == "action" || k == "version" || k == "comment" || k == "attachment_ids") continue;
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      return ValidationFailed("「" + std::string(domain::Label(a)) + "」不接受字段 " + k + " (unknown field)", k);
    }
  }
  return Status::Ok();
}

StatusOr<Json> ApplyAction(db::Connection& c, const Request& req, int64_t id, const Json& body, int64_t version,
                           domain::ProblemAction action, Date today, int64_t now) {
  using A = domain::ProblemAction;
  const http::Principal& who = *req.principal();
  ZB_ASSIGN_OR_RETURN(Loaded l, Load(c, who, id));
  const storage::Problem& item = l.detail.problem;
  if (item.version != version) {
    return VersionConflict("问题已被他人处理(当前版本 " + std::to_string(item.version) +
                           "),请刷新后重试 (changed by someone else)");
  }
  // The texts: each action's own required one first.
  std::optional<std::string> comment, reason, result, instruction, response, decision;
  ZB_RETURN_IF_ERROR(ReadText(body, "comment", "备注", 2000, action == A::kComment, &comment));
  ZB_RETURN_IF_ERROR(ReadText(body, "reason", "原因", 2000, action == A::kReturn || action == A::kReopen ||
                                                             action == A::kEscalate,
                              &reason));
  ZB_RETURN_IF_ERROR(ReadText(body, "result", "办理结果", 4000, action == A::kResolve || action == A::kOnSpot, &result));
  ZB_RETURN_IF_ERROR(ReadText(body, "instruction", "督办要求", 2000, action == A::kSupervise, &instruction));
  ZB_RETURN_IF_ERROR(ReadText(body, "response", "督办反馈", 2000, action == A::kSuperviseRespond, &response));
  ZB_RETURN_IF_ERROR(ReadText(body, "decision", "会议决定", 2000, action == A::kAgendaDecide, &decision));
  std::optional<bool> internal, grant;
  ZB_RETURN_IF_ERROR(GetBool(body, "internal", &internal));
  ZB_RETURN_IF_ERROR(GetBool(body, "grant", &grant));
  if (action == A::kExtendDecide && !grant) return ValidationFailed("请选择是否批准 (grant is required)", "grant");
  if (internal.value_or(false) && who.enterprise_id) {
    return ValidationFailed("企业用户不能添加内部备注 (enterprise users cannot write internal notes)", "internal");
  }
  std::optional<std::string> satisfaction;
  ZB_RETURN_IF_ERROR(GetString(body, "satisfaction", &satisfaction));
  ZB_RETURN_IF_ERROR(CheckEnum(satisfaction, &domain::ParseSatisfaction, "satisfaction", "满意度"));
  std::optional<int64_t> lead_unit_id, handler_id;
  ZB_RETURN_IF_ERROR(GetInt(body, "lead_unit_id", &lead_unit_id));
  ZB_RETURN_IF_ERROR(GetInt(body, "handler_id", &handler_id));
  std::vector<int64_t> co_unit_ids, bound_unit_ids, attachment_ids;
  ZB_RETURN_IF_ERROR(ReadIds(body, "co_unit_ids", &co_unit_ids));
  ZB_RETURN_IF_ERROR(ReadIds(body, "bound_unit_ids", &bound_unit_ids));
  ZB_RETURN_IF_ERROR(ReadIds(body, "attachment_ids", &attachment_ids));
  if (action == A::kAssign && !lead_unit_id) {
    return ValidationFailed("请选择责任单位 (lead_unit_id is required)", "lead_unit_id");
  }

  ZB_ASSIGN_OR_RETURN(auto cal, storage::CurrentCalendar(c));
  ZB_ASSIGN_OR_RETURN(auto settings, storage::GetProblemSettings(c));
  domain::ActionInput in{.action = action, .today = today, .sla_days = storage::SlaDaysFor(settings, item.category)};
  ZB_RETURN_IF_ERROR(ReadDate(body, "date", &in.date));
  ZB_RETURN_IF_ERROR(ReadDate(body, "deadline", &in.deadline));
  ZB_RETURN_IF_ERROR(ReadDate(body, "new_deadline", &in.new_deadline));
  ZB_RETURN_IF_ERROR(ReadDate(body, "respond_by", &in.respond_by));
  std::optional<Date> meeting_on;
  ZB_RETURN_IF_ERROR(ReadDate(body, "meeting_on", &meeting_on));
  in.grant = grant.value_or(false);
  if (satisfaction) in.satisfaction = domain::ParseSatisfaction(*satisfaction);
  if (action == A::kRate && in.satisfaction == domain::Satisfaction::kUnsatisfied && !comment) {
    return ValidationFailed("不满意时请说明原因 (comment is required when unsatisfied)", "comment");
  }
  // The rules: 409 / 403 / dates.
  ZB_ASSIGN_OR_RETURN(domain::ProblemChange change,
                      domain::PlanAction(l.facts, ActorFor(who, item), in, *cal));

  storage::ProblemActionWrite w{.problem_id = id,
                                .expected_version = version,
                                .user_id = who.user_id,
                                .action = action,
                                .change = change,
                                .attachment_ids = attachment_ids,
                                .now = now};
  Json data = Json::object();
  if (action == A::kAssign) {
    ZB_ASSIGN_OR_RETURN(auto lead, ActiveUnit(c, *lead_unit_id, "lead_unit_id"));
    std::set<int64_t> seen;
    for (size_t i = 0; i < co_unit_ids.size(); ++i) {
      std::string field = "co_unit_ids[" + std::to_string(i) + "]";
      if (co_unit_ids[i] == lead.id) {
        return ValidationFailed("协办单位不能是责任单位 (a co-unit cannot be the lead unit)", field);
      }
      if (!seen.insert(co_unit_ids[i]).second) return ValidationFailed("协办单位重复 (duplicate co-unit)", field);
      ZB_RETURN_IF_ERROR(ActiveUnit(c, co_unit_ids[i], field).status());
    }
    if (handler_id) {
      auto user = storage::GetUser(c, *handler_id);
      if (!user.ok()) return NotVisible("用户", "user", "handler_id");
      if (!user->active || user->org_unit_id != lead.id || user->enterprise_id) {
        return ValidationFailed("经办人须是责任单位的在用用户 (the handler must be an active user of the lead unit)",
                                "handler_id");
      }
    }
    w.lead_unit_id = lead.id;
    w.co_unit_ids = co_unit_ids;
    w.handler_id = handler_id;
    data = {{"lead_unit_id", lead.id}, {"lead_unit_name", lead.name}, {"co_unit_ids", co_unit_ids},
            {"handler_id", Opt(handler_id)}, {"deadline", change.deadline->ToString()}};
  }
  if (action == A::kAgendaDecide) {
    for (size_t i = 0; i < bound_unit_ids.size(); ++i) {
      ZB_RETURN_IF_ERROR(ActiveUnit(c, bound_unit_ids[i], "bound_unit_ids[" + std::to_string(i) + "]").status());
    }
    w.bound_unit_ids = bound_unit_ids;
    data = {{"bound_unit_ids", bound_unit_ids}};
  }
  if (action == A::kEscalate) {
    w.escalate_to = l.escalate_to->id;
    data = {{"from_unit_id", item.coord_unit_id}, {"to_unit_id", l.escalate_to->id}};
  }
  if (action == A::kExtend) {
    w.new_deadline = in.new_deadline->ToString();
    data = {{"old_deadline", Opt(item.deadline)}, {"new_deadline", *w.new_deadline}};
  }
  if (action == A::kExtendDecide) {
    w.grant = in.grant;
    data = {{"grant", in.grant}, {"new_deadline", Opt(l.detail.requested_deadline)}};
  }
  if (action == A::kSupervise) {
    w.instruction = *instruction;
    if (in.respond_by) w.respond_by = in.respond_by->ToString();
    data = {{"respond_by", Opt(w.respond_by)}};
  }
  if (action == A::kAgenda && meeting_on) {
    w.meeting_on = meeting_on->ToString();
    data = {{"meeting_on", *w.meeting_on}};
  }
  if (change.resolved_on) data = {{"date", change.resolved_on->ToString()}, {"resolve_days", *change.resolve_days}};
  if (action == A::kRate) {
    // By the enterprise: 满意度评价; by the bureau: 回访.
    data = {{"satisfaction", *satisfaction}, {"by", who.enterprise_id ? "enterprise" : "visit"}};
  }
  if (change.reopen && change.deadline) data["deadline"] = change.deadline->ToString();
  w.result = result.value_or("");
  w.internal = action == A::kComment && internal.value_or(false);
  // The entry's text: the action's own (reason, result, …), else the comment.
  for (const auto* text : {&reason, &result, &instruction, &response, &decision, &comment}) {
    if (*text && !(*text)->empty()) {
      w.comment = **text;
      break;
    }
  }
  if (comment && !comment->empty() && w.comment != *comment) data["comment"] = *comment;
  w.data = data;

  Json before = ProblemItemJson(item, *cal, today);
  ZB_RETURN_IF_ERROR(storage::ApplyProblemAction(c, w).status());
  ZB_ASSIGN_OR_RETURN(Json after, DetailJson(c, who, id, today));
  Json audit_after = after;
  audit_after.erase("allowed_actions");
  audit_after.erase("extensions");
  audit_after.erase("supervisions");
  audit_after.erase("agenda");
  ZB_RETURN_IF_ERROR(RecordAudit(c, req, now, "problem." + std::string(domain::Code(action)), "problem",
                                 std::to_string(id), ChangedFields(before, audit_after)));
  return after;
}

Json SettingsJson(const storage::ProblemSettings& s) {
  Json sla = Json::object();
  for (const auto& [k, v] : s.sla_days) sla[k] = v;
  return {{"sla_days", sla},
          {"default_sla_days", s.default_sla_days},
          {"auto_escalate_days", s.auto_escalate_days},
          {"version", s.version}};
}

Status CheckDays(const std::optional<int64_t>& v, const std::string& field, int64_t min) {
  if (!v) return ValidationFailed("请填写 " + field + " (" + field + " is required)", field);
  if (*v < min || *v > 365) {
    return ValidationFailed(field + " 应在 " + std::to_string(min) + "–365 个工作日之间 (out of range)", field);
  }
  return Status::Ok();
}

Json ItemSchema() {
  return {{"type", "object"},
          {"description", "问题/诉求(见 docs/api-problems.md 的字段表)"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"code", {{"type", "string"}}},
            {"title", {{"type", "string"}}},
            {"status", {{"type", "string"}}},
            {"deadline", {{"type", "string"}, {"format", "date"}}},
            {"allowed_actions", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"version", {{"type", "integer"}}}}}};
}

// Whole list answers (a page of 20 items with the facets is ~25 KB) per
// query at one problem_data_version (storage/list_cache.h).
storage::VersionedCache<std::string>& ListAnswers() {
  static auto* cache = new storage::VersionedCache<std::string>(500);
  return *cache;
}

}  // namespace

storage::ProblemScope ProblemScopeOf(const http::Principal& p) { return {ScopeSql(p), p.enterprise_id}; }

bool ProblemVisible(const http::Principal& p, const storage::Problem& problem) {
  return storage::ProblemInScope(ProblemScopeOf(p), problem);
}

void RegisterProblemRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/problems",
             {.summary = "问题台账列表:筛选、排序、分页、分面 (the problem ledger: filters, sort, paging, facets)",
              .tag = kTag,
              .permission = "problem:read",
              .query = ProblemFilterDocs(),
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"items", {{"type", "array"}, {"items", ItemSchema()}}},
                                    {"total", {{"type", "integer"}}},
                                    {"page", {{"type", "integer"}}},
                                    {"page_size", {{"type", "integer"}}},
                                    {"facets", {{"type", "object"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Paging paging, QueryPaging(req));
               ZB_ASSIGN_OR_RETURN(bool facets, QueryBool(req, "facets", false));
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(storage::ProblemFilter f, ReadProblemFilter(*conn, req));
               const Date today = ctx.clock->Today();
               const storage::ProblemScope scope = ProblemScopeOf(*req.principal());
               // The same query (its SQL and parameters: the scope, filters,
               // sort and page) on the same day, at the same ledger data
               // version and calendar (overdue days), is the same answer.
               // Both versions without a round trip when a PostgreSQL
               // listener keeps them (storage/ledger_versions.h).
               ZB_ASSIGN_OR_RETURN(storage::LedgerVersions versions,
                                   storage::CurrentLedgerVersions(*ctx.pool, *conn));
               const storage::ListVersion& version = versions.problems;
               const int64_t calendar = versions.calendar;
               db::Params params;
               // (Its own statement: the parameters exist once it has run.)
               const std::string from_where = storage::ProblemFromWhere(scope, f, today, conn->dialect(), &params);
               const std::string key = today.ToString() + "|" + std::to_string(calendar) + "|" + f.sort + "|" +
                                       std::to_string(paging.page) + "|" + std::to_string(paging.page_size) + "|" +
                                       (facets ? "f" : "") + from_where + storage::ParamsKey(params);
               // Computed once per (version, key) however many ask at once.
               ZB_ASSIGN_OR_RETURN(
                   std::string body, ListAnswers().GetOrCompute(version, key, [&]() -> StatusOr<std::string> {
                 ZB_ASSIGN_OR_RETURN(auto page, storage::ListProblems(*conn, scope, f, today, paging.page,
                                                                      paging.page_size, facets));
                 ZB_ASSIGN_OR_RETURN(auto cal, storage::CurrentCalendar(*conn));
                 Json items = Json::array();
                 for (const auto& p : page.items) items.push_back(ProblemItemJson(p, *cal, today));
                 Json out = {{"items", items}, {"total", page.total}, {"page", paging.page},
                             {"page_size", paging.page_size}};
                 if (facets) {
                   ZB_ASSIGN_OR_RETURN(auto cats, storage::ListDictItems(*conn, "problem_category", true));
                   auto label = [&](const std::string& dim, const std::string& v) -> std::string {
                     if (dim == "status") return LabelOf(domain::ParseProblemStatus(v));
                     if (dim == "level") return LabelOf(domain::ParseProblemLevel(v));
                     if (dim == "source") return LabelOf(domain::ParseProblemSource(v));
                     for (const auto& d : cats) {
                       if (d.code == v) return d.label;
                     }
                     return "";
                   };
                   Json fj = Json::object();
                   for (const auto& [dim, counts] : page.facets) {
                     Json list = Json::array();
                     for (const auto& c : counts) {
                       list.push_back({{"value", c.value}, {"label", label(dim, c.value)}, {"count", c.count}});
                     }
                     fj[dim] = list;
                   }
                   out["facets"] = fj;
                 }
                 return Response::Json(200, out).body;
               }));
               return Response::Text(200, std::move(body), "application/json; charset=utf-8");
             });

  router.Add("GET", "/api/v1/problems/settings",
             {.summary = "问题办理时限设置 (SLA per category, auto-escalation)",
              .tag = kTag,
              .permission = "problem:read"},
             [&ctx](Request&) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto s, storage::GetProblemSettings(*conn));
               return Response::Json(200, SettingsJson(s));
             });

  router.Add("PUT", "/api/v1/problems/settings",
             {.summary = "修改问题办理时限设置 (set the SLA and auto-escalation)",
              .tag = kTag,
              .permission = "dict:write",
              .request_schema = {{"type", "object"},
                                 {"properties",
                                  {{"sla_days", {{"type", "object"}}},
                                   {"default_sla_days", {{"type", "integer"}}},
                                   {"auto_escalate_days", {{"type", "integer"}}},
                                   {"version", {{"type", "integer"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"sla_days", "default_sla_days", "auto_escalate_days", "version"}));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               storage::ProblemSettings s;
               std::optional<int64_t> def, esc;
               ZB_RETURN_IF_ERROR(GetInt(body, "default_sla_days", &def));
               ZB_RETURN_IF_ERROR(GetInt(body, "auto_escalate_days", &esc));
               ZB_RETURN_IF_ERROR(CheckDays(def, "default_sla_days", 1));
               ZB_RETURN_IF_ERROR(CheckDays(esc, "auto_escalate_days", 0));
               s.default_sla_days = *def;
               s.auto_escalate_days = *esc;
               auto sla = body.find("sla_days");
               if (sla == body.end() || !sla->is_object()) {
                 return ValidationFailed("sla_days 应为 {类别: 工作日} 对象 (sla_days must be an object)", "sla_days");
               }
               const int64_t now = ctx.clock->NowMs();
               Json out;
               Status st = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto cats, storage::ListDictItems(c, "problem_category", true));
                 for (const auto& [k, v] : sla->items()) {
                   const std::string field = "sla_days." + k;
                   bool known = std::any_of(cats.begin(), cats.end(), [&](const auto& d) { return d.code == k; });
                   if (!known) return ValidationFailed("未知的问题类别:" + k + " (unknown category)", field);
                   if (!v.is_number_integer()) return ValidationFailed(field + " 应为整数 (must be an integer)", field);
                   ZB_RETURN_IF_ERROR(CheckDays(v.get<int64_t>(), field, 1));
                   s.sla_days[k] = v.get<int64_t>();
                 }
                 ZB_ASSIGN_OR_RETURN(auto before, storage::GetProblemSettings(c));
                 ZB_RETURN_IF_ERROR(storage::PutProblemSettings(c, s, version, req.principal()->user_id, now));
                 ZB_ASSIGN_OR_RETURN(auto after, storage::GetProblemSettings(c));
                 out = SettingsJson(after);
                 return RecordAudit(c, req, now, "problem.settings", "problem_settings", "1",
                                    ChangedFields(SettingsJson(before), out));
               });
               if (st.code() == StatusCode::kVersionConflict) {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(auto current, storage::GetProblemSettings(*conn));
                 return Response::Error(st, {{"current", SettingsJson(current)}});
               }
               ZB_RETURN_IF_ERROR(st);
               return Response::Json(200, out);
             });

  router.Add("POST", "/api/v1/problems",
             {.summary = "提报问题/诉求(企业用户:本企业,来源为企业提交) (raise a problem or request)",
              .tag = kTag,
              .permission = "problem:write",
              .request_schema = {{"type", "object"},
                                 {"required", {"title", "category"}},
                                 {"properties",
                                  {{"title", {{"type", "string"}, {"maxLength", 100}}},
                                   {"description", {{"type", "string"}, {"maxLength", 4000}}},
                                   {"category", {{"type", "string"}}},
                                   {"enterprise_id", {{"type", "integer"}}},
                                   {"project_id", {{"type", "integer"}}},
                                   {"source", {{"type", "string"}}},
                                   {"urgency", {{"type", "string"}}},
                                   {"raised_on", {{"type", "string"}, {"format", "date"}}},
                                   {"attachment_ids", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}}},
              .response_schema = ItemSchema(),
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               const http::Principal& who = *req.principal();
               const Date today = ctx.clock->Today();
               const int64_t now = ctx.clock->NowMs();
               Json out;
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(storage::ProblemInput in, ReadProblemCreate(c, who, body, today));
                 ZB_ASSIGN_OR_RETURN(int64_t id, storage::CreateProblem(c, in, now));
                 ZB_ASSIGN_OR_RETURN(out, DetailJson(c, who, id, today));
                 return RecordAudit(c, req, now, "problem.create", "problem", std::to_string(id),
                                    ChangedFields(nullptr, out));
               }));
               Response r = Response::Json(201, out);
               r.With("Location", "/api/v1/problems/" + std::to_string(out["id"].get<int64_t>()));
               return r;
             });

  router.Add("GET", "/api/v1/problems/{id}",
             {.summary = "问题详情:可执行的操作、延期、督办单、联席会议 (one item with its allowed actions)",
              .tag = kTag,
              .permission = "problem:read",
              .response_schema = ItemSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(Json out, DetailJson(*conn, *req.principal(), id, ctx.clock->Today()));
               return Response::Json(200, out);
             });

  router.Add("PATCH", "/api/v1/problems/{id}",
             {.summary = "修改待受理/已退回的问题:提报人或有交办权限者 (edit while pending or returned)",
              .tag = kTag,
              .permission = "problem:write",
              .request_schema = {{"type", "object"},
                                 {"required", {"version"}},
                                 {"properties",
                                  {{"title", {{"type", "string"}}},
                                   {"description", {{"type", "string"}}},
                                   {"category", {{"type", "string"}}},
                                   {"urgency", {{"type", "string"}}},
                                   {"version", {{"type", "integer"}}}}}},
              .response_schema = ItemSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"title", "description", "category", "urgency", "version"}));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               storage::ProblemEdit edit;
               ZB_RETURN_IF_ERROR(ReadText(body, "title", "标题", 100, false, &edit.title));
               if (edit.title && edit.title->empty()) return ValidationFailed("请填写标题 (title is required)", "title");
               ZB_RETURN_IF_ERROR(ReadText(body, "description", "描述", 4000, false, &edit.description));
               ZB_RETURN_IF_ERROR(GetString(body, "category", &edit.category));
               ZB_RETURN_IF_ERROR(GetString(body, "urgency", &edit.urgency));
               ZB_RETURN_IF_ERROR(CheckEnum(edit.urgency, &domain::ParseProblemUrgency, "urgency", "紧急程度"));
               const http::Principal& who = *req.principal();
               const Date today = ctx.clock->Today();
               const int64_t now = ctx.clock->NowMs();
               Json out;
               Status st = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(storage::Problem item, VisibleProblem(c, who, id));
                 if (edit.category) ZB_RETURN_IF_ERROR(CheckCategory(c, *edit.category));
                 if (item.version != version) {
                   return VersionConflict("问题已被他人修改(当前版本 " + std::to_string(item.version) +
                                          "),请刷新后重试 (changed by someone else)");
                 }
                 const auto s = StatusOf(item);
                 if (s != domain::ProblemStatus::kPending && s != domain::ProblemStatus::kReturned) {
                   return InvalidTransition("只有待受理或已退回的问题可以修改 (only pending or returned items can be "
                                            "edited)",
                                            "status");
                 }
                 if (item.raised_by != who.user_id && !(who.Has("problem:assign") && !who.enterprise_id)) {
                   return Forbidden("只有提报人或有交办权限者可以修改 (only the raiser or the bureau may edit)");
                 }
                 ZB_ASSIGN_OR_RETURN(auto cal, storage::CurrentCalendar(c));
                 Json before = ProblemItemJson(item, *cal, today);
                 ZB_RETURN_IF_ERROR(storage::UpdateProblem(c, id, version, edit, now));
                 ZB_ASSIGN_OR_RETURN(out, DetailJson(c, who, id, today));
                 return RecordAudit(c, req, now, "problem.update", "problem", std::to_string(id),
                                    ChangedFields(before, out));
               });
               if (st.code() == StatusCode::kVersionConflict) {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 return Stale(*conn, who, id, today, st);
               }
               ZB_RETURN_IF_ERROR(st);
               return Response::Json(200, out);
             });

  router.Add("GET", "/api/v1/problems/{id}/timeline",
             {.summary = "办理记录(企业用户看不到内部备注) (the timeline, oldest first)",
              .tag = kTag,
              .permission = "problem:read"},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               const http::Principal& who = *req.principal();
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_RETURN_IF_ERROR(VisibleProblem(*conn, who, id).status());
               ZB_ASSIGN_OR_RETURN(auto events, storage::ListProblemEvents(*conn, id, who.enterprise_id.has_value()));
               Json items = Json::array();
               for (const auto& e : events) {
                 Json files = Json::array();
                 for (const auto& f : e.attachments) {
                   files.push_back({{"id", f.id}, {"filename", f.filename}, {"content_type", f.content_type},
                                    {"size", f.size}});
                 }
                 items.push_back({{"id", e.id},
                                  {"at", FormatRfc3339(e.at)},
                                  {"user_id", Opt(e.user_id)},
                                  {"user_name", e.user_id ? e.user_name : "系统"},
                                  {"action", e.action},
                                  {"action_label", std::string(domain::EventLabel(e.action))},
                                  {"from_status", e.from_status},
                                  {"to_status", e.to_status},
                                  {"comment", e.comment},
                                  {"internal", e.internal},
                                  {"data", e.data},
                                  {"attachments", files}});
               }
               return Response::Json(200, {{"items", items}});
             });

  // problem:read at the door: a leader holds problem:supervise without
  // problem:write; every action checks its own permission (domain/problem.h).
  router.Add("POST", "/api/v1/problems/{id}/actions",
             {.summary = "办理操作:交办、签收、退回、延期、办结、销号、重新办理、评价、提级、督办、联席会议、备注 "
                         "(a workflow action; which ones the caller may take is the item's allowed_actions)",
              .tag = kTag,
              .permission = "problem:read",
              .request_schema = {{"type", "object"},
                                 {"required", {"action", "version"}},
                                 {"properties",
                                  {{"action", {{"type", "string"}}},
                                   {"version", {{"type", "integer"}}},
                                   {"comment", {{"type", "string"}}},
                                   {"attachment_ids", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}}},
              .response_schema = ItemSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               {  // An item the caller cannot see is 404 whatever the body says.
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_RETURN_IF_ERROR(VisibleProblem(*conn, *req.principal(), id).status());
               }
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               if (!body.is_object()) return BadRequest("请求体应为 JSON 对象 (body must be a JSON object)");
               std::optional<std::string> action_code;
               ZB_RETURN_IF_ERROR(GetString(body, "action", &action_code));
               if (!action_code) return ValidationFailed("请指定操作 (action is required)", "action");
               auto action = domain::ParseProblemAction(*action_code);
               if (!action || domain::Code(*action) != *action_code) {
                 return ValidationFailed("未知的操作:" + *action_code + " (unknown action)", "action");
               }
               ZB_RETURN_IF_ERROR(CheckActionKeys(body, *action));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               const http::Principal& who = *req.principal();
               const Date today = ctx.clock->Today();
               const int64_t now = ctx.clock->NowMs();
               Json out;
               Status st = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(out, ApplyAction(c, req, id, body, version, *action, today, now));
                 return Status::Ok();
               });
               if (st.code() == StatusCode::kVersionConflict) {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 return Stale(*conn, who, id, today, st);
               }
               ZB_RETURN_IF_ERROR(st);
               return Response::Json(200, out);
             });
}

}  // namespace zb::api
