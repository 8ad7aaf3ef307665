// The 问题台账 list never answers from before a write (storage/ledger_versions.h,
// issue 6): its answers are cached per data version, and on PostgreSQL the
// version comes from a LISTENing connection instead of a read per request.
// A write through another connection, by another process, or while the
// listener is lost is seen by the list — on both engines where it applies.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "api/problem_fixture.h"
#include "storage/ledger_versions.h"

namespace zb::testing {
namespace {

class LedgerVersionWatch : public ProblemFixture {
 protected:
  void SetUp() override {
    const int64_t root = RootUnitId(s_);
    firm_ = Firm("示例科技有限公司", "914403001922038216", root);
    item_ = ProblemFixture::Raise("admin", {{"title", "原标题"}, {"enterprise_id", firm_}, {"source", "visit"}});
    id_ = std::to_string(item_["id"].get<int64_t>());
  }

  // The title the list shows for the item (warms the list's cache too).
  std::string ListedTitle() {
    auto r = Get("admin", "/api/v1/problems?facets=true");
    EXPECT_EQ(r.status, 200) << r.body;
    const Json body = r.json();
    if (body["items"].size() != 1) return "?";
    return body["items"][0]["title"].get<std::string>();
  }

  // The SQL run by another process: psql or the sqlite3 shell.
  void ExecElsewhere(const std::string& sql) {
    std::string command;
    if (TestEngine() == "postgres") {
      command = "psql -X -q -v ON_ERROR_STOP=1 '" + s_.db_url() + "' -c \"" + sql + "\" >/dev/null";
    } else {
      ASSERT_TRUE(s_.db_url().starts_with("sqlite:"));
      command = "sqlite3 -bail '" + s_.db_url().substr(7) + "' \"" + sql + "\" >/dev/null";
    }
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  void RetitleElsewhere(const std::string& title) {
    ExecElsewhere("UPDATE problems SET title = '" + title + "' WHERE id = " + id_);
  }

  std::shared_ptr<storage::LedgerVersionFeed> Feed() { return storage::LedgerFeedOf(s_.app().pool()); }

  // On PostgreSQL: waits (a bounded while) until the listener is healthy.
  void AwaitListener() {
    if (TestEngine() != "postgres") return;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!(Feed() && Feed()->healthy()) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(Feed() && Feed()->healthy());
  }

  // Asks for the list until it shows `title` (a bounded while): what another
  // process wrote arrives by notification, after its commit.
  std::string AwaitTitle(const std::string& title) {
    std::string seen;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    do {
      seen = ListedTitle();
      if (seen == title) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } while (std::chrono::steady_clock::now() < deadline);
    return seen;
  }

  int64_t firm_ = 0;
  Json item_;
  std::string id_;
};

TEST_F(LedgerVersionWatch, AWriteThroughAnotherPoolIsSeenByTheNextList) {
  AwaitListener();
  EXPECT_EQ(ListedTitle(), "原标题");
  // Another pool on the same database in this process: its commit returns
  // before the list is asked again, so the next answer must include it.
  auto other = db::Pool::Open(s_.db_url());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  for (const std::string title : {"第二个标题", "第三个标题"}) {
    ASSERT_TRUE(db::InTx(**other, [&](db::Connection& c) {
                  return c.Exec("UPDATE problems SET title = $1 WHERE id = $2", {title, item_["id"].get<int64_t>()});
                }).ok());
    EXPECT_EQ(ListedTitle(), title);
    EXPECT_EQ(ListedTitle(), title);  // and the answer now cached is the new one
  }
  (*other)->Close();
}

TEST_F(LedgerVersionWatch, AWriteByAnotherProcessIsSeen) {
  AwaitListener();
  EXPECT_EQ(ListedTitle(), "原标题");
  RetitleElsewhere("别处改的标题");
  if (TestEngine() == "sqlite") {
    EXPECT_EQ(ListedTitle(), "别处改的标题");  // the version is read per request
    return;
  }
  // PostgreSQL: the notification brings it, while the listener answers.
  EXPECT_EQ(AwaitTitle("别处改的标题"), "别处改的标题");
  EXPECT_TRUE(Feed()->healthy());
  EXPECT_TRUE(Feed()->Current(storage::LocalCommits()).has_value()) << "requests read the version themselves";
}

TEST_F(LedgerVersionWatch, WithoutAHealthyListenerEachListReadsTheVersion) {
  if (TestEngine() != "postgres") GTEST_SKIP() << "the listener is PostgreSQL's";
  AwaitListener();
  // A feed of our own in place of the server's listener, at today's versions.
  auto fake = std::make_shared<storage::LedgerVersionFeed>();
  {
    auto conn = s_.app().pool().Read();
    ASSERT_TRUE(conn.ok());
    const uint64_t commits = storage::LocalCommits();
    auto v = storage::ReadLedgerVersions(**conn);
    ASSERT_TRUE(v.ok());
    fake->Synced(*v, commits);
  }
  auto real = Feed();
  storage::AttachLedgerFeed(s_.app().pool(), fake);
  EXPECT_EQ(ListedTitle(), "原标题");
  // Told of nothing, a healthy feed is trusted: this is what a request sees
  // between another process's commit and its notification.
  RetitleElsewhere("未通知的标题");
  EXPECT_EQ(ListedTitle(), "原标题");
  // Lost: every request reads the version itself, and sees the write.
  fake->Lost();
  EXPECT_EQ(ListedTitle(), "未通知的标题");
  RetitleElsewhere("又一个标题");
  EXPECT_EQ(ListedTitle(), "又一个标题");
  storage::AttachLedgerFeed(s_.app().pool(), real);
}

TEST_F(LedgerVersionWatch, TheListenerReconnectsAfterItsBackendIsTerminated) {
  if (TestEngine() != "postgres") GTEST_SKIP() << "the listener is PostgreSQL's";
  AwaitListener();
  EXPECT_EQ(ListedTitle(), "原标题");
  const uint64_t losses = Feed()->losses();
  ExecElsewhere(
      "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
      "WHERE application_name = 'zhuanban-listener' AND datname = current_database()");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (Feed()->losses() == losses && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_GT(Feed()->losses(), losses) << "the listener did not notice";
  // Lost (reading per request) or reconnected (read afresh): either way the
  // next answer after a write includes it.
  RetitleElsewhere("断线时改的标题");
  EXPECT_EQ(ListedTitle(), "断线时改的标题");
  // Back to listening: later writes still arrive.
  AwaitListener();
  RetitleElsewhere("重连后改的标题");
  EXPECT_EQ(AwaitTitle("重连后改的标题"), "重连后改的标题");
  EXPECT_TRUE(Feed()->Current(storage::LocalCommits()).has_value());
}

}  // namespace
}  // namespace zb::testing
