// The authorization matrix, generated from the route table (the server's own
// /api/openapi.json, which lists every route with its x-permission): for
// every /api route
//   - it declares a permission (public, authenticated, or a known code);
//   - without a session it answers 401 (public routes excepted);
//   - a user holding every permission but the route's one gets 403;
//   - a record outside the caller's data scope answers 404, as if it did not
//     exist (routes addressing one record, {id});
// on SQLite and on PostgreSQL (the suite runs once per engine).
//
// A new route with a path parameter must say here how to find a record its
// caller cannot see (kOutOfScope), or why its records are not scoped
// (kUnscoped) — otherwise this test fails and names it.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "domain/permissions.h"

namespace zb::testing {
namespace {

struct Route {
  std::string method;  // upper-case
  std::string pattern;  // "/api/v1/org-units/{id}"
  std::string permission;
};

std::vector<Route> ApiRoutes(TestServer& s) {
  auto r = s.Get("/api/openapi.json");
  EXPECT_EQ(r.status, 200);
  const Json doc = r.json();
  std::vector<Route> out;
  for (const auto& [pattern, ops] : doc["paths"].items()) {
    if (!pattern.starts_with("/api/")) continue;
    for (const auto& [method, op] : ops.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.push_back({upper, pattern, op.value("x-permission", "")});
    }
  }
  return out;
}

std::string Fill(std::string pattern, const std::string& id) {
  auto at = pattern.find("{id}");
  if (at != std::string::npos) pattern.replace(at, 4, id);
  return pattern;
}

// The part of a pattern before its first parameter: "/api/v1/users/".
std::string Resource(const std::string& pattern) { return pattern.substr(0, pattern.find('{')); }

// Routes whose {id} records are deliberately not scoped by org unit, and why.
const std::map<std::string, std::string> kUnscoped = {
    {"/api/v1/roles/", "roles are the administrator's global catalogue, not records of a unit"},
    {"/api/v1/dict-items/", "dictionaries are the district's shared lists, not records of a unit"},
    {"/api/v1/calendar/days/", "the working-day calendar is the whole country's (one per database), not records of a unit"},
    {"/api/v1/teams/", "专班 are the district's, officials of every unit sit on them; a team's page lists only the "
                       "projects in the caller's scope (tests/api/projects_test.cc)"},
    {"/api/v1/node-templates/", "node templates are the district's shared catalogue, not records of a unit"},
    {"/api/v1/notifications/", "a notice is its recipient's own, not a record of a unit: another user's is 404 "
                               "(tests/api/notifications_test.cc)"},
};

// Unsafe requests carry an empty object and the version in If-Match, so a
// route's own body rules cannot answer before its scope check does.
HttpResult Call(TestServer& s, const Route& r, const std::string& id,
                std::map<std::string, std::string> headers = {}) {
  std::string target = Fill(r.pattern, id);
  if (r.method == "GET" || r.method == "DELETE") return s.Send(r.method, target, "", headers);
  headers["If-Match"] = "1";
  headers["Content-Type"] = "application/json";
  return s.Send(r.method, target, "{}", headers);
}

class AuthzMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.SignInAsAdmin();
    routes_ = ApiRoutes(s_);
    ASSERT_GT(routes_.size(), 20u);
    root_ = RootUnitId(s_);
    unit_a_ = AddUnit(s_, root_, "A").id;
    unit_b_ = AddUnit(s_, root_, "B").id;
    // Someone in unit B, with a session and an API token of their own.
    user_b_ = AddUser(s_, "user.b", unit_b_, {BuiltinRoleId(s_, "admin")});
    ASSERT_EQ(s_.SignIn("user.b", kUserPassword).status, 200);
    session_b_ = s_.Get("/api/v1/sessions").json();
    auto token = s_.SendJson("POST", "/api/v1/api-tokens", {{"name", "对接"}, {"permissions", {"org:read"}}});
    ASSERT_EQ(token.status, 201) << token.body;
    token_b_ = std::to_string(token.json()["id"].get<int64_t>());
    auto firm = s_.SendJson("POST", "/api/v1/enterprises",
                            {{"name", "B 单位的企业"}, {"credit_code", kValidCreditCode}, {"org_unit_id", unit_b_}});
    ASSERT_EQ(firm.status, 201) << firm.body;
    enterprise_b_ = std::to_string(firm.json()["id"].get<int64_t>());
    auto project = s_.SendJson("POST", "/api/v1/projects", {{"name", "B 单位的项目"}, {"org_unit_id", unit_b_}});
    ASSERT_EQ(project.status, 201) << project.body;
    project_b_ = std::to_string(project.json()["id"].get<int64_t>());
    // User B's upload, not attached to anything yet: only B reads it.
    auto upload = s_.Send("POST", "/api/v1/attachments",
                          "--zbb\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.pdf\"\r\n\r\n"
                          "%PDF-1.7\n\r\n--zbb--\r\n",
                          {{"Content-Type", "multipart/form-data; boundary=zbb"}});
    ASSERT_EQ(upload.status, 201) << upload.body;
    attachment_b_ = std::to_string(upload.json()["id"].get<int64_t>());
    auto problem = s_.SendJson("POST", "/api/v1/problems",
                               {{"title", "B 单位企业的诉求"}, {"category", "other"}, {"enterprise_id", firm.json()["id"]}});
    ASSERT_EQ(problem.status, 201) << problem.body;
    problem_b_ = std::to_string(problem.json()["id"].get<int64_t>());
  }

  // A user in `unit` holding a custom role with these permissions and scope.
  void AddRoleUser(const std::string& login, int64_t unit, const std::string& scope,
                   const std::vector<std::string>& permissions) {
    AddUser(s_, login, unit, {AddRole(s_, "r_" + std::to_string(++roles_), permissions, scope)});
  }

  // The id of user B's session as the online-users list names it.
  std::string SessionB() {
    for (const auto& item : session_b_["items"]) {
      if (item["login"] == "user.b") return item["id"];
    }
    ADD_FAILURE() << "user.b's session not listed: " << session_b_.dump();
    return "0";
  }

  // A record of each resource that a unit-A user cannot see.
  std::map<std::string, std::string> OutOfScope() {
    return {{"/api/v1/org-units/", std::to_string(unit_b_)},
            {"/api/v1/enterprises/", enterprise_b_},
            {"/api/v1/projects/", project_b_},
            {"/api/v1/users/", std::to_string(user_b_)},
            {"/api/v1/sessions/", SessionB()},
            {"/api/v1/api-tokens/", token_b_},  // another user's token
            {"/api/v1/attachments/", attachment_b_},  // another user's upload
            {"/api/v1/problems/", problem_b_}};
  }

  TestServer s_;
  std::vector<Route> routes_;
  int64_t root_ = 0, unit_a_ = 0, unit_b_ = 0, user_b_ = 0;
  Json session_b_;
  std::string token_b_;
  std::string enterprise_b_;
  std::string project_b_;
  std::string attachment_b_;
  std::string problem_b_;
  int roles_ = 0;
};

TEST_F(AuthzMatrix, EveryRouteDeclaresAKnownPermission) {
  for (const auto& r : routes_) {
    SCOPED_TRACE(r.method + " " + r.pattern);
    EXPECT_FALSE(r.permission.empty()) << "route declares no permission";
    if (r.permission == "public" || r.permission == "authenticated") continue;
    EXPECT_TRUE(domain::IsKnownPermission(r.permission)) << r.permission;
  }
}

TEST_F(AuthzMatrix, WithoutASessionEveryNonPublicRouteIs401) {
  int checked = 0;
  for (const auto& r : routes_) {
    if (r.permission == "public") continue;
    SCOPED_TRACE(r.method + " " + r.pattern);
    auto res = Call(s_, r, std::to_string(unit_a_), {{"Cookie", ""}, {"X-CSRF-Token", ""}});
    EXPECT_EQ(res.status, 401) << res.body;
    ++checked;
  }
  EXPECT_GT(checked, 20);
}

TEST_F(AuthzMatrix, LackingTheRoutesPermissionIs403) {
  // One user per permission, holding every other permission over 全部.
  std::vector<std::string> all;
  for (const auto& p : domain::AllPermissions()) all.emplace_back(p.code);
  std::set<std::string> needed;
  for (const auto& r : routes_) {
    if (domain::IsKnownPermission(r.permission)) needed.insert(r.permission);
  }
  for (const auto& permission : needed) {
    std::vector<std::string> others;
    for (const auto& p : all) {
      if (p != permission) others.push_back(p);
    }
    std::string login = "lacks." + permission.substr(0, permission.find(':')) + "." +
                        permission.substr(permission.find(':') + 1);
    AddRoleUser(login, root_, "all", others);
    ASSERT_EQ(s_.SignIn(login, kUserPassword).status, 200) << login;
    for (const auto& r : routes_) {
      if (r.permission != permission) continue;
      SCOPED_TRACE(r.method + " " + r.pattern + " as " + login);
      auto res = Call(s_, r, std::to_string(unit_a_));
      EXPECT_EQ(res.status, 403) << res.body;
      EXPECT_NE(res.body.find(permission), std::string::npos) << "the 403 names the missing permission";
    }
  }
}

TEST_F(AuthzMatrix, ARecordOutsideTheCallersScopeIs404) {
  std::vector<std::string> all;
  for (const auto& p : domain::AllPermissions()) all.emplace_back(p.code);
  AddRoleUser("scoped.a", unit_a_, "unit_and_below", all);  // every permission, unit A only
  auto out_of_scope = OutOfScope();
  ASSERT_EQ(s_.SignIn("scoped.a", kUserPassword).status, 200);
  int checked = 0;
  for (const auto& r : routes_) {
    if (r.pattern.find('{') == std::string::npos) continue;
    SCOPED_TRACE(r.method + " " + r.pattern);
    std::string resource = Resource(r.pattern);
    if (kUnscoped.contains(resource)) continue;
    auto it = out_of_scope.find(resource);
    ASSERT_NE(it, out_of_scope.end()) << "no out-of-scope record known for " << resource
                                      << ": add one to OutOfScope() or a reason to kUnscoped";
    auto res = Call(s_, r, it->second);
    EXPECT_EQ(res.status, 404) << res.body;
    ++checked;
  }
  EXPECT_GT(checked, 5);
  // Nothing was changed by those attempts: user B is still signed in and active.
  ASSERT_EQ(s_.SignIn("admin", TestServer::kAdminPassword).status, 200);
  auto b = s_.Get("/api/v1/users/" + std::to_string(user_b_));
  ASSERT_EQ(b.status, 200);
  EXPECT_EQ(b.json()["active"], true);
  EXPECT_EQ(b.json()["version"], 1);
}

}  // namespace
}  // namespace zb::testing
