// /api/v1/projects and /api/v1/teams end to end on both engines: create and
// edit with versions and the change history, validation naming the field,
// the lifecycle through transitions, data scopes (镇街, 责任部门, 包联人员,
// enterprise accounts), the list's filters, facets and counts, and 专班.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "storage/enterprise_repo.h"

namespace zb::testing {
namespace {

const Date kToday = *Date::FromYmd(2026, 11, 24);

int64_t Id(const Json& j) { return j["id"].get<int64_t>(); }
std::string Url(int64_t id) { return "/api/v1/projects/" + std::to_string(id); }

std::set<std::string> Names(const Json& list) {
  std::set<std::string> out;
  if (!list.contains("items")) {
    ADD_FAILURE() << "not a list: " << list.dump();
    return out;
  }
  for (const auto& p : list["items"]) out.insert(p["name"].get<std::string>());
  return out;
}

storage::OrgUnit AddDepartment(TestServer& s, int64_t parent, const std::string& code, const std::string& name) {
  return MakeInDb(s, [&](db::Connection& c) {
    return storage::CreateOrgUnit(c, {.parent_id = parent, .name = name, .code = code, .kind = "department"},
                                  s.clock().NowMs());
  });
}

int64_t AddEnterprise(TestServer& s, int64_t unit, const std::string& name, const std::string& credit_code) {
  return MakeInDb(s, [&](db::Connection& c) -> StatusOr<int64_t> {
    ZB_ASSIGN_OR_RETURN(auto e, storage::CreateEnterprise(
                                    c, {.name = name, .credit_code = credit_code, .org_unit_id = unit},
                                    s.clock().NowMs()));
    return e.id;
  });
}

class Projects : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.clock().SetToday(kToday, 9 * 3'600'000);
    s_.SignInAsAdmin();
    root_ = RootUnitId(s_);
    dept_ = AddDepartment(s_, root_, "ZRZY", "自然资源局").id;
    firm_ = AddEnterprise(s_, root_, "华新新材料有限公司", kValidCreditCode);
    leader_ = AddUser(s_, "quzhang", root_, {BuiltinRoleId(s_, "leader")});
  }

  Json Create(Json body) {
    auto r = s_.SendJson("POST", "/api/v1/projects", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  Json Move(int64_t id, const std::string& to, const std::string& date) {
    auto r = s_.SendJson("POST", Url(id) + "/transitions", {{"to", to}, {"date", date}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  TestServer s_;
  int64_t root_ = 0, dept_ = 0, firm_ = 0, leader_ = 0;
};

TEST_F(Projects, CreateEditWithVersionsAndTheChangeHistory) {
  Json p = Create({{"name", "华新新材料年产5万吨高性能膜材料项目"},
                   {"org_unit_id", root_},
                   {"enterprise_id", firm_},
                   {"category", "manufacturing"},
                   {"level", "省重点"},
                   {"project_type", "新建"},
                   {"total_investment", 1'250'000'000},
                   {"planned_started_on", "2026-03-01"},
                   {"planned_completed_on", "2027-12-31"},
                   {"leader_user_id", leader_},
                   {"responsible_unit_id", dept_},
                   {"liaison_ids", {leader_}},
                   {"tags", {"省重大项目", "招商引资", "省重大项目"}},
                   {"plans", {{{"year", 2026}, {"planned_investment", 300'000'000}, {"goal_start", true}}}}});
  EXPECT_EQ(p["code"], "XM-2026-0001");
  EXPECT_EQ(p["stage"], "planning");
  EXPECT_EQ(p["level"], "provincial");
  EXPECT_EQ(p["project_type"], "new");
  EXPECT_EQ(p["category_label"], "制造业");
  EXPECT_EQ(p["enterprise_name"], "华新新材料有限公司");
  EXPECT_EQ(p["leader_name"], "用户quzhang");
  EXPECT_EQ(p["responsible_unit_name"], "自然资源局");
  EXPECT_EQ(p["liaisons"][0]["name"], "用户quzhang");
  EXPECT_EQ(p["tags"], Json({"招商引资", "省重大项目"}));
  EXPECT_EQ(p["plans"][0]["planned_investment"], 300'000'000);
  EXPECT_EQ(p["plans"][0]["goal_start"], true);
  EXPECT_EQ(p["allowed_transitions"][0], "negotiating");
  EXPECT_EQ(Create({{"name", "第二个项目"}, {"org_unit_id", root_}})["code"], "XM-2026-0002");

  const std::string url = Url(Id(p));
  auto edited = s_.SendJson("PATCH", url, {{"total_investment", 1'300'000'000},
                                           {"leader_user_id", nullptr},
                                           {"planned_started_on", nullptr},
                                           {"version", 1}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json()["total_investment"], 1'300'000'000);
  EXPECT_TRUE(edited.json()["leader_user_id"].is_null());
  EXPECT_TRUE(edited.json()["planned_started_on"].is_null());
  EXPECT_EQ(edited.json()["planned_completed_on"], "2027-12-31");  // untouched fields stay
  EXPECT_EQ(edited.json()["version"], 2);

  // Someone else saved first: 409 with the record as it is now.
  auto stale = s_.SendJson("PATCH", url, {{"name", "改名"}, {"version", 1}});
  ASSERT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(stale.json()["current"]["total_investment"], 1'300'000'000);
  EXPECT_EQ(stale.json()["current"]["version"], 2);
  auto if_match = s_.SendJson("PATCH", url, {{"name", "改名后的项目"}}, {{"If-Match", "\"2\""}});
  EXPECT_EQ(if_match.status, 200) << if_match.body;

  // Saving the form unchanged: the same record and version, no history entry.
  auto unchanged = s_.SendJson("PATCH", url, {{"name", "改名后的项目"}, {"total_investment", 1'300'000'000},
                                              {"version", 3}});
  ASSERT_EQ(unchanged.status, 200) << unchanged.body;
  EXPECT_EQ(unchanged.json()["version"], 3);
  EXPECT_EQ(unchanged.json()["name"], "改名后的项目");

  auto history = s_.Get(url + "/history");
  ASSERT_EQ(history.status, 200) << history.body;
  ASSERT_EQ(history.json()["total"], 3);
  Json newest = history.json()["items"][0];
  EXPECT_EQ(newest["action"], "update");
  EXPECT_EQ(newest["user_name"], "系统管理员");
  EXPECT_EQ(newest["changes"]["after"]["name"], "改名后的项目");
  Json first_edit = history.json()["items"][1];
  EXPECT_EQ(first_edit["changes"]["before"]["total_investment"], 1'250'000'000);
  EXPECT_EQ(first_edit["changes"]["after"]["total_investment"], 1'300'000'000);
  EXPECT_FALSE(first_edit["changes"]["after"].contains("planned_completed_on"));
}

TEST_F(Projects, BadInputIsRefusedNamingTheField) {
  auto field_of = [&](const Json& body) {
    auto r = s_.SendJson("POST", "/api/v1/projects", body);
    EXPECT_GE(r.status, 400) << body.dump();
    EXPECT_LT(r.status, 500) << r.body;
    return r.json()["error"]["field"].get<std::string>();
  };
  Json ok = {{"name", "某项目"}, {"org_unit_id", root_}};
  auto with = [&](const char* key, Json value) {
    Json b = ok;
    b[key] = std::move(value);
    return b;
  };
  EXPECT_EQ(field_of({{"org_unit_id", root_}}), "name");
  EXPECT_EQ(field_of({{"name", "某项目"}}), "org_unit_id");
  EXPECT_EQ(field_of(with("name", "   ")), "name");
  EXPECT_EQ(field_of(with("code", "XM 2026/1")), "code");
  EXPECT_EQ(field_of(with("board", "no-such-board")), "board");
  EXPECT_EQ(field_of(with("level", "特级")), "level");
  EXPECT_EQ(field_of(with("project_type", 3)), "project_type");
  EXPECT_EQ(field_of(with("total_investment", -1)), "total_investment");
  EXPECT_EQ(field_of(with("total_investment", "很多")), "total_investment");
  EXPECT_EQ(field_of(with("lng", 121.4)), "lat");
  EXPECT_EQ(field_of(with("planned_started_on", "2026-02-30")), "planned_started_on");
  Json order = ok;
  order["planned_started_on"] = "2026-05-01";
  order["planned_completed_on"] = "2026-04-01";
  EXPECT_EQ(field_of(order), "planned_completed_on");
  EXPECT_EQ(field_of(with("plans", {{{"year", 2026}}, {{"year", 2026}}})), "plans[1].year");
  EXPECT_EQ(field_of(with("plans", {{{"year", 2026}, {"planned_investment", "x"}}})), "plans[0].planned_investment");
  EXPECT_EQ(field_of(with("responsible_unit_id", root_)), "responsible_unit_id");  // not a department
  EXPECT_EQ(field_of(with("leader_user_id", 999999)), "leader_user_id");
  EXPECT_EQ(field_of(with("liaison_ids", {1, "x"})), "liaison_ids");
  EXPECT_EQ(field_of(with("team_ids", {999999})), "team_ids");
  EXPECT_EQ(field_of(with("enterprise_id", 999999)), "enterprise_id");
  EXPECT_EQ(field_of(with("stage", "under_construction")), "stage");
  EXPECT_EQ(field_of(with("actual_started_on", "2026-01-01")), "actual_started_on");
  EXPECT_EQ(field_of(with("colour", "red")), "colour");

  Json dup = with("code", "LS-2026-007");
  EXPECT_EQ(s_.SendJson("POST", "/api/v1/projects", dup).status, 201);
  auto again = s_.SendJson("POST", "/api/v1/projects", dup);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json()["error"]["field"], "code");

  auto malformed = s_.Send("POST", "/api/v1/projects", "{\"name\":", {{"Content-Type", "application/json"}});
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_EQ(s_.Get("/api/v1/projects/999999").status, 404);
  EXPECT_EQ(s_.Get("/api/v1/projects?stage=跑路").json()["error"]["field"], "stage");
  EXPECT_EQ(s_.Get("/api/v1/projects?sort=password").json()["error"]["field"], "sort");
  EXPECT_EQ(s_.Get("/api/v1/projects?planned_started_on_from=昨天").json()["error"]["field"],
            "planned_started_on_from");
}

TEST_F(Projects, TheLifecycleMovesThroughTransitionsOnly) {
  Json p = Create({{"name", "莱山区文双线道路改造工程"}, {"org_unit_id", root_}, {"project_type", "continuing"}});
  const int64_t id = Id(p);
  Json signed_ = Move(id, "签约", "2026-01-10");
  EXPECT_EQ(signed_["stage"], "signed");
  EXPECT_EQ(signed_["actual_signed_on"], "2026-01-10");
  EXPECT_EQ(signed_["stage_since"], "2026-01-10");
  Json building = Move(id, "under_construction", "2026-03-02");
  EXPECT_EQ(building["actual_started_on"], "2026-03-02");
  EXPECT_EQ(building["allowed_transitions"], Json({"completed", "operating", "suspended", "terminated"}));

  // Backwards is refused, naming what is allowed.
  auto back = s_.SendJson("POST", Url(id) + "/transitions", {{"to", "在谈"}});
  ASSERT_EQ(back.status, 409) << back.body;
  EXPECT_EQ(back.json()["error"]["field"], "to");
  EXPECT_NE(back.json()["error"]["message"].get<std::string>().find("竣工"), std::string::npos);
  // Dates: not before the current stage's, not in the future.
  auto early = s_.SendJson("POST", Url(id) + "/transitions", {{"to", "停缓建"}, {"date", "2026-03-01"}});
  EXPECT_EQ(early.json()["error"]["field"], "date");
  auto future = s_.SendJson("POST", Url(id) + "/transitions", {{"to", "停缓建"}, {"date", "2026-11-25"}});
  EXPECT_EQ(future.json()["error"]["field"], "date");
  EXPECT_EQ(s_.SendJson("POST", Url(id) + "/transitions", {{"to", "拆除"}}).json()["error"]["field"], "to");

  Json suspended = Move(id, "停缓建", "2026-07-01");
  EXPECT_EQ(suspended["suspended_from"], "under_construction");
  EXPECT_EQ(suspended["allowed_transitions"], Json({"under_construction", "terminated"}));
  auto resumed = s_.SendJson("POST", Url(id) + "/transitions", {{"to", "在建"}, {"note", "复工"}});  // today
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(resumed.json()["stage_since"], "2026-11-24");
  EXPECT_EQ(resumed.json()["actual_started_on"], "2026-03-02");  // resuming does not restart it

  auto stale = s_.SendJson("POST", Url(id) + "/transitions", {{"to", "竣工"}, {"version", 1}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()["error"]["code"], "version_conflict");

  auto events = s_.Get(Url(id) + "/stage-events");
  ASSERT_EQ(events.status, 200);
  Json items = events.json()["items"];
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0]["from_stage"], "planning");
  EXPECT_EQ(items[0]["to_stage"], "signed");
  EXPECT_EQ(items[3]["note"], "复工");
  EXPECT_EQ(items[3]["user_name"], "系统管理员");

  Json done = Move(id, "投产", "2026-11-24");
  EXPECT_EQ(done["actual_operating_on"], "2026-11-24");
  EXPECT_EQ(done["allowed_transitions"], Json::array());
  auto after_final = s_.SendJson("POST", Url(id) + "/transitions", {{"to", "终止"}});
  EXPECT_EQ(after_final.status, 409);
}

TEST_F(Projects, ScopesDecideWhoSeesAProject) {
  auto town_a = AddUnit(s_, root_, "JJZ");
  auto town_b = AddUnit(s_, root_, "HHL");
  Json in_a = Create({{"name", "解甲庄项目"}, {"org_unit_id", town_a.id}});
  Json in_b = Create({{"name", "黄海路项目"}, {"org_unit_id", town_b.id}, {"responsible_unit_id", dept_}});
  Json root_project = Create({{"name", "区直项目"}, {"org_unit_id", root_}});
  const int64_t town_user = AddUser(s_, "jjz", town_a.id, {BuiltinRoleId(s_, "town")});
  const int64_t dept_user = AddUser(s_, "zrzy", dept_, {BuiltinRoleId(s_, "department")});
  const int64_t liaison = AddUser(s_, "baolian", root_, {BuiltinRoleId(s_, "liaison")});
  ASSERT_EQ(s_.SendJson("PATCH", Url(Id(root_project)), {{"liaison_ids", {liaison}}, {"version", 1}}).status, 200);
  (void)town_user;
  (void)dept_user;

  ASSERT_EQ(s_.SignIn("jjz", kUserPassword).status, 200);
  EXPECT_EQ(Names(s_.Get("/api/v1/projects").json()), std::set<std::string>({"解甲庄项目"}));
  EXPECT_EQ(s_.Get(Url(Id(in_b))).status, 404);
  EXPECT_EQ(s_.SendJson("PATCH", Url(Id(in_b)), {{"name", "x"}, {"version", 1}}).status, 404);
  EXPECT_EQ(s_.SendJson("POST", Url(Id(in_b)) + "/transitions", {{"to", "在谈"}}).status, 404);
  EXPECT_EQ(s_.Get(Url(Id(in_b)) + "/history").status, 404);
  // Nor can they place a project in another town.
  auto elsewhere = s_.SendJson("POST", "/api/v1/projects", {{"name", "越界"}, {"org_unit_id", town_b.id}});
  EXPECT_EQ(elsewhere.status, 404);
  EXPECT_EQ(elsewhere.json()["error"]["field"], "org_unit_id");
  EXPECT_EQ(s_.Get("/api/v1/projects?org_unit_id=" + std::to_string(town_b.id)).status, 404);
  EXPECT_EQ(s_.Get(Url(Id(in_a))).status, 200);
  // Yet the district's departments and leaders are theirs to name as 包保.
  auto departments = s_.Get("/api/v1/pickers/departments");
  ASSERT_EQ(departments.status, 200) << departments.body;
  EXPECT_EQ(departments.json()["items"][0]["name"], "自然资源局");
  auto leaders = s_.Get("/api/v1/pickers/users?keyword=quzhang");
  ASSERT_EQ(leaders.status, 200) << leaders.body;
  ASSERT_EQ(leaders.json()["items"].size(), 1u);
  EXPECT_FALSE(leaders.json()["items"][0].contains("mobile"));
  auto placed = s_.SendJson("POST", "/api/v1/projects",
                            {{"name", "解甲庄新项目"},
                             {"org_unit_id", town_a.id},
                             {"leader_user_id", leaders.json()["items"][0]["id"]},
                             {"responsible_unit_id", departments.json()["items"][0]["id"]}});
  EXPECT_EQ(placed.status, 201) << placed.body;

  // 责任部门 (本部门): the projects it is responsible for, wherever they are.
  ASSERT_EQ(s_.SignIn("zrzy", kUserPassword).status, 200);
  EXPECT_EQ(Names(s_.Get("/api/v1/projects").json()), std::set<std::string>({"黄海路项目", "解甲庄新项目"}));
  EXPECT_EQ(s_.Get(Url(Id(in_a))).status, 404);

  // 包联人员 (仅本人): the projects they liaise.
  ASSERT_EQ(s_.SignIn("baolian", kUserPassword).status, 200);
  EXPECT_EQ(Names(s_.Get("/api/v1/projects").json()), std::set<std::string>({"区直项目"}));
  EXPECT_EQ(s_.Get(Url(Id(in_a))).status, 404);
}

TEST_F(Projects, EnterpriseAccountsSeeTheirOwnProjectsOnly) {
  const int64_t other = AddEnterprise(s_, root_, "别家公司", "9144030071526726XG");
  Create({{"name", "自家项目"}, {"org_unit_id", root_}, {"enterprise_id", firm_}});
  Json theirs = Create({{"name", "别家项目"}, {"org_unit_id", root_}, {"enterprise_id", other}});
  const int64_t user = AddUser(s_, "huaxin", root_, {BuiltinRoleId(s_, "enterprise")});
  MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
    ZB_RETURN_IF_ERROR(c.Exec("UPDATE users SET enterprise_id = $1 WHERE id = $2", {firm_, user}));
    return user;
  });
  ASSERT_EQ(s_.SignIn("admin", TestServer::kAdminPassword).status, 200);
  auto offered = s_.Get("/api/v1/pickers/users?keyword=huaxin");
  EXPECT_EQ(offered.json()["items"].size(), 0u) << "enterprise accounts are not officials to pick";
  ASSERT_EQ(s_.SignIn("huaxin", kUserPassword).status, 200);
  EXPECT_EQ(Names(s_.Get("/api/v1/projects").json()), std::set<std::string>({"自家项目"}));
  EXPECT_EQ(s_.Get("/api/v1/pickers/users").status, 403);
  EXPECT_EQ(s_.Get(Url(Id(theirs))).status, 404);
}

TEST_F(Projects, TheListFiltersSortsAndCountsWithFacets) {
  struct Seed {
    const char* name;
    const char* level;
    int64_t invest;
    const char* to;  // "" stays 谋划
  };
  for (const Seed& seed : {Seed{"甲项目", "provincial", 500'000'000, "在建"},
                           Seed{"乙项目", "municipal", 900'000'000, "在建"},
                           Seed{"丙项目", "municipal", 100'000'000, "签约"},
                           Seed{"丁项目", "general", 50'000'000, ""}}) {
    Json p = Create({{"name", seed.name}, {"org_unit_id", root_}, {"level", seed.level}, {"total_investment", seed.invest}});
    if (*seed.to) Move(Id(p), seed.to, "2026-04-01");
  }
  auto all = s_.Get("/api/v1/projects?sort=-total_investment");
  ASSERT_EQ(all.status, 200) << all.body;
  Json list = all.json();
  EXPECT_EQ(list["total"], 4);
  EXPECT_EQ(list["items"][0]["name"], "乙项目");
  EXPECT_EQ(list["items"][3]["name"], "丁项目");
  EXPECT_EQ(list["counts"]["total_investment"], 1'550'000'000);
  EXPECT_EQ(list["counts"]["started"], 2);  // actual 开工 in 2026
  EXPECT_EQ(list["counts"]["year"], 2026);

  auto building = s_.Get("/api/v1/projects?stage=在建&sort=total_investment");
  ASSERT_EQ(building.status, 200) << building.body;
  Json b = building.json();
  EXPECT_EQ(b["total"], 2);
  EXPECT_EQ(b["items"][0]["name"], "甲项目");
  // The stage facet ignores the stage filter, so 签约 and 谋划 stay clickable.
  std::map<std::string, int64_t> stages;
  for (const auto& f : b["facets"]["stage"]) stages[f["value"]] = f["count"];
  EXPECT_EQ(stages["under_construction"], 2);
  EXPECT_EQ(stages["signed"], 1);
  EXPECT_EQ(stages["planning"], 1);
  // The level facet counts within the stage filter.
  std::map<std::string, int64_t> levels;
  for (const auto& f : b["facets"]["level"]) levels[f["value"]] = f["count"];
  EXPECT_EQ(levels["provincial"], 1);
  EXPECT_EQ(levels["municipal"], 1);
  EXPECT_EQ(levels.count("general"), 0u);

  auto range = s_.Get("/api/v1/projects?min_investment=100000000&max_investment=500000000&level=市重点,省重点");
  EXPECT_EQ(Names(range.json()), std::set<std::string>({"甲项目", "丙项目"}));
  auto paged = s_.Get("/api/v1/projects?sort=name&page=2&page_size=3&facets=false");
  EXPECT_EQ(paged.json()["items"].size(), 1u);
  EXPECT_FALSE(paged.json().contains("facets"));
}

TEST_F(Projects, TeamsServeProjectsAndCannotBeDeletedWhileTheyDo) {
  const int64_t deputy = AddUser(s_, "fu", root_, {BuiltinRoleId(s_, "bureau")});
  auto post = [&](Json body) { return s_.SendJson("POST", "/api/v1/teams", body); };
  auto no_leader = post({{"name", "华新项目专班"}, {"members", {{{"user_id", deputy}, {"role", "deputy"}}}}});
  EXPECT_EQ(no_leader.status, 422);
  EXPECT_EQ(no_leader.json()["error"]["field"], "members");
  auto twice = post({{"name", "华新项目专班"},
                     {"members", {{{"user_id", leader_}, {"role", "组长"}}, {{"user_id", leader_}, {"role", "组员"}}}}});
  EXPECT_EQ(twice.json()["error"]["field"], "members[1].user_id");
  auto made = post({{"name", "华新项目专班"},
                    {"remark", "一企一专班"},
                    {"members", {{{"user_id", leader_}, {"role", "组长"}}, {{"user_id", deputy}, {"role", "deputy"}}}}});
  ASSERT_EQ(made.status, 201) << made.body;
  Json team = made.json();
  EXPECT_EQ(team["members"][0]["role"], "leader");
  EXPECT_EQ(team["members"][0]["name"], "用户quzhang");
  EXPECT_EQ(post({{"name", "华新项目专班"}, {"members", {{{"user_id", leader_}, {"role", "leader"}}}}}).status, 409);

  Json p = Create({{"name", "华新项目"}, {"org_unit_id", root_}, {"team_ids", {Id(team)}}});
  EXPECT_EQ(p["teams"][0]["name"], "华新项目专班");
  const std::string team_url = "/api/v1/teams/" + std::to_string(Id(team));
  auto detail = s_.Get(team_url);
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_EQ(detail.json()["project_count"], 1);
  EXPECT_EQ(detail.json()["projects"][0]["name"], "华新项目");
  EXPECT_EQ(s_.Get("/api/v1/projects?team_id=" + std::to_string(Id(team))).json()["total"], 1);

  auto busy = s_.Send("DELETE", team_url, "");
  EXPECT_EQ(busy.status, 409) << busy.body;
  auto renamed = s_.SendJson("PATCH", team_url, {{"name", "华新新材料项目专班"}, {"version", 1}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(s_.Get(Url(Id(p))).json()["teams"][0]["name"], "华新新材料项目专班");
  EXPECT_EQ(s_.SendJson("PATCH", team_url, {{"remark", "x"}, {"version", 1}}).status, 409);
  ASSERT_EQ(s_.SendJson("PATCH", Url(Id(p)), {{"team_ids", Json::array()}, {"version", 1}}).status, 200);
  EXPECT_EQ(s_.Send("DELETE", team_url, "").status, 204);
  EXPECT_EQ(s_.Get(team_url).status, 404);
}

// The list answers a page again from its cache; every change a page shows —
// a project, a leader's or team's name, a category label — gives the new page.
TEST_F(Projects, AListPageShowsTheNamesAsTheyAreNow) {
  auto team = s_.SendJson("POST", "/api/v1/teams", {{"name", "膜材料专班"}, {"members", {{{"user_id", leader_}, {"role", "组长"}}}}});
  ASSERT_EQ(team.status, 201) << team.body;
  Create({{"name", "膜材料项目"}, {"org_unit_id", root_}, {"category", "manufacturing"},
          {"leader_user_id", leader_}, {"team_ids", {Id(team.json())}}});
  auto first = [&] { return s_.Get("/api/v1/projects").json()["items"][0]; };
  Json item = first();
  EXPECT_EQ(item["leader_name"], "用户quzhang");
  EXPECT_EQ(item["teams"][0]["name"], "膜材料专班");
  EXPECT_EQ(item["category_label"], "制造业");
  EXPECT_EQ(first(), item);  // asked again: the same answer

  auto user = s_.Get("/api/v1/users/" + std::to_string(leader_)).json();
  ASSERT_EQ(s_.SendJson("PATCH", "/api/v1/users/" + std::to_string(leader_),
                        {{"display_name", "王区长"}, {"version", user["version"]}}).status, 200);
  EXPECT_EQ(first()["leader_name"], "王区长");

  ASSERT_EQ(s_.SendJson("PATCH", "/api/v1/teams/" + std::to_string(Id(team.json())),
                        {{"name", "新材料专班"}, {"version", 1}}).status, 200);
  EXPECT_EQ(first()["teams"][0]["name"], "新材料专班");

  Json category;
  auto dicts = s_.Get("/api/v1/dict-items?type=category");
  ASSERT_EQ(dicts.status, 200) << dicts.body;
  const Json all = dicts.json();
  for (const auto& d : all["items"]) {
    if (d["code"] == "manufacturing") category = d;
  }
  ASSERT_TRUE(category.is_object()) << dicts.body;
  ASSERT_EQ(s_.SendJson("PATCH", "/api/v1/dict-items/" + std::to_string(Id(category)),
                        {{"label", "先进制造业"}, {"version", category["version"]}}).status, 200);
  EXPECT_EQ(first()["category_label"], "先进制造业");

  ASSERT_EQ(s_.SendJson("PATCH", Url(Id(item)), {{"name", "膜材料二期"}, {"version", item["version"]}}).status, 200);
  EXPECT_EQ(first()["name"], "膜材料二期");
}

}  // namespace
}  // namespace zb::testing
