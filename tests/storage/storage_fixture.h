// The typed fixture every storage contract test runs under: each test body
// is written once and runs on SQLite and on PostgreSQL, each on a fresh
// database. PostgreSQL tests fail (not skip) when the test cluster is not
// available.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/db.h"
#include "storage/migrations.h"
#include "storage/test_db.h"

#define ZB_ASSERT_OK(expr)                       \
  do {                                           \
    ::zb::Status zb_s_ = (expr);                 \
    ASSERT_TRUE(zb_s_.ok()) << zb_s_.ToString(); \
  } while (0)
#define ZB_EXPECT_OK(expr)                       \
  do {                                           \
    ::zb::Status zb_s_ = (expr);                 \
    EXPECT_TRUE(zb_s_.ok()) << zb_s_.ToString(); \
  } while (0)
// ZB_ASSERT_OK_AND_ASSIGN(auto x, Expr()) in a void test body.
#define ZB_ASSERT_OK_AND_ASSIGN(lhs, expr) ZB_ASSERT_OK_AND_ASSIGN_IMPL_(ZB_CONCAT_(zb_sor_, __LINE__), lhs, expr)
#define ZB_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();   \
  lhs = std::move(tmp).value()

namespace zb::storage_test {

struct Sqlite {
  static constexpr db::Dialect kDialect = db::Dialect::kSqlite;
};
struct Postgres {
  static constexpr db::Dialect kDialect = db::Dialect::kPostgres;
};
using Engines = ::testing::Types<Sqlite, Postgres>;

struct EngineName {
  template <typename T>
  static std::string GetName(int) {
    return std::string(db::DialectName(T::kDialect));
  }
};

// A fresh, empty database and a pool on it. Migrated() additionally applies
// the migrations.
template <typename Engine>
class DbTest : public ::testing::Test {
 protected:
  static constexpr db::Dialect kDialect = Engine::kDialect;

  void SetUp() override {
    auto database = testdb::TestDatabase::Create(kDialect);
    ASSERT_TRUE(database.ok()) << "cannot create a " << db::DialectName(kDialect)
                               << " test database: " << database.status().ToString();
    database_ = std::move(*database);
    auto pool = OpenPool();
    ASSERT_TRUE(pool.ok()) << pool.status().ToString();
    pool_ = std::move(*pool);
    if (ShouldMigrate()) {
      auto report = db::Migrate(*pool_);
      ASSERT_TRUE(report.ok()) << report.status().ToString();
    }
  }

  void TearDown() override {
    if (pool_) pool_->Close();
    pool_.reset();
    database_.reset();
  }

  virtual bool ShouldMigrate() const { return false; }

  // Another pool on the same database, e.g. with different options.
  StatusOr<std::unique_ptr<db::Pool>> OpenPool(const db::PoolOptions& options = {}) {
    return db::Pool::Open(database_->url(), options);
  }

  db::Pool& pool() { return *pool_; }
  const std::string& url() const { return database_->url(); }

  // Test-only tables differ in DDL; repository SQL never does.
  static const char* Ddl(const char* sqlite, const char* postgres) {
    return kDialect == db::Dialect::kSqlite ? sqlite : postgres;
  }

  // Runs one statement in its own transaction.
  Status ExecTx(const std::string& sql, const db::Params& params = {}) {
    return db::InTx(pool(), [&](db::Connection& c) { return c.Exec(sql, params); });
  }

  StatusOr<int64_t> Count(const std::string& table) {
    ZB_ASSIGN_OR_RETURN(db::Lease lease, pool().Read());
    ZB_ASSIGN_OR_RETURN(auto row, lease->QueryOne("SELECT COUNT(*) AS n FROM " + table));
    return row ? row->Int("n") : -1;
  }

 private:
  std::unique_ptr<testdb::TestDatabase> database_;
  std::unique_ptr<db::Pool> pool_;
};

template <typename Engine>
class MigratedDbTest : public DbTest<Engine> {
 protected:
  bool ShouldMigrate() const override { return true; }
};

}  // namespace zb::storage_test
