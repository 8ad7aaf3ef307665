// Roles as the 角色管理 page uses them: the permission catalogue, create,
// edit with versions, delete, the built-in administrator role that cannot be
// changed, and roles that cannot hold more than their author.
#include <gtest/gtest.h>

#include <set>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "domain/permissions.h"

namespace zb::testing {
namespace {

void ExpectError(const HttpResult& r, int status, const std::string& code, const std::string& field) {
  EXPECT_EQ(r.status, status) << r.body;
  Json j = r.json();
  EXPECT_EQ(j["error"]["code"], code) << r.body;
  EXPECT_EQ(j["error"]["field"], field) << r.body;
}

Json RoleByCode(TestServer& s, const std::string& code) {
  const Json list = s.Get("/api/v1/roles").json();
  for (const auto& r : list["items"]) {
    if (r["code"] == code) return r;
  }
  ADD_FAILURE() << "no role " << code;
  return Json();
}

TEST(Roles, ThePermissionCatalogueListsEveryPermissionInGroups) {
  TestServer s;
  s.SignInAsAdmin();
  auto r = s.Get("/api/v1/permissions");
  ASSERT_EQ(r.status, 200) << r.body;
  std::set<std::string> listed;
  std::set<std::string> groups;
  const Json catalogue = r.json();
  for (const auto& g : catalogue["groups"]) {
    EXPECT_FALSE(g["label"].get<std::string>().empty());
    EXPECT_TRUE(groups.insert(g["group"].get<std::string>()).second) << "group listed twice: " << g["group"];
    for (const auto& p : g["permissions"]) {
      listed.insert(p["code"].get<std::string>());
      EXPECT_FALSE(p["label"].get<std::string>().empty());
    }
  }
  std::set<std::string> all;
  for (const auto& p : domain::AllPermissions()) all.insert(std::string(p.code));
  EXPECT_EQ(listed, all);
  EXPECT_TRUE(groups.count("user"));

  const Json dict = s.Get("/api/v1/dictionaries").json();
  std::set<std::string> scopes;
  for (const auto& d : dict["data_scope"]) scopes.insert(d["code"].get<std::string>());
  EXPECT_EQ(scopes, (std::set<std::string>{"all", "unit_and_below", "unit", "self", "custom"}));
}

TEST(Roles, CreateEditAndDeleteARole) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  Json body = {{"code", "inspector"},
               {"name", "督查"},
               {"data_scope", "本单位及以下"},
               {"remark", "督查室"},
               {"permissions", {"project:read", "user:read", "project:read"}}};
  auto created = s.SendJson("POST", "/api/v1/roles", body);
  ASSERT_EQ(created.status, 201) << created.body;
  Json role = created.json();
  EXPECT_EQ(role["data_scope"], "unit_and_below");
  EXPECT_EQ(role["data_scope_label"], "本单位及以下");
  EXPECT_EQ(role["permissions"], Json({"project:read", "user:read"}));
  EXPECT_EQ(role["builtin"], false);
  EXPECT_EQ(role["user_count"], 0);
  const std::string path = "/api/v1/roles/" + std::to_string(role["id"].get<int64_t>());
  EXPECT_EQ(created.header("location"), path);
  ExpectError(s.SendJson("POST", "/api/v1/roles", body), 409, "already_exists", "code");

  auto bad = [&](const Json& patch) {
    Json b = {{"code", "other"}, {"name", "其他"}, {"data_scope", "unit"}};
    b.update(patch);
    return s.SendJson("POST", "/api/v1/roles", b);
  };
  ExpectError(bad({{"code", "X"}}), 422, "validation_failed", "code");
  ExpectError(bad({{"code", "9lives"}}), 422, "validation_failed", "code");
  ExpectError(bad({{"data_scope", "everything"}}), 422, "validation_failed", "data_scope");
  ExpectError(bad({{"permissions", {"project:fly"}}}), 422, "validation_failed", "permissions");
  ExpectError(bad({{"permissions", "project:read"}}), 422, "validation_failed", "permissions");
  ExpectError(bad({{"data_scope", "custom"}}), 422, "validation_failed", "custom_unit_ids");
  ExpectError(bad({{"data_scope", "custom"}, {"custom_unit_ids", {999999}}}), 422, "validation_failed",
              "custom_unit_ids");
  ExpectError(bad({{"builtin", true}}), 422, "validation_failed", "builtin");
  auto custom = bad({{"data_scope", "自定义单位"}, {"custom_unit_ids", {root}}});
  ASSERT_EQ(custom.status, 201) << custom.body;
  EXPECT_EQ(custom.json()["custom_unit_ids"], Json({root}));

  // Held by a user, the role counts them and cannot be deleted.
  auto user = s.SendJson("POST", "/api/v1/users",
                         {{"login", "du.cha"}, {"display_name", "督查员"}, {"org_unit_id", root},
                          {"role_ids", {role["id"].get<int64_t>()}}});
  ASSERT_EQ(user.status, 201) << user.body;
  EXPECT_EQ(RoleByCode(s, "inspector")["user_count"], 1);
  EXPECT_EQ(s.Get(path).json()["user_count"], 1);
  auto in_use = s.Send("DELETE", path, "");
  EXPECT_EQ(in_use.status, 409);
  EXPECT_EQ(in_use.json()["error"]["code"], "conflict");
  EXPECT_NE(in_use.json()["error"]["message"].get<std::string>().find("1 个用户"), std::string::npos)
      << in_use.body;

  // Edits need the current version.
  auto edited = s.SendJson("PATCH", path, {{"name", "督查组"}, {"permissions", {"project:read"}}, {"version", 1}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json()["version"], 2);
  EXPECT_EQ(edited.json()["permissions"], Json({"project:read"}));
  EXPECT_EQ(edited.json()["user_count"], 1);
  auto stale = s.SendJson("PATCH", path, {{"remark", "旧版本"}, {"version", 1}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()["error"]["code"], "version_conflict");
  EXPECT_EQ(stale.json()["current"]["name"], "督查组");
  ExpectError(s.SendJson("PATCH", path, {{"code", "renamed"}, {"version", 2}}), 422, "validation_failed", "code");
  ExpectError(s.SendJson("PATCH", path, {{"data_scope", "custom"}, {"version", 2}}), 422, "validation_failed",
              "custom_unit_ids");

  // Once nobody holds it, it goes.
  const std::string user_path = "/api/v1/users/" + std::to_string(user.json()["id"].get<int64_t>());
  ASSERT_EQ(s.SendJson("PATCH", user_path, {{"role_ids", Json::array()}, {"version", 1}}).status, 200);
  EXPECT_EQ(s.Send("DELETE", path, "").status, 204);
  EXPECT_EQ(s.Get(path).status, 404);
  EXPECT_EQ(s.Send("DELETE", path, "").status, 404);
}

TEST(Roles, BuiltInRolesCannotBeDeletedAndTheAdminRoleNotChanged) {
  TestServer s;
  s.SignInAsAdmin();
  Json admin = RoleByCode(s, "admin");
  EXPECT_EQ(admin["builtin"], true);
  EXPECT_EQ(admin["user_count"], 1);
  const std::string admin_path = "/api/v1/roles/" + std::to_string(admin["id"].get<int64_t>());
  auto change = s.SendJson("PATCH", admin_path, {{"permissions", {"org:read"}}, {"version", admin["version"]}});
  EXPECT_EQ(change.status, 409);
  EXPECT_EQ(change.json()["error"]["code"], "conflict");
  EXPECT_EQ(s.Send("DELETE", admin_path, "").status, 409);
  EXPECT_EQ(RoleByCode(s, "admin")["permissions"].size(), domain::AllPermissions().size());

  Json town = RoleByCode(s, "town");
  const std::string town_path = "/api/v1/roles/" + std::to_string(town["id"].get<int64_t>());
  auto unused_builtin = s.Send("DELETE", town_path, "");
  EXPECT_EQ(unused_builtin.status, 409);
  EXPECT_NE(unused_builtin.json()["error"]["message"].get<std::string>().find("内置"), std::string::npos);
  auto renamed = s.SendJson("PATCH", town_path, {{"remark", "各街道"}, {"version", town["version"]}});
  EXPECT_EQ(renamed.status, 200) << renamed.body;  // other built-in roles can be tuned
}

TEST(Roles, ARoleCannotHoldMoreThanItsAuthor) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  const int64_t town = AddUnit(s, root, "TA").id;
  const int64_t elsewhere = AddUnit(s, root, "TB").id;
  auto editor = s.SendJson("POST", "/api/v1/roles",
                           {{"code", "role_editor"}, {"name", "角色维护"}, {"data_scope", "unit_and_below"},
                            {"permissions", {"role:read", "role:write", "project:read"}}});
  ASSERT_EQ(editor.status, 201) << editor.body;
  AddUser(s, "editor", town, {editor.json()["id"].get<int64_t>()});
  ASSERT_EQ(s.SignIn("editor", kUserPassword).status, 200);

  Json body = {{"code", "mine"}, {"name", "我的"}, {"data_scope", "unit"}, {"permissions", {"audit:read"}}};
  ExpectError(s.SendJson("POST", "/api/v1/roles", body), 403, "forbidden", "permissions");
  body["permissions"] = {"project:read"};
  body["data_scope"] = "all";
  ExpectError(s.SendJson("POST", "/api/v1/roles", body), 403, "forbidden", "data_scope");
  body["data_scope"] = "custom";
  body["custom_unit_ids"] = {elsewhere};  // a unit they do not see is as good as unknown
  ExpectError(s.SendJson("POST", "/api/v1/roles", body), 422, "validation_failed", "custom_unit_ids");
  body["custom_unit_ids"] = {town};
  auto ok = s.SendJson("POST", "/api/v1/roles", body);
  ASSERT_EQ(ok.status, 201) << ok.body;
  // Nor can they widen an existing role beyond themselves.
  Json leader = RoleByCode(s, "leader");
  ExpectError(s.SendJson("PATCH", "/api/v1/roles/" + std::to_string(leader["id"].get<int64_t>()),
                         {{"remark", "x"}, {"version", leader["version"]}}),
              403, "forbidden", "permissions");
}

}  // namespace
}  // namespace zb::testing
