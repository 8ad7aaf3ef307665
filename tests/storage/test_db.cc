#include "storage/test_db.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <system_error>

namespace zb::testdb {

namespace {

constexpr std::string_view kPgPrefix = "zb_t_";

std::string RandomSuffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d_%u_%08x", static_cast<int>(getpid()), counter.fetch_add(1),
                static_cast<unsigned>(rd()));
  return buf;
}

// Splits "postgresql://user@host:port/db?x=y" around the database name.
struct PgUrlParts {
  std::string base;   // "postgresql://user@host:port"
  std::string db;     // "db"
  std::string query;  // "?x=y" or ""
};

std::optional<PgUrlParts> SplitPgUrl(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return std::nullopt;
  size_t start = scheme + 3;
  size_t q = url.find('?', start);
  size_t slash = url.find('/', start);
  if (slash != std::string::npos && q != std::string::npos && slash > q) slash = std::string::npos;
  size_t base_end = slash != std::string::npos ? slash : (q != std::string::npos ? q : url.size());
  PgUrlParts p;
  p.base = url.substr(0, base_end);
  if (slash != std::string::npos) {
    p.db = url.substr(slash + 1, (q == std::string::npos ? url.size() : q) - slash - 1);
  }
  if (q != std::string::npos) p.query = url.substr(q);
  return p;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  size_t b = s.find_first_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b);
}

// Runs one statement on the cluster's maintenance database.
Status OnCluster(const std::string& sql) {
  ZB_ASSIGN_OR_RETURN(std::string cluster, PostgresClusterUrl());
  db::PoolOptions options;
  options.readers = 1;
  ZB_ASSIGN_OR_RETURN(auto pool, db::Pool::Open(cluster, options));
  Status s;
  {
    auto lease = pool->Read();
    if (!lease.ok()) return lease.status();
    // CREATE/DROP DATABASE cannot run in a transaction block: a plain script.
    s = (*lease)->ExecScript(sql);
  }
  pool->Close();
  return s;
}

}  // namespace

StatusOr<std::string> PostgresClusterUrl() {
  if (const char* url = std::getenv("ZB_TEST_PG_URL"); url && *url) return std::string(url);
  const char* file = std::getenv("ZB_TEST_PG_URL_FILE");
  if (file == nullptr || *file == '\0') {
    return Unavailable(
        "PostgreSQL test cluster not configured: set ZB_TEST_PG_URL_FILE (ctest does, after "
        "scripts/pg-test-cluster start) or ZB_TEST_PG_URL. Run: cd build && ctest -R 'pg_cluster|storage'");
  }
  std::ifstream in(file);
  std::string url;
  if (!in || !std::getline(in, url) || Trim(url).empty()) {
    return Unavailable(std::string("PostgreSQL test cluster URL file ") + file +
                       " is missing or empty: did the pg_cluster_start test (scripts/pg-test-cluster start) fail?");
  }
  return Trim(url);
}

StatusOr<std::string> FreshDatabaseUrl(db::Dialect dialect) {
  if (dialect == db::Dialect::kSqlite) {
    std::error_code ec;
    auto dir = std::filesystem::temp_directory_path(ec);
    if (ec) return Internal("no temp directory: " + ec.message());
    return "sqlite:" + (dir / ("zb_t_" + RandomSuffix() + ".db")).string();
  }
  ZB_ASSIGN_OR_RETURN(std::string cluster, PostgresClusterUrl());
  auto parts = SplitPgUrl(cluster);
  if (!parts) return Internal("cannot parse the PostgreSQL cluster URL: " + cluster);
  std::string name = std::string(kPgPrefix) + RandomSuffix();
  ZB_RETURN_IF_ERROR(OnCluster("CREATE DATABASE \"" + name + "\""));
  return parts->base + "/" + name + parts->query;
}

Status DropDatabase(const std::string& url) {
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(7);
    if (path == ":memory:") return Status();
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
    return Status();
  }
  auto parts = SplitPgUrl(url);
  if (!parts) return Internal("cannot parse database URL " + url);
  if (!parts->db.starts_with(kPgPrefix) ||
      parts->db.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
    return Internal("refusing to drop database '" + parts->db + "': not made by FreshDatabaseUrl");
  }
  return OnCluster("DROP DATABASE IF EXISTS \"" + parts->db + "\" WITH (FORCE)");
}

std::optional<db::Dialect> ParseDialect(std::string_view name) {
  if (name == "sqlite") return db::Dialect::kSqlite;
  if (name == "postgres" || name == "postgresql" || name == "pg") return db::Dialect::kPostgres;
  return std::nullopt;
}

StatusOr<std::unique_ptr<TestDatabase>> TestDatabase::Create(db::Dialect dialect) {
  ZB_ASSIGN_OR_RETURN(std::string url, FreshDatabaseUrl(dialect));
  return std::unique_ptr<TestDatabase>(new TestDatabase(dialect, std::move(url)));
}

TestDatabase::~TestDatabase() {
  Status s = DropDatabase(url_);
  if (!s.ok()) std::fprintf(stderr, "TestDatabase: could not drop %s: %s\n", url_.c_str(), s.ToString().c_str());
}

}  // namespace zb::testdb
