#include "api/project_input.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "api/enterprises.h"
#include "api/scope.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/project.h"
#include "storage/dict_repo.h"
#include "storage/org_unit_repo.h"
#include "storage/scope_sql.h"
#include "storage/user_repo.h"

namespace zb::api {

namespace {

constexpr size_t kMaxTags = 20;
constexpr size_t kMaxLiaisons = 20;
constexpr size_t kMaxTeams = 20;

// A code of dictionary `type` that is active, or '' (unset).
Status CheckDictCode(db::Connection& conn, const char* type, const std::string& code, const char* field,
                     const char* label) {
  if (code.empty()) return Status::Ok();
  ZB_ASSIGN_OR_RETURN(auto items, storage::ListDictItems(conn, type, /*include_inactive=*/false));
  for (const auto& d : items) {
    if (d.code == code) return Status::Ok();
  }
  return ValidationFailed(std::string(label) + " " + QuoteForMessage(code) + " 不在字典中或已停用 (unknown " +
                              field + ")",
                          field);
}

// An active user, for 包保领导 and 包联人员.
Status CheckActiveUser(db::Connection& conn, int64_t id, const std::string& field, const char* label) {
  auto u = storage::GetUser(conn, id);
  if (u.status().code() == StatusCode::kNotFound) {
    return NotFound(std::string(label) + "(用户 " + std::to_string(id) + ")不存在 (no such user)", field);
  }
  ZB_RETURN_IF_ERROR(u.status());
  if (!u->active) {
    return ValidationFailed(std::string(label) + " " + u->display_name + " 已停用 (the user is deactivated)", field);
  }
  return Status::Ok();
}

// "YYYY-MM-DD" text that is a real date, rewritten in canonical form.
Status CheckDate(std::optional<std::string>& value, const char* field) {
  if (!value) return Status::Ok();
  auto d = Date::Parse(*value, field);
  if (!d.ok()) {
    return ValidationFailed("日期应为 YYYY-MM-DD 格式的真实日期: " + QuoteForMessage(*value) + " (not a date)", field);
  }
  *value = d->ToString();
  return Status::Ok();
}

template <typename T>
void SortDistinct(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

Status CheckText(storage::ProjectData& d) {
  ZB_RETURN_IF_ERROR(ValidateLine(d.code, "code", "项目编号", domain::kMaxProjectCodeChars, true));
  if (!d.code.empty() && !domain::IsValidProjectCode(d.code)) {
    return ValidationFailed("项目编号只能由字母、数字、汉字和 - _ . 组成,以字母、数字或汉字开头,至多 32 个字符 (bad "
                            "project code)",
                            "code");
  }
  ZB_RETURN_IF_ERROR(ValidateLine(d.name, "name", "项目名称", 100, false));
  ZB_RETURN_IF_ERROR(ValidateLine(d.address, "address", "建设地点", 200, true));
  if (Utf8Length(d.construction_content) > 2000) {
    return ValidationFailed("建设内容至多 2000 个字符 (construction_content: at most 2000 characters)",
                            "construction_content");
  }
  if (d.tags.size() > kMaxTags) return ValidationFailed("标签最多 20 个 (at most 20 tags)", "tags");
  for (auto& t : d.tags) ZB_RETURN_IF_ERROR(ValidateLine(t, "tags", "标签", 20, false));
  SortDistinct(d.tags);
  return Status::Ok();
}

Status CheckEnums(storage::ProjectData& d) {
  auto level = domain::ParseProjectLevel(d.level);
  if (!level) {
    return ValidationFailed("项目级别 " + QuoteForMessage(d.level) + " 无效,应为 国家重点/省重点/市重点/区县重点/一般 "
                            "(unknown level)",
                            "level");
  }
  d.level = std::string(*level);
  auto type = domain::ParseProjectType(d.project_type);
  if (!type) {
    return ValidationFailed("项目类型 " + QuoteForMessage(d.project_type) + " 无效,应为 新建/续建/扩建/技改 "
                            "(unknown project_type)",
                            "project_type");
  }
  d.project_type = std::string(domain::ProjectTypeCode(*type));
  return Status::Ok();
}

Status CheckNumbers(storage::ProjectData& d) {
  if (d.total_investment < 0) {
    return ValidationFailed("总投资不能为负数 (total_investment must not be negative)", "total_investment");
  }
  if (d.lng.has_value() != d.lat.has_value()) {
    return ValidationFailed("经度和纬度应同时填写或同时留空 (lng and lat go together)", d.lng ? "lat" : "lng");
  }
  if (d.lng && (*d.lng < 73 || *d.lng > 136)) {
    return ValidationFailed("经度应在 73 到 136 之间(中国境内) (lng out of range)", "lng");
  }
  if (d.lat && (*d.lat < 3 || *d.lat > 54)) {
    return ValidationFailed("纬度应在 3 到 54 之间(中国境内) (lat out of range)", "lat");
  }
  std::sort(d.plans.begin(), d.plans.end(),
            [](const storage::AnnualPlan& a, const storage::AnnualPlan& b) { return a.year < b.year; });
  for (size_t i = 0; i < d.plans.size(); ++i) {
    const auto& plan = d.plans[i];
    const std::string field = "plans[" + std::to_string(i) + "]";
    if (plan.year < 2000 || plan.year > 2100) {
      return ValidationFailed("年度应在 2000 到 2100 之间 (year out of range)", field + ".year");
    }
    if (i > 0 && d.plans[i - 1].year == plan.year) {
      return ValidationFailed(std::to_string(plan.year) + " 年的年度计划重复 (one plan per year)", field + ".year");
    }
    if (plan.planned_investment < 0) {
      return ValidationFailed("年度计划投资不能为负数 (planned_investment must not be negative)",
                              field + ".planned_investment");
    }
  }
  return Status::Ok();
}

Status CheckDates(storage::ProjectData& d) {
  const std::array<std::pair<std::optional<std::string>*, const char*>, 8> all = {{
      {&d.planned_signed_on, "planned_signed_on"},
      {&d.actual_signed_on, "actual_signed_on"},
      {&d.planned_started_on, "planned_started_on"},
      {&d.actual_started_on, "actual_started_on"},
      {&d.planned_completed_on, "planned_completed_on"},
      {&d.actual_completed_on, "actual_completed_on"},
      {&d.planned_operating_on, "planned_operating_on"},
      {&d.actual_operating_on, "actual_operating_on"},
  }};
  for (auto& [value, field] : all) ZB_RETURN_IF_ERROR(CheckDate(*value, field));
  // The planned dates in lifecycle order; canonical text compares as dates.
  const std::array<std::pair<const std::optional<std::string>*, const char*>, 4> planned = {{
      {&d.planned_signed_on, "计划签约"},
      {&d.planned_started_on, "计划开工"},
      {&d.planned_completed_on, "计划竣工"},
      {&d.planned_operating_on, "计划投产"},
  }};
  const char* fields[] = {"planned_signed_on", "planned_started_on", "planned_completed_on", "planned_operating_on"};
  for (size_t i = 0; i < planned.size(); ++i) {
    if (!*planned[i].first) continue;
    for (size_t j = i + 1; j < planned.size(); ++j) {
      if (*planned[j].first && **planned[j].first < **planned[i].first) {
        return ValidationFailed(std::string(planned[j].second) + "日期 " + **planned[j].first + " 早于" +
                                    planned[i].second + "日期 " + **planned[i].first +
                                    " (planned dates must follow 签约 ≤ 开工 ≤ 竣工 ≤ 投产)",
                                fields[j]);
      }
    }
  }
  return Status::Ok();
}

Status CheckReferences(db::Connection& conn, const http::Principal& p, storage::ProjectData& d,
                       const storage::ProjectData* current) {
  auto changed = [&](auto member) { return current == nullptr || d.*member != current->*member; };
  if (d.org_unit_id <= 0) return ValidationFailed("请选择项目属地 (org_unit_id is required)", "org_unit_id");
  if (changed(&storage::ProjectData::org_unit_id)) {
    ZB_ASSIGN_OR_RETURN(auto unit, VisibleUnit(conn, p, d.org_unit_id, "org_unit_id"));
    if (!unit.active) return ValidationFailed("属地 " + unit.name + " 已停用 (the unit is inactive)", "org_unit_id");
  }
  if (d.enterprise_id && changed(&storage::ProjectData::enterprise_id)) {
    ZB_RETURN_IF_ERROR(VisibleEnterprise(conn, p, *d.enterprise_id, "enterprise_id").status());
  }
  if (changed(&storage::ProjectData::board)) {
    ZB_RETURN_IF_ERROR(CheckDictCode(conn, "board", d.board, "board", "产业板块"));
  }
  if (changed(&storage::ProjectData::category)) {
    ZB_RETURN_IF_ERROR(CheckDictCode(conn, "category", d.category, "category", "项目类别"));
  }
  if (d.leader_user_id && changed(&storage::ProjectData::leader_user_id)) {
    ZB_RETURN_IF_ERROR(CheckActiveUser(conn, *d.leader_user_id, "leader_user_id", "包保领导"));
  }
  if (d.responsible_unit_id && changed(&storage::ProjectData::responsible_unit_id)) {
    auto unit = storage::GetOrgUnit(conn, *d.responsible_unit_id);
    if (unit.status().code() == StatusCode::kNotFound) {
      return NotFound("责任部门不存在 (no such unit)", "responsible_unit_id");
    }
    ZB_RETURN_IF_ERROR(unit.status());
    if (unit->kind != "department") {
      return ValidationFailed("责任部门应为部门,「" + unit->name + "」不是部门 (the responsible unit must be a "
                              "department)",
                              "responsible_unit_id");
    }
    if (!unit->active) {
      return ValidationFailed("责任部门 " + unit->name + " 已停用 (the unit is inactive)", "responsible_unit_id");
    }
  }
  SortDistinct(d.liaison_ids);
  if (d.liaison_ids.size() > kMaxLiaisons) {
    return ValidationFailed("包联人员最多 20 人 (at most 20 liaisons)", "liaison_ids");
  }
  for (int64_t id : d.liaison_ids) {
    bool already = current && std::binary_search(current->liaison_ids.begin(), current->liaison_ids.end(), id);
    if (!already) ZB_RETURN_IF_ERROR(CheckActiveUser(conn, id, "liaison_ids", "包联人员"));
  }
  SortDistinct(d.team_ids);
  if (d.team_ids.size() > kMaxTeams) return ValidationFailed("专班最多 20 个 (at most 20 teams)", "team_ids");
  return storage::CheckIdsExist(conn, "teams", d.team_ids, "team_ids", "专班");
}

}  // namespace

Status CheckProject(db::Connection& conn, const http::Principal& p, storage::ProjectData& d,
                    const storage::ProjectData* current) {
  ZB_RETURN_IF_ERROR(CheckText(d));
  ZB_RETURN_IF_ERROR(CheckEnums(d));
  ZB_RETURN_IF_ERROR(CheckNumbers(d));
  ZB_RETURN_IF_ERROR(CheckDates(d));
  return CheckReferences(conn, p, d, current);
}

bool ProjectVisible(const http::Principal& p, const storage::Project& project) {
  if (p.enterprise_id) return project.data.enterprise_id && *project.data.enterprise_id == *p.enterprise_id;
  const auto& d = project.data;
  bool mine = (project.created_by && *project.created_by == p.user_id) ||
              (d.leader_user_id && *d.leader_user_id == p.user_id) ||
              std::find(d.liaison_ids.begin(), d.liaison_ids.end(), p.user_id) != d.liaison_ids.end();
  if (InScope(p, d.org_unit_id, project.org_path, mine)) return true;
  return d.responsible_unit_id && InScope(p, *d.responsible_unit_id, project.responsible_unit_path);
}

StatusOr<storage::Project> VisibleProject(db::Connection& conn, const http::Principal& p, int64_t id) {
  auto project = storage::GetProject(conn, id);
  if (project.status().code() == StatusCode::kNotFound || (project.ok() && !ProjectVisible(p, *project))) {
    return NotVisible("项目", "project");
  }
  return project;
}

}  // namespace zb::api
