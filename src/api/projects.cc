// /api/v1/projects — the project library (项目库): the list with its
// filters, facets and counts, read, create, edit, lifecycle moves, the stage
// history and the change history (变更记录). Reads go through the caller's
// data scope (the project's unit or its 责任部门; 仅本人: created, leads or
// liaises; an enterprise user: its own enterprise's projects); out of scope
// answers 404 like a missing project. Contract: docs/api-projects.md.
#include "api/projects.h"

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "api/project_input.h"
#include "api/scope.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/project.h"
#include "storage/audit_repo.h"
#include "storage/calendar_repo.h"
#include "storage/dict_repo.h"
#include "storage/user_repo.h"
#include "storage/warning_store.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr char kTag[] = "projects";

// The eight date fields, in lifecycle order: planned then actual.
constexpr std::array<const char*, 8> kDateFields = {
    "planned_signed_on",    "actual_signed_on",    "planned_started_on",   "actual_started_on",
    "planned_completed_on", "actual_completed_on", "planned_operating_on", "actual_operating_on"};


std::optional<std::string>* DateMember(storage::ProjectData& d, std::string_view field) {
  std::optional<std::string>* members[] = {&d.planned_signed_on,    &d.actual_signed_on,    &d.planned_started_on,
                                           &d.actual_started_on,    &d.planned_completed_on, &d.actual_completed_on,
                                           &d.planned_operating_on, &d.actual_operating_on};
  for (size_t i = 0; i < kDateFields.size(); ++i) {
    if (field == kDateFields[i]) return members[i];
  }
  return nullptr;
}

// Dictionary code → label for 产业板块 and 项目类别 (retired items too: they
// still name old records).
struct Labels {
  std::map<std::string, std::string> board, category;
  // The day the 预警 reasons are said for, and its calendar.
  Date today;
  std::shared_ptr<const WorkCalendar> calendar;

  static StatusOr<Labels> Load(db::Connection& conn, Date today) {
    Labels out;
    out.today = today;
    ZB_ASSIGN_OR_RETURN(out.calendar, storage::CurrentCalendar(conn));
    ZB_ASSIGN_OR_RETURN(auto items, storage::ListDictItems(conn, "", /*include_inactive=*/true));
    for (const auto& d : items) {
      if (d.dict_type == "board") out.board[d.code] = d.label;
      if (d.dict_type == "category") out.category[d.code] = d.label;
    }
    return out;
  }
  static std::string Of(const std::map<std::string, std::string>& m, const std::string& code) {
    auto it = m.find(code);
    return it == m.end() ? "" : it->second;
  }
};

// Whole list answers (a page of ~20 projects with facets is ~30 KB), per
// storage::ProjectPageKey, at one project_list_version.
storage::VersionedCache<std::string>& ListAnswers() {
  static auto* cache = new storage::VersionedCache<std::string>(500);
  return *cache;
}
constexpr const char* kJsonType = "application/json; charset=utf-8";

Json OptJson(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }
Json OptJson(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
Json OptJson(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

domain::ProjectLifecycleState LifecycleOf(const storage::Project& p) {
  domain::ProjectLifecycleState s;
  s.stage = domain::ParseProjectStage(p.stage).value_or(domain::ProjectStage::kPlanning);
  if (p.suspended_from) s.suspended_from = domain::ParseProjectStage(*p.suspended_from);
  if (p.stage_since) {
    if (auto d = Date::Parse(*p.stage_since); d.ok()) s.stage_since = *d;
  }
  return s;
}

Json ToJson(const storage::Project& p, const Labels& labels) {
  const storage::ProjectData& d = p.data;
  Json liaisons = Json::array();
  for (size_t i = 0; i < d.liaison_ids.size(); ++i) {
    liaisons.push_back({{"id", d.liaison_ids[i]}, {"name", i < p.liaison_names.size() ? p.liaison_names[i] : ""}});
  }
  Json teams = Json::array();
  for (size_t i = 0; i < d.team_ids.size(); ++i) {
    teams.push_back({{"id", d.team_ids[i]}, {"name", i < p.team_names.size() ? p.team_names[i] : ""}});
  }
  Json plans = Json::array();
  for (const auto& plan : d.plans) {
    plans.push_back({{"year", plan.year},
                     {"planned_investment", plan.planned_investment},
                     {"goal_start", plan.goal_start},
                     {"goal_complete", plan.goal_complete},
                     {"goal_operate", plan.goal_operate}});
  }
  Json allowed = Json::array();
  for (auto s : domain::AllowedTransitions(LifecycleOf(p))) allowed.push_back(domain::ProjectStageCode(s));
  Json out = {{"id", p.id},
              {"code", d.code},
              {"name", d.name},
              {"enterprise_id", OptJson(d.enterprise_id)},
              {"enterprise_name", p.enterprise_name},
              {"org_unit_id", d.org_unit_id},
              {"org_unit_name", p.org_unit_name},
              {"board", d.board},
              {"board_label", Labels::Of(labels.board, d.board)},
              {"category", d.category},
              {"category_label", Labels::Of(labels.category, d.category)},
              {"level", d.level},
              {"project_type", d.project_type},
              {"stage", p.stage},
              {"suspended_from", OptJson(p.suspended_from)},
              {"stage_since", OptJson(p.stage_since)},
              {"allowed_transitions", allowed},
              {"total_investment", d.total_investment},
              {"construction_content", d.construction_content},
              {"address", d.address},
              {"lng", OptJson(d.lng)},
              {"lat", OptJson(d.lat)},
              {"leader_user_id", OptJson(d.leader_user_id)},
              {"leader_name", p.leader_name},
              {"responsible_unit_id", OptJson(d.responsible_unit_id)},
              {"responsible_unit_name", p.responsible_unit_name},
              {"liaisons", liaisons},
              {"teams", teams},
              {"tags", d.tags},
              {"plans", plans},
              {"warning",
               {{"colour", p.warning_colour.empty() ? Json(nullptr) : Json(p.warning_colour)},
                {"reasons", storage::RenderWarningReasons(p.warning_reasons, p.warning_valid_until, labels.today,
                                                          *labels.calendar)}}},
              {"created_by", OptJson(p.created_by)},
              {"version", p.version},
              {"created_at", FormatRfc3339(p.created_at)},
              {"updated_at", FormatRfc3339(p.updated_at)}};
  storage::ProjectData copy = d;  // DateMember wants a mutable record
  for (const char* f : kDateFields) out[f] = OptJson(*DateMember(copy, f));
  return out;
}

// ---- schemas -------------------------------------------------------------------

Json ProjectSchema() {
  Json str = {{"type", "string"}}, integer = {{"type", "integer"}}, number = {{"type", "number"}};
  Json date = {{"type", "string"}, {"format", "date"}, {"nullable", true}};
  Json ref = {{"type", "object"}, {"properties", {{"id", integer}, {"name", str}}}};
  Json plan = {{"type", "object"},
               {"properties",
                {{"year", integer},
                 {"planned_investment", {{"type", "integer"}, {"description", "元"}}},
                 {"goal_start", {{"type", "boolean"}, {"description", "年内开工"}}},
                 {"goal_complete", {{"type", "boolean"}, {"description", "年内竣工"}}},
                 {"goal_operate", {{"type", "boolean"}, {"description", "年内投产"}}}}}};
  Json props = {{"id", integer},
                {"code", {{"type", "string"}, {"description", "项目编号,默认 XM-年份-序号"}}},
                {"name", str},
                {"enterprise_id", {{"type", "integer"}, {"nullable", true}, {"description", "建设单位"}}},
                {"enterprise_name", str},
                {"org_unit_id", {{"type", "integer"}, {"description", "属地"}}},
                {"org_unit_name", str},
                {"board", {{"type", "string"}, {"description", "产业板块字典编码"}}},
                {"board_label", str},
                {"category", {{"type", "string"}, {"description", "项目类别字典编码"}}},
                {"category_label", str},
                {"level", {{"type", "string"}, {"description", "national/provincial/municipal/county/general"}}},
                {"project_type", {{"type", "string"}, {"description", "new/continuing/expansion/renovation"}}},
                {"stage", {{"type", "string"}, {"description", "建设阶段编码,见 /api/v1/dictionaries"}}},
                {"suspended_from", {{"type", "string"}, {"nullable", true}}},
                {"stage_since", date},
                {"allowed_transitions", {{"type", "array"}, {"items", str}}},
                {"total_investment", {{"type", "integer"}, {"description", "总投资,元"}}},
                {"construction_content", str},
                {"address", str},
                {"lng", number},
                {"lat", number},
                {"leader_user_id", {{"type", "integer"}, {"nullable", true}, {"description", "包保领导"}}},
                {"leader_name", str},
                {"responsible_unit_id", {{"type", "integer"}, {"nullable", true}, {"description", "责任部门"}}},
                {"responsible_unit_name", str},
                {"liaisons", {{"type", "array"}, {"items", ref}, {"description", "包联人员"}}},
                {"teams", {{"type", "array"}, {"items", ref}, {"description", "专班"}}},
                {"tags", {{"type", "array"}, {"items", str}}},
                {"plans", {{"type", "array"}, {"items", plan}, {"description", "年度计划"}}},
                {"warning",
                 {{"type", "object"},
                  {"description", "预警:colour red/yellow/green 或 null(未研判),reasons 原因(最重的在前)"},
                  {"properties",
                   {{"colour", {{"type", "string"}, {"nullable", true}}},
                    {"reasons", {{"type", "array"}, {"items", str}}}}}}},
                {"created_by", {{"type", "integer"}, {"nullable", true}}},
                {"version", integer},
                {"created_at", {{"type", "string"}, {"format", "date-time"}}},
                {"updated_at", {{"type", "string"}, {"format", "date-time"}}}};
  for (const char* f : kDateFields) props[f] = date;
  return {{"type", "object"}, {"properties", props}};
}

Json InputSchema(bool creating) {
  Json props = ProjectSchema()["properties"];
  for (const char* k : {"id", "enterprise_name", "org_unit_name", "board_label", "category_label", "stage",
                        "suspended_from", "stage_since", "allowed_transitions", "leader_name",
                        "responsible_unit_name", "liaisons", "teams", "created_by", "version", "created_at",
                        "updated_at", "actual_signed_on", "actual_started_on", "actual_completed_on",
                        "actual_operating_on"}) {
    props.erase(k);
  }
  props["liaison_ids"] = {{"type", "array"}, {"items", {{"type", "integer"}}}, {"description", "包联人员"}};
  props["team_ids"] = {{"type", "array"}, {"items", {{"type", "integer"}}}, {"description", "专班"}};
  Json s = {{"type", "object"}, {"additionalProperties", false}};
  if (creating) {
    s["required"] = {"name", "org_unit_id"};
  } else {
    props["version"] = {{"type", "integer"}, {"description", "or the If-Match header"}};
  }
  s["properties"] = props;
  return s;
}

// ---- reading a body onto a record ----------------------------------------------

// The fields a body may carry (PATCH adds "version").
const std::initializer_list<std::string_view> kInputFields = {
    "code",          "name",          "enterprise_id",        "org_unit_id",         "board",
    "category",      "level",         "project_type",         "total_investment",    "construction_content",
    "address",       "lng",           "lat",                  "planned_signed_on",   "planned_started_on",
    "planned_completed_on",           "planned_operating_on", "leader_user_id",      "responsible_unit_id",
    "liaison_ids",   "team_ids",      "tags",                 "plans",               "version",
    "stage",         "actual_signed_on", "actual_started_on", "actual_completed_on", "actual_operating_on"};

bool Has(const Json& body, std::string_view key) { return body.find(key) != body.end(); }

// A field that may be cleared: absent leaves *target, null clears it.
Status ReadNullableInt(const Json& body, std::string_view key, std::optional<int64_t>* target) {
  if (!Has(body, key)) return Status::Ok();
  std::optional<int64_t> v;
  ZB_RETURN_IF_ERROR(GetInt(body, key, &v));
  *target = v;
  return Status::Ok();
}

Status ReadNullableText(const Json& body, std::string_view key, std::optional<std::string>* target) {
  if (!Has(body, key)) return Status::Ok();
  std::optional<std::string> v;
  ZB_RETURN_IF_ERROR(GetString(body, key, &v));
  if (v && v->empty()) v.reset();  // an emptied date box clears the date
  *target = v;
  return Status::Ok();
}

Status ReadNullableNumber(const Json& body, std::string_view key, std::optional<double>* target) {
  if (!Has(body, key)) return Status::Ok();
  const Json& v = body.at(std::string(key));
  if (v.is_null()) {
    target->reset();
    return Status::Ok();
  }
  if (!v.is_number()) return ValidationFailed(std::string(key) + " 应为数字 (must be a number)", std::string(key));
  *target = v.get<double>();
  return Status::Ok();
}

Status ReadText(const Json& body, std::string_view key, std::string* target) {
  std::optional<std::string> v;
  ZB_RETURN_IF_ERROR(GetString(body, key, &v));
  if (v) *target = *v;
  return Status::Ok();
}

Status ReadIdList(const Json& body, std::string_view key, std::vector<int64_t>* target) {
  if (!Has(body, key)) return Status::Ok();
  const Json& v = body.at(std::string(key));
  if (v.is_null()) {
    target->clear();
    return Status::Ok();
  }
  if (!v.is_array()) return ValidationFailed(std::string(key) + " 应为编号列表 (must be an array of ids)", std::string(key));
  std::vector<int64_t> ids;
  for (const Json& id : v) {
    if (!id.is_number_integer() || id.get<int64_t>() <= 0) {
      return ValidationFailed(std::string(key) + " 应为正整数编号列表 (must hold positive integer ids)", std::string(key));
    }
    ids.push_back(id.get<int64_t>());
  }
  *target = std::move(ids);
  return Status::Ok();
}

Status ReadTags(const Json& body, std::vector<std::string>* target) {
  if (!Has(body, "tags")) return Status::Ok();
  const Json& v = body.at("tags");
  if (v.is_null()) {
    target->clear();
    return Status::Ok();
  }
  if (!v.is_array()) return ValidationFailed("标签应为列表 (tags must be an array)", "tags");
  std::vector<std::string> tags;
  for (const Json& t : v) {
    if (!t.is_string()) return ValidationFailed("标签应为文字 (a tag must be a string)", "tags");
    tags.push_back(t.get<std::string>());
  }
  *target = std::move(tags);
  return Status::Ok();
}

Status ReadPlans(const Json& body, std::vector<storage::AnnualPlan>* target) {
  if (!Has(body, "plans")) return Status::Ok();
  const Json& v = body.at("plans");
  if (v.is_null()) {
    target->clear();
    return Status::Ok();
  }
  if (!v.is_array()) return ValidationFailed("年度计划应为列表 (plans must be an array)", "plans");
  if (v.size() > 100) return ValidationFailed("年度计划至多 100 条 (at most 100 plans)", "plans");
  std::vector<storage::AnnualPlan> plans;
  for (const Json& p : v) {
    const std::string field = "plans[" + std::to_string(plans.size()) + "]";
    if (!p.is_object()) return ValidationFailed("年度计划应为对象 (a plan must be an object)", field);
    ZB_RETURN_IF_ERROR(CheckObject(p, {"year", "planned_investment", "goal_start", "goal_complete", "goal_operate"}));
    std::optional<int64_t> year, invest;
    std::optional<bool> start, complete, operate;
    auto named = [&](Status s, const char* key) {
      return s.ok() ? s : Status(s.code(), s.message(), field + "." + key);
    };
    ZB_RETURN_IF_ERROR(named(GetInt(p, "year", &year), "year"));
    ZB_RETURN_IF_ERROR(named(GetInt(p, "planned_investment", &invest), "planned_investment"));
    ZB_RETURN_IF_ERROR(named(GetBool(p, "goal_start", &start), "goal_start"));
    ZB_RETURN_IF_ERROR(named(GetBool(p, "goal_complete", &complete), "goal_complete"));
    ZB_RETURN_IF_ERROR(named(GetBool(p, "goal_operate", &operate), "goal_operate"));
    if (!year) return ValidationFailed("请填写年度 (year is required)", field + ".year");
    plans.push_back({*year, invest.value_or(0), start.value_or(false), complete.value_or(false),
                     operate.value_or(false)});
  }
  *target = std::move(plans);
  return Status::Ok();
}

// Applies the body's fields onto `d` (the stored record for PATCH, defaults
// for POST). Lifecycle fields belong to transitions.
Status ApplyBody(const Json& body, bool creating, storage::ProjectData* d) {
  ZB_RETURN_IF_ERROR(CheckObject(body, kInputFields));
  if (creating && Has(body, "version")) {
    return ValidationFailed("新增项目不需要 version (version is for edits)", "version");
  }
  for (const char* f : {"stage", "actual_signed_on", "actual_started_on", "actual_completed_on",
                        "actual_operating_on"}) {
    if (Has(body, f)) {
      return ValidationFailed(std::string("建设阶段和实际签约/开工/竣工/投产日期由「变更阶段」记录,不能直接修改 (") + f +
                                  " is set by POST …/transitions)",
                              f);
    }
  }
  ZB_RETURN_IF_ERROR(ReadText(body, "code", &d->code));
  ZB_RETURN_IF_ERROR(ReadText(body, "name", &d->name));
  ZB_RETURN_IF_ERROR(ReadNullableInt(body, "enterprise_id", &d->enterprise_id));
  std::optional<int64_t> unit;
  ZB_RETURN_IF_ERROR(GetInt(body, "org_unit_id", &unit));
  if (unit) d->org_unit_id = *unit;
  ZB_RETURN_IF_ERROR(ReadText(body, "board", &d->board));
  ZB_RETURN_IF_ERROR(ReadText(body, "category", &d->category));
  ZB_RETURN_IF_ERROR(ReadText(body, "level", &d->level));
  ZB_RETURN_IF_ERROR(ReadText(body, "project_type", &d->project_type));
  std::optional<int64_t> invest;
  ZB_RETURN_IF_ERROR(GetInt(body, "total_investment", &invest));
  if (invest) d->total_investment = *invest;
  ZB_RETURN_IF_ERROR(ReadText(body, "construction_content", &d->construction_content));
  ZB_RETURN_IF_ERROR(ReadText(body, "address", &d->address));
  ZB_RETURN_IF_ERROR(ReadNullableNumber(body, "lng", &d->lng));
  ZB_RETURN_IF_ERROR(ReadNullableNumber(body, "lat", &d->lat));
  for (const char* f : {"planned_signed_on", "planned_started_on", "planned_completed_on", "planned_operating_on"}) {
    ZB_RETURN_IF_ERROR(ReadNullableText(body, f, DateMember(*d, f)));
  }
  ZB_RETURN_IF_ERROR(ReadNullableInt(body, "leader_user_id", &d->leader_user_id));
  ZB_RETURN_IF_ERROR(ReadNullableInt(body, "responsible_unit_id", &d->responsible_unit_id));
  ZB_RETURN_IF_ERROR(ReadIdList(body, "liaison_ids", &d->liaison_ids));
  ZB_RETURN_IF_ERROR(ReadIdList(body, "team_ids", &d->team_ids));
  ZB_RETURN_IF_ERROR(ReadTags(body, &d->tags));
  ZB_RETURN_IF_ERROR(ReadPlans(body, &d->plans));
  if (creating && !Has(body, "name")) return ValidationFailed("请填写项目名称 (name is required)", "name");
  if (creating && !unit) return ValidationFailed("请选择项目属地 (org_unit_id is required)", "org_unit_id");
  return Status::Ok();
}

// ---- reading one project -------------------------------------------------------

StatusOr<Json> Render(db::Connection& conn, const storage::Project& p, Date today) {
  ZB_ASSIGN_OR_RETURN(Labels labels, Labels::Load(conn, today));
  return ToJson(p, labels);
}

Status Duplicate(const std::string& code) {
  return AlreadyExists("项目编号 " + code + " 已被其他项目使用 (project code already in use)", "code");
}

// ---- the list's parameters -----------------------------------------------------

// Repeated parameters and comma lists, each value trimmed; empty ones dropped.
std::vector<std::string> Values(const Request& req, std::string_view name) {
  std::vector<std::string> out;
  for (std::string_view v : req.QueryAll(name)) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      if (comma == std::string_view::npos) comma = v.size();
      std::string item(v.substr(start, comma - start));
      while (!item.empty() && item.front() == ' ') item.erase(item.begin());
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (!item.empty()) out.push_back(std::move(item));
      start = comma + 1;
    }
  }
  return out;
}

// Each value through `parse` (code or label → code); 422 naming `name`.
template <typename Parse>
StatusOr<std::vector<std::string>> Codes(const Request& req, std::string_view name, const char* what, Parse parse) {
  std::vector<std::string> out;
  for (const auto& v : Values(req, name)) {
    std::optional<std::string> code = parse(v);
    if (!code) {
      return ValidationFailed(std::string(what) + " " + QuoteForMessage(v) + " 无效 (unknown " + std::string(name) + ")",
                              std::string(name));
    }
    out.push_back(*code);
  }
  return out;
}

StatusOr<std::optional<int64_t>> QueryInt(const Request& req, std::string_view name, int64_t min, int64_t max) {
  auto v = req.Query(name);
  if (!v || v->empty()) return std::optional<int64_t>();
  int64_t n = 0;
  bool neg = (*v)[0] == '-';
  std::string_view digits = neg ? v->substr(1) : *v;
  bool ok = !digits.empty() && digits.size() <= 18;
  for (char c : digits) ok = ok && c >= '0' && c <= '9';
  if (ok) {
    for (char c : digits) n = n * 10 + (c - '0');
    if (neg) n = -n;
  }
  if (!ok || n < min || n > max) {
    return ValidationFailed(std::string(name) + " 应为 " + std::to_string(min) + " 到 " + std::to_string(max) +
                                " 之间的整数 (must be an integer in range)",
                            std::string(name));
  }
  return std::optional<int64_t>(n);
}

StatusOr<std::vector<storage::SortKey>> ParseSort(const Request& req) {
  std::vector<storage::SortKey> keys;
  for (const auto& v : Values(req, "sort")) {
    storage::SortKey k{.column = v, .descending = false};
    if (v[0] == '-' || v[0] == '+') {
      k.descending = v[0] == '-';
      k.column = v.substr(1);
    }
    if (!storage::IsProjectSortColumn(k.column)) {
      return ValidationFailed("不能按 " + QuoteForMessage(k.column) + " 排序 (unknown sort column)", "sort");
    }
    keys.push_back(std::move(k));
  }
  return keys;
}

}  // namespace

std::vector<http::QueryParamDoc> ProjectFilterDocs() {
  std::vector<http::QueryParamDoc> q = {
      {.name = "q", .description = "关键词:项目名称、编号、建设单位、建设内容;简繁通查;项目名称拼音首字母"},
      {.name = "org_unit_id", .type = "integer", .description = "属地:此单位及其下级"},
      {.name = "stage", .description = "建设阶段(编码或中文,可多个,逗号分隔)"},
      {.name = "level", .description = "项目级别(编码或中文,可多个)"},
      {.name = "category", .description = "项目类别字典编码(可多个)"},
      {.name = "board", .description = "产业板块字典编码(可多个)"},
      {.name = "project_type", .description = "项目类型(编码或中文,可多个)"},
      {.name = "leader_user_id", .type = "integer", .description = "包保领导"},
      {.name = "responsible_unit_id", .type = "integer", .description = "责任部门"},
      {.name = "enterprise_id", .type = "integer", .description = "建设单位"},
      {.name = "team_id", .type = "integer", .description = "专班"},
      {.name = "tag", .description = "标签"},
      {.name = "year", .type = "integer", .description = "有该年度计划的项目"},
      {.name = "min_investment", .type = "integer", .description = "总投资下限(元,含)"},
      {.name = "max_investment", .type = "integer", .description = "总投资上限(元,含)"},
      {.name = "start_kind", .description = "started 开工 / resumed 复工 / started_or_resumed 开复工"},
      {.name = "start_year", .type = "integer", .description = "开复工的年度,默认今年"},
      {.name = "warning", .description = "预警:red 红 / yellow 黄 / green 绿 / none 无,可多个"},
      {.name = "has_warnings", .type = "boolean", .description = "true:有红色或黄色预警 (= warning=red,yellow)"},
      {.name = "sort", .description = "排序列,逗号分隔,- 为降序;默认 -updated_at"}};
  for (const char* f : kDateFields) {
    q.push_back({.name = std::string(f) + "_from", .description = "日期下限 YYYY-MM-DD(含)"});
    q.push_back({.name = std::string(f) + "_to", .description = "日期上限 YYYY-MM-DD(含)"});
  }
  return q;
}

namespace {

std::optional<std::string> StageCode(const std::string& v) {
  auto s = domain::ParseProjectStage(v);
  if (!s) return std::nullopt;
  return std::string(domain::ProjectStageCode(*s));
}
std::optional<std::string> LevelCode(const std::string& v) {
  auto l = domain::ParseProjectLevel(v);
  if (!l) return std::nullopt;
  return std::string(*l);
}
std::optional<std::string> TypeCode(const std::string& v) {
  auto t = domain::ParseProjectType(v);
  if (!t) return std::nullopt;
  return std::string(domain::ProjectTypeCode(*t));
}
std::optional<std::string> AnyCode(const std::string& v) { return v; }
// 预警: red 红, yellow 黄, green 绿, none 无 (not judged).
constexpr std::pair<const char*, const char*> kWarningValues[] = {
    {"red", "红"}, {"yellow", "黄"}, {"green", "绿"}, {"none", "无"}};
std::optional<std::string> WarningCode(const std::string& v) {
  for (auto [code, label] : kWarningValues) {
    if (v == code || v == label) return std::string(code);
  }
  return std::nullopt;
}
std::string WarningLabel(const std::string& code) {
  for (auto [c, label] : kWarningValues) {
    if (code == c) return label;
  }
  return code;
}

Json FacetJson(const std::vector<storage::FacetCount>& counts,
               const std::function<std::string(const std::string&)>& label) {
  Json out = Json::array();
  for (const auto& c : counts) {
    Json v = {{"value", c.value}, {"label", c.label.empty() ? label(c.value) : c.label}, {"count", c.count}};
    out.push_back(std::move(v));
  }
  return out;
}

std::string StageLabel(const std::string& code) {
  auto s = domain::ParseProjectStage(code);
  return s ? std::string(domain::ProjectStageLabel(*s)) : code;
}

std::string LevelLabel(const std::string& code) { return std::string(domain::ProjectLevelLabel(code)); }

Json FacetsJson(const storage::ProjectFacets& f, const Labels& labels) {
  Json org_units = Json::array();
  for (const auto& c : f.org_unit) {
    Json id = c.value;
    try {
      id = std::stoll(c.value);
    } catch (...) {
    }
    org_units.push_back({{"value", id}, {"label", c.label}, {"count", c.count}});
  }
  return {{"stage", FacetJson(f.stage, StageLabel)},
          {"level", FacetJson(f.level, LevelLabel)},
          {"category", FacetJson(f.category, [&](const std::string& c) { return Labels::Of(labels.category, c); })},
          {"org_unit", org_units},
          {"warning", FacetJson(f.warning, WarningLabel)}};
}

// ---- history -------------------------------------------------------------------

Json StageEventsJson(db::Connection& conn, const std::vector<storage::StageEvent>& events) {
  std::map<int64_t, std::string> names;
  Json items = Json::array();
  for (const auto& e : events) {
    std::string user_name;
    if (e.user_id) {
      auto it = names.find(*e.user_id);
      if (it == names.end()) {
        auto u = storage::GetUser(conn, *e.user_id);
        it = names.emplace(*e.user_id, u.ok() ? u->display_name : "").first;
      }
      user_name = it->second;
    }
    items.push_back({{"id", e.id},
                     {"from_stage", e.from_stage},
                     {"to_stage", e.to_stage},
                     {"on_date", e.on_date},
                     {"note", e.note},
                     {"user_id", OptJson(e.user_id)},
                     {"user_name", user_name},
                     {"at", FormatRfc3339(e.at)}});
  }
  return items;
}

}  // namespace

StatusOr<std::vector<std::string>> WarningFilterValues(const Request& req, std::string_view name) {
  return Codes(req, name, "预警", WarningCode);
}

StatusOr<storage::ProjectFilter> ParseProjectFilter(const Request& req, db::Connection& conn,
                                                    const http::Principal& p, int64_t now_ms) {
  storage::ProjectFilter f;
  if (p.enterprise_id) {
    f.only_enterprise_id = *p.enterprise_id;
  } else {
    f.scope = ScopeSql(p);
  }
  std::string q(req.Query("q").value_or(""));
  ZB_RETURN_IF_ERROR(ValidateLine(q, "q", "关键词", 100, true));
  f.q = q;
  ZB_ASSIGN_OR_RETURN(auto unit_id, QueryId(req, "org_unit_id"));
  if (unit_id) {
    ZB_ASSIGN_OR_RETURN(auto unit, VisibleUnit(conn, p, *unit_id, "org_unit_id"));
    f.org_path_prefix = unit.path;
  }
  ZB_ASSIGN_OR_RETURN(f.stages, Codes(req, "stage", "建设阶段", StageCode));
  ZB_ASSIGN_OR_RETURN(f.levels, Codes(req, "level", "项目级别", LevelCode));
  ZB_ASSIGN_OR_RETURN(f.types, Codes(req, "project_type", "项目类型", TypeCode));
  ZB_ASSIGN_OR_RETURN(f.categories, Codes(req, "category", "项目类别", AnyCode));
  ZB_ASSIGN_OR_RETURN(f.boards, Codes(req, "board", "产业板块", AnyCode));
  ZB_ASSIGN_OR_RETURN(f.leader_user_id, QueryId(req, "leader_user_id"));
  ZB_ASSIGN_OR_RETURN(f.responsible_unit_id, QueryId(req, "responsible_unit_id"));
  ZB_ASSIGN_OR_RETURN(f.enterprise_id, QueryId(req, "enterprise_id"));
  ZB_ASSIGN_OR_RETURN(f.team_id, QueryId(req, "team_id"));
  if (auto tag = req.Query("tag"); tag && !tag->empty()) f.tag = std::string(*tag);
  ZB_ASSIGN_OR_RETURN(f.year, QueryInt(req, "year", 2000, 2100));
  ZB_ASSIGN_OR_RETURN(f.min_investment, QueryInt(req, "min_investment", 0, INT64_MAX / 10));
  ZB_ASSIGN_OR_RETURN(f.max_investment, QueryInt(req, "max_investment", 0, INT64_MAX / 10));
  for (const char* field : kDateFields) {
    storage::DateRangeFilter range{.column = field};
    for (auto [suffix, target] : {std::pair{"_from", &range.from}, std::pair{"_to", &range.to}}) {
      const std::string name = std::string(field) + suffix;
      auto v = req.Query(name);
      if (!v || v->empty()) continue;
      auto d = Date::Parse(*v, name);
      if (!d.ok()) return ValidationFailed(name + " 应为 YYYY-MM-DD 格式的日期 (not a date)", name);
      *target = d->ToString();
    }
    if (range.from || range.to) f.date_ranges.push_back(std::move(range));
  }
  if (auto kind = req.Query("start_kind"); kind && !kind->empty()) {
    if (*kind == "started" || *kind == "开工") {
      f.start_kind = storage::StartKindFilter::kStarted;
    } else if (*kind == "resumed" || *kind == "复工") {
      f.start_kind = storage::StartKindFilter::kResumed;
    } else if (*kind == "started_or_resumed" || *kind == "开复工") {
      f.start_kind = storage::StartKindFilter::kStartedOrResumed;
    } else {
      return ValidationFailed("start_kind 应为 started(开工)、resumed(复工)或 started_or_resumed(开复工)", "start_kind");
    }
  }
  ZB_ASSIGN_OR_RETURN(auto start_year, QueryInt(req, "start_year", 2000, 2100));
  f.start_year = start_year.value_or(LocalDate(now_ms).year());
  ZB_ASSIGN_OR_RETURN(f.warnings, WarningFilterValues(req, "warning"));
  ZB_ASSIGN_OR_RETURN(bool has_warnings, QueryBool(req, "has_warnings", false));
  if (has_warnings && f.warnings.empty()) f.warnings = {"red", "yellow"};
  ZB_ASSIGN_OR_RETURN(f.sort, ParseSort(req));
  ZB_ASSIGN_OR_RETURN(Paging paging, QueryPaging(req));
  f.page = paging.page;
  f.page_size = paging.page_size;
  ZB_ASSIGN_OR_RETURN(f.with_facets, QueryBool(req, "facets", true));
  f.today = LocalDate(now_ms);
  return f;
}

void RegisterProjectRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/projects",
             {.summary = "项目库列表:筛选、排序、分页,附分面计数与开复工统计 (projects in your data scope)",
              .tag = kTag,
              .permission = "project:read",
              .query = [] {
                auto q = ProjectFilterDocs();
                q.push_back({.name = "page", .type = "integer"});
                q.push_back({.name = "page_size", .type = "integer", .description = "默认 20,最多 1000"});
                q.push_back({.name = "facets", .type = "boolean", .description = "是否返回分面计数,默认 true"});
                return q;
              }(),
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"items", {{"type", "array"}, {"items", ProjectSchema()}}},
                                    {"total", {{"type", "integer"}}},
                                    {"page", {{"type", "integer"}}},
                                    {"page_size", {{"type", "integer"}}},
                                    {"facets", {{"type", "object"}}},
                                    {"counts", {{"type", "object"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(storage::ProjectFilter f,
                                   ParseProjectFilter(req, *conn, *req.principal(), ctx.clock->NowMs()));
               // The same page at the same data version is the same answer
               // (storage/list_cache.h): one version read answers it again.
               ZB_ASSIGN_OR_RETURN(auto version, storage::ReadListVersion(*conn));
               const std::string key = version ? storage::ProjectPageKey(f) : std::string();
               if (version) {
                 if (auto hit = ListAnswers().Get(*version, key)) return Response::Text(200, std::move(*hit), kJsonType);
               }
               ZB_ASSIGN_OR_RETURN(auto page, storage::ListProjects(*conn, f));
               // The words for the day the answer is kept under (ProjectPageKey).
               ZB_ASSIGN_OR_RETURN(Labels labels, Labels::Load(*conn, *f.today));
               Json items = Json::array();
               for (const auto& p : page.items) items.push_back(ToJson(p, labels));
               Json out = {{"items", std::move(items)},
                           {"total", page.total},
                           {"page", f.page},
                           {"page_size", f.page_size}};
               if (f.with_facets) {
                 out["facets"] = FacetsJson(page.facets, labels);
                 out["counts"] = {{"total_investment", page.counts.total_investment},
                                  {"started", page.counts.started},
                                  {"resumed", page.counts.resumed},
                                  {"started_or_resumed", page.counts.started_or_resumed},
                                  {"year", f.start_year}};
               }
               Response r = Response::Json(out);
               if (version) ListAnswers().Put(*version, key, r.body);
               return r;
             });

  router.Add("GET", "/api/v1/projects/{id}",
             {.summary = "项目详情 (one project)", .tag = kTag, .permission = "project:read",
              .response_schema = ProjectSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto project, VisibleProject(*conn, *req.principal(), id));
               ZB_ASSIGN_OR_RETURN(Json out, Render(*conn, project, ctx.clock->Today()));
               return Response::Json(out);
             });

  router.Add("POST", "/api/v1/projects",
             {.summary = "新增项目,编号默认按 XM-年份-序号 生成 (create a project)",
              .tag = kTag,
              .permission = "project:write",
              .request_schema = InputSchema(true),
              .response_schema = ProjectSchema(),
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               storage::ProjectData data;
               ZB_RETURN_IF_ERROR(ApplyBody(body, /*creating=*/true, &data));
               const http::Principal& p = *req.principal();
               Json out;
               int64_t id = 0;
               int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_RETURN_IF_ERROR(CheckProject(c, p, data, nullptr));
                 ZB_ASSIGN_OR_RETURN(auto created, storage::CreateProject(c, data, p.user_id, now));
                 id = created.id;
                 ZB_RETURN_IF_ERROR(storage::RecomputeProject(c, id, LocalDate(now)));  // its warning row
                 ZB_ASSIGN_OR_RETURN(out, Render(c, created, ctx.clock->Today()));
                 return RecordAudit(c, req, now, "create", "project", std::to_string(id), ChangedFields(nullptr, out));
               });
               if (s.code() == StatusCode::kAlreadyExists && s.field() == "code") return Duplicate(data.code);
               ZB_RETURN_IF_ERROR(s);
               Response r = Response::Json(201, out);
               r.With("Location", "/api/v1/projects/" + std::to_string(id));
               return r;
             });

  router.Add("PATCH", "/api/v1/projects/{id}",
             {.summary = "修改项目,需带版本号;阶段与实际日期经「变更阶段」记录 (update a project; optimistic version)",
              .tag = kTag,
              .permission = "project:write",
              .request_schema = InputSchema(false),
              .response_schema = ProjectSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               const http::Principal& p = *req.principal();
               {
                 // Out of scope is 404 whatever the body says.
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_RETURN_IF_ERROR(VisibleProject(*conn, p, id).status());
               }
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               if (!body.is_object()) return ValidationFailed("请求体应为 JSON 对象 (body must be an object)", "body");
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               Json out;
               std::string code;
               int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto before, VisibleProject(c, p, id));
                 if (before.version != version) return VersionConflict("stale");
                 storage::ProjectData data = before.data;
                 ZB_RETURN_IF_ERROR(ApplyBody(body, /*creating=*/false, &data));
                 ZB_RETURN_IF_ERROR(CheckProject(c, p, data, &before.data));
                 code = data.code;
                 ZB_ASSIGN_OR_RETURN(Labels labels, Labels::Load(c, ctx.clock->Today()));
                 Json before_json = ToJson(before, labels);
                 ZB_ASSIGN_OR_RETURN(auto updated, storage::UpdateProject(c, before, data, now));
                 out = ToJson(updated, labels);
                 // A save that changes nothing writes nothing: same version,
                 // no history entry.
                 if (updated.version == before.version) return Status();
                 if (storage::WarningInputsDiffer(before.data, updated.data)) {
                   ZB_RETURN_IF_ERROR(storage::RecomputeProject(c, id, LocalDate(now)));  // its dates moved
                 }
                 return RecordAudit(c, req, now, "update", "project", std::to_string(id),
                                    ChangedFields(before_json, out));
               });
               if (s.code() == StatusCode::kVersionConflict) {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(auto current, storage::GetProject(*conn, id));
                 ZB_ASSIGN_OR_RETURN(Json current_json, Render(*conn, current, ctx.clock->Today()));
                 return Response::Error(VersionConflict("该项目已被他人修改(当前版本 " + std::to_string(current.version) +
                                                        "),请刷新后再改 (changed by someone else)"),
                                        {{"current", current_json}});
               }
               if (s.code() == StatusCode::kAlreadyExists && s.field() == "code") return Duplicate(code);
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(out);
             });

  router.Add("POST", "/api/v1/projects/{id}/transitions",
             {.summary = "变更建设阶段:日期默认今天,签约/在建/竣工/投产记下实际日期;不允许的变更返回 409 并列出可变更的阶段 "
                         "(move the lifecycle)",
              .tag = kTag,
              .permission = "project:write",
              .request_schema = {{"type", "object"},
                                 {"additionalProperties", false},
                                 {"required", {"to"}},
                                 {"properties",
                                  {{"to", {{"type", "string"}, {"description", "阶段编码或中文"}}},
                                   {"date", {{"type", "string"}, {"format", "date"}}},
                                   {"note", {{"type", "string"}}},
                                   {"version", {{"type", "integer"}}}}}},
              .response_schema = ProjectSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               const http::Principal& p = *req.principal();
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_RETURN_IF_ERROR(VisibleProject(*conn, p, id).status());
               }
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"to", "date", "note", "version"}));
               std::optional<std::string> to_text, date_text, note;
               ZB_RETURN_IF_ERROR(GetString(body, "to", &to_text));
               ZB_RETURN_IF_ERROR(GetString(body, "date", &date_text));
               ZB_RETURN_IF_ERROR(GetString(body, "note", &note));
               if (!to_text) return ValidationFailed("请选择要变更到的阶段 (to is required)", "to");
               auto to = domain::ParseProjectStage(*to_text);
               if (!to) return ValidationFailed("阶段 " + QuoteForMessage(*to_text) + " 无效 (unknown stage)", "to");
               int64_t now = ctx.clock->NowMs();
               Date today = LocalDate(now);
               Date on = today;
               if (date_text && !date_text->empty()) {
                 auto d = Date::Parse(*date_text, "date");
                 if (!d.ok()) return ValidationFailed("日期应为 YYYY-MM-DD 格式的真实日期 (not a date)", "date");
                 on = *d;
               }
               if (today < on) {
                 return ValidationFailed("变更日期 " + on.ToString() + " 晚于今天,只能记录已发生的变更 (the date is in "
                                         "the future)",
                                         "date");
               }
               std::string note_text = note.value_or("");
               ZB_RETURN_IF_ERROR(ValidateLine(note_text, "note", "备注", 500, true));
               std::optional<int64_t> version;
               if (body.contains("version") || !req.Header("If-Match").empty()) {
                 ZB_ASSIGN_OR_RETURN(version, RequiredVersion(req, body));
               }
               Json out;
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto before, VisibleProject(c, p, id));
                 if (version && before.version != *version) return VersionConflict("stale");
                 ZB_ASSIGN_OR_RETURN(auto effect, domain::PlanTransition(LifecycleOf(before), *to, on));
                 storage::Transition move{.to_stage = std::string(domain::ProjectStageCode(effect.to)),
                                          .on_date = on.ToString(),
                                          .note = note_text,
                                          .user_id = p.user_id};
                 if (effect.suspended_from) {
                   move.suspended_from = std::string(domain::ProjectStageCode(*effect.suspended_from));
                 }
                 if (effect.sets) move.actual_date_column = std::string(domain::ActualDateField(*effect.sets));
                 ZB_ASSIGN_OR_RETURN(auto moved,
                                     storage::RecordTransition(c, id, before.version, before.stage, move, now));
                 ZB_RETURN_IF_ERROR(storage::RecomputeProject(c, id, LocalDate(now)));  // stage and actual dates
                 ZB_ASSIGN_OR_RETURN(Labels labels, Labels::Load(c, ctx.clock->Today()));
                 Json before_json = ToJson(before, labels);
                 out = ToJson(moved, labels);
                 Json changes = ChangedFields(before_json, out, {"version", "updated_at", "created_at",
                                                                 "allowed_transitions"});
                 changes["note"] = note_text;
                 return RecordAudit(c, req, now, "transition", "project", std::to_string(id), changes);
               });
               if (s.code() == StatusCode::kVersionConflict) {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(auto current, storage::GetProject(*conn, id));
                 ZB_ASSIGN_OR_RETURN(Json current_json, Render(*conn, current, ctx.clock->Today()));
                 return Response::Error(VersionConflict("该项目已被他人修改,请刷新后再变更阶段 (changed by someone else)"),
                                        {{"current", current_json}});
               }
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(out);
             });

  router.Add("GET", "/api/v1/projects/{id}/stage-events",
             {.summary = "项目生命周期:阶段变更记录,按时间先后 (the lifecycle's moves, oldest first)",
              .tag = kTag,
              .permission = "project:read"},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_RETURN_IF_ERROR(VisibleProject(*conn, *req.principal(), id).status());
               ZB_ASSIGN_OR_RETURN(auto events, storage::ListStageEvents(*conn, id));
               return Response::Json({{"items", StageEventsJson(*conn, events)}});
             });

  router.Add("GET", "/api/v1/projects/{id}/history",
             {.summary = "变更记录:该项目在操作日志中的条目,最新在前 (the project's audit entries)",
              .tag = kTag,
              .permission = "project:read",
              .query = {{.name = "page", .type = "integer"}, {.name = "page_size", .type = "integer"}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(Paging paging, QueryPaging(req));
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_RETURN_IF_ERROR(VisibleProject(*conn, *req.principal(), id).status());
               storage::AuditFilter f{.entity_type = "project",
                                      .entity_id = std::to_string(id),
                                      .page = paging.page,
                                      .page_size = paging.page_size};
               ZB_ASSIGN_OR_RETURN(auto page, storage::ListAudit(*conn, f));
               std::map<int64_t, std::string> names;
               Json items = Json::array();
               for (const auto& row : page.items) {
                 std::string user_name;
                 if (row.user_id) {
                   auto it = names.find(*row.user_id);
                   if (it == names.end()) {
                     auto u = storage::GetUser(*conn, *row.user_id);
                     it = names.emplace(*row.user_id, u.ok() ? u->display_name : row.login).first;
                   }
                   user_name = it->second;
                 }
                 Json changes = Json::parse(row.changes, nullptr, /*allow_exceptions=*/false);
                 if (changes.is_discarded()) changes = Json::object();
                 items.push_back({{"id", row.seq},
                                  {"at", FormatRfc3339(row.at)},
                                  {"user_id", OptJson(row.user_id)},
                                  {"login", row.login},
                                  {"user_name", user_name},
                                  {"action", row.action},
                                  {"changes", changes}});
               }
               return Response::Json({{"items", std::move(items)},
                                      {"total", page.total},
                                      {"page", paging.page},
                                      {"page_size", paging.page_size}});
             });
}

}  // namespace zb::api
