// 站内消息: who a notice reaches (storage/notification_repo.h, which the
// workflow and the daily job call inside their transactions) and the
// inbox routes /api/v1/notifications* — each user reads and marks only
// their own.
#include <gtest/gtest.h>

#include <string>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "storage/notification_repo.h"

namespace zb::testing {
namespace {

class Notifications : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.SignInAsAdmin();
    int64_t root = RootUnitId(s_);
    unit_a_ = AddUnit(s_, root, "A").id;
    unit_b_ = AddUnit(s_, root, "B").id;
    int64_t plain = AddRole(s_, "plain", {}, "self");
    alice_ = AddUser(s_, "alice", unit_a_, {plain});
    amy_ = AddUser(s_, "amy", unit_a_, {plain});
    bob_ = AddUser(s_, "bob", unit_b_, {plain});
    gone_ = AddUser(s_, "gone", unit_a_, {plain});
    Exec("UPDATE users SET active = 0 WHERE id = " + std::to_string(gone_));
  }

  void Exec(const std::string& sql) {
    MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int> {
      ZB_RETURN_IF_ERROR(c.Exec(sql));
      return 0;
    });
  }

  // A notice about problem `entity` to the units, written as the workflow does.
  int64_t ToUnits(std::vector<int64_t> units, const std::string& title, int64_t entity = 7,
                  std::optional<int64_t> actor = {}) {
    return MakeInDb(s_, [&](db::Connection& c) {
      return storage::NotifyUnits(c, units,
                                  {.kind = "problem.assigned", .title = title, .entity_type = "problem",
                                   .entity_id = entity},
                                  s_.clock().NowMs(), actor);
    });
  }

  void SignInAs(const std::string& login) { ASSERT_EQ(s_.SignIn(login, kUserPassword).status, 200) << login; }

  TestServer s_;
  int64_t unit_a_ = 0, unit_b_ = 0, alice_ = 0, amy_ = 0, bob_ = 0, gone_ = 0;
};

TEST_F(Notifications, AUnitsActiveUsersAreToldOnceAndNotTheActor) {
  // Unit A twice and unit B: alice, amy and bob once each; the inactive user never.
  EXPECT_EQ(ToUnits({unit_a_, unit_b_, unit_a_}, "问题「供电接入」已交办给贵单位"), 3);
  // The actor (amy) is not told about her own action.
  EXPECT_EQ(ToUnits({unit_a_}, "第二条", 7, amy_), 1);
  EXPECT_EQ(ToUnits({}, "无人"), 0);

  SignInAs("alice");
  auto mine = s_.Get("/api/v1/notifications");
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.json()["total"], 2);
  SignInAs("amy");
  EXPECT_EQ(s_.Get("/api/v1/notifications").json()["total"], 1);
  SignInAs("bob");
  auto bobs = s_.Get("/api/v1/notifications").json();
  ASSERT_EQ(bobs["items"].size(), 1u);
  EXPECT_EQ(bobs["items"][0]["title"], "问题「供电接入」已交办给贵单位");
  EXPECT_EQ(bobs["items"][0]["kind"], "problem.assigned");
  EXPECT_EQ(bobs["items"][0]["entity_type"], "problem");
  EXPECT_EQ(bobs["items"][0]["entity_id"], 7);
  EXPECT_TRUE(bobs["items"][0]["read_at"].is_null());
}

TEST_F(Notifications, AnEnterprisesUsersAndNamedUsers) {
  auto firm = s_.SendJson("POST", "/api/v1/enterprises",
                          {{"name", "示例科技有限公司"}, {"credit_code", kValidCreditCode}, {"org_unit_id", unit_b_}});
  ASSERT_EQ(firm.status, 201) << firm.body;
  int64_t firm_id = firm.json()["id"];
  Exec("UPDATE users SET enterprise_id = " + std::to_string(firm_id) + " WHERE id = " + std::to_string(bob_));
  int64_t told = MakeInDb(s_, [&](db::Connection& c) {
    return storage::NotifyEnterprise(c, firm_id, {.kind = "problem.status", .title = "您提交的问题已受理"},
                                     s_.clock().NowMs());
  });
  EXPECT_EQ(told, 1);
  told = MakeInDb(s_, [&](db::Connection& c) {
    return storage::NotifyUsers(c, {alice_, alice_, gone_}, {.kind = "problem.status", .title = "点名"},
                                s_.clock().NowMs());
  });
  EXPECT_EQ(told, 1);  // alice once; the inactive user not at all

  SignInAs("bob");
  auto bobs = s_.Get("/api/v1/notifications").json();
  ASSERT_EQ(bobs["items"].size(), 1u);
  EXPECT_EQ(bobs["items"][0]["title"], "您提交的问题已受理");
  EXPECT_TRUE(bobs["items"][0]["entity_type"].is_null());  // a notice about nothing in particular
  EXPECT_TRUE(bobs["items"][0]["entity_id"].is_null());
}

TEST_F(Notifications, TheInboxIsNewestFirstWithUnreadCounts) {
  for (int i = 1; i <= 3; ++i) {
    ToUnits({unit_a_}, "消息" + std::to_string(i), i);
    s_.clock().AdvanceMs(60'000);
  }
  SignInAs("alice");
  auto page = s_.Get("/api/v1/notifications?page=1&page_size=2");
  ASSERT_EQ(page.status, 200) << page.body;
  Json p = page.json();
  EXPECT_EQ(p["total"], 3);
  EXPECT_EQ(p["unread"], 3);
  EXPECT_EQ(p["page_size"], 2);
  ASSERT_EQ(p["items"].size(), 2u);
  EXPECT_EQ(p["items"][0]["title"], "消息3");
  EXPECT_EQ(p["items"][1]["title"], "消息2");
  auto second = s_.Get("/api/v1/notifications?page=2&page_size=2").json();
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["title"], "消息1");
  EXPECT_EQ(s_.Get("/api/v1/notifications/unread-count").json()["unread"], 3);

  // Reading the newest leaves two unread; the unread filter lists them.
  int64_t newest = p["items"][0]["id"];
  auto read = s_.Send("POST", "/api/v1/notifications/" + std::to_string(newest) + "/read", "");
  EXPECT_EQ(read.status, 204) << read.body;
  EXPECT_EQ(s_.Get("/api/v1/notifications/unread-count").json()["unread"], 2);
  auto unread = s_.Get("/api/v1/notifications?unread=true").json();
  EXPECT_EQ(unread["total"], 2);
  EXPECT_EQ(unread["unread"], 2);
  ASSERT_EQ(unread["items"].size(), 2u);
  EXPECT_EQ(unread["items"][0]["title"], "消息2");
  auto all = s_.Get("/api/v1/notifications").json();
  EXPECT_EQ(all["total"], 3);
  std::string read_at = all["items"][0]["read_at"];
  EXPECT_FALSE(read_at.empty());

  // Marking it again is a no-op: still 204, the first reading's time kept.
  s_.clock().AdvanceMs(60'000);
  EXPECT_EQ(s_.Send("POST", "/api/v1/notifications/" + std::to_string(newest) + "/read", "").status, 204);
  EXPECT_EQ(s_.Get("/api/v1/notifications").json()["items"][0]["read_at"], read_at);

  auto all_read = s_.Send("POST", "/api/v1/notifications/read-all", "");
  ASSERT_EQ(all_read.status, 200) << all_read.body;
  EXPECT_EQ(all_read.json()["updated"], 2);
  EXPECT_EQ(s_.Get("/api/v1/notifications/unread-count").json()["unread"], 0);
  EXPECT_EQ(s_.Send("POST", "/api/v1/notifications/read-all", "").json()["updated"], 0);
}

TEST_F(Notifications, AnotherUsersNoticeIsNotFound) {
  ToUnits({unit_b_}, "给 B 的消息");
  SignInAs("bob");
  int64_t bobs = s_.Get("/api/v1/notifications").json()["items"][0]["id"];

  SignInAs("alice");
  auto theirs = s_.Send("POST", "/api/v1/notifications/" + std::to_string(bobs) + "/read", "");
  EXPECT_EQ(theirs.status, 404) << theirs.body;
  EXPECT_EQ(theirs.json()["error"]["field"], "id");
  EXPECT_EQ(s_.Send("POST", "/api/v1/notifications/999999/read", "").status, 404);
  EXPECT_EQ(s_.Send("POST", "/api/v1/notifications/abc/read", "").status / 100, 4);
  EXPECT_EQ(s_.Send("POST", "/api/v1/notifications/read-all", "").json()["updated"], 0);
  EXPECT_EQ(s_.Get("/api/v1/notifications").json()["total"], 0);
  auto bad = s_.Get("/api/v1/notifications?unread=maybe");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(s_.Get("/api/v1/notifications?page_size=0").status, 422);

  SignInAs("bob");  // alice's attempts left bob's notice unread
  EXPECT_EQ(s_.Get("/api/v1/notifications/unread-count").json()["unread"], 1);
}

}  // namespace
}  // namespace zb::testing
