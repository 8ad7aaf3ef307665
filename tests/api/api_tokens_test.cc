// API tokens for integrations: shown once, bearer instead of cookie+CSRF,
// limited to what both token and owner may do, revocable, expiring.
#include <gtest/gtest.h>

#include "api/test_server.h"
#include "core/date.h"

namespace zb::testing {
namespace {

std::map<std::string, std::string> Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Cookie", ""}, {"X-CSRF-Token", ""}};
}

TEST(ApiTokens, CreateShowOnceUseAndRevoke) {
  TestServer s;
  s.SignInAsAdmin();
  auto made = s.SendJson("POST", "/api/v1/api-tokens",
                         {{"name", "市平台数据对接"}, {"permissions", {"org:read", "org:write"}}});
  ASSERT_EQ(made.status, 201) << made.body;
  std::string token = made.json()["token"];
  EXPECT_EQ(token.rfind("zbt_", 0), 0u);
  int64_t id = made.json()["id"];
  auto list = s.Get("/api/v1/api-tokens").json();
  ASSERT_EQ(list["total"], 1);
  EXPECT_FALSE(list["items"][0].contains("token")) << "the secret is shown only once";
  EXPECT_EQ(list["items"][0]["state"], "active");

  // Bearer: no cookie, no CSRF token needed.
  EXPECT_EQ(s.Get("/api/v1/org-units", Bearer(token)).status, 200);
  auto created = s.SendJson("POST", "/api/v1/org-units", {{"name", "接口单位"}, {"code", "API1"}, {"kind", "town"}},
                            Bearer(token));
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(s.Get("/api/v1/org-units", Bearer("zbt_" + std::string(64, '0'))).status, 401);

  ASSERT_EQ(s.Send("DELETE", "/api/v1/api-tokens/" + std::to_string(id), "").status, 204);
  auto after = s.Get("/api/v1/org-units", Bearer(token));
  EXPECT_EQ(after.status, 401);
  EXPECT_NE(after.json()["error"]["message"].get<std::string>().find("撤销"), std::string::npos);
}

TEST(ApiTokens, ATokenCanDoOnlyWhatItWasGiven) {
  TestServer s;
  s.SignInAsAdmin();
  auto made = s.SendJson("POST", "/api/v1/api-tokens", {{"name", "只读"}, {"permissions", {"org:read"}}});
  ASSERT_EQ(made.status, 201);
  std::string token = made.json()["token"];
  EXPECT_EQ(s.Get("/api/v1/org-units", Bearer(token)).status, 200);
  auto write = s.SendJson("POST", "/api/v1/org-units", {{"name", "x"}, {"code", "X1"}, {"kind", "town"}}, Bearer(token));
  EXPECT_EQ(write.status, 403);
  EXPECT_NE(write.json()["error"]["message"].get<std::string>().find("org:write"), std::string::npos);
}

TEST(ApiTokens, ExpiryAndValidation) {
  TestServer s;
  s.clock().SetToday(*Date::FromYmd(2026, 11, 23), 9 * 3'600'000);
  s.SignInAsAdmin();
  auto made = s.SendJson("POST", "/api/v1/api-tokens",
                         {{"name", "临时"}, {"permissions", {"org:read"}}, {"expires_at", "2026-11-30"}});
  ASSERT_EQ(made.status, 201) << made.body;
  std::string token = made.json()["token"];
  s.clock().SetToday(*Date::FromYmd(2026, 11, 30), 23 * 3'600'000);
  EXPECT_EQ(s.Get("/api/v1/org-units", Bearer(token)).status, 200);  // valid through the day
  s.clock().SetToday(*Date::FromYmd(2026, 12, 1));
  auto expired = s.Get("/api/v1/org-units", Bearer(token));
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(expired.json()["error"]["message"].get<std::string>().find("过期"), std::string::npos);

  s.SignIn("admin", TestServer::kAdminPassword);
  auto unknown = s.SendJson("POST", "/api/v1/api-tokens", {{"name", "x"}, {"permissions", {"nuke:all"}}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.json()["error"]["field"], "permissions");
  auto empty = s.SendJson("POST", "/api/v1/api-tokens", {{"name", "x"}, {"permissions", Json::array()}});
  EXPECT_EQ(empty.status, 422);
  auto past = s.SendJson("POST", "/api/v1/api-tokens", {{"name", "x"}, {"permissions", {"org:read"}}, {"expires_at", "2020-01-01"}});
  EXPECT_EQ(past.status, 422);
  EXPECT_EQ(past.json()["error"]["field"], "expires_at");
  // Someone else's token id is 404, as if it did not exist.
  EXPECT_EQ(s.Send("DELETE", "/api/v1/api-tokens/999999", "").status, 404);
}

}  // namespace
}  // namespace zb::testing
