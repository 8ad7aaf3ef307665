#include "storage/project_repo.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/chinese.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/project.h"
#include "storage/calendar_repo.h"
#include "storage/scope_sql.h"
#include "storage/warning_store.h"

namespace zb::storage {

namespace {

// The projects table's own columns; ZB_PROJECT_SELECT adds the joined names.
#define ZB_PROJECT_COLUMNS                                                                                        \
  "SELECT p.id, p.code, p.name, p.enterprise_id, p.org_unit_id, p.board, p.category, p.level, p.project_type, "   \
  "p.stage, p.suspended_from, p.stage_since, p.total_investment, p.construction_content, p.address, p.lng, "     \
  "p.lat, p.planned_signed_on, p.actual_signed_on, p.planned_started_on, p.actual_started_on, "                  \
  "p.planned_completed_on, p.actual_completed_on, p.planned_operating_on, p.actual_operating_on, "               \
  "p.leader_user_id, p.responsible_unit_id, p.created_by, p.version, p.created_at, p.updated_at"

#define ZB_PROJECT_SELECT                                                                                         \
  ZB_PROJECT_COLUMNS ", "                                                                                        \
  "o.name AS org_unit_name, o.path AS org_path, COALESCE(e.name, '') AS enterprise_name, "                       \
  "COALESCE(lu.display_name, '') AS leader_name, COALESCE(ru.name, '') AS responsible_unit_name, "              \
  "COALESCE(ru.path, '') AS responsible_unit_path "                                                              \
  "FROM projects p JOIN org_units o ON o.id = p.org_unit_id LEFT JOIN enterprises e ON e.id = p.enterprise_id "  \
  "LEFT JOIN users lu ON lu.id = p.leader_user_id LEFT JOIN org_units ru ON ru.id = p.responsible_unit_id"

constexpr char kNotFound[] = "项目不存在";

// The columns of ZB_PROJECT_SELECT by position (rows are read by index).
namespace col {
enum : size_t {
  kId, kCode, kName, kEnterpriseId, kOrgUnitId, kBoard, kCategory, kLevel, kProjectType, kStage, kSuspendedFrom,
  kStageSince, kTotalInvestment, kContent, kAddress, kLng, kLat, kPlannedSignedOn, kActualSignedOn,
  kPlannedStartedOn, kActualStartedOn, kPlannedCompletedOn, kActualCompletedOn, kPlannedOperatingOn,
  kActualOperatingOn, kLeaderUserId, kResponsibleUnitId, kCreatedBy, kVersion, kCreatedAt, kUpdatedAt,
  kOrgUnitName, kOrgPath, kEnterpriseName, kLeaderName, kResponsibleUnitName, kResponsibleUnitPath,
};
}  // namespace col

// A row of ZB_PROJECT_SELECT; with_names false: of ZB_PROJECT_COLUMNS (the
// joined names left empty).
Project FromView(const db::RowView& r, bool with_names = true) {
  auto text = [&](size_t i) { return std::string(r.Text(i)); };
  Project p;
  p.id = r.Int(col::kId);
  ProjectData& d = p.data;
  d.code = text(col::kCode);
  d.name = text(col::kName);
  d.enterprise_id = r.OptInt(col::kEnterpriseId);
  d.org_unit_id = r.Int(col::kOrgUnitId);
  d.board = text(col::kBoard);
  d.category = text(col::kCategory);
  d.level = text(col::kLevel);
  d.project_type = text(col::kProjectType);
  d.total_investment = r.Int(col::kTotalInvestment);
  d.construction_content = text(col::kContent);
  d.address = text(col::kAddress);
  if (!r.IsNull(col::kLng)) d.lng = r.Double(col::kLng);
  if (!r.IsNull(col::kLat)) d.lat = r.Double(col::kLat);
  d.planned_signed_on = r.OptText(col::kPlannedSignedOn);
  d.actual_signed_on = r.OptText(col::kActualSignedOn);
  d.planned_started_on = r.OptText(col::kPlannedStartedOn);
  d.actual_started_on = r.OptText(col::kActualStartedOn);
  d.planned_completed_on = r.OptText(col::kPlannedCompletedOn);
  d.actual_completed_on = r.OptText(col::kActualCompletedOn);
  d.planned_operating_on = r.OptText(col::kPlannedOperatingOn);
  d.actual_operating_on = r.OptText(col::kActualOperatingOn);
  d.leader_user_id = r.OptInt(col::kLeaderUserId);
  d.responsible_unit_id = r.OptInt(col::kResponsibleUnitId);
  p.stage = text(col::kStage);
  p.suspended_from = r.OptText(col::kSuspendedFrom);
  p.stage_since = r.OptText(col::kStageSince);
  if (with_names) {
    p.org_unit_name = text(col::kOrgUnitName);
    p.org_path = text(col::kOrgPath);
    p.enterprise_name = text(col::kEnterpriseName);
    p.leader_name = text(col::kLeaderName);
    p.responsible_unit_name = text(col::kResponsibleUnitName);
    p.responsible_unit_path = text(col::kResponsibleUnitPath);
  }
  p.created_by = r.OptInt(col::kCreatedBy);
  p.version = r.Int(col::kVersion);
  p.created_at = r.Int(col::kCreatedAt);
  p.updated_at = r.Int(col::kUpdatedAt);
  return p;
}

// The rows ZB_PROJECT_SELECT + `where` finds, in the query's order, without
// their lists.
StatusOr<std::vector<Project>> SelectProjects(db::Connection& conn, const std::string& where,
                                              const db::Params& params) {
  std::vector<Project> out;
  ZB_RETURN_IF_ERROR(conn.Stream(ZB_PROJECT_SELECT " " + where, params, [&](const db::RowView& r) {
    out.push_back(FromView(r));
    return Status();
  }));
  return out;
}

// A project_warnings row on `p` (reasons: the stored JSON array).
void SetWarning(Project& p, std::string_view colour, std::string_view reasons, int64_t red, int64_t yellow,
                std::string_view valid_until) {
  p.warning_colour = colour;
  p.warning_red_nodes = red;
  p.warning_yellow_nodes = yellow;
  p.warning_reasons = WarningReasonsFromJson(reasons);
  p.warning_valid_until = valid_until;
}

// The lists of every project in `list`, five queries whatever its length
// (four without the warnings).
Status AttachLists(db::Connection& conn, std::vector<Project>& list, bool with_warnings = true) {
  if (list.empty()) return Status();
  std::unordered_map<int64_t, Project*> by_id;
  std::vector<int64_t> ids;
  by_id.reserve(list.size());
  ids.reserve(list.size());
  for (Project& p : list) {
    by_id[p.id] = &p;
    ids.push_back(p.id);
  }
  db::Params params;
  const std::string in = InList(ids, &params);
  // Runs `sql` (its first column the project id) and hands each row to add.
  auto each = [&](const std::string& sql, const std::function<void(Project&, const db::RowView&)>& add) {
    return conn.Stream(sql, params, [&](const db::RowView& r) {
      add(*by_id.at(r.Int(0)), r);
      return Status();
    });
  };
  ZB_RETURN_IF_ERROR(each("SELECT l.project_id, l.user_id, u.display_name FROM project_liaisons l JOIN users u "
                          "ON u.id = l.user_id WHERE l.project_id IN (" + in + ") ORDER BY l.project_id, l.user_id",
                          [](Project& p, const db::RowView& r) {
                            p.data.liaison_ids.push_back(r.Int(1));
                            p.liaison_names.emplace_back(r.Text(2));
                          }));
  ZB_RETURN_IF_ERROR(each("SELECT project_id, tag FROM project_tags WHERE project_id IN (" + in +
                              ") ORDER BY project_id, tag",
                          [](Project& p, const db::RowView& r) { p.data.tags.emplace_back(r.Text(1)); }));
  ZB_RETURN_IF_ERROR(each("SELECT project_id, year, planned_investment, goal_start, goal_complete, goal_operate "
                          "FROM project_annual_plans WHERE project_id IN (" + in + ") ORDER BY project_id, year",
                          [](Project& p, const db::RowView& r) {
                            p.data.plans.push_back({r.Int(1), r.Int(2), r.Bool(3), r.Bool(4), r.Bool(5)});
                          }));
  ZB_RETURN_IF_ERROR(each("SELECT pt.project_id, pt.team_id, t.name FROM project_teams pt JOIN teams t "
                          "ON t.id = pt.team_id WHERE pt.project_id IN (" + in + ") ORDER BY pt.project_id, pt.team_id",
                          [](Project& p, const db::RowView& r) {
                            p.data.team_ids.push_back(r.Int(1));
                            p.team_names.emplace_back(r.Text(2));
                          }));
  if (!with_warnings) return Status();
  return each("SELECT project_id, colour, reasons, red_nodes, yellow_nodes, valid_until FROM project_warnings "
              "WHERE project_id IN (" + in + ")",
              [](Project& p, const db::RowView& r) {
                SetWarning(p, r.Text(1), r.Text(2), r.Int(3), r.Int(4), r.Text(5));
              });
}

// The references of `d` exist — those `before` (an update: the record as
// stored) does not already hold.
Status CheckReferences(db::Connection& conn, const ProjectData& d, const ProjectData* before = nullptr) {
  auto changed = [&](auto member) { return !before || d.*member != before->*member; };
  if (changed(&ProjectData::org_unit_id)) {
    ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "org_units", {d.org_unit_id}, "org_unit_id", "组织机构"));
  }
  if (d.enterprise_id && changed(&ProjectData::enterprise_id)) {
    ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "enterprises", {*d.enterprise_id}, "enterprise_id", "企业"));
  }
  if (d.leader_user_id && changed(&ProjectData::leader_user_id)) {
    ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "users", {*d.leader_user_id}, "leader_user_id", "包保领导"));
  }
  if (d.responsible_unit_id && changed(&ProjectData::responsible_unit_id)) {
    ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "org_units", {*d.responsible_unit_id}, "responsible_unit_id", "责任部门"));
  }
  if (changed(&ProjectData::liaison_ids)) {
    ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "users", d.liaison_ids, "liaison_ids", "包联人员"));
  }
  if (changed(&ProjectData::team_ids)) ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "teams", d.team_ids, "team_ids", "专班"));
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

// Writes the four lists of project `id`. With `before` (an update: the
// lists as stored) only the lists that differ are replaced — an import
// re-writing 100 000 unchanged projects then writes none.
Status WriteLists(db::Connection& conn, int64_t id, const ProjectData& d, const ProjectData* before = nullptr) {
  auto replace = [&](const char* table, bool changed) -> StatusOr<bool> {
    if (!before) return true;  // a new project has none
    if (!changed) return false;
    ZB_RETURN_IF_ERROR(conn.Exec(std::string("DELETE FROM ") + table + " WHERE project_id = $1", {id}));
    return true;
  };
  ZB_ASSIGN_OR_RETURN(bool liaisons, replace("project_liaisons", before && before->liaison_ids != d.liaison_ids));
  if (liaisons) {
    for (int64_t u : d.liaison_ids) {
      ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_liaisons (project_id, user_id) VALUES ($1, $2)", {id, u}));
    }
  }
  ZB_ASSIGN_OR_RETURN(bool tags, replace("project_tags", before && before->tags != d.tags));
  if (tags) {
    for (const auto& t : d.tags) {
      ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_tags (project_id, tag) VALUES ($1, $2)", {id, t}));
    }
  }
  ZB_ASSIGN_OR_RETURN(bool plans, replace("project_annual_plans", before && before->plans != d.plans));
  if (plans) {
    for (const auto& plan : d.plans) {
      ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_annual_plans (project_id, year, planned_investment, "
                                   "goal_start, goal_complete, goal_operate) VALUES ($1, $2, $3, $4, $5, $6)",
                                   {id, plan.year, plan.planned_investment, int64_t{plan.goal_start ? 1 : 0},
                                    int64_t{plan.goal_complete ? 1 : 0}, int64_t{plan.goal_operate ? 1 : 0}}));
    }
  }
  ZB_ASSIGN_OR_RETURN(bool teams, replace("project_teams", before && before->team_ids != d.team_ids));
  if (teams) {
    for (int64_t t : d.team_ids) {
      ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_teams (project_id, team_id) VALUES ($1, $2)", {id, t}));
    }
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

bool IsSqlite(const db::Connection& conn) { return conn.dialect() == db::Dialect::kSqlite; }

// The search table's project id column: the FTS5 rowid on SQLite.
const char* SearchId(const db::Connection& conn) { return IsSqlite(conn) ? "rowid" : "project_id"; }

Status WriteSearch(db::Connection& conn, int64_t id, const std::string& body) {
  if (IsSqlite(conn)) {
    // project_search_grams (migration 0019) indexes the text project_search
    // holds: its old tokens go out with the old text, given as it was.
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_search_grams (project_search_grams, rowid, body) "
                                 "SELECT 'delete', rowid, body FROM project_search WHERE rowid = $1",
                                 {id}));
    ZB_RETURN_IF_ERROR(conn.Exec("DELETE FROM project_search WHERE rowid = $1", {id}));
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_search (rowid, body, folded) VALUES ($1, $2, 1)", {id, body}));
    return conn.Exec("INSERT INTO project_search_grams (rowid, body) VALUES ($1, $2)", {id, body});
  }
  return conn.Exec("INSERT INTO project_search (project_id, body, folded) VALUES ($1, $2, 1) "
                   "ON CONFLICT (project_id) DO UPDATE SET body = excluded.body, folded = 1",
                   {id, body});
}

// The project's search text, written unless it is already that (an edit
// of other fields leaves it alone: no FTS work).
Status WriteSearch(db::Connection& conn, const Project& p) {
  const std::string body =
      ProjectSearchText(p.data.name, p.data.code, p.enterprise_name, p.data.construction_content);
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(std::string("SELECT body, folded FROM project_search WHERE ") +
                                                  SearchId(conn) + " = $1",
                                              {p.id}));
  if (row && row->Int("folded") == 1 && row->Text("body") == body) return Status();
  return WriteSearch(conn, p.id, body);
}

// Rewrites the search text of the projects `where_sql` selects (over
// projects p, enterprises e, project_search s); how many.
StatusOr<int64_t> RewriteSearch(db::Connection& conn, const std::string& where_sql, const db::Params& params) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query(std::string("SELECT p.id, p.name, p.code, p.construction_content, "
                                             "COALESCE(e.name, '') AS enterprise_name FROM projects p "
                                             "LEFT JOIN enterprises e ON e.id = p.enterprise_id "
                                             "LEFT JOIN project_search s ON s.") +
                                     SearchId(conn) + " = p.id WHERE " + where_sql + " ORDER BY p.id",
                                 params));
  for (const db::Row& row : r.rows) {
    ZB_RETURN_IF_ERROR(WriteSearch(conn, row.Int("id"),
                                   ProjectSearchText(row.Text("name"), row.Text("code"), row.Text("enterprise_name"),
                                                     row.Text("construction_content"))));
  }
  return static_cast<int64_t>(r.rows.size());
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
  ZB_ASSIGN_OR_RETURN(Project p, GetProject(conn, id));
  ZB_RETURN_IF_ERROR(WriteSearch(conn, p));
  return p;
}

StatusOr<Project> GetProject(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(std::vector<Project> one, SelectProjects(conn, "WHERE p.id = $1", {id}));
  if (one.empty()) return NotFound(kNotFound, "id");
  ZB_RETURN_IF_ERROR(AttachLists(conn, one));
  return std::move(one.front());
}

StatusOr<Project> UpdateProject(db::Connection& conn, int64_t id, int64_t expected_version, ProjectData data,
                                int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(Project current, GetProject(conn, id));
  if (current.version != expected_version) return StaleOrMissing(conn, id, expected_version);
  return UpdateProject(conn, current, std::move(data), now_ms);
}

StatusOr<Project> UpdateProject(db::Connection& conn, const Project& current, ProjectData data, int64_t now_ms) {
  Canonicalise(data);
  if (data.code.empty()) return ValidationFailed("项目编号不能为空 (code is required)", "code");
  const ProjectData& before = current.data;
  // Only the columns that differ are set: SQLite rewrites the entries of
  // every index on a column named in SET, whether its value moved or not.
  const db::Params old_values = DataParams(before);
  db::Params params = DataParams(data);
  std::string sets;
  size_t kept = 0;
  for (size_t i = 0; i < kDataCount; ++i) {
    if (params[i] == old_values[i]) continue;
    if (kept != i) params[kept] = std::move(params[i]);
    sets += std::string(kDataColumns[i]) + " = $" + std::to_string(++kept) + ", ";
  }
  params.resize(kept);
  const bool lists_changed = before.liaison_ids != data.liaison_ids || before.tags != data.tags ||
                             before.plans != data.plans || before.team_ids != data.team_ids;
  if (sets.empty() && !lists_changed) return current;  // nothing to write: the version stays
  ZB_RETURN_IF_ERROR(CheckReferences(conn, data, &before));
  params.push_back(now_ms);
  params.push_back(current.id);
  params.push_back(current.version);
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("UPDATE projects SET " + sets + "version = version + 1, updated_at = $" +
                                                  std::to_string(kept + 1) + " WHERE id = $" +
                                                  std::to_string(kept + 2) + " AND version = $" +
                                                  std::to_string(kept + 3) + " RETURNING id",
                                              params));
  if (!row) return StaleOrMissing(conn, current.id, current.version);
  ZB_RETURN_IF_ERROR(WriteLists(conn, current.id, data, &before));
  // The names read with the row follow the references: read it again when
  // one changed, else the stored record with the new values is the answer.
  const bool references_changed = before.org_unit_id != data.org_unit_id ||
                                  before.enterprise_id != data.enterprise_id ||
                                  before.leader_user_id != data.leader_user_id ||
                                  before.responsible_unit_id != data.responsible_unit_id ||
                                  before.liaison_ids != data.liaison_ids || before.team_ids != data.team_ids;
  Project p;
  if (references_changed) {
    ZB_ASSIGN_OR_RETURN(p, GetProject(conn, current.id));
  } else {
    p = current;
    p.data = std::move(data);
    p.version = current.version + 1;
    p.updated_at = now_ms;
  }
  // The search text (ProjectSearchText) is made of these four alone.
  if (before.name != p.data.name || before.code != p.data.code || before.enterprise_id != p.data.enterprise_id ||
      before.construction_content != p.data.construction_content) {
    ZB_RETURN_IF_ERROR(WriteSearch(conn, p));
  }
  return p;
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

// ---- search text -----------------------------------------------------------------

std::string ProjectSearchText(std::string_view name, std::string_view code, std::string_view enterprise_name,
                              std::string_view construction_content) {
  // Blank-separated: query terms never hold a blank, so no term matches
  // across two fields.
  std::string text(name);
  for (std::string_view part : {code, enterprise_name, construction_content}) {
    text += ' ';
    text += part;
  }
  return FoldForSearch(text) + ' ' + PinyinInitials(ToSimplified(name));
}

Status RefreshEnterpriseProjectsSearch(db::Connection& conn, int64_t enterprise_id) {
  return RewriteSearch(conn, "p.enterprise_id = $1", {enterprise_id}).status();
}

StatusOr<int64_t> RebuildProjectSearch(db::Connection& conn, int64_t from_id) {
  ZB_ASSIGN_OR_RETURN(int64_t n, RewriteSearch(conn,
                                               std::string("p.id >= $1 AND (s.") + SearchId(conn) +
                                                   " IS NULL OR s.folded = 0)",
                                               {from_id}));
  // The search table carries no trigger (SQLite's FTS table cannot): tell
  // cached lists directly.
  if (n > 0) ZB_RETURN_IF_ERROR(conn.Exec("UPDATE project_list_version SET version = version + 1 WHERE id = 1"));
  return n;
}

// ---- lists, facets and counts ----------------------------------------------------

namespace {

// Conditions read the projects table alone (org units through IN
// subqueries), so the total and the facets scan a covering index
// (migration 0005's projects_facets_idx) and join nothing.
constexpr char kListFrom[] = " FROM projects p";

std::string Param(db::Params& params, db::Value v) {
  params.push_back(std::move(v));
  return "$" + std::to_string(params.size());
}

// The data scope: the project's unit or its 责任部门 in the reader's units;
// 仅本人 matches what they created, lead (包保领导) or liaise (包联人员).
// `p` is "p." or "+p." (see OrderedIds).
std::string ScopeCondition(const ScopeFilterSql& scope, const std::string& p, db::Params& params) {
  if (scope.all) return "1=1";
  std::vector<std::string> terms;
  ScopeFilterSql units = scope;
  units.self_user_id.reset();
  if (!units.subtree_paths.empty() || !units.unit_ids.empty()) {
    // One set of units, its placeholders used twice.
    const std::string in_scope = "(SELECT id FROM org_units WHERE " + ScopeWhere(units, "path", "id", "", &params) + ")";
    terms.push_back(p + "org_unit_id IN " + in_scope);
    terms.push_back(p + "responsible_unit_id IN " + in_scope);
  }
  if (scope.self_user_id) {
    const std::string me = Param(params, *scope.self_user_id);
    terms.push_back(p + "created_by = " + me + " OR " + p + "leader_user_id = " + me +
                    " OR EXISTS (SELECT 1 FROM project_liaisons sl WHERE sl.project_id = p.id AND sl.user_id = " + me +
                    ")");
  }
  if (terms.empty()) return "1=0";
  std::string out;
  for (const auto& t : terms) out += (out.empty() ? "(" : " OR ") + t;
  return out + ")";
}

// A project's 预警 colour as the list filters and facets name it: red,
// yellow, green, or none (no row, or not judged).
constexpr char kWarningValue[] =
    "COALESCE(NULLIF((SELECT pw.colour FROM project_warnings pw WHERE pw.project_id = p.id), ''), 'none')";

std::string InTexts(const std::vector<std::string>& values, db::Params& params) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ",") + Param(params, v);
  return out;
}

// The keyword's condition (see ProjectFilter::q), or "". Terms of three
// characters or more use the trigram index (FTS5 trigram on SQLite, pg_trgm
// on PostgreSQL); shorter ones cannot (a trigram needs three) and use the
// index of each text's characters and character pairs (migration 0019):
// project_search_grams on SQLite, where the term is one token, and the GIN
// index on project_search_grams(body) on PostgreSQL, where it is one array
// element. Both answer exactly what a substring test would.
//
// SearchSets gives the keyword's sets of ids, each a bare SELECT of one id
// column, all required (none for a blank keyword): what SearchCondition
// tests and KeywordMatchIds intersects.
std::vector<std::string> SearchSets(db::Connection& conn, const std::string& q, db::Params& params) {
  const std::string folded = FoldForSearch(q);
  std::vector<std::string> terms;
  for (size_t i = 0; i < folded.size();) {
    const size_t end = std::min(folded.find_first_of(" \t", i), folded.size());
    if (end > i) terms.push_back(folded.substr(i, end - i));
    i = end + 1;
  }
  if (terms.empty()) return {};
  const bool sqlite = IsSqlite(conn);
  std::vector<std::string> sets;   // "SELECT …" of ids, all required
  std::vector<std::string> conds;  // on project_search, all required
  std::string phrases;             // SQLite: one MATCH of quoted phrases, all required
  std::string grams;               // SQLite: the same on project_search_grams
  auto quote = [](const std::string& t) {
    std::string quoted = "\"";
    for (char c : t) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  };
  for (const std::string& t : terms) {
    const bool indexed = Utf8Length(t) >= 3;
    if (sqlite && indexed) {
      phrases += (phrases.empty() ? "" : " ") + quote(t);
    } else if (sqlite) {
      grams += (grams.empty() ? "" : " ") + quote(t);
    } else if (indexed) {
      // PostgreSQL's LIKE escapes with a backslash by default, as EscapeLike does.
      conds.push_back("body LIKE " + Param(params, "%" + EscapeLike(t) + "%"));
    } else {
      conds.push_back("project_search_grams(body) @> ARRAY[" + Param(params, t) + "::text]");
    }
  }
  if (!grams.empty()) {
    sets.push_back("SELECT rowid FROM project_search_grams WHERE project_search_grams MATCH " + Param(params, grams));
  }
  if (!phrases.empty()) conds.insert(conds.begin(), "project_search MATCH " + Param(params, phrases));
  if (!conds.empty()) {
    std::string where;
    for (const auto& c : conds) where += (where.empty() ? "" : " AND ") + c;
    sets.push_back(std::string("SELECT ") + SearchId(conn) + " FROM project_search WHERE " + where);
  }
  return sets;
}

// `p` prefixes the id: "p." or "+p." (OrderedIds).
StatusOr<std::string> SearchCondition(db::Connection& conn, const std::string& q, const std::string& p,
                                      db::Params& params) {
  std::string out;
  for (const auto& set : SearchSets(conn, q, params)) out += (out.empty() ? "" : " AND ") + p + "id IN (" + set + ")";
  return out;
}

// A project's 开工 / 复工 / neither in `year` as the SQL values `started`,
// `resumed` and 0: StartKindFilter's rules in the header, spelled out so
// that most rows need no look at their history. Moves are dated in order,
// so a project whose stage_since is before the year had no move in or after
// it: it was in its current stage all year. Only the projects that moved in
// or after the year read their stage events.
std::string StartKindExpr(int64_t year, const char* started, const char* resumed, db::Params& params) {
  if (year <= 0) return "0";
  char first[16], last[16];
  std::snprintf(first, sizeof first, "%04d-01-01", static_cast<int>(year));
  std::snprintf(last, sizeof last, "%04d-12-31", static_cast<int>(year));
  const std::string ys = Param(params, std::string(first)), ye = Param(params, std::string(last));
  const std::string r = resumed;
  return "CASE WHEN p.actual_started_on BETWEEN " + ys + " AND " + ye + " THEN " + started +
         " WHEN p.project_type <> 'continuing' OR p.actual_started_on >= " + ys +
         " THEN 0 WHEN p.stage_since IS NULL OR p.stage_since < " + ys +
         " THEN CASE WHEN p.stage = 'under_construction' THEN " + r +
         " ELSE 0 END WHEN EXISTS (SELECT 1 FROM project_stage_events se WHERE se.project_id = p.id AND "
         "se.on_date BETWEEN " + ys + " AND " + ye + " AND se.to_stage = 'under_construction') "
         "OR COALESCE((SELECT se.from_stage FROM project_stage_events se WHERE se.project_id = p.id AND "
         "se.on_date >= " + ys + " ORDER BY se.on_date, se.id LIMIT 1), CASE WHEN p.stage_since <= " + ye +
         " THEN p.stage END) = 'under_construction' THEN " + r + " ELSE 0 END";
}

constexpr const char* kDateColumnNames[] = {"planned_signed_on",    "actual_signed_on",    "planned_started_on",
                                            "actual_started_on",    "planned_completed_on", "actual_completed_on",
                                            "planned_operating_on", "actual_operating_on"};

// " AND …" for every condition of `f`, over `projects p` alone. With
// `for_facets` the five faceted dimensions (stage, level, category, 属地
// subtree, 预警) are left out: the facet query groups by them and applies them
// itself. SQLite's planner cannot start from a condition written +p.col:
// with `probe_matches` the keyword's is (+p.id IN …), with `walk` those on
// stage, level, category, 属地 and type are too (see OrderedIds).
StatusOr<std::string> FilterWhere(db::Connection& conn, const ProjectFilter& f, bool for_facets,
                                  db::Params& params, bool probe_matches = false, bool walk = false) {
  const std::string p = "p.";
  const std::string w = walk && IsSqlite(conn) ? "+p." : "p.";
  auto in_texts = [&](const char* column, const std::vector<std::string>& values, const std::string& prefix) {
    return " AND " + prefix + column + " IN (" + InTexts(values, params) + ")";
  };
  auto equals = [&](const char* column, int64_t value) {
    return " AND " + p + column + " = " + Param(params, value);
  };
  std::string where;
  if (f.scope) where += " AND " + ScopeCondition(*f.scope, p, params);
  if (f.only_enterprise_id) where += equals("enterprise_id", *f.only_enterprise_id);
  if (!for_facets) {
    if (!f.warnings.empty()) where += " AND " + std::string(kWarningValue) + " IN (" + InTexts(f.warnings, params) + ")";
    if (f.org_path_prefix) {
      where += " AND " + w + "org_unit_id IN (SELECT id FROM org_units WHERE path LIKE " +
               Param(params, *f.org_path_prefix) + " || '%')";
    }
    if (!f.stages.empty()) where += in_texts("stage", f.stages, w);
    if (!f.levels.empty()) where += in_texts("level", f.levels, w);
    if (!f.categories.empty()) where += in_texts("category", f.categories, w);
  }
  if (f.start_kind) {
    const std::string kind = StartKindExpr(f.start_year, "1", "2", params);
    switch (*f.start_kind) {
      case StartKindFilter::kStarted: where += " AND " + kind + " = 1"; break;
      case StartKindFilter::kResumed: where += " AND " + kind + " = 2"; break;
      case StartKindFilter::kStartedOrResumed: where += " AND " + kind + " <> 0"; break;
    }
  }
  if (!f.boards.empty()) where += in_texts("board", f.boards, p);
  if (!f.types.empty()) where += in_texts("project_type", f.types, w);
  if (f.leader_user_id) where += equals("leader_user_id", *f.leader_user_id);
  if (f.responsible_unit_id) where += equals("responsible_unit_id", *f.responsible_unit_id);
  if (f.enterprise_id) where += equals("enterprise_id", *f.enterprise_id);
  if (f.team_id) {
    AndWhere(where, params, "EXISTS (SELECT 1 FROM project_teams ft WHERE ft.project_id = p.id AND ft.team_id = ?)",
             *f.team_id);
  }
  if (f.tag) {
    AndWhere(where, params, "EXISTS (SELECT 1 FROM project_tags fg WHERE fg.project_id = p.id AND fg.tag = ?)", *f.tag);
  }
  if (f.year) {
    AndWhere(where, params,
             "EXISTS (SELECT 1 FROM project_annual_plans fy WHERE fy.project_id = p.id AND fy.year = ?)", *f.year);
  }
  if (f.min_investment) where += " AND " + p + "total_investment >= " + Param(params, *f.min_investment);
  if (f.max_investment) where += " AND " + p + "total_investment <= " + Param(params, *f.max_investment);
  for (const DateRangeFilter& r : f.date_ranges) {
    const char* column = nullptr;
    for (const char* c : kDateColumnNames) {
      if (r.column == c) column = c;
    }
    if (column == nullptr) {
      return ValidationFailed("不能按 " + QuoteForMessage(r.column) + " 筛选日期 (unknown date field)", r.column);
    }
    if (r.from) where += " AND " + p + column + " >= " + Param(params, *r.from);
    if (r.to) where += " AND " + p + column + " <= " + Param(params, *r.to);
  }
  if (!f.q.empty()) {
    ZB_ASSIGN_OR_RETURN(std::string search,
                        SearchCondition(conn, f.q, (probe_matches || walk) && IsSqlite(conn) ? "+p." : "p.", params));
    if (!search.empty()) where += " AND " + search;
  }
  return where;
}

// "CASE p.stage WHEN 'planning' THEN 0 … END": the domain's order. The
// codes are the domain's constants.
std::string OrdinalCase(const char* column, const std::vector<std::string_view>& codes) {
  std::string out = std::string("CASE ") + column;
  for (size_t i = 0; i < codes.size(); ++i) out += " WHEN '" + std::string(codes[i]) + "' THEN " + std::to_string(i);
  return out + " ELSE " + std::to_string(codes.size()) + " END";
}

struct SortColumn {
  const char* name;
  std::string expr;
  bool text = false;      // PostgreSQL: COLLATE "C", so both engines order by code point
  bool nullable = false;  // NULLS LAST both ways
};

const std::vector<SortColumn>& SortColumns() {
  static const std::string kStageOrder = [] {
    std::vector<std::string_view> codes;
    for (const auto& s : domain::ProjectStages()) codes.push_back(s.code);
    return OrdinalCase("p.stage", codes);
  }();
  static const std::string kLevelOrder = [] {
    std::vector<std::string_view> codes;
    for (const auto& l : domain::ProjectLevels()) codes.push_back(l.code);
    return OrdinalCase("p.level", codes);
  }();
  static const std::vector<SortColumn> kColumns = {
      {"code", "p.code", true},
      {"name", "p.name", true},
      {"total_investment", "p.total_investment"},
      {"stage", kStageOrder},
      {"level", kLevelOrder},
      {"org_unit_name", "o.name", true},
      {"planned_started_on", "p.planned_started_on", true, true},
      {"actual_started_on", "p.actual_started_on", true, true},
      {"planned_completed_on", "p.planned_completed_on", true, true},
      {"updated_at", "p.updated_at"},
      {"created_at", "p.created_at"},
      // red, yellow, green by colour, then the most working days late on
      // the filter's day first (StoredWarning::MaxSlipOn; {t0}: that day's
      // working-day ordinal, written in by OrderBy); projects never judged last.
      {"warning",
       "(SELECT (CASE pw.colour WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 ELSE 3 END) * 1000000 "
       "- (CASE WHEN pw.max_slip_offset IS NULL OR pw.max_slip >= {t0} + pw.max_slip_offset THEN pw.max_slip "
       "ELSE {t0} + pw.max_slip_offset END) FROM project_warnings pw WHERE pw.project_id = p.id)",
       false, true},
  };
  return kColumns;
}

// `today`: the "warning" sort's day (ProjectFilter::today).
StatusOr<std::string> OrderBy(db::Connection& conn, const std::vector<SortKey>& requested,
                              std::optional<Date> today) {
  const std::vector<SortColumn>& columns = SortColumns();
  const std::vector<SortKey> keys = requested.empty() ? std::vector<SortKey>{{"updated_at", true}} : requested;
  std::string out;
  std::string t0;  // the day's working-day ordinal, once asked for
  auto day_ordinal = [&]() -> StatusOr<std::string> {
    if (t0.empty()) {
      if (!today) {
        t0 = "-1000000000";  // no day: the part that does not move
      } else {
        ZB_ASSIGN_OR_RETURN(auto cal, CurrentCalendar(conn));
        t0 = std::to_string(domain::StartSlot(*today, *cal));
      }
    }
    return t0;
  };
  for (const SortKey& k : keys) {
    auto it = std::find_if(columns.begin(), columns.end(), [&](const SortColumn& c) { return k.column == c.name; });
    if (it == columns.end()) {
      return ValidationFailed("不能按 " + QuoteForMessage(k.column) + " 排序 (unknown sort column)", "sort");
    }
    std::string expr = it->expr;
    for (size_t at; (at = expr.find("{t0}")) != std::string::npos;) {
      ZB_ASSIGN_OR_RETURN(std::string ordinal, day_ordinal());
      expr.replace(at, 4, ordinal);
    }
    out += (out.empty() ? " ORDER BY " : ", ") + expr;
    if (it->text && !IsSqlite(conn)) out += " COLLATE \"C\"";
    out += k.descending ? " DESC" : " ASC";
    if (it->nullable) out += " NULLS LAST";
  }
  return out + ", p.id" + (keys.back().descending ? " DESC" : " ASC");
}

// ---- the cached part: total, facets, counts ----------------------------------------

struct Summary {
  int64_t total = 0;
  ProjectFacets facets;
  ProjectCounts counts;
};

// Everything in the filter that decides the summary — not paging, not sort.
// Adding a field to ProjectFilter? Add it here too, then update the size
// below (it is there to make a forgotten field a build error, not a stale
// cache).
std::string SummaryKeyOf(const ProjectFilter& f) {
  static_assert(sizeof(ProjectFilter) == 568, "a ProjectFilter field was added: put it in SummaryKeyOf");
  std::string k;
  auto add = [&k](std::string_view part) {
    k += std::to_string(part.size());
    k += ':';
    k += part;
  };
  auto opt = [&](const auto& v) {
    if (v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(*v)>, std::string>) {
        add(*v);
      } else {
        add(std::to_string(*v));
      }
    } else {
      k += '-';
    }
  };
  auto list = [&](const std::vector<std::string>& v) {
    add(std::to_string(v.size()));
    for (const auto& s : v) add(s);
  };
  if (f.scope) {
    add(f.scope->all ? "all" : "some");
    list(f.scope->subtree_paths);
    add(std::to_string(f.scope->unit_ids.size()));
    for (int64_t id : f.scope->unit_ids) add(std::to_string(id));
    opt(f.scope->self_user_id);
  } else {
    k += '-';
  }
  opt(f.only_enterprise_id);
  opt(f.org_path_prefix);
  for (const auto* v : {&f.stages, &f.levels, &f.categories, &f.boards, &f.types}) list(*v);
  for (const auto* v : {&f.leader_user_id, &f.responsible_unit_id, &f.enterprise_id, &f.team_id, &f.year,
                        &f.min_investment, &f.max_investment}) {
    opt(*v);
  }
  opt(f.tag);
  list(f.warnings);
  add(std::to_string(f.date_ranges.size()));
  for (const auto& r : f.date_ranges) {
    add(r.column);
    opt(r.from);
    opt(r.to);
  }
  add(f.start_kind ? std::to_string(static_cast<int>(*f.start_kind)) : "-");
  add(std::to_string(f.start_year));
  add(f.q);
  add(f.with_facets ? "facets" : "total");
  return k;
}

void SortFacet(std::vector<FacetCount>& v) {
  std::sort(v.begin(), v.end(), [](const FacetCount& a, const FacetCount& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
}

// Total, facets and counts in one grouped scan: the rows matching every
// condition but the faceted ones, grouped by (stage, level, category,
// unit, warning); each facet then sums the groups that pass the OTHER faceted
// conditions, the total and counts the groups that pass all of them. The
// 开工 and 复工 counts travel in one sum (复工 × 2^32 + 开工) so the kind is
// worked out once per row.
struct FacetGroup {
  std::string stage, level, category;
  int64_t org_unit_id = 0;
  std::string warning;
  int64_t n = 0, investment = 0, kinds = 0;
};

// ---- a keyword's facets and page from memory ----------------------------------------
//
// A keyword's matches come from the search index as a set of ids; the
// facets then need each match's stage, level, category, unit, 预警 and
// investment, and the page its sort key. Read in SQL that was a B-tree seek
// per match in two tables, on pages a first search finds cold: 项目('s
// 35 038 matches took 40 ms for the facets alone, then the page ran the
// search again. KeywordTable holds those values for every project, one
// table per data version (list_cache.h) and 开复工 year, built by three
// scans (~100 300 rows); a keyword search with an eligible filter
// (KeywordFromMemory) reads its matches once (KeywordMatchIds) and looks
// them up here. Filters it cannot answer run in SQL as before.
struct KeywordRow {
  int64_t id = 0;
  int64_t org_unit_id = 0, responsible_unit_id = 0;  // 0: none
  int64_t investment = 0, updated_at = 0;
  uint16_t stage = 0, level = 0, category = 0;  // indexes into KeywordTable's codes
  uint8_t warning = 3;                          // kWarningCodes' index
  uint8_t kind = 0;                             // 0, 1 开工, 2 复工 in the table's year
};
constexpr const char* kWarningCodes[] = {"red", "yellow", "green", "none"};

struct KeywordTable {
  std::vector<KeywordRow> rows;  // by id
  std::vector<int32_t> position;  // rows' index by id, -1 for none (ids are dense: a sequence)
  std::vector<std::string> stages, levels, categories;

  KeywordRow* Find(int64_t id) {
    return id >= 0 && id < static_cast<int64_t>(position.size()) && position[id] >= 0 ? &rows[position[id]] : nullptr;
  }
  const KeywordRow* Find(int64_t id) const { return const_cast<KeywordTable*>(this)->Find(id); }
};

uint16_t Intern(std::vector<std::string>& codes, std::string_view code) {
  for (size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] == code) return static_cast<uint16_t>(i);
  }
  codes.emplace_back(code);
  return static_cast<uint16_t>(codes.size() - 1);
}

StatusOr<std::shared_ptr<const KeywordTable>> BuildKeywordTable(db::Connection& conn, int64_t year) {
  auto t = std::make_shared<KeywordTable>();
  db::Params params;
  const std::string kind = StartKindExpr(year, "1", "2", params);
  // SQLite: from projects_facets_by_id_idx (migration 0019), in id order, not the rows.
  const std::string from = IsSqlite(conn) ? std::string(kListFrom) + " INDEXED BY projects_facets_by_id_idx" : kListFrom;
  ZB_RETURN_IF_ERROR(conn.Stream("SELECT p.id, p.stage, p.level, p.category, p.org_unit_id, p.responsible_unit_id, "
                                 "p.total_investment, " + kind + from + " ORDER BY p.id",
                                 params, [&](const db::RowView& r) {
                                   KeywordRow& k = t->rows.emplace_back();
                                   k.id = r.Int(0);
                                   k.stage = Intern(t->stages, r.Text(1));
                                   k.level = Intern(t->levels, r.Text(2));
                                   k.category = Intern(t->categories, r.Text(3));
                                   k.org_unit_id = r.Int(4);
                                   k.responsible_unit_id = r.IsNull(5) ? 0 : r.Int(5);
                                   k.investment = r.Int(6);
                                   k.kind = static_cast<uint8_t>(r.Int(7));
                                   return Status();
                                 }));
  if (!t->rows.empty()) {
    t->position.assign(static_cast<size_t>(t->rows.back().id) + 1, -1);
    for (size_t i = 0; i < t->rows.size(); ++i) t->position[t->rows[i].id] = static_cast<int32_t>(i);
  }
  ZB_RETURN_IF_ERROR(conn.Stream(std::string("SELECT id, updated_at FROM projects") +
                                     (IsSqlite(conn) ? " INDEXED BY projects_updated_at_idx" : ""),
                                 {}, [&](const db::RowView& r) {
                                   if (KeywordRow* k = t->Find(r.Int(0))) k->updated_at = r.Int(1);
                                   return Status();
                                 }));
  // kWarningValue's rule: no row, or '' (not judged), is none.
  ZB_RETURN_IF_ERROR(conn.Stream(std::string("SELECT project_id, colour FROM project_warnings") +
                                     (IsSqlite(conn) ? " INDEXED BY project_warnings_colour_idx" : ""),
                                 {}, [&](const db::RowView& r) {
                                   KeywordRow* k = t->Find(r.Int(0));
                                   const std::string_view colour = r.Text(1);
                                   for (uint8_t i = 0; k && i < 3; ++i) {
                                     if (colour == kWarningCodes[i]) k->warning = i;
                                   }
                                   return Status();
                                 }));
  return std::shared_ptr<const KeywordTable>(std::move(t));
}

VersionedCache<std::shared_ptr<const KeywordTable>>& KeywordTables() {
  static auto* cache = new VersionedCache<std::shared_ptr<const KeywordTable>>(4);
  return *cache;
}

std::mutex scheduler_mu;
KeywordTableScheduler& Scheduler() {  // guarded by scheduler_mu
  static auto* schedule = new KeywordTableScheduler();
  return *schedule;
}

// The table of the current data version for `year`, built once however many
// ask; nullptr before migration 0005, or when it is missing and a scheduler
// (SetKeywordTableScheduler) will build it while the caller does without
// (`build` false).
StatusOr<std::shared_ptr<const KeywordTable>> CurrentKeywordTable(db::Connection& conn, int64_t year, bool build) {
  ZB_ASSIGN_OR_RETURN(auto version, ReadListVersion(conn));
  if (!version) return std::shared_ptr<const KeywordTable>();
  const std::string key = std::to_string(year);
  if (!build) {
    if (auto hit = KeywordTables().Get(*version, key)) return std::move(*hit);
    std::lock_guard lock(scheduler_mu);
    if (Scheduler()) {
      Scheduler()(year);
      return std::shared_ptr<const KeywordTable>();
    }
  }
  return KeywordTables().GetOrCompute(*version, key, [&] { return BuildKeywordTable(conn, year); });
}

// Whether `f` is a keyword search KeywordTable can answer: a keyword, the
// five faceted dimensions, a data scope of units (not 仅本人), and nothing
// else.
bool KeywordFromMemory(const ProjectFilter& f) {
  return !f.q.empty() && (!f.scope || !f.scope->self_user_id) && !f.only_enterprise_id && !f.start_kind &&
         f.boards.empty() && f.types.empty() && !f.leader_user_id && !f.responsible_unit_id && !f.enterprise_id &&
         !f.team_id && !f.tag && !f.year && !f.min_investment && !f.max_investment && f.date_ranges.empty();
}

// The ids every term of `q` matches, ascending; nullopt when `q` has no
// term (blanks only: no condition, every project).
StatusOr<std::optional<std::vector<int64_t>>> KeywordMatchIds(db::Connection& conn, const std::string& q) {
  db::Params params;
  std::string sql;
  for (const std::string& set : SearchSets(conn, q, params)) sql += (sql.empty() ? "" : " INTERSECT ") + set;
  if (sql.empty()) return std::nullopt;
  std::vector<int64_t> ids;
  ZB_RETURN_IF_ERROR(conn.Stream(sql, params, [&](const db::RowView& r) {
    ids.push_back(r.Int(0));
    return Status();
  }));
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The ids of the units `sql_where` (over org_units) selects.
StatusOr<std::unordered_set<int64_t>> UnitIds(db::Connection& conn, const std::string& sql_where,
                                              const db::Params& params) {
  std::unordered_set<int64_t> out;
  ZB_RETURN_IF_ERROR(conn.Stream("SELECT id FROM org_units WHERE " + sql_where, params, [&](const db::RowView& r) {
    out.insert(r.Int(0));
    return Status();
  }));
  return out;
}

// The five faceted dimensions of `f` as a test of a KeywordRow: FilterWhere's
// conditions on stage, level, category, 属地 subtree and 预警.
class FacetTest {
 public:
  static StatusOr<FacetTest> Make(db::Connection& conn, const ProjectFilter& f, const KeywordTable& t) {
    FacetTest test;
    auto allowed = [](const std::vector<std::string>& codes, const std::vector<std::string>& chosen) {
      std::vector<bool> ok(codes.size(), chosen.empty());
      for (size_t i = 0; i < codes.size(); ++i) {
        if (std::find(chosen.begin(), chosen.end(), codes[i]) != chosen.end()) ok[i] = true;
      }
      return ok;
    };
    test.stage_ = allowed(t.stages, f.stages);
    test.level_ = allowed(t.levels, f.levels);
    test.category_ = allowed(t.categories, f.categories);
    test.warning_ = allowed({std::begin(kWarningCodes), std::end(kWarningCodes)}, f.warnings);
    if (f.org_path_prefix) {
      test.subtree_ = true;
      ZB_ASSIGN_OR_RETURN(test.units_, UnitIds(conn, "path LIKE $1 || '%'", {*f.org_path_prefix}));
    }
    return test;
  }

  bool operator()(const KeywordRow& k) const {
    return stage_[k.stage] && level_[k.level] && category_[k.category] && warning_[k.warning] &&
           (!subtree_ || units_.contains(k.org_unit_id));
  }

 private:
  std::vector<bool> stage_, level_, category_, warning_;
  bool subtree_ = false;
  std::unordered_set<int64_t> units_;
};

// A keyword search answered from memory: its matches, the table, the
// scope's units and the faceted filters' test. One per request, shared by
// the facets, the total and the page.
class KeywordSearch {
 public:
  static StatusOr<std::unique_ptr<KeywordSearch>> Open(db::Connection& conn, const ProjectFilter& f) {
    auto s = std::make_unique<KeywordSearch>();
    ZB_ASSIGN_OR_RETURN(s->table_, CurrentKeywordTable(conn, f.start_year, /*build=*/false));
    if (!s->table_) return std::unique_ptr<KeywordSearch>();
    ZB_ASSIGN_OR_RETURN(auto ids, KeywordMatchIds(conn, f.q));
    if (!ids) return std::unique_ptr<KeywordSearch>();  // no term: the whole list, in SQL
    s->ids_ = std::move(*ids);
    ZB_ASSIGN_OR_RETURN(s->test_, FacetTest::Make(conn, f, *s->table_));
    if (f.scope && !f.scope->all) {
      s->scoped_ = true;
      if (!f.scope->subtree_paths.empty() || !f.scope->unit_ids.empty()) {
        db::Params params;
        const std::string where = ScopeWhere(*f.scope, "path", "id", "", &params);
        ZB_ASSIGN_OR_RETURN(s->scope_units_, UnitIds(conn, where, params));
      }
    }
    return s;
  }

  const KeywordTable& table() const { return *table_; }
  // Whether a row passes the filter's five faceted dimensions.
  const FacetTest& test() const { return test_; }
  // Calls fn(row) for every match in the reader's scope, in id order.
  template <typename Fn>
  void ForEachMatch(Fn&& fn) const {
    for (int64_t id : ids_) {
      const KeywordRow* k = table_->Find(id);
      if (!k) continue;  // created after the table's version was read: its write moves the version
      if (scoped_ && !scope_units_.contains(k->org_unit_id) &&
          !(k->responsible_unit_id && scope_units_.contains(k->responsible_unit_id))) {
        continue;
      }
      fn(*k);
    }
  }

 private:
  std::shared_ptr<const KeywordTable> table_;
  std::vector<int64_t> ids_;
  bool scoped_ = false;
  std::unordered_set<int64_t> scope_units_;
  FacetTest test_;
};

// The request's KeywordSearch, opened on first use; nullptr when the filter
// is not one it answers (KeywordFromMemory), the keyword is blanks only, no
// table is ready (a scheduler builds it), or before migration 0005.
class LazyKeyword {
 public:
  LazyKeyword(db::Connection& conn, const ProjectFilter& f) : conn_(conn), f_(f) {}
  StatusOr<const KeywordSearch*> Get() {
    if (!opened_) {
      opened_ = true;
      if (KeywordFromMemory(f_)) {
        ZB_ASSIGN_OR_RETURN(search_, KeywordSearch::Open(conn_, f_));
      }
    }
    return search_.get();
  }

 private:
  db::Connection& conn_;
  const ProjectFilter& f_;
  bool opened_ = false;
  std::unique_ptr<KeywordSearch> search_;
};

// FacetGroups of a keyword search KeywordSearch answers.
std::vector<FacetGroup> FacetGroupsFromMemory(const KeywordSearch& keyword) {
  constexpr int64_t kResumedUnit = int64_t{1} << 32;
  const KeywordTable& t = keyword.table();
  struct Key {
    uint64_t codes;  // stage, level, category, warning
    int64_t unit;
    bool operator==(const Key&) const = default;
  };
  struct Hash {
    size_t operator()(const Key& k) const { return std::hash<uint64_t>()(k.codes * 1000003u ^ uint64_t(k.unit)); }
  };
  std::unordered_map<Key, size_t, Hash> index;
  std::vector<FacetGroup> out;
  keyword.ForEachMatch([&](const KeywordRow& k) {
    const Key key{uint64_t{k.stage} | uint64_t{k.level} << 16 | uint64_t{k.category} << 32 | uint64_t{k.warning} << 48,
                  k.org_unit_id};
    auto [it, added] = index.try_emplace(key, out.size());
    if (added) {
      out.push_back({t.stages[k.stage], t.levels[k.level], t.categories[k.category], k.org_unit_id,
                     kWarningCodes[k.warning]});
    }
    FacetGroup& g = out[it->second];
    ++g.n;
    g.investment += k.investment;
    g.kinds += k.kind == 1 ? 1 : k.kind == 2 ? kResumedUnit : 0;
  });
  return out;
}

// The groups of ComputeFacets. Without a keyword SQLite groups in the
// order of projects_facets_idx, reading no row. A keyword's matches are
// sought one by one, and grouping them in SQL sorted them first (a temporary
// B-tree) and looked up the warning twice (once for the column, once for
// the GROUP BY): 改造项's 14 594 matches took 36 ms, 23 ms of it the sort
// and the second lookup (sqlite3 3.40 shell, 100 300 projects). Streamed
// into a hash map here: one lookup of each, no sort; on SQLite from an
// index by id that carries the columns read (migration 0019), not the rows.
// With `keyword`: from memory.
StatusOr<std::vector<FacetGroup>> FacetGroups(db::Connection& conn, const ProjectFilter& f,
                                              const KeywordSearch* keyword) {
  if (keyword) return FacetGroupsFromMemory(*keyword);
  db::Params params;
  const std::string kind = StartKindExpr(f.start_year, "1", "4294967296", params);
  ZB_ASSIGN_OR_RETURN(std::string where, FilterWhere(conn, f, /*for_facets=*/true, params));
  std::vector<FacetGroup> out;
  if (f.q.empty()) {
    ZB_ASSIGN_OR_RETURN(db::Result r,
                        conn.Query("SELECT p.stage, p.level, p.category, p.org_unit_id, " +
                                       std::string(kWarningValue) +
                                       " AS warning, COUNT(*) AS n, SUM(p.total_investment) AS investment, SUM(" +
                                       kind + ") AS kinds" + kListFrom + " WHERE 1=1" + where +
                                       " GROUP BY p.stage, p.level, p.category, p.org_unit_id, warning",
                                   params));
    out.reserve(r.rows.size());
    for (const db::Row& row : r.rows) {
      out.push_back({row.Text("stage"), row.Text("level"), row.Text("category"), row.Int("org_unit_id"),
                     row.Text("warning"), row.Int("n"), row.Int("investment"), row.Int("kinds")});
    }
    return out;
  }
  std::unordered_map<std::string, size_t> index;  // stage, level, category, unit, warning → out[i]
  std::string key;
  // SQLite: from projects_facets_by_id_idx (migration 0019), not the rows.
  const std::string from = IsSqlite(conn) ? std::string(kListFrom) + " INDEXED BY projects_facets_by_id_idx" : kListFrom;
  ZB_RETURN_IF_ERROR(conn.Stream(
      "SELECT p.stage, p.level, p.category, p.org_unit_id, " + std::string(kWarningValue) +
          " AS warning, p.total_investment, " + kind + " AS kinds" + from + " WHERE 1=1" + where,
      params, [&](const db::RowView& row) -> Status {
        key.clear();
        for (size_t i = 0; i < 5; ++i) {
          key += row.Text(i);
          key += '\0';
        }
        auto [it, added] = index.try_emplace(key, out.size());
        if (added) {
          out.push_back({std::string(row.Text(0)), std::string(row.Text(1)), std::string(row.Text(2)), row.Int(3),
                         std::string(row.Text(4))});
        }
        FacetGroup& g = out[it->second];
        ++g.n;
        g.investment += row.Int(5);
        g.kinds += row.Int(6);
        return Status();
      }));
  return out;
}

StatusOr<Summary> ComputeFacets(db::Connection& conn, const ProjectFilter& f, const KeywordSearch* keyword) {
  constexpr int64_t kResumedUnit = int64_t{1} << 32;
  ZB_ASSIGN_OR_RETURN(std::vector<FacetGroup> groups, FacetGroups(conn, f, keyword));
  // The units' paths (for the subtree) and names (the facet's labels).
  std::vector<int64_t> unit_ids;
  for (const FacetGroup& g : groups) unit_ids.push_back(g.org_unit_id);
  std::sort(unit_ids.begin(), unit_ids.end());
  unit_ids.erase(std::unique(unit_ids.begin(), unit_ids.end()), unit_ids.end());
  std::unordered_map<int64_t, std::pair<std::string, std::string>> units;  // id → (path, name)
  if (!unit_ids.empty()) {
    db::Params unit_params;
    const std::string in = InList(unit_ids, &unit_params);
    ZB_ASSIGN_OR_RETURN(db::Result u, conn.Query("SELECT id, path, name FROM org_units WHERE id IN (" + in + ")",
                                                 unit_params));
    for (const db::Row& row : u.rows) units[row.Int("id")] = {row.Text("path"), row.Text("name")};
  }
  auto in = [](const std::vector<std::string>& chosen, const std::string& v) {
    return chosen.empty() || std::find(chosen.begin(), chosen.end(), v) != chosen.end();
  };
  std::map<std::string, int64_t> stage, level, category;
  std::map<int64_t, FacetCount> unit;
  Summary out;
  for (const char* colour : {"red", "yellow", "green", "none"}) out.facets.warning.push_back({colour, "", 0});
  for (const FacetGroup& g : groups) {
    const int64_t n = g.n;
    const int64_t unit_id = g.org_unit_id;
    const auto& [path, name] = units[unit_id];
    const std::string& warning = g.warning;
    const bool s_ok = in(f.stages, g.stage);
    const bool l_ok = in(f.levels, g.level);
    const bool c_ok = in(f.categories, g.category);
    const bool o_ok = !f.org_path_prefix || path.starts_with(*f.org_path_prefix);
    const bool w_ok = in(f.warnings, warning);
    if (l_ok && c_ok && o_ok && w_ok) stage[g.stage] += n;
    if (s_ok && c_ok && o_ok && w_ok) level[g.level] += n;
    if (s_ok && l_ok && o_ok && w_ok) category[g.category] += n;
    if (s_ok && l_ok && c_ok && w_ok) {
      FacetCount& u = unit[unit_id];
      u.value = std::to_string(unit_id);
      u.label = name;
      u.count += n;
    }
    if (s_ok && l_ok && c_ok && o_ok) {
      for (FacetCount& c : out.facets.warning) {
        if (c.value == warning) c.count += n;
      }
    }
    if (s_ok && l_ok && c_ok && o_ok && w_ok) {
      const int64_t kinds = g.kinds;
      out.total += n;
      out.counts.total_investment += g.investment;
      out.counts.started += kinds % kResumedUnit;
      out.counts.resumed += kinds / kResumedUnit;
    }
  }
  out.counts.started_or_resumed = out.counts.started + out.counts.resumed;
  for (auto [facet, counts] : {std::pair{&out.facets.stage, &stage}, std::pair{&out.facets.level, &level},
                               std::pair{&out.facets.category, &category}}) {
    for (const auto& [value, n] : *counts) facet->push_back({value, "", n});
    SortFacet(*facet);
  }
  for (auto& [id, c] : unit) out.facets.org_unit.push_back(std::move(c));
  SortFacet(out.facets.org_unit);
  return out;
}

StatusOr<Summary> ComputeTotal(db::Connection& conn, const ProjectFilter& f, const KeywordSearch* keyword) {
  Summary out;
  if (keyword) {
    const FacetTest& test = keyword->test();
    keyword->ForEachMatch([&](const KeywordRow& k) { out.total += test(k) ? 1 : 0; });
    return out;
  }
  db::Params params;
  ZB_ASSIGN_OR_RETURN(std::string where, FilterWhere(conn, f, /*for_facets=*/false, params));
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(std::string("SELECT COUNT(*) AS n") + kListFrom + " WHERE 1=1" + where,
                                              params));
  out.total = row ? row->Int("n") : 0;
  return out;
}

VersionedCache<Summary>& Summaries() {
  static auto* cache = new VersionedCache<Summary>(1000);
  return *cache;
}

StatusOr<Summary> LoadSummary(db::Connection& conn, const ProjectFilter& f, LazyKeyword& lazy) {
  auto compute = [&]() -> StatusOr<Summary> {
    ZB_ASSIGN_OR_RETURN(const KeywordSearch* keyword, lazy.Get());
    return f.with_facets ? ComputeFacets(conn, f, keyword) : ComputeTotal(conn, f, keyword);
  };
  ZB_ASSIGN_OR_RETURN(auto version, ReadListVersion(conn));
  if (!version) return compute();
  const std::string key = SummaryKeyOf(f);
  if (auto hit = Summaries().Get(*version, key)) return std::move(*hit);
  ZB_ASSIGN_OR_RETURN(Summary s, compute());
  Summaries().Put(*version, key, s);
  return s;
}

// A page of a keyword search KeywordSearch answers, ordered by one key it
// holds (updated_at, the default, or total_investment), id breaking ties
// the same way; nullopt for any other order.
std::optional<std::vector<int64_t>> PageFromMemory(const ProjectFilter& f, const KeywordSearch& keyword) {
  const SortKey key = f.sort.empty() ? SortKey{"updated_at", true} : f.sort.front();
  if (f.sort.size() > 1 || (key.column != "updated_at" && key.column != "total_investment")) return std::nullopt;
  const bool by_update = key.column == "updated_at";
  const FacetTest& test = keyword.test();
  std::vector<std::pair<int64_t, int64_t>> keyed;  // (key, id)
  keyword.ForEachMatch([&](const KeywordRow& k) {
    if (test(k)) keyed.emplace_back(by_update ? k.updated_at : k.investment, k.id);
  });
  // LimitOffset's paging.
  const int64_t size = std::min(f.page_size < 1 ? kDefaultPageSize : f.page_size, kMaxPageSize);
  const size_t begin = static_cast<size_t>(std::max<int64_t>(f.page, 1) - 1) * static_cast<size_t>(size);
  std::vector<int64_t> ids;
  if (begin >= keyed.size()) return ids;
  const size_t end = std::min(keyed.size(), begin + static_cast<size_t>(size));
  auto first = keyed.begin() + static_cast<long>(begin), last = keyed.begin() + static_cast<long>(end);
  auto sort_range = [&](auto before) {
    std::nth_element(keyed.begin(), first, keyed.end(), before);
    std::partial_sort(first, last, keyed.end(), before);
  };
  if (key.descending) {
    sort_range(std::greater<>());
  } else {
    sort_range(std::less<>());
  }
  for (auto it = first; it != last; ++it) ids.push_back(it->second);
  return ids;
}

// The ids matching `f` in its order — one page of them, or all. Narrow on
// purpose: the sort runs over the projects table and its indexes alone,
// and only the rows kept are read in full, joined and given their lists.
//
// SQLite's planner has no statistics: it takes any indexed condition — a
// stage, a keyword's matches ("p.id IN (…)") — for selective, starts
// there and sorts everything it finds (9 ms for the 43 000 在建 by total
// investment, 50 ms for a keyword's 11 000 matches). When the filter keeps
// more than kManyMatches rows (`total`, from the summary), walking the
// sort key's index and testing each entry reaches a page's end sooner, as
// long as the test reads no row:
// - walk: the key is updated_at or total_investment, whose indexes carry
//   stage, level, category, unit and type (migration 0005), and the filter
//   has no other condition (a keyword's ids are tested from the index too);
// - probe: any other indexed key with a keyword — only the id is tested.
// Both are bounded by one pass over an index, even when the filter and the
// key correlate (在建 + 续建 against updated_at: the matches sit at the end).
// With `lazy`, a page of a keyword search KeywordSearch answers comes from
// memory when PageFromMemory can order it.
StatusOr<std::vector<int64_t>> OrderedIds(db::Connection& conn, const ProjectFilter& f, bool one_page,
                                          int64_t total = -1, LazyKeyword* lazy = nullptr) {
  if (one_page && lazy) {
    ZB_ASSIGN_OR_RETURN(const KeywordSearch* keyword, lazy->Get());
    if (keyword) {
      if (auto ids = PageFromMemory(f, *keyword)) return std::move(*ids);
    }
  }
  constexpr int64_t kManyMatches = 2000;
  const std::string first_key = f.sort.empty() ? "updated_at" : f.sort.front().column;
  // Every sort key has an index (migration 0005) but these four.
  const bool indexed_key =
      first_key != "stage" && first_key != "level" && first_key != "org_unit_name" && first_key != "warning";
  const bool many = one_page && total > kManyMatches;
  const bool walkable_key = first_key == "updated_at" || first_key == "total_investment";
  const bool walkable_filter =
      (!f.scope || f.scope->all) && !f.only_enterprise_id && !f.start_kind && f.boards.empty() &&
      !f.leader_user_id && !f.responsible_unit_id && !f.enterprise_id && !f.team_id && !f.tag && !f.year &&
      !f.min_investment && !f.max_investment && f.date_ranges.empty() && f.warnings.empty();
  const bool walk = many && walkable_key && walkable_filter;
  const bool probe = many && indexed_key && !f.q.empty();
  db::Params params;
  ZB_ASSIGN_OR_RETURN(std::string where, FilterWhere(conn, f, /*for_facets=*/false, params, probe, walk));
  ZB_ASSIGN_OR_RETURN(std::string order, OrderBy(conn, f.sort, f.today));
  const bool by_unit_name =
      std::any_of(f.sort.begin(), f.sort.end(), [](const SortKey& k) { return k.column == "org_unit_name"; });
  const std::string from = by_unit_name ? " FROM projects p JOIN org_units o ON o.id = p.org_unit_id" : kListFrom;
  const std::string limit = one_page ? LimitOffset(f.page, f.page_size, &params) : "";
  std::vector<int64_t> ids;
  ZB_RETURN_IF_ERROR(conn.Stream("SELECT p.id" + from + " WHERE 1=1" + where + order + limit, params,
                                 [&](const db::RowView& r) {
                                   ids.push_back(r.Int(0));
                                   return Status();
                                 }));
  return ids;
}

// The rows `select` (a SELECT up to its WHERE, the project's alias p) reads
// for `ids` (any order), in the order of `ids`, each made by `make`. A row
// deleted between reading the ids and reading it, or one `make` leaves with
// id 0, leaves no hole.
StatusOr<std::vector<Project>> RowsInOrder(db::Connection& conn, const std::vector<int64_t>& ids,
                                           const std::string& select,
                                           const std::function<Project(const db::RowView&)>& make) {
  std::vector<Project> out;
  if (ids.empty()) return out;
  db::Params params;
  const std::string in = InList(ids, &params);
  std::unordered_map<int64_t, size_t> position;
  position.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) position[ids[i]] = i;
  out.resize(ids.size());
  ZB_RETURN_IF_ERROR(conn.Stream(select + " WHERE p.id IN (" + in + ")", params, [&](const db::RowView& r) {
    out[position.at(r.Int(col::kId))] = make(r);
    return Status();
  }));
  out.erase(std::remove_if(out.begin(), out.end(), [](const Project& p) { return p.id == 0; }), out.end());
  return out;
}

// Rows of `ids` (any order) in the order of `ids`, with their lists.
StatusOr<std::vector<Project>> LoadInOrder(db::Connection& conn, const std::vector<int64_t>& ids,
                                           bool with_warnings = true) {
  ZB_ASSIGN_OR_RETURN(std::vector<Project> out,
                      RowsInOrder(conn, ids, ZB_PROJECT_SELECT, [](const db::RowView& r) { return FromView(r); }));
  ZB_RETURN_IF_ERROR(AttachLists(conn, out, with_warnings));
  return out;
}

// A walk over much of the table (ForEachProject of a large set): the names
// ZB_PROJECT_SELECT joins and the five lists of every walked project, each
// table read ONCE by one scan and held in memory, instead of joins per row
// and a B-tree seek per project in each list table per chunk. What a
// project gets is exactly what ZB_PROJECT_SELECT and AttachLists give it:
// the same rows in the same order (the lists' ORDER BY, or the same keys
// sorted here), the inner joins' rows dropped as theirs are.
class WalkTables {
 public:
  // For the projects `ids`; rows of other projects are not kept. Without
  // the warnings: project_warnings is not read.
  static StatusOr<std::unique_ptr<WalkTables>> Load(db::Connection& conn, const std::vector<int64_t>& ids,
                                                    bool with_warnings) {
    auto t = std::make_unique<WalkTables>();
    t->lo_ = *std::min_element(ids.begin(), ids.end());
    const int64_t hi = *std::max_element(ids.begin(), ids.end());
    t->walked_.assign(static_cast<size_t>(hi - t->lo_ + 1), false);
    for (int64_t id : ids) t->walked_[static_cast<size_t>(id - t->lo_)] = true;
    auto stream = [&](const char* sql, auto add) {
      return conn.Stream(sql, {}, [&](const db::RowView& r) {
        add(r);
        return Status();
      });
    };
    ZB_RETURN_IF_ERROR(stream("SELECT id, name, path FROM org_units", [&](const db::RowView& r) {
      t->units_.emplace(r.Int(0), Unit{std::string(r.Text(1)), std::string(r.Text(2))});
    }));
    ZB_RETURN_IF_ERROR(stream("SELECT id, display_name FROM users",
                              [&](const db::RowView& r) { t->users_.emplace(r.Int(0), r.Text(1)); }));
    ZB_RETURN_IF_ERROR(stream("SELECT id, name FROM enterprises",
                              [&](const db::RowView& r) { t->firms_.emplace(r.Int(0), r.Text(1)); }));
    ZB_RETURN_IF_ERROR(stream("SELECT id, name FROM teams",
                              [&](const db::RowView& r) { t->team_names_.emplace(r.Int(0), r.Text(1)); }));
    ZB_RETURN_IF_ERROR(stream("SELECT project_id, user_id FROM project_liaisons ORDER BY project_id, user_id",
                              [&](const db::RowView& r) {
                                if (t->Walked(r.Int(0)) && t->users_.count(r.Int(1))) {
                                  t->liaisons_.emplace_back(r.Int(0), r.Int(1));
                                }
                              }));
    // The tags in the engine's order (its collation), as AttachLists has them.
    ZB_RETURN_IF_ERROR(stream("SELECT project_id, tag FROM project_tags ORDER BY project_id, tag",
                              [&](const db::RowView& r) {
                                if (t->Walked(r.Int(0))) t->tags_.emplace_back(r.Int(0), r.Text(1));
                              }));
    // In the table's order and sorted here: (project_id, year) is its key,
    // and ORDER BY would cost SQLite a seek per row from that index.
    ZB_RETURN_IF_ERROR(stream("SELECT project_id, year, planned_investment, goal_start, goal_complete, goal_operate "
                              "FROM project_annual_plans",
                              [&](const db::RowView& r) {
                                if (t->Walked(r.Int(0))) {
                                  t->plans_.emplace_back(
                                      r.Int(0), AnnualPlan{r.Int(1), r.Int(2), r.Bool(3), r.Bool(4), r.Bool(5)});
                                }
                              }));
    std::sort(t->plans_.begin(), t->plans_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.first, a.second.year) < std::tie(b.first, b.second.year);
    });
    ZB_RETURN_IF_ERROR(stream("SELECT project_id, team_id FROM project_teams ORDER BY project_id, team_id",
                              [&](const db::RowView& r) {
                                if (t->Walked(r.Int(0)) && t->team_names_.count(r.Int(1))) {
                                  t->teams_.emplace_back(r.Int(0), r.Int(1));
                                }
                              }));
    if (with_warnings) {
      ZB_RETURN_IF_ERROR(stream("SELECT project_id, colour, reasons, red_nodes, yellow_nodes, valid_until "
                                "FROM project_warnings ORDER BY project_id",
                                [&](const db::RowView& r) {
                                  if (t->Walked(r.Int(0))) {
                                    t->warnings_.push_back({r.Int(0), std::string(r.Text(1)), std::string(r.Text(2)),
                                                            r.Int(3), r.Int(4), std::string(r.Text(5))});
                                  }
                                }));
    }
    t->Index();
    return t;
  }

  // The rows of `ids` (any order) in the order of `ids`, with their names
  // and lists: LoadInOrder's answer without its joins and list queries.
  StatusOr<std::vector<Project>> LoadInOrder(db::Connection& conn, const std::vector<int64_t>& ids) const {
    ZB_ASSIGN_OR_RETURN(std::vector<Project> out,
                        RowsInOrder(conn, ids, ZB_PROJECT_COLUMNS " FROM projects p", [this](const db::RowView& r) {
                          Project p = FromView(r, /*with_names=*/false);
                          // ZB_PROJECT_SELECT's inner join to the project's unit.
                          if (!Name(p)) p.id = 0;
                          return p;
                        }));
    for (Project& p : out) Attach(p);
    return out;
  }

 private:
  struct Unit {
    std::string name, path;
  };
  struct Warning {
    int64_t project_id;
    std::string colour, reasons;
    int64_t red, yellow;
    std::string valid_until;
  };

  bool Walked(int64_t id) const {
    return id >= lo_ && id - lo_ < static_cast<int64_t>(walked_.size()) && walked_[static_cast<size_t>(id - lo_)];
  }

  // ZB_PROJECT_SELECT's joined names; false when the project's unit is
  // missing (its inner join drops the row).
  bool Name(Project& p) const {
    const ProjectData& d = p.data;
    auto unit = units_.find(d.org_unit_id);
    if (unit == units_.end()) return false;
    p.org_unit_name = unit->second.name;
    p.org_path = unit->second.path;
    auto text = [](const std::unordered_map<int64_t, std::string>& names, const std::optional<int64_t>& id) {
      if (!id) return std::string();
      auto it = names.find(*id);
      return it == names.end() ? std::string() : it->second;
    };
    p.enterprise_name = text(firms_, d.enterprise_id);
    p.leader_name = text(users_, d.leader_user_id);
    if (d.responsible_unit_id) {
      if (auto ru = units_.find(*d.responsible_unit_id); ru != units_.end()) {
        p.responsible_unit_name = ru->second.name;
        p.responsible_unit_path = ru->second.path;
      }
    }
    return true;
  }

  // The five lists, each sorted by project id, by position.
  enum List { kLiaisons, kTags, kPlans, kTeams, kWarnings, kLists };

  // first_[k][list]: where project lo_ + k's rows of `list` begin (they end
  // where project lo_ + k + 1's begin), so a project finds its rows in all
  // five lists without a search.
  void Index() {
    first_.assign(walked_.size() + 1, {});
    auto index = [&](List list, size_t n, auto project_of) {
      size_t j = 0;
      for (size_t k = 0; k < first_.size(); ++k) {
        while (j < n && project_of(j) < lo_ + static_cast<int64_t>(k)) ++j;
        first_[k][list] = static_cast<uint32_t>(j);
      }
    };
    index(kLiaisons, liaisons_.size(), [&](size_t j) { return liaisons_[j].first; });
    index(kTags, tags_.size(), [&](size_t j) { return tags_[j].first; });
    index(kPlans, plans_.size(), [&](size_t j) { return plans_[j].first; });
    index(kTeams, teams_.size(), [&](size_t j) { return teams_[j].first; });
    index(kWarnings, warnings_.size(), [&](size_t j) { return warnings_[j].project_id; });
  }

  void Attach(Project& p) const {
    if (!Walked(p.id)) return;  // not in the walk's ids: LoadInOrder only reads those
    const auto& from = first_[static_cast<size_t>(p.id - lo_)];
    const auto& to = first_[static_cast<size_t>(p.id - lo_) + 1];
    for (uint32_t i = from[kLiaisons]; i < to[kLiaisons]; ++i) {
      p.data.liaison_ids.push_back(liaisons_[i].second);
      p.liaison_names.push_back(users_.at(liaisons_[i].second));
    }
    for (uint32_t i = from[kTags]; i < to[kTags]; ++i) p.data.tags.push_back(tags_[i].second);
    for (uint32_t i = from[kPlans]; i < to[kPlans]; ++i) p.data.plans.push_back(plans_[i].second);
    for (uint32_t i = from[kTeams]; i < to[kTeams]; ++i) {
      p.data.team_ids.push_back(teams_[i].second);
      p.team_names.push_back(team_names_.at(teams_[i].second));
    }
    for (uint32_t i = from[kWarnings]; i < to[kWarnings]; ++i) {
      const Warning& w = warnings_[i];
      SetWarning(p, w.colour, w.reasons, w.red, w.yellow, w.valid_until);
    }
  }

  int64_t lo_ = 0;
  std::vector<bool> walked_;  // by id - lo_
  std::unordered_map<int64_t, Unit> units_;
  std::unordered_map<int64_t, std::string> users_, firms_, team_names_;
  std::vector<std::pair<int64_t, int64_t>> liaisons_, teams_;  // (project, user / team), sorted
  std::vector<std::pair<int64_t, std::string>> tags_;
  std::vector<std::pair<int64_t, AnnualPlan>> plans_;
  std::vector<Warning> warnings_;
  std::vector<std::array<uint32_t, kLists>> first_;  // by id - lo_, one past the last too
};

}  // namespace

bool IsProjectSortColumn(std::string_view column) {
  const auto& columns = SortColumns();
  return std::any_of(columns.begin(), columns.end(), [&](const SortColumn& c) { return column == c.name; });
}

StatusOr<std::optional<ListVersion>> ReadListVersion(db::Connection& conn) {
  ZB_ASSIGN_OR_RETURN(auto v, conn.QueryOne("SELECT epoch, version FROM project_list_version WHERE id = 1"));
  if (!v) return std::optional<ListVersion>();
  return std::optional<ListVersion>(ListVersion{v->Text("epoch"), v->Int("version")});
}

std::string ProjectPageKey(const ProjectFilter& f) {
  std::string k = SummaryKeyOf(f);
  for (const auto& key : f.sort) k += "|" + key.column + (key.descending ? "-" : "+");
  if (f.today) k += "|" + f.today->ToString();  // the warning sort's day, and the day its reasons are said for
  k += "|" + std::to_string(f.page) + "|" + std::to_string(f.page_size) + (f.with_facets ? "|f" : "|-");
  return k;
}

StatusOr<ProjectPage> ListProjects(db::Connection& conn, const ProjectFilter& filter) {
  ProjectPage page;
  LazyKeyword keyword(conn, filter);  // a keyword's matches, read once for the facets and the page
  ZB_ASSIGN_OR_RETURN(Summary summary, LoadSummary(conn, filter, keyword));
  page.total = summary.total;
  if (filter.with_facets) {
    page.facets = std::move(summary.facets);
    page.counts = summary.counts;
  }
  if (page.total == 0) return page;
  ZB_ASSIGN_OR_RETURN(std::vector<int64_t> ids, OrderedIds(conn, filter, /*one_page=*/true, page.total, &keyword));
  ZB_ASSIGN_OR_RETURN(page.items, LoadInOrder(conn, ids));
  return page;
}

void SetKeywordTableScheduler(KeywordTableScheduler schedule) {
  std::lock_guard lock(scheduler_mu);
  Scheduler() = std::move(schedule);
}

Status WarmKeywordTable(db::Connection& conn, int64_t start_year) {
  return CurrentKeywordTable(conn, start_year, /*build=*/true).status();
}

StatusOr<std::vector<int64_t>> MatchingProjectIds(db::Connection& conn, const ProjectFilter& filter) {
  return OrderedIds(conn, filter, /*one_page=*/false);
}

Status ForEachProject(db::Connection& conn, const ProjectFilter& filter,
                      const std::function<Status(const Project&)>& fn, WalkParts parts) {
  // The ids in order once (one scan, no OFFSET), then rows and lists in
  // chunks: ~1000 ids bind well below both engines' parameter limits.
  constexpr size_t kChunk = 1000;
  // WalkTables once the walk holds at least 1 in kWalkTablesShare of the
  // table's ids (MAX(id) stands for its size).
  constexpr int64_t kWalkTablesShare = 4;
  // The walk visits rows in the filter's order, all over the tables.
  const db::LargerPageCache cache(conn, 128);
  ZB_ASSIGN_OR_RETURN(std::vector<int64_t> ids, OrderedIds(conn, filter, /*one_page=*/false));
  // A walk over a good part of the table (a whole-table export: 100 000
  // projects) reads the list tables and the names once (WalkTables); a
  // smaller one seeks its projects' lists chunk by chunk.
  std::unique_ptr<WalkTables> tables;
  if (ids.size() > kChunk) {
    ZB_ASSIGN_OR_RETURN(auto highest, conn.QueryOne("SELECT MAX(id) AS id FROM projects"));
    if (highest && static_cast<int64_t>(ids.size()) * kWalkTablesShare >= highest->Int("id")) {
      ZB_ASSIGN_OR_RETURN(tables, WalkTables::Load(conn, ids, parts.warnings));
    }
  }
  for (size_t i = 0; i < ids.size(); i += kChunk) {
    std::vector<int64_t> chunk(ids.begin() + static_cast<long>(i),
                               ids.begin() + static_cast<long>(std::min(ids.size(), i + kChunk)));
    ZB_ASSIGN_OR_RETURN(std::vector<Project> projects,
                        tables ? tables->LoadInOrder(conn, chunk) : LoadInOrder(conn, chunk, parts.warnings));
    for (const Project& p : projects) ZB_RETURN_IF_ERROR(fn(p));
  }
  return Status();
}

StatusOr<std::optional<Project>> FindProjectByCode(db::Connection& conn, const std::string& code) {
  ZB_ASSIGN_OR_RETURN(std::vector<Project> one, SelectProjects(conn, "WHERE p.code = $1", {code}));
  if (one.empty()) return std::optional<Project>();
  ZB_RETURN_IF_ERROR(AttachLists(conn, one));
  return std::optional<Project>(std::move(one.front()));
}

#undef ZB_PROJECT_SELECT
#undef ZB_PROJECT_COLUMNS

}  // namespace zb::storage
