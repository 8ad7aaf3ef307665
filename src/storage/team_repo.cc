#include "storage/team_repo.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace zb::storage {

namespace {

#define ZB_TEAM_SELECT                                                     \
  "SELECT t.id, t.name, t.remark, t.version, t.created_at, t.updated_at, " \
  "(SELECT COUNT(*) FROM project_teams pt WHERE pt.team_id = t.id) AS project_count FROM teams t"

constexpr char kNotFound[] = "专班不存在";

Team FromRow(const db::Row& r) {
  Team t;
  t.id = r.Int("id");
  t.name = r.Text("name");
  t.remark = r.Text("remark");
  t.project_count = r.Int("project_count");
  t.version = r.Int("version");
  t.created_at = r.Int("created_at");
  t.updated_at = r.Int("updated_at");
  return t;
}

// The members of every team in `list`, in one query: 组长 first, then
// 副组长, then 组员, each group in the order it was written.
Status AttachMembers(db::Connection& conn, std::vector<Team>& list) {
  if (list.empty()) return Status();
  std::map<int64_t, Team*> by_id;
  std::vector<int64_t> ids;
  for (Team& t : list) {
    by_id[t.id] = &t;
    ids.push_back(t.id);
  }
  db::Params params;
  const std::string in = InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("SELECT m.team_id, m.user_id, m.role, u.display_name, o.name AS org_unit_name "
                                 "FROM team_members m JOIN users u ON u.id = m.user_id "
                                 "JOIN org_units o ON o.id = u.org_unit_id WHERE m.team_id IN (" +
                                     in +
                                     ") "
                                     "ORDER BY m.team_id, CASE m.role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 "
                                     "ELSE 2 END, m.position",
                                 params));
  for (const db::Row& row : r.rows) {
    by_id[row.Int("team_id")]->members.push_back(
        {row.Int("user_id"), row.Text("role"), row.Text("display_name"), row.Text("org_unit_name")});
  }
  return Status();
}

// Replaces the team's members. A user listed twice hits the primary key.
Status WriteMembers(db::Connection& conn, int64_t id, const std::vector<TeamMember>& members) {
  std::vector<int64_t> users;
  for (const auto& m : members) users.push_back(m.user_id);
  std::sort(users.begin(), users.end());  // CheckIdsExist counts distinct ids; a repeat is the key's to refuse
  users.erase(std::unique(users.begin(), users.end()), users.end());
  ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "users", users, "members", "用户"));
  ZB_RETURN_IF_ERROR(conn.Exec("DELETE FROM team_members WHERE team_id = $1", {id}));
  int64_t position = 0;
  for (const auto& m : members) {
    Status s = conn.Exec("INSERT INTO team_members (team_id, user_id, role, position) VALUES ($1, $2, $3, $4)",
                         {id, m.user_id, m.role, ++position});
    if (s.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists("同一用户在专班中只能出现一次 (user " + std::to_string(m.user_id) + " listed twice)",
                           "members");
    }
    ZB_RETURN_IF_ERROR(s);
  }
  return Status();
}

Status NameTaken(const Status& s, const std::string& name) {
  if (s.code() != StatusCode::kAlreadyExists) return s;
  return AlreadyExists("专班名称「" + name + "」已存在 (team name already in use)", "name");
}

Status StaleOrMissing(db::Connection& conn, int64_t id, int64_t expected_version) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT version FROM teams WHERE id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  return VersionConflict("专班已被他人修改,请刷新后重试 (version " + std::to_string(expected_version) +
                         " expected, now " + std::to_string(row->Int("version")) + ")");
}

}  // namespace

StatusOr<Team> CreateTeam(db::Connection& conn, const TeamData& data, int64_t now_ms) {
  auto row = conn.QueryOne(
      "INSERT INTO teams (name, remark, version, created_at, updated_at) "
      "VALUES ($1, $2, 1, $3, $3) RETURNING id",
      {data.name, data.remark, now_ms});
  if (!row.ok()) return NameTaken(row.status(), data.name);
  if (!*row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  const int64_t id = (*row)->Int("id");
  ZB_RETURN_IF_ERROR(WriteMembers(conn, id, data.members));
  return GetTeam(conn, id);
}

StatusOr<Team> GetTeam(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_TEAM_SELECT " WHERE t.id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  std::vector<Team> one{FromRow(*row)};
  ZB_RETURN_IF_ERROR(AttachMembers(conn, one));
  return std::move(one.front());
}

StatusOr<Team> UpdateTeam(db::Connection& conn, int64_t id, int64_t expected_version, const TeamData& data,
                          int64_t now_ms) {
  auto row = conn.QueryOne(
      "UPDATE teams SET name = $3, remark = $4, version = version + 1, updated_at = $5 "
      "WHERE id = $1 AND version = $2 RETURNING id",
      {id, expected_version, data.name, data.remark, now_ms});
  if (!row.ok()) return NameTaken(row.status(), data.name);
  if (!*row) return StaleOrMissing(conn, id, expected_version);
  ZB_RETURN_IF_ERROR(WriteMembers(conn, id, data.members));
  return GetTeam(conn, id);
}

Status DeleteTeam(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_TEAM_SELECT " WHERE t.id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  if (const int64_t n = row->Int("project_count"); n > 0) {
    return Conflict("专班仍服务 " + std::to_string(n) + " 个项目,请先解除关联 (team still serves " + std::to_string(n) +
                        " projects)",
                    "id");
  }
  // team_members go with the team (ON DELETE CASCADE).
  return conn.Exec("DELETE FROM teams WHERE id = $1", {id});
}

StatusOr<TeamPage> ListTeams(db::Connection& conn, const TeamFilter& filter) {
  db::Params params;
  std::string where = " WHERE 1=1";
  if (!filter.keyword.empty()) {
    AndWhere(where, params, "t.name LIKE '%' || ? || '%' ESCAPE '\\'", EscapeLike(filter.keyword));
  }
  TeamPage page;
  ZB_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*) AS n FROM teams t" + where, params));
  page.total = count ? count->Int("n") : 0;
  const std::string limit = LimitOffset(filter.page, filter.page_size, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(ZB_TEAM_SELECT + where + " ORDER BY t.name, t.id" + limit, params));
  page.items.reserve(r.rows.size());
  for (const db::Row& row : r.rows) page.items.push_back(FromRow(row));
  ZB_RETURN_IF_ERROR(AttachMembers(conn, page.items));
  return page;
}

StatusOr<std::vector<TeamProject>> ListTeamProjects(db::Connection& conn, int64_t team_id) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("SELECT p.id, p.code, p.name, o.path AS org_path, "
                                 "COALESCE(ru.path, '') AS responsible_unit_path FROM project_teams pt "
                                 "JOIN projects p ON p.id = pt.project_id JOIN org_units o ON o.id = p.org_unit_id "
                                 "LEFT JOIN org_units ru ON ru.id = p.responsible_unit_id "
                                 "WHERE pt.team_id = $1 ORDER BY p.code",
                                 {team_id}));
  std::vector<TeamProject> out;
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) {
    out.push_back(
        {row.Int("id"), row.Text("code"), row.Text("name"), row.Text("org_path"), row.Text("responsible_unit_path")});
  }
  return out;
}

#undef ZB_TEAM_SELECT

}  // namespace zb::storage
