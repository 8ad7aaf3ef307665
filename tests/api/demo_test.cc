// `zhuanban init --demo`: the district of seed 003 with one account per kind
// of user, each signing in with the one-time password init printed, forced
// to change it, and then seeing what their role's data scope allows; and
// its project library (projects through their stages, 包保, 专班), made
// once: a second init adds nothing.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>

#include "api/test_server.h"
#include "app/seed.h"
#include "domain/problem.h"
#include "domain/project.h"
#include "storage/team_repo.h"

namespace zb::testing {
namespace {

// login → one-time password, from init's "… password (shown once): …" lines.
std::map<std::string, std::string> PrintedPasswords(const std::string& report) {
  std::map<std::string, std::string> out;
  std::regex admin(R"(^admin password \(shown once\): (\S+)$)");
  std::regex user(R"(^demo user (\S+) \(.*\) password \(shown once\): (\S+)$)");
  std::smatch m;
  size_t start = 0;
  while (start < report.size()) {
    size_t end = report.find('\n', start);
    std::string line = report.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (std::regex_match(line, m, admin)) out["admin"] = m[1];
    if (std::regex_match(line, m, user)) out[m[1]] = m[2];
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::set<std::string> Names(const Json& list, const char* key) {
  std::set<std::string> out;
  for (const auto& item : list["items"]) out.insert(item[key].get<std::string>());
  return out;
}

// The demo dates everything relative to the day init runs.
const Date kToday = *Date::FromYmd(2026, 5, 20);

// The first column of the first row of `sql`, a number.
int64_t Scalar(TestServer& s, const std::string& sql) {
  auto conn = s.app().pool().Read();
  EXPECT_TRUE(conn.ok()) << conn.status().ToString();
  if (!conn.ok()) return -1;
  auto row = (*conn)->QueryOne(sql);
  EXPECT_TRUE(row.ok()) << sql << ": " << row.status().ToString();
  return row.ok() && *row ? (*row)->Int(size_t{0}) : -1;
}

TEST(Demo, EachDemoAccountSignsInOnceChangesItsPasswordAndSeesItsScope) {
  TestServer s;
  s.clock().SetToday(kToday, 9 * 3'600'000);
  auto report = app::InitDatabase(s.app().pool(), {.demo = true}, s.clock());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto passwords = PrintedPasswords(*report);
  for (const char* login : {"admin", "leader", "xmfw", "jjz", "zrzy", "baolian"}) {
    EXPECT_TRUE(passwords.contains(login)) << login << " not in:\n" << *report;
  }

  // 解甲庄街道 (镇街园区, 本单位及以下): forced change first, then its own subtree only.
  auto signed_in = s.SignIn("jjz", passwords["jjz"]);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  EXPECT_EQ(signed_in.json()["must_change_password"], true);
  EXPECT_EQ(s.Get("/api/v1/org-units").status, 403);
  auto changed = s.SendJson("POST", "/api/v1/auth/password",
                            {{"old_password", passwords["jjz"]}, {"new_password", "Town-Demo-Changed-2026"}});
  ASSERT_EQ(changed.status, 204) << changed.body;
  auto units = s.Get("/api/v1/org-units");
  ASSERT_EQ(units.status, 200) << units.body;
  EXPECT_EQ(Names(units.json(), "name"), (std::set<std::string>{"解甲庄街道", "北山社区", "枣山社区"}));
  auto users = s.Get("/api/v1/users");
  ASSERT_EQ(users.status, 200) << users.body;
  EXPECT_EQ(Names(users.json(), "login"), (std::set<std::string>{"jjz"}));
  // Its enterprises, and no others: every one it lists is in its subdistrict.
  auto firms = s.Get("/api/v1/enterprises?page_size=1000").json();
  EXPECT_GT(firms["total"].get<int64_t>(), 0);
  EXPECT_LT(firms["total"].get<int64_t>(), 200);
  for (const auto& e : firms["items"]) EXPECT_EQ(e["org_unit_name"], "解甲庄街道") << e["name"];
  // Its projects, and no others: the ones sited in 解甲庄 or its communities.
  const std::set<std::string> jjz_units = {"解甲庄街道", "北山社区", "枣山社区"};
  const int64_t all_projects = Scalar(s, "SELECT COUNT(*) FROM projects");
  const int64_t jjz_projects = Scalar(s,
                                      "SELECT COUNT(*) FROM projects p JOIN org_units o ON o.id = p.org_unit_id "
                                      "JOIN org_units j ON j.code = 'LS-JJZ' WHERE o.path LIKE j.path || '%'");
  EXPECT_GT(jjz_projects, 0);
  EXPECT_LT(jjz_projects, all_projects);
  auto projects = s.Get("/api/v1/projects?page_size=500&facets=false");
  ASSERT_EQ(projects.status, 200) << projects.body;
  EXPECT_EQ(projects.json()["total"], jjz_projects);
  for (const auto& p : projects.json()["items"]) {
    EXPECT_TRUE(jjz_units.contains(p["org_unit_name"].get<std::string>())) << p["name"] << " in " << p["org_unit_name"];
  }
  const int64_t elsewhere = Scalar(s,
                                   "SELECT MIN(p.id) FROM projects p JOIN org_units o ON o.id = p.org_unit_id "
                                   "WHERE o.code = 'LS-KFQ'");
  EXPECT_EQ(s.Get("/api/v1/projects/" + std::to_string(elsewhere)).status, 404);

  // 领导 (全部) reads the whole district but may change nothing in it.
  ASSERT_EQ(s.SignIn("leader", passwords["leader"]).status, 200);
  ASSERT_EQ(s.SendJson("POST", "/api/v1/auth/password",
                       {{"old_password", passwords["leader"]}, {"new_password", "Lead3r-Demo-Changed-2026"}})
                .status,
            204);
  EXPECT_EQ(s.Get("/api/v1/org-units").json()["total"], 24);  // the district and its 23 units
  EXPECT_EQ(s.Get("/api/v1/users").json()["total"], 18);      // 6 demo accounts, 12 staff on projects
  auto all_firms = s.Get("/api/v1/enterprises?page_size=1000").json();
  EXPECT_EQ(all_firms["total"], 200);
  std::set<std::string> names = Names(all_firms, "name"), codes = Names(all_firms, "credit_code");
  EXPECT_EQ(names.size(), 200u) << "registered names are unique";
  EXPECT_EQ(codes.size(), 200u);
  EXPECT_EQ(s.SendJson("POST", "/api/v1/org-units", {{"name", "新单位"}, {"code", "X"}, {"kind", "town"}}).status, 403);
}

TEST(Demo, ProjectLibraryCoversEveryStageWithItsHistoryAndInitTwiceAddsNothing) {
  TestServer s;
  s.clock().SetToday(kToday, 9 * 3'600'000);
  auto report = app::InitDatabase(s.app().pool(), {.demo = true}, s.clock());
  ASSERT_TRUE(report.ok()) << report.status().ToString();

  const std::string today = "'" + kToday.ToString() + "'";
  const std::string year = std::to_string(kToday.year()), year_start = "'" + year + "-01-01'";
  const int64_t total = Scalar(s, "SELECT COUNT(*) FROM projects");
  EXPECT_GE(total, 250);
  for (const auto& def : domain::ProjectStages()) {
    EXPECT_GT(Scalar(s, "SELECT COUNT(*) FROM projects WHERE stage = '" + std::string(def.code) + "'"), 0)
        << "no project is " << def.label;
  }
  EXPECT_GT(Scalar(s, "SELECT COUNT(*) FROM projects WHERE stage = 'under_construction'"),
            Scalar(s, "SELECT COUNT(*) FROM projects WHERE stage = 'negotiating'"))
      << "a ledger is mostly 在建";
  // 包保: a 包保领导 who is a 领导, a 责任部门 that is a 部门, and 1–2 包联人员 each.
  EXPECT_EQ(Scalar(s,
                   "SELECT COUNT(*) FROM projects p JOIN user_roles ur ON ur.user_id = p.leader_user_id "
                   "JOIN roles r ON r.id = ur.role_id AND r.code = 'leader'"),
            total);
  EXPECT_EQ(Scalar(s,
                   "SELECT COUNT(*) FROM projects p JOIN org_units o ON o.id = p.responsible_unit_id "
                   "WHERE o.kind = 'department'"),
            total);
  EXPECT_EQ(Scalar(s,
                   "SELECT COUNT(*) FROM projects p WHERE (SELECT COUNT(*) FROM project_liaisons l "
                   "WHERE l.project_id = p.id) NOT BETWEEN 1 AND 2"),
            0);
  // Codes generated per year, all distinct; every level and type in use;
  // 续建 only for projects that started before this year.
  EXPECT_EQ(Scalar(s, "SELECT COUNT(*) FROM projects WHERE code LIKE 'XM-20__-____'"), total);
  EXPECT_EQ(Scalar(s, "SELECT COUNT(DISTINCT code) FROM projects"), total);
  EXPECT_EQ(Scalar(s, "SELECT COUNT(DISTINCT level) FROM projects WHERE level <> 'national'"), 4);
  EXPECT_EQ(Scalar(s, "SELECT COUNT(DISTINCT project_type) FROM projects"), 4);
  EXPECT_EQ(Scalar(s,
                   "SELECT COUNT(*) FROM projects WHERE project_type = 'continuing' AND "
                   "(actual_started_on IS NULL OR actual_started_on >= " +
                       year_start + ")"),
            0);
  // The lifecycle as recorded: every project past 谋划 has its moves, each
  // dated no later than today; the stage's actual dates are set.
  EXPECT_EQ(Scalar(s,
                   "SELECT COUNT(*) FROM projects p WHERE p.stage <> 'planning' AND NOT EXISTS "
                   "(SELECT 1 FROM project_stage_events e WHERE e.project_id = p.id AND e.to_stage = p.stage)"),
            0);
  EXPECT_EQ(Scalar(s, "SELECT COUNT(*) FROM project_stage_events WHERE on_date > " + today), 0);
  EXPECT_EQ(Scalar(s,
                   "SELECT COUNT(*) FROM projects WHERE stage IN ('under_construction', 'completed', "
                   "'operating') AND actual_started_on IS NULL"),
            0);
  EXPECT_EQ(Scalar(s, "SELECT COUNT(*) FROM projects WHERE stage = 'suspended' AND suspended_from IS NULL"), 0);
  // This year's annual plans for the projects under way.
  EXPECT_EQ(Scalar(s,
                   "SELECT COUNT(*) FROM projects p WHERE p.stage = 'under_construction' AND NOT EXISTS "
                   "(SELECT 1 FROM project_annual_plans a WHERE a.project_id = p.id AND a.year = " +
                       year + ")"),
            0);
  EXPECT_GT(Scalar(s, "SELECT COUNT(*) FROM project_annual_plans WHERE year = " + std::to_string(kToday.year() - 1)),
            0);

  // 专班: each with exactly one 组长, serving 1–10 projects.
  storage::TeamPage teams;
  {
    auto conn = s.app().pool().Read();
    ASSERT_TRUE(conn.ok());
    auto page = storage::ListTeams(**conn, {.page_size = 100});
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    teams = *page;
  }
  EXPECT_GE(teams.total, 12);
  for (const auto& t : teams.items) {
    int leaders = 0;
    for (const auto& m : t.members) leaders += m.role == "leader";
    EXPECT_EQ(leaders, 1) << t.name;
    EXPECT_GE(t.members.size(), 3u) << t.name;
    EXPECT_GE(t.project_count, 1) << t.name;
    EXPECT_LE(t.project_count, 10) << t.name;
  }

  // Init again: nothing added.
  const int64_t users = Scalar(s, "SELECT COUNT(*) FROM users");
  const int64_t firms = Scalar(s, "SELECT COUNT(*) FROM enterprises");
  const int64_t events = Scalar(s, "SELECT COUNT(*) FROM project_stage_events");
  auto again = app::InitDatabase(s.app().pool(), {.demo = true}, s.clock());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_NE(again->find("nothing changed"), std::string::npos) << *again;
  EXPECT_EQ(Scalar(s, "SELECT COUNT(*) FROM projects"), total);
  EXPECT_EQ(Scalar(s, "SELECT COUNT(*) FROM teams"), teams.total);
  EXPECT_EQ(Scalar(s, "SELECT COUNT(*) FROM users"), users);
  EXPECT_EQ(Scalar(s, "SELECT COUNT(*) FROM enterprises"), firms);
  EXPECT_EQ(Scalar(s, "SELECT COUNT(*) FROM project_stage_events"), events);
}

// The demo ledger (问题台账): ~400 items across the year so far in every
// status, with the flags the list filters on, each with its timeline; a
// 'resolved this year' figure in the low hundreds. The demo has no
// enterprise account, so there is no enterprise view to check.
TEST(Demo, LedgerHasItemsInEveryStatusWithTheirTimelines) {
  TestServer s;
  s.clock().SetToday(kToday, 9 * 3'600'000);
  auto report = app::InitDatabase(s.app().pool(), {.demo = true}, s.clock());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  s.SignInAsAdmin();

  auto total = [&](const std::string& query) {
    auto r = s.Get("/api/v1/problems?page_size=1&" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    return r.status == 200 ? r.json()["total"].get<int64_t>() : -1;
  };
  EXPECT_EQ(total(""), 400);
  for (const auto& def : domain::ProblemStatuses()) {
    EXPECT_GT(total("status=" + std::string(def.code)), 0) << "no item is " << def.label;
  }
  for (const char* flag : {"overdue", "escalated", "supervised", "on_agenda", "on_spot"}) {
    EXPECT_GT(total(std::string(flag) + "=true"), 0) << "no item is " << flag;
  }
  EXPECT_GT(Scalar(s, "SELECT COUNT(*) FROM problems WHERE satisfaction = 'satisfied'"),
            Scalar(s, "SELECT COUNT(*) FROM problems WHERE satisfaction = 'unsatisfied'"))
      << "mostly 满意";
  EXPECT_GT(Scalar(s, "SELECT COUNT(*) FROM problems WHERE reopen_count > 0"), 0) << "a 不满意 reopens";
  EXPECT_GT(Scalar(s, "SELECT COUNT(*) FROM problem_events WHERE action = 'return'"), 0);
  EXPECT_GT(Scalar(s, "SELECT COUNT(*) FROM problem_extensions WHERE status = 'granted'"), 0);
  const int64_t resolved = Scalar(s, "SELECT COUNT(*) FROM problems WHERE resolved_on >= '" +
                                         std::to_string(kToday.year()) + "-01-01'");
  EXPECT_GE(resolved, 100);
  EXPECT_LT(resolved, 400);

  // Timelines that make sense: created first, the last entry's status is
  // the item's, nothing after today, deadlines after the day assigned.
  EXPECT_EQ(Scalar(s,
                   "SELECT COUNT(*) FROM problems p WHERE (SELECT e.action FROM problem_events e WHERE "
                   "e.problem_id = p.id ORDER BY e.at, e.id LIMIT 1) <> 'create'"),
            0);
  EXPECT_EQ(Scalar(s,
                   "SELECT COUNT(*) FROM problems p WHERE (SELECT e.to_status FROM problem_events e WHERE "
                   "e.problem_id = p.id ORDER BY e.at DESC, e.id DESC LIMIT 1) <> p.status"),
            0);
  EXPECT_EQ(Scalar(s, "SELECT COUNT(*) FROM problems WHERE raised_on > '" + kToday.ToString() +
                          "' OR resolved_on > '" + kToday.ToString() + "' OR deadline <= assigned_on"),
            0);
  // An item under 督办 shows its open 督办单.
  auto supervised = s.Get("/api/v1/problems?supervised=true&page_size=1");
  ASSERT_EQ(supervised.status, 200) << supervised.body;
  const int64_t id = supervised.json()["items"][0]["id"].get<int64_t>();
  auto detail = s.Get("/api/v1/problems/" + std::to_string(id));
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_EQ(detail.json()["supervised"], true);
  ASSERT_FALSE(detail.json()["supervisions"].empty()) << detail.body;
  auto timeline = s.Get("/api/v1/problems/" + std::to_string(id) + "/timeline");
  ASSERT_EQ(timeline.status, 200) << timeline.body;
  EXPECT_GE(timeline.json()["items"].size(), 4u) << timeline.body;
}

}  // namespace
}  // namespace zb::testing
