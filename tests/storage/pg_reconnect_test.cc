// PostgreSQL only: the pool survives the server dropping its connections.
// These fail (not skip) when the test cluster is unavailable.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "storage/storage_fixture.h"

namespace zb::storage_test {
namespace {

class PgReconnectTest : public DbTest<Postgres> {
 protected:
  void SetUp() override {
    DbTest<Postgres>::SetUp();
    if (HasFatalFailure()) return;
    db::PoolOptions options;
    options.readers = 1;  // one connection, so every lease reuses it
    auto p = OpenPool(options);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    single_ = std::move(*p);
  }
  void TearDown() override {
    if (single_) single_->Close();
    single_.reset();
    DbTest<Postgres>::TearDown();
  }

  static StatusOr<int64_t> BackendPid(db::Connection& c) {
    ZB_ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT pg_backend_pid() AS pid"));
    return row->Int("pid");
  }

  // Terminates `pid` from another connection and waits until it is gone.
  void Kill(int64_t pid) {
    ZB_ASSERT_OK_AND_ASSIGN(db::Lease admin, pool().Read());
    ZB_ASSERT_OK_AND_ASSIGN(auto killed, admin->QueryOne("SELECT pg_terminate_backend($1) AS ok", {pid}));
    ASSERT_TRUE(killed->Bool("ok"));
    for (int i = 0; i < 100; ++i) {
      ZB_ASSERT_OK_AND_ASSIGN(auto row,
                              admin->QueryOne("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE pid = $1", {pid}));
      if (row->Int("n") == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "backend " << pid << " did not exit";
  }

  std::unique_ptr<db::Pool> single_;
};

TEST_F(PgReconnectTest, NextLeaseReconnectsAfterTheBackendWasTerminated) {
  int64_t pid = 0;
  {
    ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, single_->Read());
    ZB_ASSERT_OK_AND_ASSIGN(pid, BackendPid(*lease));
    ZB_ASSERT_OK(lease->Exec("SELECT $1 AS warm", {"prepared statements cached"}));
  }
  Kill(pid);
  if (HasFatalFailure()) return;
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, single_->Read());
  ZB_ASSERT_OK_AND_ASSIGN(int64_t again, BackendPid(*lease));
  EXPECT_NE(again, pid);
  // Statements prepared on the old session are prepared afresh.
  ZB_EXPECT_OK(lease->Exec("SELECT $1 AS warm", {"prepared statements cached"}));
}

TEST_F(PgReconnectTest, QueryOnAKilledLeaseIsUnavailableThenTheNextLeaseWorks) {
  {
    ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, single_->Read());
    ZB_ASSERT_OK_AND_ASSIGN(int64_t pid, BackendPid(*lease));
    Kill(pid);
    if (HasFatalFailure()) return;
    auto r = lease->Query("SELECT 1 AS one");
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
  }
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, single_->Read());
  ZB_EXPECT_OK(lease->Ping());
}

TEST_F(PgReconnectTest, TransactionKilledMidwayFailsCleanly) {
  ZB_ASSERT_OK(db::Migrate(*single_).status());
  {
    ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, single_->Begin());
    ZB_ASSERT_OK(
        tx->Exec("INSERT INTO org_units (name, code, kind, path, created_at, updated_at) "
                 "VALUES ('x', 'X', 'city', '/', 1, 1)"));
    ZB_ASSERT_OK_AND_ASSIGN(int64_t pid, BackendPid(tx.conn()));
    Kill(pid);
    if (HasFatalFailure()) return;
    Status commit = tx.Commit();
    EXPECT_EQ(commit.code(), StatusCode::kUnavailable) << commit.ToString();
  }
  ZB_ASSERT_OK(db::InTx(*single_, [](db::Connection& c) {
    return c.Exec(
        "INSERT INTO org_units (name, code, kind, path, created_at, updated_at) "
        "VALUES ('y', 'Y', 'city', '/', 1, 1)");
  }));
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, single_->Read());
  ZB_ASSERT_OK_AND_ASSIGN(auto row, lease->QueryOne("SELECT COUNT(*) AS n, MIN(code) AS c FROM org_units"));
  EXPECT_EQ(row->Int("n"), 1);
  EXPECT_EQ(row->Text("c"), "Y");
}

// A serialization failure (SQLSTATE 40001) is kUnavailable: retry later.
TEST_F(PgReconnectTest, SerializationFailureIsUnavailable) {
  ZB_ASSERT_OK(ExecTx("CREATE TABLE acct (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"));
  ZB_ASSERT_OK(ExecTx("INSERT INTO acct (id, n) VALUES (1, 0)"));
  ZB_ASSERT_OK_AND_ASSIGN(db::Tx first, pool().Begin());
  ZB_ASSERT_OK(first->Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
  ZB_ASSERT_OK(first->Exec("SELECT n FROM acct WHERE id = 1"));
  ZB_ASSERT_OK(ExecTx("UPDATE acct SET n = n + 1 WHERE id = 1"));
  Status s = first->Exec("UPDATE acct SET n = n + 10 WHERE id = 1");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("40001"), std::string::npos) << s.ToString();
}

TEST(PgPool, UnreachableServerIsUnavailable) {
  auto pool = db::Pool::Open("postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2");
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), StatusCode::kUnavailable) << pool.status().ToString();
}

TEST(PgPool, TestClusterIsConfigured) {
  // Says plainly why every Postgres test fails when run outside ctest.
  auto url = testdb::PostgresClusterUrl();
  EXPECT_TRUE(url.ok()) << url.status().ToString();
}

}  // namespace
}  // namespace zb::storage_test
