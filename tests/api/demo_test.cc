// `zhuanban init --demo`: the district of seed 003 with one account per kind
// of user, each signing in with the one-time password init printed, forced
// to change it, and then seeing what their role's data scope allows.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>

#include "api/test_server.h"
#include "app/seed.h"

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

TEST(Demo, EachDemoAccountSignsInOnceChangesItsPasswordAndSeesItsScope) {
  TestServer s;
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

  // 领导 (全部) reads the whole district but may change nothing in it.
  ASSERT_EQ(s.SignIn("leader", passwords["leader"]).status, 200);
  ASSERT_EQ(s.SendJson("POST", "/api/v1/auth/password",
                       {{"old_password", passwords["leader"]}, {"new_password", "Lead3r-Demo-Changed-2026"}})
                .status,
            204);
  EXPECT_EQ(s.Get("/api/v1/org-units").json()["total"], 21);  // the district and its 20 units
  EXPECT_EQ(s.Get("/api/v1/users").json()["total"], 6);
  auto all_firms = s.Get("/api/v1/enterprises?page_size=1000").json();
  EXPECT_EQ(all_firms["total"], 200);
  std::set<std::string> names = Names(all_firms, "name"), codes = Names(all_firms, "credit_code");
  EXPECT_EQ(names.size(), 200u) << "registered names are unique";
  EXPECT_EQ(codes.size(), 200u);
  EXPECT_EQ(s.SendJson("POST", "/api/v1/org-units", {{"name", "新单位"}, {"code", "X"}, {"kind", "town"}}).status,
            403);
}

}  // namespace
}  // namespace zb::testing
