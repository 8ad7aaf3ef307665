#include "storage/migrations.h"

#include <chrono>
#include <string>

namespace zb::db {

namespace {

constexpr char kCreateSchemaVersion[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

// Serialises concurrent Migrate() calls from several processes on
// PostgreSQL (SQLite's BEGIN IMMEDIATE already does). Held until the
// transaction ends.
constexpr char kPgMigrationLock[] = "SELECT pg_advisory_xact_lock(7205307615210771)";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status Lock(Connection& c) {
  if (c.dialect() == Dialect::kPostgres) return c.Exec(kPgMigrationLock);
  return Status();
}

StatusOr<int> MaxVersion(Connection& c) {
  ZB_ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version"));
  return row ? static_cast<int>(row->Int(0)) : 0;
}

Status NewerThanBinary(int db_version, int latest) {
  std::string d = std::to_string(db_version);
  std::string b = std::to_string(latest);
  return Conflict("数据库结构版本 " + d + " 比本程序支持的版本 " + b + " 新,请升级 zhuanban (database schema version " +
                  d + " is newer than this binary's " + b + ")");
}

Status CheckOrder(const std::vector<Migration>& ms) {
  for (size_t i = 1; i < ms.size(); ++i) {
    if (ms[i].version <= ms[i - 1].version) {
      return Internal(std::string("迁移版本号重复或无序 (migration ") + ms[i].name + " does not follow " +
                      ms[i - 1].name + ")");
    }
  }
  return Status();
}

}  // namespace

const std::vector<Migration>& MigrationsFor(Dialect d) {
  return d == Dialect::kPostgres ? EmbeddedMigrations_postgres() : EmbeddedMigrations_sqlite();
}

int LatestVersion(Dialect d) {
  const auto& ms = MigrationsFor(d);
  return ms.empty() ? 0 : ms.back().version;
}

StatusOr<int> CurrentVersion(Pool& pool) {
  ZB_ASSIGN_OR_RETURN(Lease lease, pool.Read());
  const char* exists_sql = pool.dialect() == Dialect::kPostgres
                               ? "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
                                 "AND tablename = 'schema_version'"
                               : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
  ZB_ASSIGN_OR_RETURN(auto exists, lease->QueryOne(exists_sql));
  if (!exists) return 0;
  return MaxVersion(*lease);
}

StatusOr<MigrateReport> Migrate(Pool& pool) {
  const std::vector<Migration>& migrations = MigrationsFor(pool.dialect());
  ZB_RETURN_IF_ERROR(CheckOrder(migrations));
  const int latest = LatestVersion(pool.dialect());

  MigrateReport report;
  {
    ZB_ASSIGN_OR_RETURN(Tx tx, pool.Begin());
    ZB_RETURN_IF_ERROR(Lock(tx.conn()));
    ZB_RETURN_IF_ERROR(tx->Exec(kCreateSchemaVersion));
    ZB_ASSIGN_OR_RETURN(report.from_version, MaxVersion(tx.conn()));
    ZB_RETURN_IF_ERROR(tx.Commit());
  }
  if (report.from_version > latest) return NewerThanBinary(report.from_version, latest);
  report.to_version = report.from_version;

  for (const Migration& m : migrations) {
    if (m.version <= report.to_version) continue;
    ZB_ASSIGN_OR_RETURN(Tx tx, pool.Begin());
    ZB_RETURN_IF_ERROR(Lock(tx.conn()));
    // Another process may have migrated since we looked.
    ZB_ASSIGN_OR_RETURN(int now_version, MaxVersion(tx.conn()));
    if (now_version > latest) return NewerThanBinary(now_version, latest);
    if (now_version >= m.version) {
      report.to_version = now_version;
      continue;
    }
    Status s = tx->ExecScript(m.sql);
    if (s.ok()) {
      s = tx->Exec("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                   {int64_t{m.version}, std::string(m.name), NowMs()});
    }
    if (s.ok()) s = tx.Commit();
    if (!s.ok()) {
      return Status(s.code(), std::string("数据库迁移 ") + m.name + " 失败 (migration failed): " + s.message(),
                    s.field());
    }
    report.applied.emplace_back(m.name);
    report.to_version = m.version;
  }
  return report;
}

}  // namespace zb::db
