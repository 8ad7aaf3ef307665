// /api/v1/org-units: the first real table, end to end on both engines.
#include <gtest/gtest.h>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "storage/user_repo.h"

namespace zb::testing {
namespace {

Json Create(TestServer& s, const Json& body, int expect = 201) {
  auto r = s.SendJson("POST", "/api/v1/org-units", body);
  EXPECT_EQ(r.status, expect) << r.body;
  return r.json();
}

TEST(OrgUnits, CreateReadAndListASubtree) {
  TestServer s;
  s.SignInAsAdmin();  // init makes the root unit 本级单位
  auto r = s.SendJson("POST", "/api/v1/org-units", {{"name", "莱山区"}, {"code", "LS"}, {"kind", "区县"}});
  ASSERT_EQ(r.status, 201) << r.body;
  Json district = r.json();
  EXPECT_EQ(r.header("location"), "/api/v1/org-units/" + std::to_string(district["id"].get<int64_t>()));
  EXPECT_EQ(district["kind"], "county");
  EXPECT_EQ(district["kind_label"], "区县");
  EXPECT_EQ(district["version"], 1);
  EXPECT_TRUE(district["parent_id"].is_null());
  EXPECT_EQ(district["active"], true);
  int64_t root = district["id"];

  Json town = Create(s, {{"name", "解甲庄街道"}, {"code", "LS-JJZ"}, {"kind", "town"}, {"parent_id", root}});
  Json dept = Create(s, {{"name", "自然资源局"}, {"code", "LS-ZRZY"}, {"kind", "department"}, {"parent_id", root},
                         {"sort_order", 5}});
  Json village = Create(s, {{"name", "北山村"}, {"code", "LS-JJZ-BS"}, {"kind", "village"}, {"parent_id", town["id"]}});
  Json other = Create(s, {{"name", "芝罘区"}, {"code", "ZF"}, {"kind", "county"}});

  auto got = s.Get("/api/v1/org-units/" + std::to_string(village["id"].get<int64_t>()));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json()["name"], "北山村");
  EXPECT_EQ(got.json()["parent_id"], town["id"]);

  auto all = s.Get("/api/v1/org-units").json();
  EXPECT_EQ(all["total"], 6);
  auto sub = s.Get("/api/v1/org-units?root=" + std::to_string(root)).json();
  ASSERT_EQ(sub["total"], 4) << sub.dump();
  std::set<std::string> names;
  for (const auto& u : sub["items"]) names.insert(u["name"]);
  EXPECT_EQ(names, (std::set<std::string>{"莱山区", "解甲庄街道", "自然资源局", "北山村"}));
  auto town_sub = s.Get("/api/v1/org-units?root=" + std::to_string(town["id"].get<int64_t>())).json();
  EXPECT_EQ(town_sub["total"], 2);
  EXPECT_EQ(s.Get("/api/v1/org-units?root=999999").status, 404);
  EXPECT_EQ(s.Get("/api/v1/org-units?root=abc").status, 422);
  (void)dept;
  (void)other;
}

TEST(OrgUnits, PatchWithVersionAndStaleVersionConflict) {
  TestServer s;
  s.SignInAsAdmin();  // init makes the root unit 本级单位
  Json u = Create(s, {{"name", "初村镇"}, {"code", "CC"}, {"kind", "town"}});
  std::string url = "/api/v1/org-units/" + std::to_string(u["id"].get<int64_t>());

  auto ok = s.SendJson("PATCH", url, {{"version", 1}, {"short_name", "初村"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["short_name"], "初村");
  EXPECT_EQ(ok.json()["version"], 2);
  EXPECT_EQ(ok.json()["name"], "初村镇");  // untouched fields stay

  // Someone else saved in between: the stale write is refused and the client
  // gets the current record to show the user what changed.
  auto stale = s.SendJson("PATCH", url, {{"version", 1}, {"name", "覆盖"}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(stale.json()["error"]["code"], "version_conflict");
  EXPECT_EQ(stale.json()["current"]["short_name"], "初村");
  EXPECT_EQ(stale.json()["current"]["version"], 2);
  EXPECT_EQ(s.Get(url).json()["name"], "初村镇");

  // If-Match works the same way.
  auto via_header = s.SendJson("PATCH", url, {{"name", "初村镇人民政府"}}, {{"If-Match", "\"2\""}});
  EXPECT_EQ(via_header.status, 200) << via_header.body;
  auto missing = s.SendJson("PATCH", url, {{"name", "x"}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.json()["error"]["field"], "version");
}

TEST(OrgUnits, DuplicateCodeIs409AlreadyExists) {
  TestServer s;
  s.SignInAsAdmin();  // init makes the root unit 本级单位
  Create(s, {{"name", "A"}, {"code", "DUP"}, {"kind", "city"}});
  auto dup = s.SendJson("POST", "/api/v1/org-units", {{"name", "B"}, {"code", "DUP"}, {"kind", "city"}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.json()["error"]["code"], "already_exists");
  EXPECT_EQ(dup.json()["error"]["field"], "code");
  EXPECT_EQ(s.Get("/api/v1/org-units").json()["total"], 2);
}

TEST(OrgUnits, ValidationNamesTheField) {
  TestServer s;
  s.SignInAsAdmin();  // init makes the root unit 本级单位
  struct Case {
    Json body;
    int status;
    std::string field;
  };
  std::vector<Case> cases = {
      {{{"code", "A"}, {"kind", "city"}}, 422, "name"},
      {{{"name", "甲"}, {"kind", "city"}}, 422, "code"},
      {{{"name", "甲"}, {"code", "A"}, {"kind", "省"}}, 422, "kind"},
      {{{"name", "甲"}, {"code", "A"}, {"kind", "city"}, {"sort_order", "1"}}, 422, "sort_order"},
      {{{"name", "甲"}, {"code", "A"}, {"kind", "city"}, {"sort_order", 1.5}}, 422, "sort_order"},
      {{{"name", "甲"}, {"code", "A"}, {"kind", "city"}, {"parent_id", 987654}}, 404, "parent_id"},
      {{{"name", "甲"}, {"code", "A"}, {"kind", "city"}, {"parent_id", -1}}, 422, "parent_id"},
      {{{"name", "甲"}, {"code", "A"}, {"kind", "city"}, {"colour", "red"}}, 422, "colour"},
      {{{"name", "  "}, {"code", "A"}, {"kind", "city"}}, 422, "name"},
      {{{"name", "甲\u0007"}, {"code", "A"}, {"kind", "city"}}, 422, "name"},
      {{{"name", "甲"}, {"code", "A"}, {"kind", "city"}, {"sort_order", 18446744073709551615ull}}, 422, "sort_order"},
  };
  for (const auto& c : cases) {
    auto r = s.SendJson("POST", "/api/v1/org-units", c.body);
    EXPECT_EQ(r.status, c.status) << c.body.dump() << " → " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], c.field) << c.body.dump();
  }
  EXPECT_EQ(s.Get("/api/v1/org-units").json()["total"], 1) << "nothing half-written (only init's root)";
}

TEST(OrgUnits, HostileStringsAreStoredVerbatimAndReturnedSafely) {
  TestServer s;
  s.SignInAsAdmin();  // init makes the root unit 本级单位
  std::string sql = "'); DROP TABLE org_units; --";
  std::string html = "<script>alert('专班')</script>";
  Json a = Create(s, {{"name", sql}, {"code", "H1"}, {"kind", "city"}});
  Json b = Create(s, {{"name", html}, {"code", "H2"}, {"kind", "city"}, {"short_name", "𠀀𝄞 emoji 🏗️"}});
  auto got = s.Get("/api/v1/org-units/" + std::to_string(b["id"].get<int64_t>()));
  EXPECT_EQ(got.json()["name"], html);
  EXPECT_EQ(got.json()["short_name"], "𠀀𝄞 emoji 🏗️");
  EXPECT_EQ(got.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(s.Get("/api/v1/org-units").json()["total"], 3);
  EXPECT_EQ(s.Get("/api/v1/org-units/" + std::to_string(a["id"].get<int64_t>())).json()["name"], sql);
}

TEST(OrgUnits, UnknownIdsAre404) {
  TestServer s;
  s.SignInAsAdmin();  // init makes the root unit 本级单位
  for (const char* id : {"999999", "0", "-3", "abc", "1e3", "99999999999999999999999"}) {
    auto r = s.Get(std::string("/api/v1/org-units/") + id);
    EXPECT_EQ(r.status, 404) << id;
    EXPECT_EQ(r.json()["error"]["code"], "not_found");
  }
  auto patch = s.SendJson("PATCH", "/api/v1/org-units/424242", {{"version", 1}, {"name", "x"}});
  EXPECT_EQ(patch.status, 404);
}

TEST(OrgUnits, DictionaryListsKindsWithLabels) {
  TestServer s;
  s.SignInAsAdmin();  // init makes the root unit 本级单位
  auto d = s.Get("/api/v1/dictionaries").json();
  ASSERT_TRUE(d["org_unit_kind"].is_array());
  bool found = false;
  for (const auto& k : d["org_unit_kind"]) found |= k["code"] == "town" && k["label"] == "镇街";
  EXPECT_TRUE(found);
}

std::string UnitUrl(int64_t id, const std::string& action = "") {
  return "/api/v1/org-units/" + std::to_string(id) + (action.empty() ? "" : "/" + action);
}

std::set<int64_t> Ids(const Json& list) {
  std::set<int64_t> ids;
  for (const auto& u : list["items"]) ids.insert(u["id"].get<int64_t>());
  return ids;
}

TEST(OrgUnits, MoveTakesTheSubtreeAlongAndRefusesItsOwnDescendants) {
  TestServer s;
  s.SignInAsAdmin();
  Json ls = Create(s, {{"name", "莱山区"}, {"code", "LS"}, {"kind", "county"}});
  Json zone = Create(s, {{"name", "高新区"}, {"code", "GX"}, {"kind", "zone"}});
  Json town = Create(s, {{"name", "马山街道"}, {"code", "MS"}, {"kind", "town"}, {"parent_id", ls["id"]}});
  Json village = Create(s, {{"name", "东村"}, {"code", "MS-D"}, {"kind", "village"}, {"parent_id", town["id"]}});

  auto into_own_child = s.SendJson("POST", UnitUrl(ls["id"], "move"), {{"parent_id", village["id"]}, {"version", 1}});
  EXPECT_EQ(into_own_child.status, 422) << into_own_child.body;
  EXPECT_EQ(into_own_child.json()["error"]["field"], "parent_id");
  EXPECT_EQ(s.SendJson("POST", UnitUrl(ls["id"], "move"), {{"parent_id", ls["id"]}, {"version", 1}}).status, 422);
  EXPECT_EQ(s.SendJson("POST", UnitUrl(town["id"], "move"), {{"parent_id", 999999}, {"version", 1}}).status, 404);
  EXPECT_EQ(s.SendJson("POST", UnitUrl(town["id"], "move"), {{"parent_id", zone["id"]}, {"version", 9}}).status, 409);
  EXPECT_EQ(s.SendJson("POST", UnitUrl(town["id"], "move"), {{"version", 1}}).status, 422);
  EXPECT_EQ(s.SendJson("POST", UnitUrl(town["id"], "move"), {{"parent_id", "GX"}, {"version", 1}}).status, 422);

  auto moved = s.SendJson("POST", UnitUrl(town["id"], "move"), {{"parent_id", zone["id"]}, {"version", 1}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.json()["parent_id"], zone["id"]);
  EXPECT_EQ(moved.json()["version"], 2);
  // The village came along: it is now below the zone and no longer below the district.
  EXPECT_EQ(Ids(s.Get("/api/v1/org-units?root=" + std::to_string(zone["id"].get<int64_t>())).json()),
            (std::set<int64_t>{zone["id"], town["id"], village["id"]}));
  EXPECT_EQ(Ids(s.Get("/api/v1/org-units?root=" + std::to_string(ls["id"].get<int64_t>())).json()),
            (std::set<int64_t>{ls["id"]}));
  auto audit = s.Get("/api/v1/audit-log?entity_type=org_unit&action=move");
  ASSERT_EQ(audit.status, 200) << audit.body;
  ASSERT_EQ(audit.json()["total"], 1) << audit.body;
  EXPECT_EQ(audit.json()["items"][0]["changes"]["after"]["parent_id"], zone["id"]);
  EXPECT_EQ(audit.json()["items"][0]["changes"]["before"]["parent_id"], ls["id"]);
}

TEST(OrgUnits, DeactivateIsRefusedWhileTheUnitOwnsActiveUnitsOrUsers) {
  TestServer s;
  s.SignInAsAdmin();
  Json town = Create(s, {{"name", "马山街道"}, {"code", "MS"}, {"kind", "town"}});
  Json village = Create(s, {{"name", "东村"}, {"code", "MS-D"}, {"kind", "village"}, {"parent_id", town["id"]}});
  int64_t clerk = AddUser(s, "clerk", village["id"], {BuiltinRoleId(s, "readonly")});

  auto busy = s.SendJson("POST", UnitUrl(town["id"], "deactivate"), {{"version", 1}});
  EXPECT_EQ(busy.status, 409) << busy.body;
  EXPECT_NE(busy.json()["error"]["message"].get<std::string>().find("1 个启用的下级单位"), std::string::npos);
  auto has_user = s.SendJson("POST", UnitUrl(village["id"], "deactivate"), {{"version", 1}});
  EXPECT_EQ(has_user.status, 409) << has_user.body;
  EXPECT_NE(has_user.json()["error"]["message"].get<std::string>().find("1 个启用的用户"), std::string::npos);

  // Once the user is moved away, the village can go, then the town.
  {
    Status st = db::InTx(s.app().pool(), [&](db::Connection& c) -> Status {
      storage::UserChanges ch;
      ch.active = false;
      return storage::UpdateUser(c, clerk, 1, ch, s.clock().NowMs()).status();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  auto off = s.SendJson("POST", UnitUrl(village["id"], "deactivate"), {{"version", 1}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.json()["active"], false);
  ASSERT_EQ(s.SendJson("POST", UnitUrl(town["id"], "deactivate"), {{"version", 1}}).status, 200);
  EXPECT_FALSE(Ids(s.Get("/api/v1/org-units").json()).contains(town["id"]));
  EXPECT_TRUE(Ids(s.Get("/api/v1/org-units?include_inactive=true").json()).contains(town["id"]));

  // Reactivation goes top-down: not under an inactive parent.
  auto orphan = s.SendJson("POST", UnitUrl(village["id"], "activate"), {{"version", 2}});
  EXPECT_EQ(orphan.status, 409) << orphan.body;
  ASSERT_EQ(s.SendJson("POST", UnitUrl(town["id"], "activate"), {{"version", 2}}).status, 200);
  auto back = s.SendJson("POST", UnitUrl(village["id"], "activate"), {{"version", 2}});
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json()["active"], true);
  EXPECT_EQ(s.SendJson("POST", UnitUrl(village["id"], "activate"), {{"version", 1}}).status, 409);
}

TEST(OrgUnits, AUserSeesTheirScopeAndNothingElseAs404) {
  TestServer s;
  s.SignInAsAdmin();
  int64_t root = RootUnitId(s);
  int64_t ms = AddUnit(s, root, "MS").id;
  int64_t ms_village = AddUnit(s, ms, "MS-D").id;
  int64_t jjz = AddUnit(s, root, "JJZ").id;
  int64_t jjz_village = AddUnit(s, jjz, "JJZ-B").id;
  AddUser(s, "ms.town", ms, {BuiltinRoleId(s, "town")});          // 本单位及以下
  AddUser(s, "ms.dept", ms, {BuiltinRoleId(s, "department")});    // 本单位
  AddUser(s, "ms.liaison", ms_village, {BuiltinRoleId(s, "liaison")});  // 仅本人: still sees their own unit

  ASSERT_EQ(s.SignIn("ms.town", kUserPassword).status, 200);
  EXPECT_EQ(Ids(s.Get("/api/v1/org-units").json()), (std::set<int64_t>{ms, ms_village}));
  EXPECT_EQ(s.Get(UnitUrl(ms_village)).status, 200);
  for (int64_t hidden : {root, jjz, jjz_village}) {
    auto r = s.Get(UnitUrl(hidden));
    EXPECT_EQ(r.status, 404) << hidden;
    EXPECT_EQ(r.json()["error"]["code"], "not_found");
  }
  EXPECT_EQ(s.Get("/api/v1/org-units?root=" + std::to_string(jjz)).status, 404);

  ASSERT_EQ(s.SignIn("ms.dept", kUserPassword).status, 200);
  EXPECT_EQ(Ids(s.Get("/api/v1/org-units").json()), (std::set<int64_t>{ms}));
  EXPECT_EQ(s.Get(UnitUrl(ms_village)).status, 404);

  ASSERT_EQ(s.SignIn("ms.liaison", kUserPassword).status, 200);
  EXPECT_EQ(Ids(s.Get("/api/v1/org-units").json()), (std::set<int64_t>{ms_village}));
}

TEST(OrgUnits, WritesOutsideTheScopeAre404AndMoveCannotLeaveIt) {
  TestServer s;
  s.SignInAsAdmin();
  int64_t root = RootUnitId(s);
  int64_t ms = AddUnit(s, root, "MS").id;
  int64_t ms_a = AddUnit(s, ms, "MS-A").id;
  int64_t ms_b = AddUnit(s, ms, "MS-B").id;
  int64_t jjz = AddUnit(s, root, "JJZ").id;
  // A custom role: org:read + org:write over 本单位及以下.
  int64_t town_admin = AddRole(s, "town_admin", {"org:read", "org:write"}, "unit_and_below");
  AddUser(s, "ms.admin", ms, {town_admin});
  ASSERT_EQ(s.SignIn("ms.admin", kUserPassword).status, 200);

  EXPECT_EQ(s.SendJson("PATCH", UnitUrl(jjz), {{"name", "改名"}, {"version", 1}}).status, 404);
  EXPECT_EQ(s.SendJson("POST", UnitUrl(jjz, "deactivate"), {{"version", 1}}).status, 404);
  auto outside = s.SendJson("POST", "/api/v1/org-units",
                            {{"name", "新村"}, {"code", "X"}, {"kind", "village"}, {"parent_id", jjz}});
  EXPECT_EQ(outside.status, 404) << outside.body;
  EXPECT_EQ(outside.json()["error"]["field"], "parent_id");
  auto no_parent = s.SendJson("POST", "/api/v1/org-units", {{"name", "新区"}, {"code", "X"}, {"kind", "county"}});
  EXPECT_EQ(no_parent.status, 422) << no_parent.body;
  auto away = s.SendJson("POST", UnitUrl(ms_a, "move"), {{"parent_id", jjz}, {"version", 1}});
  EXPECT_EQ(away.status, 404) << away.body;
  EXPECT_EQ(away.json()["error"]["field"], "parent_id");

  EXPECT_EQ(s.SendJson("POST", UnitUrl(ms_a, "move"), {{"parent_id", ms_b}, {"version", 1}}).status, 200);
  EXPECT_EQ(s.SendJson("POST", "/api/v1/org-units",
                       {{"name", "新村"}, {"code", "MS-C"}, {"kind", "village"}, {"parent_id", ms}})
                .status,
            201);
}

}  // namespace
}  // namespace zb::testing
