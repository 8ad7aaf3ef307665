// db.h — the one database interface repositories are written against.
//
// SQL is written once with $1…$n placeholders; the SQLite adapter rewrites
// them to ?N. Times are BIGINT epoch milliseconds, dates 'YYYY-MM-DD' text,
// money BIGINT yuan. Driver errors never escape as exceptions: adapters map
// them to Status (unique violation → kAlreadyExists, foreign-key violation →
// kConflict, connection loss → kUnavailable, anything else → kInternal).
//
// Concurrency model:
//   * Pool::Read() leases a connection for reads. SQLite: one of N read-only
//     connections (WAL lets them run beside the writer). PostgreSQL: any
//     pooled connection.
//   * Pool::Begin() starts a write transaction. SQLite: the single writer
//     connection, BEGIN IMMEDIATE (writers queue on a mutex, not on
//     SQLITE_BUSY). PostgreSQL: a pooled connection, BEGIN.
//   * A Lease/Tx returns its connection to the pool when destroyed; a Tx that
//     is destroyed without Commit() rolls back.
//   * On both engines a statement that fails inside a Tx aborts it (as
//     PostgreSQL does natively): later statements and Commit() fail, nothing
//     is committed. Don't try-and-recover inside one Tx.
//   * Waiting for a connection is bounded by PoolOptions::busy_timeout_ms,
//     then kUnavailable.
//
// Fetched types: integers as int64_t (PostgreSQL int2/4/8, bool as 0/1, and
// numeric when integral, e.g. SUM(bigint)), floating point as double, the
// rest as text.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"

namespace zb::db {

enum class Dialect { kSqlite, kPostgres };
std::string_view DialectName(Dialect d);  // "sqlite" / "postgres"

// A bound parameter or a fetched value. Null is std::monostate.
using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Params = std::vector<Value>;

inline Value Null() { return std::monostate{}; }
template <typename T>
Value Opt(const std::optional<T>& v) { return v ? Value(*v) : Null(); }
// Booleans are stored as integer 0/1 on both engines.
inline Value OptBool(const std::optional<bool>& b) { return b ? Value(int64_t{*b ? 1 : 0}) : Null(); }

// One fetched row. Column access by index or by name; getters on NULL return
// the type's zero value, use IsNull()/Opt*() where NULL matters.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values);
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const;
  bool IsNull(std::string_view column) const;
  int64_t Int(size_t i) const;      // text is parsed; real is truncated
  int64_t Int(std::string_view column) const;
  double Double(size_t i) const;
  double Double(std::string_view column) const;
  std::string Text(size_t i) const;  // numbers are formatted
  std::string Text(std::string_view column) const;
  bool Bool(size_t i) const { return Int(i) != 0; }
  bool Bool(std::string_view column) const { return Int(column) != 0; }
  std::optional<int64_t> OptInt(std::string_view column) const;
  std::optional<std::string> OptText(std::string_view column) const;
  const Value& at(size_t i) const { return values_.at(i); }
  const std::vector<std::string>& columns() const { return *columns_; }

 private:
  size_t Index(std::string_view column) const;  // aborts on an unknown name: a programming error
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

// A row handed to Connection::Stream's callback: values by column index,
// read straight from the engine's buffers — no db::Row, no std::variant, no
// std::string per cell. Valid only during the callback (Text's view too).
// Conversions follow Row's: text is parsed for Int/Double, NULL reads as 0
// or "", booleans are 0/1.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual size_t size() const = 0;
  virtual bool IsNull(size_t i) const = 0;
  virtual int64_t Int(size_t i) const = 0;
  virtual double Double(size_t i) const = 0;
  virtual std::string_view Text(size_t i) const = 0;  // numbers in their text form
  bool Bool(size_t i) const { return Int(i) != 0; }
  std::optional<int64_t> OptInt(size_t i) const { return IsNull(i) ? std::nullopt : std::optional(Int(i)); }
  std::optional<std::string> OptText(size_t i) const {
    return IsNull(i) ? std::nullopt : std::optional(std::string(Text(i)));
  }
};

struct Result {
  std::vector<Row> rows;
  int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement with $1…$n parameters. Prepared statements are cached
  // per connection, keyed by SQL text.
  virtual StatusOr<Result> Query(std::string_view sql, const Params& params = {}) = 0;
  // Runs one statement and calls fn once per row, in order, without
  // building a Result: for reads of many rows (exports, recomputes). Stops
  // at, and returns, the first error fn returns (the statement is reset; a
  // transaction is not aborted by it — only an engine error aborts it).
  virtual Status Stream(std::string_view sql, const Params& params,
                        const std::function<Status(const RowView&)>& fn) = 0;
  // Convenience: Query and drop the rows.
  Status Exec(std::string_view sql, const Params& params = {});
  // Convenience: exactly zero or one row expected.
  StatusOr<std::optional<Row>> QueryOne(std::string_view sql, const Params& params = {});
  // Runs a script of several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  // Cheap liveness probe (SELECT 1).
  virtual Status Ping() = 0;
};

class Pool;

// A leased connection; returns it to the pool on destruction.
class Lease {
 public:
  Lease(Connection* conn, std::function<void(Connection*)> release);
  Lease(Lease&&) noexcept;
  Lease& operator=(Lease&&) noexcept;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();
  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_; }

 private:
  Connection* conn_;
  std::function<void(Connection*)> release_;
};

// A write transaction on a leased connection. Rolls back unless committed.
class Tx {
 public:
  explicit Tx(Lease lease);
  Tx(Tx&&) noexcept;
  Tx& operator=(Tx&&) = delete;
  ~Tx();
  Connection& conn() const { return *lease_; }
  Connection* operator->() const { return &*lease_; }
  Status Commit();
  Status Rollback();

 private:
  Lease lease_;
  bool open_ = true;
};

struct PoolOptions {
  int readers = 4;              // SQLite read connections / PostgreSQL pool size
  int busy_timeout_ms = 5000;   // SQLite busy_timeout; PostgreSQL lease wait
  std::string sqlite_synchronous = "FULL";  // FULL | NORMAL
};

class Pool {
 public:
  virtual ~Pool() = default;
  // url: "sqlite:PATH" (PATH may be ":memory:" only for single-connection use)
  // or "postgresql://…" / "postgres://…".
  static StatusOr<std::unique_ptr<Pool>> Open(const std::string& url, const PoolOptions& options = {});

  virtual Dialect dialect() const = 0;
  virtual StatusOr<Lease> Read() = 0;
  virtual StatusOr<Tx> Begin() = 0;
  // Closes every connection; waits for leases to come back.
  virtual void Close() = 0;
};

// SQLite: `conn` keeps up to `mib` MiB of pages while this lives, then its
// own setting back. For one bulk read or write that touches pages all over
// the file (an export, an import changing every row, the day's recompute of
// every plan): through SQLite's default 2 MiB it would read pages from the
// OS many times over and spill dirty ones into the WAL mid-transaction. The
// cache grows only as pages are touched. Nothing on PostgreSQL.
class LargerPageCache {
 public:
  LargerPageCache(Connection& conn, int64_t mib);
  ~LargerPageCache();
  LargerPageCache(const LargerPageCache&) = delete;
  LargerPageCache& operator=(const LargerPageCache&) = delete;

 private:
  Connection& conn_;
  std::optional<int64_t> pages_;  // the setting to restore
};

// Runs fn inside a write transaction; commits if fn returns OK, else rolls back
// and returns fn's status.
Status InTx(Pool& pool, const std::function<Status(Connection&)>& fn);

}  // namespace zb::db
