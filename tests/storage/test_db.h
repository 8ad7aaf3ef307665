// Throwaway databases for tests: any suite (storage contract tests, API
// tests) gets a fresh, empty database of either engine and drops it after.
//
// PostgreSQL comes from the test cluster that ctest starts with
// scripts/pg-test-cluster (fixture "pg"): its URL is read from the file named
// by ZB_TEST_PG_URL_FILE, or taken from ZB_TEST_PG_URL. When neither is set
// the PostgreSQL helpers return an error saying so — callers must fail the
// test, never skip it.
//
// Not thread-safe to share a TestDatabase; creating several at once is fine.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/db.h"

namespace zb::testdb {

// The cluster's maintenance URL ("postgresql://postgres@127.0.0.1:PORT/postgres").
StatusOr<std::string> PostgresClusterUrl();

// A new empty database: "sqlite:<unique file in the temp dir>", or for
// PostgreSQL a CREATE DATABASE zb_t_<random> on the cluster and its URL.
StatusOr<std::string> FreshDatabaseUrl(db::Dialect dialect);

// Removes what FreshDatabaseUrl made: the SQLite file with its -wal/-shm, or
// DROP DATABASE … WITH (FORCE). Refuses PostgreSQL databases not named zb_t_*.
Status DropDatabase(const std::string& url);

// "sqlite" / "postgres" (also "postgresql", "pg"), e.g. from ZB_TEST_DB.
std::optional<db::Dialect> ParseDialect(std::string_view name);

// A fresh database dropped on destruction (close your pools first).
class TestDatabase {
 public:
  static StatusOr<std::unique_ptr<TestDatabase>> Create(db::Dialect dialect);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  db::Dialect dialect() const { return dialect_; }

 private:
  TestDatabase(db::Dialect dialect, std::string url) : dialect_(dialect), url_(std::move(url)) {}
  db::Dialect dialect_;
  std::string url_;
};

}  // namespace zb::testdb
