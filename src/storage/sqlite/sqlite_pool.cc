#include "storage/sqlite/sqlite_pool.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/sql_text.h"
#include "storage/sqlite/search_grams.h"

namespace zb::db {

namespace {

// Statements cached per connection before the cache is flushed; repositories
// use a bounded set of SQL texts, so this only guards against dynamic SQL.
constexpr size_t kMaxCachedStatements = 512;

Status MapSqliteError(int extended_code, std::string_view message) {
  if (extended_code == SQLITE_CONSTRAINT_UNIQUE || extended_code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    // "UNIQUE constraint failed: org_units.code"
    std::string_view cols = message;
    size_t colon = cols.find(": ");
    if (colon != std::string_view::npos) cols.remove_prefix(colon + 2);
    return internal::UniqueViolation(cols);
  }
  if (extended_code == SQLITE_CONSTRAINT_FOREIGNKEY) return internal::ForeignKeyViolation("");
  const int primary = extended_code & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Unavailable("数据库忙,请稍后重试 (sqlite: " + std::string(message) + ")");
  }
  return Internal("数据库错误 (sqlite: " + std::string(message) + ")");
}

// True when what follows a statement is only whitespace, ';' and comments.
bool NothingMore(const char* p) {
  while (p && *p) {
    if (std::isspace(static_cast<unsigned char>(*p)) || *p == ';') {
      ++p;
    } else if (p[0] == '-' && p[1] == '-') {
      while (*p && *p != '\n') ++p;
    } else if (p[0] == '/' && p[1] == '*') {
      const char* end = std::strstr(p + 2, "*/");
      if (end == nullptr) return true;
      p = end + 2;
    } else {
      return false;
    }
  }
  return true;
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override { Close(); }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }

  StatusOr<Result> Query(std::string_view sql, const Params& params) override {
    if (db_ == nullptr) return Unavailable("数据库连接已关闭 (connection closed)");
    if (aborted_) {
      ZB_RETURN_IF_ERROR(HandleAborted(sql));
      if (sqlite3_get_autocommit(db_)) return Result{};  // ROLLBACK with nothing left to roll back
    }
    const bool in_tx = sqlite3_get_autocommit(db_) == 0;
    auto r = Run(sql, params);
    if (!r.ok() && in_tx) aborted_ = true;
    return r;
  }

  Status Stream(std::string_view sql, const Params& params,
                const std::function<Status(const RowView&)>& fn) override {
    if (db_ == nullptr) return Unavailable("数据库连接已关闭 (connection closed)");
    if (aborted_) {
      ZB_RETURN_IF_ERROR(HandleAborted(sql));
      if (sqlite3_get_autocommit(db_)) return Status();
    }
    const bool in_tx = sqlite3_get_autocommit(db_) == 0;
    Status from_fn;
    Status s = Step(sql, params, [&](sqlite3_stmt* stmt) {
      from_fn = fn(StmtRow(stmt));
      return from_fn.ok();
    });
    if (!s.ok() && in_tx) aborted_ = true;
    return from_fn.ok() ? s : from_fn;
  }

  Status ExecScript(std::string_view sql) override {
    if (db_ == nullptr) return Unavailable("数据库连接已关闭 (connection closed)");
    if (aborted_) return internal::TransactionAborted();
    const bool in_tx = sqlite3_get_autocommit(db_) == 0;
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return Status();
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    if (in_tx) aborted_ = true;
    return MapSqliteError(sqlite3_extended_errcode(db_), msg);
  }

  Status Ping() override { return Exec("SELECT 1"); }

  // Called when a lease comes back: never hand out a connection inside a
  // transaction.
  void ResetAfterUse() {
    if (db_ != nullptr && sqlite3_get_autocommit(db_) == 0) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    aborted_ = false;
  }

  void Close() {
    for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
    cache_.clear();
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = nullptr;
  }

  sqlite3* handle() const { return db_; }

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    int max_index = 0;
  };

  // The transaction was aborted by an earlier failure: only ROLLBACK passes;
  // COMMIT rolls back and reports the abort, as PostgreSQL does.
  Status HandleAborted(std::string_view sql) {
    std::string kw = internal::NormalizeKeyword(sql);
    if (kw == "ROLLBACK") {
      aborted_ = false;
      return Status();
    }
    if (kw == "COMMIT") {
      if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      aborted_ = false;
    }
    return internal::TransactionAborted();
  }

  Status Error() const { return MapSqliteError(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_)); }

  StatusOr<Cached> Prepare(std::string_view sql) {
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxCachedStatements) {
      for (auto& [text, entry] : cache_) sqlite3_finalize(entry.stmt);
      cache_.clear();
    }
    internal::PlaceholderScan scan = internal::ScanPlaceholders(sql, /*rewrite_to_sqlite=*/true);
    Cached c;
    c.max_index = scan.max_index;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, scan.sql.c_str(), static_cast<int>(scan.sql.size() + 1), SQLITE_PREPARE_PERSISTENT,
                                &c.stmt, &tail);
    if (rc != SQLITE_OK) {
      Status s = Error();
      sqlite3_finalize(c.stmt);
      return s;
    }
    if (!NothingMore(tail)) {
      sqlite3_finalize(c.stmt);
      return Internal("Query() 只能执行一条语句,多条请用 ExecScript() (one statement per Query)");
    }
    cache_.emplace(std::string(sql), c);
    return c;
  }

  static int Bind(sqlite3_stmt* stmt, int index, const Value& v) {
    if (auto* p = std::get_if<int64_t>(&v)) return sqlite3_bind_int64(stmt, index, *p);
    if (auto* p = std::get_if<double>(&v)) return sqlite3_bind_double(stmt, index, *p);
    if (auto* p = std::get_if<std::string>(&v)) {
      // SQLITE_STATIC: params outlive the statement's use; bindings are
      // cleared before Run() returns.
      return sqlite3_bind_text64(stmt, index, p->data(), p->size(), SQLITE_STATIC, SQLITE_UTF8);
    }
    return sqlite3_bind_null(stmt, index);
  }

  static Value Column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER: return sqlite3_column_int64(stmt, i);
      case SQLITE_FLOAT: return sqlite3_column_double(stmt, i);
      case SQLITE_TEXT: {
        const char* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
      }
      case SQLITE_BLOB: {
        const char* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        return std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
      }
      default: return std::monostate{};
    }
  }

  // Sees the current row of a statement being stepped.
  class StmtRow final : public RowView {
   public:
    explicit StmtRow(sqlite3_stmt* stmt) : stmt_(stmt), n_(static_cast<size_t>(sqlite3_column_count(stmt))) {}
    size_t size() const override { return n_; }
    bool IsNull(size_t i) const override { return sqlite3_column_type(stmt_, Col(i)) == SQLITE_NULL; }
    int64_t Int(size_t i) const override { return sqlite3_column_int64(stmt_, Col(i)); }
    double Double(size_t i) const override { return sqlite3_column_double(stmt_, Col(i)); }
    std::string_view Text(size_t i) const override {
      const char* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, Col(i)));
      return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, Col(i)))) : std::string_view();
    }

   private:
    int Col(size_t i) const {
      if (i >= n_) {
        std::fprintf(stderr, "zb::db::RowView: column %zu of %zu\n", i, n_);
        std::abort();  // a programming error, as Row's unknown column name
      }
      return static_cast<int>(i);
    }
    sqlite3_stmt* stmt_;
    size_t n_;
  };

  // Prepares (cached), binds and steps one statement, calling on_row(stmt)
  // at each row until it returns false. Resets the statement whatever
  // happens, so no read snapshot or binding outlives the call. affected
  // gets the rows a write changed.
  template <typename OnRow>
  Status Step(std::string_view sql, const Params& params, OnRow&& on_row, int64_t* affected = nullptr) {
    ZB_ASSIGN_OR_RETURN(Cached c, Prepare(sql));
    if (c.stmt == nullptr) return Status();  // only whitespace or a comment
    if (static_cast<size_t>(c.max_index) != params.size()) {
      return Internal("SQL 参数个数不符:语句需要 " + std::to_string(c.max_index) + " 个,实际提供 " +
                      std::to_string(params.size()) + " 个 (parameter count mismatch)");
    }
    sqlite3_stmt* stmt = c.stmt;
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{stmt};

    for (size_t i = 0; i < params.size(); ++i) {
      if (Bind(stmt, static_cast<int>(i + 1), params[i]) != SQLITE_OK) return Error();
    }
    const sqlite3_int64 changes_before = sqlite3_total_changes64(db_);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        if (!on_row(stmt)) return Status();
      } else if (rc == SQLITE_DONE) {
        break;
      } else {
        return Error();
      }
    }
    if (affected != nullptr && !sqlite3_stmt_readonly(stmt) && sqlite3_total_changes64(db_) != changes_before) {
      *affected = sqlite3_changes64(db_);
    }
    return Status();
  }

  StatusOr<Result> Run(std::string_view sql, const Params& params) {
    Result result;
    std::shared_ptr<const std::vector<std::string>> columns;
    ZB_RETURN_IF_ERROR(Step(
        sql, params,
        [&](sqlite3_stmt* stmt) {
          const int ncols = sqlite3_column_count(stmt);
          if (!columns) {
            auto names = std::make_shared<std::vector<std::string>>();
            names->reserve(ncols);
            for (int i = 0; i < ncols; ++i) {
              const char* n = sqlite3_column_name(stmt, i);
              names->emplace_back(n ? n : "");
            }
            columns = std::move(names);
          }
          std::vector<Value> values;
          values.reserve(ncols);
          for (int i = 0; i < ncols; ++i) values.push_back(Column(stmt, i));
          result.rows.emplace_back(columns, std::move(values));
          return true;
        },
        &result.affected));
    return result;
  }

  sqlite3* db_;
  std::unordered_map<std::string, Cached> cache_;
  bool aborted_ = false;  // a statement failed inside the open transaction
};

StatusOr<std::unique_ptr<SqliteConnection>> OpenConnection(const std::string& path, bool read_only,
                                                           const std::string& synchronous, const PoolOptions& options) {
  sqlite3* db = nullptr;
  const int flags =
      SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Unavailable("无法打开数据库文件 " + path + " (" + msg + ")");
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_extended_result_codes(db, 1);
  // The short keyword terms' index tokenizes with it (migration 0019).
  if (int grams = RegisterSearchGramsTokenizer(db); grams != SQLITE_OK) {
    return Unavailable("无法打开数据库文件 " + path + " (FTS5 tokenizer zb_grams: " + sqlite3_errstr(grams) + ")");
  }
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  auto setup = [&]() -> Status {
    if (!read_only) {
      ZB_ASSIGN_OR_RETURN(auto mode, conn->QueryOne("PRAGMA journal_mode=WAL"));
      std::string got = mode ? mode->Text(0) : "";
      if (path != ":memory:" && got != "wal") {
        return Internal("无法启用 WAL 日志模式 (journal_mode is '" + got + "')");
      }
    }
    ZB_RETURN_IF_ERROR(conn->ExecScript("PRAGMA synchronous=" + synchronous + "; PRAGMA foreign_keys=ON;"));
    // Readers map the file instead of copying each page through read(2):
    // a wide read (the portfolio Gantt's 10 000 plans, an export) spent a
    // quarter of its time in pread. 256 MiB of address space, not memory.
    if (read_only) ZB_RETURN_IF_ERROR(conn->ExecScript("PRAGMA mmap_size=268435456;"));
    // The writer keeps its statement journals in memory: a statement inside
    // a transaction that can fail halfway (triggers, foreign keys, several
    // rows) journals the pages it touches, and past 64 KiB SQLite keeps that
    // journal in a temporary file — a pwrite a page (an import changing
    // 100 000 projects spent 15 % of its time there, and half its CPU went
    // with it). Its sorts and temporary tables live in memory too.
    if (!read_only) ZB_RETURN_IF_ERROR(conn->ExecScript("PRAGMA temp_store=MEMORY;"));
    return Status();
  };
  Status s = setup();
  if (!s.ok()) return Unavailable("无法打开数据库文件 " + path + " (" + s.message() + ")");
  return conn;
}

class SqlitePool final : public Pool {
 public:
  SqlitePool(const PoolOptions& options, std::unique_ptr<SqliteConnection> writer,
             std::vector<std::unique_ptr<SqliteConnection>> readers)
      : wait_(std::max(0, options.busy_timeout_ms)), writer_(std::move(writer)), readers_(std::move(readers)) {
    for (auto& r : readers_) idle_readers_.push_back(r.get());
  }
  ~SqlitePool() override { Close(); }

  Dialect dialect() const override { return Dialect::kSqlite; }

  StatusOr<Lease> Read() override {
    if (readers_.empty()) return AcquireWriter();  // :memory:
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, wait_, [&] { return closed_ || !idle_readers_.empty(); })) {
      return Unavailable("数据库忙,等待读连接超时 (timed out after " + std::to_string(wait_.count()) +
                         " ms waiting for a SQLite reader)");
    }
    if (closed_) return Closed();
    SqliteConnection* c = idle_readers_.back();
    idle_readers_.pop_back();
    return Lease(c, [this](Connection* conn) { ReleaseReader(conn); });
  }

  StatusOr<Tx> Begin() override {
    ZB_ASSIGN_OR_RETURN(Lease lease, AcquireWriter());
    ZB_RETURN_IF_ERROR(lease->Exec("BEGIN IMMEDIATE"));
    return Tx(std::move(lease));
  }

  void Close() override {
    std::unique_lock<std::mutex> lock(mu_);
    if (writer_ == nullptr) return;
    closed_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !writer_busy_ && idle_readers_.size() == readers_.size(); });
    idle_readers_.clear();
    for (auto& r : readers_) r->Close();
    readers_.clear();
    // Last connection: fold the WAL back into the database file.
    (void)writer_->ExecScript("PRAGMA wal_checkpoint(TRUNCATE)");
    writer_->Close();
    writer_.reset();
  }

 private:
  static Status Closed() { return Unavailable("数据库连接池已关闭 (pool closed)"); }

  StatusOr<Lease> AcquireWriter() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, wait_, [&] { return closed_ || !writer_busy_; })) {
      return Unavailable("数据库忙,等待写入超时 (timed out after " + std::to_string(wait_.count()) +
                         " ms waiting for the SQLite writer; is a transaction held too long?)");
    }
    if (closed_) return Closed();
    writer_busy_ = true;
    return Lease(writer_.get(), [this](Connection* c) { ReleaseWriter(c); });
  }

  void ReleaseWriter(Connection* c) {
    static_cast<SqliteConnection*>(c)->ResetAfterUse();
    std::lock_guard<std::mutex> lock(mu_);
    writer_busy_ = false;
    cv_.notify_all();
  }

  void ReleaseReader(Connection* c) {
    auto* conn = static_cast<SqliteConnection*>(c);
    conn->ResetAfterUse();
    std::lock_guard<std::mutex> lock(mu_);
    idle_readers_.push_back(conn);
    cv_.notify_all();
  }

  const std::chrono::milliseconds wait_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::unique_ptr<SqliteConnection> writer_;                // the one writer
  std::vector<std::unique_ptr<SqliteConnection>> readers_;  // empty for :memory:
  std::vector<SqliteConnection*> idle_readers_;             // guarded by mu_
  bool writer_busy_ = false;                                // guarded by mu_
  bool closed_ = false;                                     // guarded by mu_
};

}  // namespace

StatusOr<std::unique_ptr<Pool>> OpenSqlitePool(const std::string& path, const PoolOptions& options) {
  std::string sync = options.sqlite_synchronous;
  std::transform(sync.begin(), sync.end(), sync.begin(), [](unsigned char c) { return std::toupper(c); });
  if (sync != "FULL" && sync != "NORMAL" && sync != "EXTRA") {
    return BadRequest("sqlite_synchronous 只能是 FULL 或 NORMAL (got '" + options.sqlite_synchronous + "')");
  }
  ZB_ASSIGN_OR_RETURN(auto writer, OpenConnection(path, /*read_only=*/false, sync, options));
  std::vector<std::unique_ptr<SqliteConnection>> readers;
  if (path != ":memory:") {
    const int n = std::max(1, options.readers);
    for (int i = 0; i < n; ++i) {
      ZB_ASSIGN_OR_RETURN(auto r, OpenConnection(path, /*read_only=*/true, sync, options));
      readers.push_back(std::move(r));
    }
  }
  return std::unique_ptr<Pool>(std::make_unique<SqlitePool>(options, std::move(writer), std::move(readers)));
}

}  // namespace zb::db
