// Managing accounts as an administrator meets it: creating a user who then
// signs in with the one-time password, validation that names the field, the
// data scope on lists and reads, grants limited to what the caller holds,
// deactivation, password reset and unlock.
#include <gtest/gtest.h>

#include <set>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "storage/audit_repo.h"

namespace zb::testing {
namespace {

std::set<std::string> Logins(const Json& list) {
  std::set<std::string> out;
  for (const auto& u : list["items"]) out.insert(u["login"].get<std::string>());
  return out;
}

// Every audit entry's changes, as stored.
std::string AuditText(TestServer& s) {
  auto conn = s.app().pool().Read();
  EXPECT_TRUE(conn.ok());
  auto rows = storage::ScanAudit(**conn, 0, 10000);
  EXPECT_TRUE(rows.ok());
  std::string all;
  for (const auto& r : *rows) all += r.action + " " + r.entity_type + " " + r.changes + "\n";
  return all;
}

void ExpectError(const HttpResult& r, int status, const std::string& code, const std::string& field) {
  EXPECT_EQ(r.status, status) << r.body;
  Json j = r.json();
  EXPECT_EQ(j["error"]["code"], code) << r.body;
  EXPECT_EQ(j["error"]["field"], field) << r.body;
}

TEST(Users, ACreatedUserSignsInWithTheInitialPasswordAndMustChangeIt) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  const int64_t readonly = BuiltinRoleId(s, "readonly");
  auto created = s.SendJson("POST", "/api/v1/users",
                            {{"login", "Zhang.San"},
                             {"display_name", "张三"},
                             {"mobile", "13800138000"},
                             {"email", "zhangsan@example.cn"},
                             {"org_unit_id", root},
                             {"role_ids", {readonly}}});
  ASSERT_EQ(created.status, 201) << created.body;
  Json u = created.json();
  EXPECT_EQ(u["login"], "zhang.san");  // logins are stored lower-case
  EXPECT_EQ(u["must_change_password"], true);
  EXPECT_EQ(u["roles"][0]["code"], "readonly");
  EXPECT_EQ(u["org_unit_name"], "本级单位");
  EXPECT_EQ(created.header("cache-control"), "no-store");
  EXPECT_EQ(created.header("location"), "/api/v1/users/" + std::to_string(u["id"].get<int64_t>()));
  const std::string password = u["initial_password"];
  EXPECT_GE(password.size(), 12u);

  // Shown once: reads never carry it, nor the hash.
  auto got = s.Get("/api/v1/users/" + std::to_string(u["id"].get<int64_t>()));
  EXPECT_EQ(got.status, 200);
  EXPECT_FALSE(got.json().contains("initial_password"));
  EXPECT_EQ(got.body.find("argon2"), std::string::npos);
  // The audit entry records the account, not its secret.
  std::string audit = AuditText(s);
  EXPECT_NE(audit.find("create user"), std::string::npos) << audit;
  EXPECT_NE(audit.find("zhang.san"), std::string::npos);
  EXPECT_EQ(audit.find(password), std::string::npos);
  EXPECT_EQ(audit.find("argon2"), std::string::npos);

  const auto admin = CurrentBrowser(s).headers;
  auto login = s.SignIn("zhang.san", password);
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.json()["must_change_password"], true);
  EXPECT_EQ(s.Get("/api/v1/org-units").status, 403);
  auto changed = s.SendJson("POST", "/api/v1/auth/password",
                            {{"old_password", password}, {"new_password", "Zhang-San-2026!"}});
  EXPECT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(s.Get("/api/v1/org-units").status, 200);

  auto dup = s.SendJson("POST", "/api/v1/users",
                        {{"login", "ZHANG.SAN"}, {"display_name", "另一个张三"}, {"org_unit_id", root}}, admin);
  ExpectError(dup, 409, "already_exists", "login");
}

TEST(Users, ValidationErrorsNameTheField) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  auto create = [&](Json body) {
    if (!body.contains("login")) body["login"] = "li.si";
    if (!body.contains("display_name")) body["display_name"] = "李四";
    if (!body.contains("org_unit_id")) body["org_unit_id"] = root;
    return s.SendJson("POST", "/api/v1/users", body);
  };
  ExpectError(create({{"mobile", "12345"}}), 422, "validation_failed", "mobile");
  ExpectError(create({{"mobile", "12800138000"}}), 422, "validation_failed", "mobile");
  ExpectError(create({{"email", "not-an-address"}}), 422, "validation_failed", "email");
  ExpectError(create({{"role_ids", {999999}}}), 422, "validation_failed", "role_ids");
  ExpectError(create({{"role_ids", "1"}}), 422, "validation_failed", "role_ids");
  ExpectError(create({{"org_unit_id", 999999}}), 404, "not_found", "org_unit_id");
  ExpectError(create({{"login", "ab"}}), 422, "validation_failed", "login");
  ExpectError(create({{"login", "li si"}}), 422, "validation_failed", "login");
  ExpectError(create({{"display_name", "  "}}), 422, "validation_failed", "display_name");
  ExpectError(create({{"enterprise_id", 0}}), 422, "validation_failed", "enterprise_id");
  ExpectError(create({{"active", "yes"}}), 422, "validation_failed", "active");
  ExpectError(create({{"password", "Chosen-By-Me-1"}}), 422, "validation_failed", "password");
  ExpectError(s.SendJson("POST", "/api/v1/users", {{"login", "wang"}, {"org_unit_id", root}}), 422,
              "validation_failed", "display_name");
  // An inactive unit takes no new users.
  const int64_t closed = AddUnit(s, root, "CLOSED").id;
  ASSERT_TRUE(db::InTx(s.app().pool(), [&](db::Connection& c) {
                return c.Exec("UPDATE org_units SET active = 0 WHERE id = $1", {closed});
              }).ok());
  ExpectError(create({{"org_unit_id", closed}}), 422, "validation_failed", "org_unit_id");

  // An enterprise user is bound to an enterprise that exists.
  ExpectError(create({{"enterprise_id", 999999}}), 404, "not_found", "enterprise_id");
  auto firm = s.SendJson("POST", "/api/v1/enterprises",
                         {{"name", "华新新材料"}, {"credit_code", kValidCreditCode}, {"org_unit_id", root}});
  ASSERT_EQ(firm.status, 201) << firm.body;
  const int64_t firm_id = firm.json()["id"];

  // Valid optional fields are stored; a PATCH can clear them.
  auto ok = create({{"mobile", "13912345678"}, {"email", "li@example.cn"}, {"enterprise_id", firm_id}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  Json u = ok.json();
  EXPECT_EQ(u["enterprise_id"], firm_id);
  EXPECT_EQ(u["mobile"], "13912345678");
  const std::string path = "/api/v1/users/" + std::to_string(u["id"].get<int64_t>());
  auto cleared = s.SendJson("PATCH", path, {{"enterprise_id", nullptr}, {"mobile", ""}, {"version", 1}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.json()["enterprise_id"].is_null());
  EXPECT_EQ(cleared.json()["mobile"], "");
  ExpectError(s.SendJson("PATCH", path, {{"login", "renamed"}, {"version", 2}}), 422, "validation_failed", "login");
  ExpectError(s.SendJson("PATCH", path, {{"display_name", "李四"}}), 422, "validation_failed", "version");
}

TEST(Users, ATownUserSeesTheUsersOfTheirSubtreeOnly) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  const int64_t admin_id = s.Get("/api/v1/auth/me").json()["user"]["id"];
  const int64_t town_a = AddUnit(s, root, "TA").id;
  const int64_t village_a = AddUnit(s, town_a, "TA1").id;
  const int64_t town_b = AddUnit(s, root, "TB").id;
  AddUser(s, "town_a", town_a, {BuiltinRoleId(s, "town")});
  const int64_t vil = AddUser(s, "vil_a", village_a, {BuiltinRoleId(s, "liaison")});
  const int64_t other = AddUser(s, "town_b", town_b, {BuiltinRoleId(s, "town")});
  // 仅本人: a custom role that may read users but sees only its holder.
  auto self_role = s.SendJson("POST", "/api/v1/roles",
                              {{"code", "self_reader"}, {"name", "本人"}, {"data_scope", "仅本人"},
                               {"permissions", {"user:read"}}});
  ASSERT_EQ(self_role.status, 201) << self_role.body;
  const int64_t me_only = AddUser(s, "me_only", village_a, {self_role.json()["id"].get<int64_t>()});

  ASSERT_EQ(s.SignIn("town_a", kUserPassword).status, 200);
  auto list = s.Get("/api/v1/users");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Logins(list.json()), (std::set<std::string>{"town_a", "vil_a", "me_only"}));
  EXPECT_EQ(list.json()["total"], 3);
  EXPECT_EQ(s.Get("/api/v1/users/" + std::to_string(vil)).status, 200);
  auto outside = s.Get("/api/v1/users/" + std::to_string(other));
  ExpectError(outside, 404, "not_found", "id");
  EXPECT_EQ(s.Get("/api/v1/users/" + std::to_string(admin_id)).status, 404);  // at the root, above them

  auto sub = s.Get("/api/v1/users?org_unit_id=" + std::to_string(village_a));
  EXPECT_EQ(Logins(sub.json()), (std::set<std::string>{"vil_a", "me_only"}));
  ExpectError(s.Get("/api/v1/users?org_unit_id=" + std::to_string(town_b)), 404, "not_found", "org_unit_id");
  ExpectError(s.Get("/api/v1/users?org_unit_id=999999"), 404, "not_found", "org_unit_id");
  EXPECT_EQ(Logins(s.Get("/api/v1/users?keyword=VIL").json()), (std::set<std::string>{"vil_a"}));
  auto paged = s.Get("/api/v1/users?page=2&page_size=2").json();
  EXPECT_EQ(paged["total"], 3);
  EXPECT_EQ(paged["items"].size(), 1u);
  EXPECT_EQ(paged["page"], 2);

  ASSERT_EQ(s.SignIn("me_only", kUserPassword).status, 200);
  EXPECT_EQ(Logins(s.Get("/api/v1/users").json()), (std::set<std::string>{"me_only"}));
  EXPECT_EQ(s.Get("/api/v1/users/" + std::to_string(me_only)).status, 200);
  EXPECT_EQ(s.Get("/api/v1/users/" + std::to_string(vil)).status, 404);
}

TEST(Users, NobodyGrantsOrManagesMoreThanTheyHold) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  const int64_t town_a = AddUnit(s, root, "TA").id;
  const int64_t village_a = AddUnit(s, town_a, "TA1").id;
  const int64_t town_b = AddUnit(s, root, "TB").id;
  auto ua = s.SendJson("POST", "/api/v1/roles",
                       {{"code", "user_admin"}, {"name", "用户管理员"}, {"data_scope", "unit_and_below"},
                        {"permissions", {"user:read", "user:write"}}});
  ASSERT_EQ(ua.status, 201) << ua.body;
  const int64_t user_admin = ua.json()["id"];
  const int64_t admin_role = BuiltinRoleId(s, "admin");
  const int64_t leader = BuiltinRoleId(s, "leader");
  const int64_t town = BuiltinRoleId(s, "town");
  const int64_t bureau_user = AddUser(s, "bureau_in_a", village_a, {BuiltinRoleId(s, "bureau")});
  const int64_t ta_admin = AddUser(s, "ta_admin", town_a, {town, user_admin});

  ASSERT_EQ(s.SignIn("ta_admin", kUserPassword).status, 200);
  Json body = {{"login", "new.one"}, {"display_name", "新人"}, {"org_unit_id", village_a}};
  body["role_ids"] = {admin_role};
  auto as_admin = s.SendJson("POST", "/api/v1/users", body);
  ExpectError(as_admin, 403, "forbidden", "role_ids");
  EXPECT_NE(as_admin.json()["error"]["message"].get<std::string>().find("系统管理员"), std::string::npos);
  body["role_ids"] = {leader};  // fewer permissions than town, but a wider data scope
  ExpectError(s.SendJson("POST", "/api/v1/users", body), 403, "forbidden", "role_ids");
  body["org_unit_id"] = town_b;
  body["role_ids"] = {town};
  ExpectError(s.SendJson("POST", "/api/v1/users", body), 404, "not_found", "org_unit_id");
  body["org_unit_id"] = village_a;
  body["role_ids"] = {town, user_admin};
  auto ok = s.SendJson("POST", "/api/v1/users", body);
  EXPECT_EQ(ok.status, 201) << ok.body;

  // An account holding more than the caller cannot be reset, edited or unlocked by them.
  const std::string bureau_path = "/api/v1/users/" + std::to_string(bureau_user);
  ExpectError(s.Send("POST", bureau_path + "/reset-password", ""), 403, "forbidden", "role_ids");
  ExpectError(s.SendJson("PATCH", bureau_path, {{"display_name", "改名"}, {"version", 1}}), 403, "forbidden",
              "role_ids");
  ExpectError(s.SendJson("POST", bureau_path + "/unlock", Json::object()), 403, "forbidden", "role_ids");

  // Nor does anyone disable themselves or take away their own user:write.
  const std::string self = "/api/v1/users/" + std::to_string(ta_admin);
  ExpectError(s.SendJson("PATCH", self, {{"active", false}, {"version", 1}}), 422, "validation_failed", "active");
  ExpectError(s.SendJson("PATCH", self, {{"role_ids", {town}}, {"version", 1}}), 422, "validation_failed",
              "role_ids");
  auto renamed = s.SendJson("PATCH", self, {{"display_name", "镇街管理员"}, {"version", 1}});
  EXPECT_EQ(renamed.status, 200) << renamed.body;
}

TEST(Users, DeactivatingAUserSignsThemOut) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  const int64_t li = AddUser(s, "li", root, {BuiltinRoleId(s, "readonly")});
  const auto admin = CurrentBrowser(s).headers;
  ASSERT_EQ(s.SignIn("li", kUserPassword).status, 200);
  const auto li_session = CurrentBrowser(s).headers;
  EXPECT_EQ(s.Get("/api/v1/org-units", li_session).status, 200);

  const std::string path = "/api/v1/users/" + std::to_string(li);
  auto off = s.SendJson("PATCH", path, {{"active", false}, {"version", 1}}, admin);
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.json()["active"], false);
  EXPECT_EQ(off.json()["version"], 2);
  EXPECT_EQ(s.Get("/api/v1/org-units", li_session).status, 401);
  EXPECT_EQ(s.SignIn("li", kUserPassword).status, 401);

  // A stale version is refused with the record as it now is.
  auto stale = s.SendJson("PATCH", path, {{"active", true}, {"version", 1}}, admin);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()["error"]["code"], "version_conflict");
  EXPECT_EQ(stale.json()["current"]["version"], 2);
  EXPECT_EQ(stale.json()["current"]["active"], false);
  auto with_if_match = admin;
  with_if_match["If-Match"] = "\"2\"";
  auto on = s.SendJson("PATCH", path, {{"active", true}}, with_if_match);
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(s.SignIn("li", kUserPassword).status, 200);
}

TEST(Users, ResetPasswordSignsTheUserOutAndForcesAChange) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t wang = AddUser(s, "wang", RootUnitId(s), {BuiltinRoleId(s, "readonly")});
  const auto admin = CurrentBrowser(s).headers;
  ASSERT_EQ(s.SignIn("wang", kUserPassword).status, 200);
  const auto wang_session = CurrentBrowser(s).headers;

  auto reset = s.SendJson("POST", "/api/v1/users/" + std::to_string(wang) + "/reset-password", Json::object(), admin);
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(reset.header("cache-control"), "no-store");
  const std::string password = reset.json()["initial_password"];
  EXPECT_EQ(s.Get("/api/v1/org-units", wang_session).status, 401);
  EXPECT_EQ(s.SignIn("wang", kUserPassword).status, 401);
  auto again = s.SignIn("wang", password);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["must_change_password"], true);
  EXPECT_EQ(s.Get("/api/v1/org-units").status, 403);

  std::string audit = AuditText(s);
  EXPECT_NE(audit.find("reset_password user"), std::string::npos) << audit;
  EXPECT_EQ(audit.find(password), std::string::npos);
  EXPECT_EQ(s.SendJson("POST", "/api/v1/users/999999/reset-password", Json::object(), admin).status, 404);
}

TEST(Users, UnlockingALockedOutUserLetsThemSignIn) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t zhao = AddUser(s, "zhao", RootUnitId(s), {BuiltinRoleId(s, "readonly")});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(s.SignIn("zhao", "Wrong-Password-1").status, 401);
  EXPECT_EQ(s.SignIn("zhao", kUserPassword).status, 401);  // locked
  const std::string path = "/api/v1/users/" + std::to_string(zhao);
  auto before = s.Get(path).json();
  EXPECT_EQ(before["locked"], true);
  EXPECT_FALSE(before["locked_until"].is_null());

  auto unlocked = s.Send("POST", path + "/unlock", "");
  ASSERT_EQ(unlocked.status, 200) << unlocked.body;
  EXPECT_EQ(unlocked.json()["locked"], false);
  EXPECT_NE(AuditText(s).find("unlock user"), std::string::npos);
  EXPECT_EQ(s.SignIn("zhao", kUserPassword).status, 200);
}

}  // namespace
}  // namespace zb::testing
