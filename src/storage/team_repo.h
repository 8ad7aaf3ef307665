// 专班 teams in the database (migration 0004: teams, team_members,
// project_teams): a named team of 组长 (leader), 副组长 (deputy) and 组员
// (member) users that serves one or more projects. Projects link to teams
// (ProjectData::team_ids, written by the project repository); this
// repository owns the teams and their members.
//
// Writes take the whole editable record (TeamData) and replace the member
// list; they write two tables and must run inside a Tx. Reads take
// pool.Read(). The SQL is the same on SQLite and PostgreSQL; times are epoch
// ms. The team's rules (exactly one 组长, roles valid, no user twice) are
// the API's to check; the database still refuses a user listed twice and an
// unknown role.
//
// Errors: NotFound("专班不存在", "id"); NotFound (field "members") for a
// member who is not a user; AlreadyExists (field "name") for a name another
// team has, (field "members") for a user listed twice; VersionConflict when
// the expected version is stale; Conflict (field "id", 409) when deleting a
// team that still serves projects.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"
#include "storage/scope_sql.h"

namespace zb::storage {

struct TeamMember {
  int64_t user_id = 0;
  std::string role;           // leader 组长 | deputy 副组长 | member 组员
  std::string name;           // the user's display name (read; ignored on write)
  std::string org_unit_name;  // the user's unit (read; ignored on write)
  bool operator==(const TeamMember&) const = default;
};

// A project the team serves, with the paths the API checks the caller's
// scope against (the project's unit, its 责任部门; '' when none).
struct TeamProject {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::string org_path;
  std::string responsible_unit_path;
};

struct Team {
  int64_t id = 0;
  std::string name;
  std::string remark;
  std::vector<TeamMember> members;  // 组长, then 副组长, then 组员; each in their listed order
  int64_t project_count = 0;        // projects linked through project_teams (all, whatever the scope)
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Everything a user edits on a team.
struct TeamData {
  std::string name;
  std::string remark;
  std::vector<TeamMember> members;  // only user_id and role are written; the order is kept
};

// Inserts the team at version 1 with its members.
StatusOr<Team> CreateTeam(db::Connection& conn, const TeamData& data, int64_t now_ms);

StatusOr<Team> GetTeam(db::Connection& conn, int64_t id);

// Writes name, remark and the whole member list if the team is still at
// `expected_version`; bumps the version.
StatusOr<Team> UpdateTeam(db::Connection& conn, int64_t id, int64_t expected_version, const TeamData& data,
                          int64_t now_ms);

// Deletes the team and its members; refused (Conflict, field "id") while a
// project still links it.
Status DeleteTeam(db::Connection& conn, int64_t id);

struct TeamFilter {
  std::string keyword;  // substring of the name; '' = any
  int64_t page = 1;     // 1-based
  int64_t page_size = kDefaultPageSize;
};

struct TeamPage {
  std::vector<Team> items;  // by name, members included
  int64_t total = 0;        // teams matching the filter, all pages
};

// One page of teams (a fixed number of queries whatever the page size).
StatusOr<TeamPage> ListTeams(db::Connection& conn, const TeamFilter& filter);

// The projects the team serves, by code (all of them: the API drops the
// ones outside the caller's scope).
StatusOr<std::vector<TeamProject>> ListTeamProjects(db::Connection& conn, int64_t team_id);

}  // namespace zb::storage
