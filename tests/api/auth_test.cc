// Signing in as a user meets it: lockout, forced and expired passwords,
// session timeouts on the test clock, CSRF, logout, the login log.
#include <gtest/gtest.h>

#include "api/test_server.h"
#include "storage/login_log_repo.h"

namespace zb::testing {
namespace {

constexpr int64_t kMinute = 60'000;

Json Login(TestServer& s, const std::string& user, const std::string& pw, int expect) {
  auto r = s.SignIn(user, pw);
  EXPECT_EQ(r.status, expect) << r.body;
  return r.json();
}

TEST(Auth, SignInSetsAnHttpOnlyStrictCookieAndReturnsTheUser) {
  TestServer s;
  s.SignInAsAdmin();
  auto r = s.SignIn("ADMIN", TestServer::kAdminPassword);  // logins are case-insensitive
  ASSERT_EQ(r.status, 200) << r.body;
  std::string cookie = r.header("set-cookie");
  EXPECT_NE(cookie.find("zb_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  Json j = r.json();
  EXPECT_EQ(j["user"]["login"], "admin");
  EXPECT_EQ(j["must_change_password"], false);
  EXPECT_FALSE(j["csrf_token"].get<std::string>().empty());
  bool has_org_write = false;
  for (const auto& p : j["user"]["permissions"]) has_org_write |= p == "org:write";
  EXPECT_TRUE(has_org_write);
  auto me = s.Get("/api/v1/auth/me");
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.json()["user"]["display_name"], "系统管理员");
}

TEST(Auth, NoSessionIs401AndAGarbageCookieToo) {
  TestServer s;
  s.SignInAsAdmin();
  s.SignOutLocally();
  EXPECT_EQ(s.Get("/api/v1/org-units").status, 401);
  EXPECT_EQ(s.Get("/api/v1/auth/me").json()["error"]["code"], "unauthenticated");
  EXPECT_EQ(s.Get("/api/v1/org-units", {{"Cookie", "zb_session=0123456789abcdef"}}).status, 401);
  EXPECT_EQ(s.Get("/healthz").status, 200);  // public routes stay public
}

TEST(Auth, FiveWrongPasswordsLockTheAccountForFifteenMinutes) {
  TestServer s;
  s.SignInAsAdmin();
  s.SignOutLocally();
  for (int i = 1; i <= 4; ++i) {
    Json j = Login(s, "admin", "wrong-password", 401);
    EXPECT_NE(j["error"]["message"].get<std::string>().find("还可尝试 " + std::to_string(5 - i) + " 次"),
              std::string::npos)
        << j.dump();
  }
  Json fifth = Login(s, "admin", "wrong-password", 401);
  EXPECT_NE(fifth["error"]["message"].get<std::string>().find("锁定"), std::string::npos) << fifth.dump();
  // The right password does not open a locked account.
  Json locked = Login(s, "admin", TestServer::kAdminPassword, 401);
  EXPECT_NE(locked["error"]["message"].get<std::string>().find("锁定"), std::string::npos);
  s.clock().AdvanceMs(14 * kMinute);
  Login(s, "admin", TestServer::kAdminPassword, 401);
  s.clock().AdvanceMs(1 * kMinute + 1);
  Login(s, "admin", TestServer::kAdminPassword, 200);
  // A success resets the count: four more failures do not lock.
  s.SignOutLocally();
  for (int i = 0; i < 4; ++i) Login(s, "admin", "wrong-password", 401);
  Login(s, "admin", TestServer::kAdminPassword, 200);
}

TEST(Auth, UnknownUsersGetTheSameAnswerAndManyFailuresFromOneAddressAre429) {
  TestServer s;
  s.SignInAsAdmin();
  s.SignOutLocally();
  Json unknown = Login(s, "nobody", "whatever-1A!", 401);
  EXPECT_NE(unknown["error"]["message"].get<std::string>().find("用户名或密码错误"), std::string::npos);
  int limited = 0;
  for (int i = 0; i < 25; ++i) {
    auto r = s.SignIn("ghost" + std::to_string(i), "whatever-1A!");
    if (r.status == 429) {
      ++limited;
      EXPECT_EQ(r.json()["error"]["code"], "rate_limited");
    }
  }
  EXPECT_GT(limited, 0);
  s.clock().AdvanceMs(11 * kMinute);
  EXPECT_EQ(s.SignIn("ghost", "whatever-1A!").status, 401);  // the window has passed
}

TEST(Auth, TheInitialPasswordMustBeChangedFirst) {
  TestServer s;
  s.SignInAsAdmin();
  // Reset admin to a forced change, as `zhuanban init` leaves it.
  ASSERT_TRUE(db::InTx(s.app().pool(), [](db::Connection& c) {
                return c.Exec("UPDATE users SET must_change_password = 1 WHERE login = 'admin'");
              }).ok());
  Json j = Login(s, "admin", TestServer::kAdminPassword, 200);
  EXPECT_EQ(j["must_change_password"], true);
  auto blocked = s.Get("/api/v1/org-units");
  EXPECT_EQ(blocked.status, 403);
  EXPECT_NE(blocked.json()["error"]["message"].get<std::string>().find("修改密码"), std::string::npos);
  EXPECT_EQ(s.Get("/api/v1/auth/me").status, 200);

  auto weak = s.SendJson("POST", "/api/v1/auth/password",
                         {{"old_password", TestServer::kAdminPassword}, {"new_password", "short1A"}});
  EXPECT_EQ(weak.status, 422);
  EXPECT_EQ(weak.json()["error"]["field"], "new_password");
  auto with_login = s.SendJson("POST", "/api/v1/auth/password",
                               {{"old_password", TestServer::kAdminPassword}, {"new_password", "Admin-2026-x"}});
  EXPECT_EQ(with_login.status, 422);
  auto wrong_old = s.SendJson("POST", "/api/v1/auth/password",
                              {{"old_password", "not-it"}, {"new_password", "Fresh-Pass-2026"}});
  EXPECT_EQ(wrong_old.status, 422);
  EXPECT_EQ(wrong_old.json()["error"]["field"], "old_password");
  auto ok = s.SendJson("POST", "/api/v1/auth/password",
                       {{"old_password", TestServer::kAdminPassword}, {"new_password", "Fresh-Pass-2026"}});
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(s.Get("/api/v1/org-units").status, 200);
  // One of the last five passwords cannot come back.
  auto reused = s.SendJson("POST", "/api/v1/auth/password",
                           {{"old_password", "Fresh-Pass-2026"}, {"new_password", "Fresh-Pass-2026"}});
  EXPECT_EQ(reused.status, 422);
  EXPECT_NE(reused.json()["error"]["message"].get<std::string>().find("最近"), std::string::npos) << reused.body;
  // The old password no longer works; the new one does.
  s.SignOutLocally();
  Login(s, "admin", TestServer::kAdminPassword, 401);
  Login(s, "admin", "Fresh-Pass-2026", 200);
}

TEST(Auth, AnExpiredPasswordMustBeChanged) {
  TestServer s;
  s.SignInAsAdmin();
  s.clock().AdvanceDays(90);
  EXPECT_EQ(s.Get("/api/v1/org-units").status, 401) << "the session ended long ago";
  Json j = Login(s, "admin", TestServer::kAdminPassword, 200);
  EXPECT_EQ(j["must_change_password"], true);
  EXPECT_EQ(s.Get("/api/v1/org-units").status, 403);
}

TEST(Auth, SessionsEndAfterThirtyIdleMinutesAndTwelveHours) {
  TestServer s;
  s.SignInAsAdmin();
  s.clock().AdvanceMs(29 * kMinute);
  EXPECT_EQ(s.Get("/api/v1/org-units").status, 200);  // activity keeps it alive
  s.clock().AdvanceMs(29 * kMinute);
  EXPECT_EQ(s.Get("/api/v1/org-units").status, 200);
  s.clock().AdvanceMs(31 * kMinute);
  auto idle = s.Get("/api/v1/org-units");
  EXPECT_EQ(idle.status, 401);
  EXPECT_NE(idle.json()["error"]["message"].get<std::string>().find("超时"), std::string::npos);

  Login(s, "admin", TestServer::kAdminPassword, 200);
  for (int i = 0; i < 12 * 3; ++i) {  // busy all day, every 20 minutes
    s.clock().AdvanceMs(20 * kMinute);
    if (i < 12 * 3 - 1) {
      ASSERT_EQ(s.Get("/api/v1/org-units").status, 200) << i;
    }
  }
  auto absolute = s.Get("/api/v1/org-units");
  EXPECT_EQ(absolute.status, 401);
  EXPECT_NE(absolute.json()["error"]["message"].get<std::string>().find("最长时限"), std::string::npos);
}

TEST(Auth, UnsafeMethodsNeedTheCsrfToken) {
  TestServer s;
  s.SignInAsAdmin();
  Json body = {{"name", "甲"}, {"code", "CSRF1"}, {"kind", "town"}};
  auto missing = s.SendJson("POST", "/api/v1/org-units", body, {{"X-CSRF-Token", ""}});
  EXPECT_EQ(missing.status, 403);
  auto wrong = s.SendJson("POST", "/api/v1/org-units", body, {{"X-CSRF-Token", "forged"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_NE(wrong.json()["error"]["message"].get<std::string>().find("CSRF"), std::string::npos);
  EXPECT_EQ(s.SendJson("POST", "/api/v1/org-units", body).status, 201);
}

TEST(Auth, LogoutEndsTheSessionForGood) {
  TestServer s;
  s.SignInAsAdmin();
  std::string cookie = s.cookie();
  auto out = s.Send("POST", "/api/v1/auth/logout", "");
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("set-cookie").find("Max-Age=0"), std::string::npos);
  auto replay = s.Get("/api/v1/org-units", {{"Cookie", cookie}});
  EXPECT_EQ(replay.status, 401);
  EXPECT_NE(replay.json()["error"]["message"].get<std::string>().find("注销"), std::string::npos);
}

TEST(Auth, ChangingThePasswordEndsTheUsersOtherSessions) {
  TestServer s;
  s.SignInAsAdmin();
  std::string other = s.cookie();
  s.SignIn("admin", TestServer::kAdminPassword);
  auto ok = s.SendJson("POST", "/api/v1/auth/password",
                       {{"old_password", TestServer::kAdminPassword}, {"new_password", "Second-Pass-2026"}});
  ASSERT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(s.Get("/api/v1/org-units").status, 200);                       // this one stays
  EXPECT_EQ(s.Get("/api/v1/org-units", {{"Cookie", other}}).status, 401);  // the other is gone
}

TEST(Auth, EveryAttemptIsInTheLoginLog) {
  TestServer s;
  s.SignInAsAdmin();
  s.SignIn("admin", "wrong");
  s.SignIn("nobody", "wrong");
  auto conn = s.app().pool().Read();
  ASSERT_TRUE(conn.ok());
  auto page = storage::ListLoginLog(**conn, {});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 3);
  EXPECT_EQ(page->items[0].login, "nobody");
  EXPECT_EQ(page->items[0].result, "failure");
  EXPECT_FALSE(page->items[0].user_id.has_value());
  EXPECT_EQ(page->items[1].result, "failure");
  EXPECT_EQ(page->items[2].result, "success");
  EXPECT_EQ(page->items[2].ip, "127.0.0.1");
}

}  // namespace
}  // namespace zb::testing
