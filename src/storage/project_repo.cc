#include "storage/project_repo.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "core/date.h"
#include "domain/project.h"
#include "storage/scope_sql.h"

namespace zb::storage {

namespace {

#define ZB_PROJECT_SELECT                                                                                         \
  "SELECT p.id, p.code, p.name, p.enterprise_id, p.org_unit_id, p.board, p.category, p.level, p.project_type, "   \
  "p.stage, p.suspended_from, p.stage_since, p.total_investment, p.construction_content, p.address, p.lng, "     \
  "p.lat, p.planned_signed_on, p.actual_signed_on, p.planned_started_on, p.actual_started_on, "                  \
  "p.planned_completed_on, p.actual_completed_on, p.planned_operating_on, p.actual_operating_on, "               \
  "p.leader_user_id, p.responsible_unit_id, p.created_by, p.version, p.created_at, p.updated_at, "               \
  "o.name AS org_unit_name, o.path AS org_path, COALESCE(e.name, '') AS enterprise_name, "                       \
  "COALESCE(lu.display_name, '') AS leader_name, COALESCE(ru.name, '') AS responsible_unit_name, "              \
  "COALESCE(ru.path, '') AS responsible_unit_path "                                                              \
  "FROM projects p JOIN org_units o ON o.id = p.org_unit_id LEFT JOIN enterprises e ON e.id = p.enterprise_id "  \
  "LEFT JOIN users lu ON lu.id = p.leader_user_id LEFT JOIN org_units ru ON ru.id = p.responsible_unit_id"

constexpr char kNotFound[] = "项目不存在";

std::optional<std::string> OptText(const db::Row& r, std::string_view column) {
  if (r.IsNull(column)) return std::nullopt;
  return r.Text(column);
}

std::optional<double> OptDouble(const db::Row& r, std::string_view column) {
  if (r.IsNull(column)) return std::nullopt;
  return r.Double(column);
}

Project FromRow(const db::Row& r) {
  Project p;
  p.id = r.Int("id");
  ProjectData& d = p.data;
  d.code = r.Text("code");
  d.name = r.Text("name");
  d.enterprise_id = r.OptInt("enterprise_id");
  d.org_unit_id = r.Int("org_unit_id");
  d.board = r.Text("board");
  d.category = r.Text("category");
  d.level = r.Text("level");
  d.project_type = r.Text("project_type");
  d.total_investment = r.Int("total_investment");
  d.construction_content = r.Text("construction_content");
  d.address = r.Text("address");
  d.lng = OptDouble(r, "lng");
  d.lat = OptDouble(r, "lat");
  d.planned_signed_on = OptText(r, "planned_signed_on");
  d.actual_signed_on = OptText(r, "actual_signed_on");
  d.planned_started_on = OptText(r, "planned_started_on");
  d.actual_started_on = OptText(r, "actual_started_on");
  d.planned_completed_on = OptText(r, "planned_completed_on");
  d.actual_completed_on = OptText(r, "actual_completed_on");
  d.planned_operating_on = OptText(r, "planned_operating_on");
  d.actual_operating_on = OptText(r, "actual_operating_on");
  d.leader_user_id = r.OptInt("leader_user_id");
  d.responsible_unit_id = r.OptInt("responsible_unit_id");
  p.stage = r.Text("stage");
  p.suspended_from = OptText(r, "suspended_from");
  p.stage_since = OptText(r, "stage_since");
  p.org_unit_name = r.Text("org_unit_name");
  p.org_path = r.Text("org_path");
  p.enterprise_name = r.Text("enterprise_name");
  p.leader_name = r.Text("leader_name");
  p.responsible_unit_name = r.Text("responsible_unit_name");
  p.responsible_unit_path = r.Text("responsible_unit_path");
  p.created_by = r.OptInt("created_by");
  p.version = r.Int("version");
  p.created_at = r.Int("created_at");
  p.updated_at = r.Int("updated_at");
  return p;
}

// The lists of one project (four small queries).
Status AttachLists(db::Connection& conn, Project& p) {
  ZB_ASSIGN_OR_RETURN(db::Result liaisons,
                      conn.Query("SELECT l.user_id, u.display_name FROM project_liaisons l JOIN users u ON u.id = "
                                 "l.user_id WHERE l.project_id = $1 ORDER BY l.user_id",
                                 {p.id}));
  for (const auto& r : liaisons.rows) {
    p.data.liaison_ids.push_back(r.Int("user_id"));
    p.liaison_names.push_back(r.Text("display_name"));
  }
  ZB_ASSIGN_OR_RETURN(db::Result tags,
                      conn.Query("SELECT tag FROM project_tags WHERE project_id = $1 ORDER BY tag", {p.id}));
  for (const auto& r : tags.rows) p.data.tags.push_back(r.Text("tag"));
  ZB_ASSIGN_OR_RETURN(db::Result plans, conn.Query("SELECT year, planned_investment, goal_start, goal_complete, "
                                                   "goal_operate FROM project_annual_plans WHERE project_id = $1 "
                                                   "ORDER BY year",
                                                   {p.id}));
  for (const auto& r : plans.rows) {
    p.data.plans.push_back({r.Int("year"), r.Int("planned_investment"), r.Bool("goal_start"),
                            r.Bool("goal_complete"), r.Bool("goal_operate")});
  }
  ZB_ASSIGN_OR_RETURN(db::Result teams, conn.Query("SELECT pt.team_id, t.name FROM project_teams pt JOIN teams t ON "
                                                   "t.id = pt.team_id WHERE pt.project_id = $1 ORDER BY pt.team_id",
                                                   {p.id}));
  for (const auto& r : teams.rows) {
    p.data.team_ids.push_back(r.Int("team_id"));
    p.team_names.push_back(r.Text("name"));
  }
  return Status();
}

Status CheckReferences(db::Connection& conn, const ProjectData& d) {
  ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "org_units", {d.org_unit_id}, "org_unit_id", "组织机构"));
  if (d.enterprise_id) ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "enterprises", {*d.enterprise_id}, "enterprise_id", "企业"));
  if (d.leader_user_id) ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "users", {*d.leader_user_id}, "leader_user_id", "包保领导"));
  if (d.responsible_unit_id) {
    ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "org_units", {*d.responsible_unit_id}, "responsible_unit_id", "责任部门"));
  }
  ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "users", d.liaison_ids, "liaison_ids", "包联人员"));
  ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "teams", d.team_ids, "team_ids", "专班"));
  return Status();
}

void Canonicalise(ProjectData& d) {
  auto distinct = [](auto& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  distinct(d.liaison_ids);
  distinct(d.tags);
  distinct(d.team_ids);
  std::sort(d.plans.begin(), d.plans.end(), [](const AnnualPlan& a, const AnnualPlan& b) { return a.year < b.year; });
  d.plans.erase(std::unique(d.plans.begin(), d.plans.end(),
                            [](const AnnualPlan& a, const AnnualPlan& b) { return a.year == b.year; }),
                d.plans.end());
}

Status WriteLists(db::Connection& conn, int64_t id, const ProjectData& d) {
  for (const char* table : {"project_liaisons", "project_tags", "project_annual_plans", "project_teams"}) {
    ZB_RETURN_IF_ERROR(conn.Exec(std::string("DELETE FROM ") + table + " WHERE project_id = $1", {id}));
  }
  for (int64_t u : d.liaison_ids) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_liaisons (project_id, user_id) VALUES ($1, $2)", {id, u}));
  }
  for (const auto& t : d.tags) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_tags (project_id, tag) VALUES ($1, $2)", {id, t}));
  }
  for (const auto& plan : d.plans) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_annual_plans (project_id, year, planned_investment, "
                                 "goal_start, goal_complete, goal_operate) VALUES ($1, $2, $3, $4, $5, $6)",
                                 {id, plan.year, plan.planned_investment, int64_t{plan.goal_start ? 1 : 0},
                                  int64_t{plan.goal_complete ? 1 : 0}, int64_t{plan.goal_operate ? 1 : 0}}));
  }
  for (int64_t t : d.team_ids) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_teams (project_id, team_id) VALUES ($1, $2)", {id, t}));
  }
  return Status();
}

// The editable columns' values in the order of kDataColumns.
db::Params DataParams(const ProjectData& d) {
  return {d.code,
          d.name,
          db::Opt(d.enterprise_id),
          d.org_unit_id,
          d.board,
          d.category,
          d.level,
          d.project_type,
          d.total_investment,
          d.construction_content,
          d.address,
          db::Opt(d.lng),
          db::Opt(d.lat),
          db::Opt(d.planned_signed_on),
          db::Opt(d.actual_signed_on),
          db::Opt(d.planned_started_on),
          db::Opt(d.actual_started_on),
          db::Opt(d.planned_completed_on),
          db::Opt(d.actual_completed_on),
          db::Opt(d.planned_operating_on),
          db::Opt(d.actual_operating_on),
          db::Opt(d.leader_user_id),
          db::Opt(d.responsible_unit_id)};
}
constexpr const char* kDataColumns[] = {
    "code", "name", "enterprise_id", "org_unit_id", "board", "category", "level", "project_type",
    "total_investment", "construction_content", "address", "lng", "lat", "planned_signed_on", "actual_signed_on",
    "planned_started_on", "actual_started_on", "planned_completed_on", "actual_completed_on",
    "planned_operating_on", "actual_operating_on", "leader_user_id", "responsible_unit_id"};
constexpr size_t kDataCount = std::size(kDataColumns);

// The next free generated code of `year` (a hand-edited code may already
// have taken a number: that one is skipped).
StatusOr<std::string> NextCode(db::Connection& conn, int year) {
  for (;;) {
    ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO project_code_seq (year, last) VALUES ($1, 1) "
                                                "ON CONFLICT (year) DO UPDATE SET last = project_code_seq.last + 1 "
                                                "RETURNING last",
                                                {int64_t{year}}));
    if (!row) return Internal("序号未返回 (no sequence returned)");
    std::string code = domain::FormatProjectCode(year, row->Int("last"));
    ZB_ASSIGN_OR_RETURN(auto taken, conn.QueryOne("SELECT id FROM projects WHERE code = $1", {code}));
    if (!taken) return code;
  }
}

Status StaleOrMissing(db::Connection& conn, int64_t id, int64_t expected_version) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT version FROM projects WHERE id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  return VersionConflict("项目已被他人修改,请刷新后重试 (version " + std::to_string(expected_version) +
                         " expected, now " + std::to_string(row->Int("version")) + ")");
}

}  // namespace

StatusOr<Project> CreateProject(db::Connection& conn, ProjectData data, std::optional<int64_t> created_by,
                                int64_t now_ms) {
  Canonicalise(data);
  ZB_RETURN_IF_ERROR(CheckReferences(conn, data));
  if (data.code.empty()) {
    ZB_ASSIGN_OR_RETURN(data.code, NextCode(conn, LocalDate(now_ms).year()));
  }
  std::string columns, values;
  db::Params params = DataParams(data);
  for (size_t i = 0; i < kDataCount; ++i) {
    columns += std::string(kDataColumns[i]) + ", ";
    values += "$" + std::to_string(i + 1) + ", ";
  }
  params.push_back(db::Opt(created_by));
  params.push_back(now_ms);
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO projects (" + columns +
                                                  "created_by, version, created_at, updated_at) VALUES (" + values +
                                                  "$" + std::to_string(kDataCount + 1) + ", 1, $" +
                                                  std::to_string(kDataCount + 2) + ", $" +
                                                  std::to_string(kDataCount + 2) + ") RETURNING id",
                                              params));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  const int64_t id = row->Int("id");
  ZB_RETURN_IF_ERROR(WriteLists(conn, id, data));
  return GetProject(conn, id);
}

StatusOr<Project> GetProject(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_PROJECT_SELECT " WHERE p.id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  Project p = FromRow(*row);
  ZB_RETURN_IF_ERROR(AttachLists(conn, p));
  return p;
}

StatusOr<Project> UpdateProject(db::Connection& conn, int64_t id, int64_t expected_version, ProjectData data,
                                int64_t now_ms) {
  Canonicalise(data);
  ZB_RETURN_IF_ERROR(CheckReferences(conn, data));
  if (data.code.empty()) return ValidationFailed("项目编号不能为空 (code is required)", "code");
  db::Params params = DataParams(data);
  std::string sets;
  for (size_t i = 0; i < kDataCount; ++i) sets += std::string(kDataColumns[i]) + " = $" + std::to_string(i + 1) + ", ";
  params.push_back(now_ms);
  params.push_back(id);
  params.push_back(expected_version);
  const size_t k = kDataCount;
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("UPDATE projects SET " + sets + "version = version + 1, updated_at = $" +
                                                  std::to_string(k + 1) + " WHERE id = $" + std::to_string(k + 2) +
                                                  " AND version = $" + std::to_string(k + 3) + " RETURNING id",
                                              params));
  if (!row) return StaleOrMissing(conn, id, expected_version);
  ZB_RETURN_IF_ERROR(WriteLists(conn, id, data));
  return GetProject(conn, id);
}

StatusOr<Project> RecordTransition(db::Connection& conn, int64_t id, int64_t expected_version,
                                   const std::string& from_stage, const Transition& move, int64_t now_ms) {
  // The actual-date column is one of four constants, never user input.
  static const std::map<std::string, std::string> kDateColumns = {{"actual_signed_on", "actual_signed_on"},
                                                                  {"actual_started_on", "actual_started_on"},
                                                                  {"actual_completed_on", "actual_completed_on"},
                                                                  {"actual_operating_on", "actual_operating_on"}};
  std::string date_set;
  if (move.actual_date_column) {
    auto it = kDateColumns.find(*move.actual_date_column);
    if (it == kDateColumns.end()) return Internal("unknown actual date column " + *move.actual_date_column);
    date_set = ", " + it->second + " = $5";
  }
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("UPDATE projects SET stage = $3, suspended_from = $4, stage_since = $5" +
                                                  date_set +
                                                  ", version = version + 1, updated_at = $6 "
                                                  "WHERE id = $1 AND version = $2 AND stage = $7 RETURNING id",
                                              {id, expected_version, move.to_stage, db::Opt(move.suspended_from),
                                               move.on_date, now_ms, from_stage}));
  if (!row) return StaleOrMissing(conn, id, expected_version);
  ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_stage_events (project_id, from_stage, to_stage, on_date, note, "
                               "user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                               {id, from_stage, move.to_stage, move.on_date, move.note, db::Opt(move.user_id),
                                now_ms}));
  return GetProject(conn, id);
}

StatusOr<std::vector<StageEvent>> ListStageEvents(db::Connection& conn, int64_t project_id) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT id, from_stage, to_stage, on_date, note, user_id, at "
                                               "FROM project_stage_events WHERE project_id = $1 ORDER BY id",
                                               {project_id}));
  std::vector<StageEvent> out;
  for (const auto& row : r.rows) {
    out.push_back({row.Int("id"), row.Text("from_stage"), row.Text("to_stage"), row.Text("on_date"),
                   row.Text("note"), row.OptInt("user_id"), row.Int("at")});
  }
  return out;
}

// Placeholders until the list lands (brief A): declared early so callers build.
StatusOr<ProjectPage> ListProjects(db::Connection&, const ProjectFilter&) {
  return Internal("ListProjects: 尚未实现 (not implemented yet)");
}

Status ForEachProject(db::Connection&, const ProjectFilter&, const std::function<Status(const Project&)>&) {
  return Internal("ForEachProject: 尚未实现 (not implemented yet)");
}

StatusOr<std::optional<Project>> FindProjectByCode(db::Connection& conn, const std::string& code) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT id FROM projects WHERE code = $1", {code}));
  if (!row) return std::optional<Project>();
  ZB_ASSIGN_OR_RETURN(Project p, GetProject(conn, row->Int("id")));
  return std::optional<Project>(std::move(p));
}

#undef ZB_PROJECT_SELECT

}  // namespace zb::storage
