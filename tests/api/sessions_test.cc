// 在线用户: the sessions valid now, of users in the caller's data scope, and
// forced logout — after which that browser is signed out.
#include <gtest/gtest.h>

#include "api/identity_helpers.h"
#include "api/test_server.h"

namespace zb::testing {
namespace {

constexpr int64_t kMinute = 60'000;

Json Sessions(TestServer& s, const Browser& as) {
  auto r = s.Get("/api/v1/sessions", as.headers);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json();
}

// The listed session of `login` (null when not listed).
Json SessionOf(const Json& list, const std::string& login) {
  for (const auto& item : list["items"]) {
    if (item["login"] == login) return item;
  }
  return nullptr;
}

TEST(OnlineSessions, ListsSignedInUsersAndMarksTheCallersOwn) {
  TestServer s;
  s.clock().SetToday(*Date::FromYmd(2026, 11, 23), 9 * 3'600'000);
  s.SignInAsAdmin();
  Browser admin = CurrentBrowser(s);
  AddUser(s, "clerk", RootUnitId(s), {BuiltinRoleId(s, "readonly")});
  s.clock().AdvanceMs(5 * kMinute);
  ASSERT_EQ(s.SignIn("clerk", kUserPassword).status, 200);
  Browser clerk = CurrentBrowser(s);

  Json list = Sessions(s, admin);
  EXPECT_EQ(list["total"], 2);
  Json mine = SessionOf(list, "admin"), theirs = SessionOf(list, "clerk");
  ASSERT_TRUE(mine.is_object() && theirs.is_object()) << list.dump();
  EXPECT_EQ(mine["current"], true);
  EXPECT_EQ(theirs["current"], false);
  EXPECT_EQ(theirs["display_name"], "用户clerk");
  EXPECT_EQ(theirs["ip"], "127.0.0.1");
  EXPECT_EQ(theirs["created_at"], "2026-11-23T09:05:00.000+08:00");
  EXPECT_EQ(theirs["id"].get<std::string>().size(), 64u);

  // The handle is not the cookie: it does not sign anyone in.
  EXPECT_EQ(s.Get("/api/v1/auth/me", {{"Cookie", "zb_session=" + theirs["id"].get<std::string>()}}).status, 401);
  // Seeing who is online takes session:read.
  auto denied = s.Get("/api/v1/sessions", clerk.headers);
  EXPECT_EQ(denied.status, 403);
  EXPECT_NE(denied.body.find("session:read"), std::string::npos);
}

TEST(OnlineSessions, ForcedLogoutSignsThatBrowserOutAndIsAudited) {
  TestServer s;
  s.SignInAsAdmin();
  Browser admin = CurrentBrowser(s);
  int64_t clerk_id = AddUser(s, "clerk", RootUnitId(s), {BuiltinRoleId(s, "readonly")});
  ASSERT_EQ(s.SignIn("clerk", kUserPassword).status, 200);
  Browser clerk = CurrentBrowser(s);
  ASSERT_EQ(s.Get("/api/v1/auth/me", clerk.headers).status, 200);
  std::string id = SessionOf(Sessions(s, admin), "clerk")["id"];

  auto revoked = s.Send("DELETE", "/api/v1/sessions/" + id, "", admin.headers);
  ASSERT_EQ(revoked.status, 204) << revoked.body;
  EXPECT_EQ(s.Get("/api/v1/auth/me", clerk.headers).status, 401);
  EXPECT_EQ(s.Get("/api/v1/org-units", clerk.headers).status, 401);
  Json list = Sessions(s, admin);
  EXPECT_EQ(list["total"], 1);
  EXPECT_TRUE(SessionOf(list, "clerk").is_null());
  // Gone now: a second forced logout finds nothing.
  EXPECT_EQ(s.Send("DELETE", "/api/v1/sessions/" + id, "", admin.headers).status, 404);

  auto audit = s.Get("/api/v1/audit-log?entity_type=session&action=force_logout", admin.headers).json();
  ASSERT_EQ(audit["total"], 1) << audit.dump();
  Json entry = audit["items"][0];
  EXPECT_EQ(entry["entity_id"], std::to_string(clerk_id));
  EXPECT_EQ(entry["login"], "admin");
  EXPECT_EQ(entry["changes"]["after"]["login"], "clerk");
  EXPECT_EQ(entry.dump().find(id), std::string::npos) << "no cookie material in the audit log";
}

TEST(OnlineSessions, IdleAndMalformedSessionsAreNotThere) {
  TestServer s;
  s.SignInAsAdmin();
  Browser admin = CurrentBrowser(s);
  AddUser(s, "clerk", RootUnitId(s), {BuiltinRoleId(s, "readonly")});
  ASSERT_EQ(s.SignIn("clerk", kUserPassword).status, 200);
  std::string id = SessionOf(Sessions(s, admin), "clerk")["id"];
  // The admin keeps working; the clerk goes quiet past the 30-minute idle limit.
  s.clock().AdvanceMs(20 * kMinute);
  Sessions(s, admin);
  s.clock().AdvanceMs(11 * kMinute);
  Json list = Sessions(s, admin);
  EXPECT_EQ(list["total"], 1);
  EXPECT_TRUE(SessionOf(list, "clerk").is_null());
  EXPECT_EQ(s.Send("DELETE", "/api/v1/sessions/" + id, "", admin.headers).status, 404);

  for (std::string bad : {std::string("abc"), std::string(64, 'g'), std::string(63, 'a'), std::string(64, 'A')}) {
    auto r = s.Send("DELETE", "/api/v1/sessions/" + bad, "", admin.headers);
    EXPECT_EQ(r.status, 422) << bad;
    EXPECT_EQ(r.json()["error"]["field"], "id");
  }
  EXPECT_EQ(s.Send("DELETE", "/api/v1/sessions/" + std::string(64, 'a'), "", admin.headers).status, 404);
}

TEST(OnlineSessions, AScopedUserSeesAndEndsOnlySessionsInTheirSubtree) {
  TestServer s;
  s.SignInAsAdmin();
  Browser admin = CurrentBrowser(s);
  int64_t root = RootUnitId(s);
  auto town = AddUnit(s, root, "T1");
  auto village = AddUnit(s, town.id, "V1");
  auto other = AddUnit(s, root, "T2");
  int64_t town_admin = AddRole(s, "town_sessions", {"session:read", "session:revoke"}, "unit_and_below");
  int64_t readonly = BuiltinRoleId(s, "readonly");
  AddUser(s, "townadm", town.id, {town_admin});
  AddUser(s, "villager", village.id, {readonly});
  AddUser(s, "outsider", other.id, {readonly});
  ASSERT_EQ(s.SignIn("villager", kUserPassword).status, 200);
  Browser villager = CurrentBrowser(s);
  ASSERT_EQ(s.SignIn("outsider", kUserPassword).status, 200);
  Browser outsider = CurrentBrowser(s);
  ASSERT_EQ(s.SignIn("townadm", kUserPassword).status, 200);
  Browser townadm = CurrentBrowser(s);

  Json everyone = Sessions(s, admin);
  EXPECT_EQ(everyone["total"], 4);
  std::string outsider_id = SessionOf(everyone, "outsider")["id"];
  std::string villager_id = SessionOf(everyone, "villager")["id"];

  Json mine = Sessions(s, townadm);
  EXPECT_EQ(mine["total"], 2) << mine.dump();
  EXPECT_EQ(SessionOf(mine, "townadm")["current"], true);
  EXPECT_TRUE(SessionOf(mine, "villager").is_object());
  EXPECT_TRUE(SessionOf(mine, "outsider").is_null());
  EXPECT_TRUE(SessionOf(mine, "admin").is_null());

  // Outside the subtree is answered as if it did not exist, and nothing happens.
  auto refused = s.Send("DELETE", "/api/v1/sessions/" + outsider_id, "", townadm.headers);
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(refused.json()["error"]["code"], "not_found");
  EXPECT_EQ(s.Get("/api/v1/auth/me", outsider.headers).status, 200);

  EXPECT_EQ(s.Send("DELETE", "/api/v1/sessions/" + villager_id, "", townadm.headers).status, 204);
  EXPECT_EQ(s.Get("/api/v1/auth/me", villager.headers).status, 401);
}

}  // namespace
}  // namespace zb::testing
