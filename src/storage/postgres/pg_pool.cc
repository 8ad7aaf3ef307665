#include "storage/postgres/pg_pool.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/ledger_versions.h"
#include "storage/plan_per_call.h"
#include "storage/sql_text.h"

namespace zb::db {

namespace {

// Type OIDs (catalog/pg_type_d.h, which client builds need not have).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// Server-side prepared statements per connection; beyond this new SQL texts
// run unnamed (still parameterised) instead of growing the server's cache.
constexpr size_t kMaxCachedStatements = 512;

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string ErrorField(const PGresult* r, int field) {
  const char* v = r ? PQresultErrorField(r, field) : nullptr;
  return v ? v : "";
}

std::string FormatParamDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

bool ParseInt64(std::string_view s, int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

Value ConvertValue(Oid type, const char* text, int len) {
  std::string_view s(text, static_cast<size_t>(len));
  int64_t i = 0;
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
      if (ParseInt64(s, i)) return i;
      return std::string(s);
    case kNumericOid:
      if (ParseInt64(s, i)) return i;  // SUM(bigint) is numeric: keep it integral
      return std::strtod(text, nullptr);
    case kFloat4Oid:
    case kFloat8Oid: return std::strtod(text, nullptr);  // also "NaN", "Infinity"
    case kBoolOid: return static_cast<int64_t>(len > 0 && text[0] == 't');
    default: return std::string(s);
  }
}

// "Key (a, b)=(1, 2) already exists." → "table.a, table.b".
std::string UniqueColumnsFromDetail(const std::string& detail, const std::string& table) {
  size_t b = detail.find("Key (");
  if (b == std::string::npos) return {};
  b += 5;
  size_t e = detail.find(")=(", b);
  if (e == std::string::npos) return {};
  std::string cols = detail.substr(b, e - b);
  std::string out;
  size_t pos = 0;
  while (pos <= cols.size()) {
    size_t comma = cols.find(", ", pos);
    std::string col = cols.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (!out.empty()) out += ", ";
    out += table.empty() ? col : table + "." + col;
    if (comma == std::string::npos) break;
    pos = comma + 2;
  }
  return out;
}

// One row of a PGresult, read in place (text format). Types as ConvertValue.
class ResultRow final : public RowView {
 public:
  explicit ResultRow(const PGresult* r) : r_(r), n_(static_cast<size_t>(PQnfields(r))), types_(n_) {
    for (size_t c = 0; c < n_; ++c) types_[c] = PQftype(r, static_cast<int>(c));
  }
  int at = 0;  // the row
  size_t size() const override { return n_; }
  bool IsNull(size_t i) const override { return PQgetisnull(r_, at, Col(i)) != 0; }
  int64_t Int(size_t i) const override {
    std::string_view s = Text(i);
    if (types_[i] == kBoolOid) return !s.empty() && s[0] == 't';
    int64_t v = 0;
    if (ParseInt64(s, v)) return v;
    return s.empty() ? 0 : static_cast<int64_t>(Double(i));  // "12.5", "1e3"
  }
  double Double(size_t i) const override { return std::strtod(PQgetvalue(r_, at, Col(i)), nullptr); }
  std::string_view Text(size_t i) const override {
    const int c = Col(i);
    return std::string_view(PQgetvalue(r_, at, c), static_cast<size_t>(PQgetlength(r_, at, c)));
  }

 private:
  int Col(size_t i) const {
    if (i >= n_) {
      std::fprintf(stderr, "zb::db::RowView: column %zu of %zu\n", i, n_);
      std::abort();  // a programming error, as Row's unknown column name
    }
    return static_cast<int>(i);
  }
  const PGresult* r_;
  size_t n_;
  std::vector<Oid> types_;
};

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { Close(); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  static StatusOr<std::unique_ptr<PgConnection>> Connect(const std::string& url) {
    // The URL comes after the defaults so that its own settings win;
    // client_encoding comes last: we always speak UTF-8.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding", nullptr};
    const char* values[] = {"10", "zhuanban", url.c_str(), "UTF8", nullptr};
    PGconn* c = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (c == nullptr) return Unavailable("无法连接 PostgreSQL 数据库 (out of memory)");
    if (PQstatus(c) != CONNECTION_OK) {
      std::string msg = Trim(PQerrorMessage(c));
      PQfinish(c);
      return Unavailable("无法连接 PostgreSQL 数据库 (" + msg + ")");
    }
    auto conn = std::make_unique<PgConnection>(c);
    PQsetNoticeReceiver(c, &PgConnection::OnNotice, conn.get());
    return conn;
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  StatusOr<Result> Query(std::string_view sql, const Params& params) override {
    ZB_ASSIGN_OR_RETURN(ResultPtr r, Execute(sql, params));
    return Convert(r.get(), PQcmdStatus(r.get()));
  }

  // The whole answer arrives in one PGresult (libpq's default); the rows
  // are then read from it in place, by index, without conversion to Values.
  Status Stream(std::string_view sql, const Params& params,
                const std::function<Status(const RowView&)>& fn) override {
    ZB_ASSIGN_OR_RETURN(ResultPtr r, Execute(sql, params));
    ResultRow row(r.get());
    for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
      row.at = i;
      ZB_RETURN_IF_ERROR(fn(row));
    }
    return Status();
  }

  // Prepares (cached) and runs one statement; the result on success.
  StatusOr<ResultPtr> Execute(std::string_view sql, const Params& params) {
    if (conn_ == nullptr) return Unavailable("数据库连接已关闭 (connection closed)");
    if (broken_) return Lost("connection lost earlier");
    std::string key(sql);
    const Prepared* prepared = nullptr;
    auto it = stmts_.find(key);
    int max_index = 0;
    if (it != stmts_.end()) {
      prepared = &it->second;
      max_index = prepared->max_index;
    } else {
      max_index = internal::ScanPlaceholders(sql, /*rewrite_to_sqlite=*/false).max_index;
    }
    if (static_cast<size_t>(max_index) != params.size()) {
      return Internal("SQL 参数个数不符:语句需要 " + std::to_string(max_index) + " 个,实际提供 " +
                      std::to_string(params.size()) + " 个 (parameter count mismatch)");
    }
    // storage/plan_per_call.h: planned with its values, so never prepared.
    const bool plan_per_call = sql.starts_with(kPlanPerCall);
    if (prepared == nullptr && !plan_per_call && stmts_.size() < kMaxCachedStatements) {
      Prepared p{"zb_" + std::to_string(++next_id_), max_index};
      ResultPtr r(PQprepare(conn_, p.name.c_str(), key.c_str(), 0, nullptr), &PQclear);
      if (r == nullptr || PQresultStatus(r.get()) != PGRES_COMMAND_OK) return ErrorFrom(r.get());
      prepared = &stmts_.emplace(key, std::move(p)).first->second;
    }

    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (auto* p = std::get_if<int64_t>(&v)) {
        texts[i] = std::to_string(*p);
        values[i] = texts[i].c_str();
      } else if (auto* p = std::get_if<double>(&v)) {
        texts[i] = FormatParamDouble(*p);
        values[i] = texts[i].c_str();
      } else if (auto* p = std::get_if<std::string>(&v)) {
        values[i] = p->c_str();
      }
    }
    const int n = static_cast<int>(params.size());
    ResultPtr r(prepared ? PQexecPrepared(conn_, prepared->name.c_str(), n, values.data(), nullptr, nullptr, 0)
                         : PQexecParams(conn_, key.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0),
                &PQclear);
    ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && st != PGRES_EMPTY_QUERY) {
      std::string state = ErrorField(r.get(), PG_DIAG_SQLSTATE);
      // A plan invalidated by a schema change, or a statement the server
      // forgot: prepare afresh next time.
      if (state == "0A000" || state == "26000") stmts_.erase(key);
      // A COMMIT whose answer was lost may still have committed.
      if (PQstatus(conn_) != CONNECTION_OK && internal::NormalizeKeyword(sql) == "COMMIT") {
        storage::NoteLocalCommit();
      }
      return ErrorFrom(r.get());
    }
    const char* tag = PQcmdStatus(r.get());
    if (std::strcmp(tag, "ROLLBACK") == 0 && internal::NormalizeKeyword(sql) == "COMMIT") {
      return internal::TransactionAborted();
    }
    // A COMMIT, or a statement outside a transaction that may have written:
    // counted before the caller goes on, so that this process's next read
    // of the ledger's versions is not answered from before it
    // (storage/ledger_versions.h).
    // (A read's tag is "SELECT <rows>".)
    if (!std::string_view(tag).starts_with("SELECT") && PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      storage::NoteLocalCommit();
    }
    return r;
  }

  Status ExecScript(std::string_view sql) override {
    if (conn_ == nullptr) return Unavailable("数据库连接已关闭 (connection closed)");
    if (broken_) return Lost("connection lost earlier");
    ResultPtr r(PQexec(conn_, std::string(sql).c_str()), &PQclear);
    ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) storage::NoteLocalCommit();  // as in Execute
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return Status();
    return ErrorFrom(r.get());
  }

  Status Ping() override { return Exec("SELECT 1"); }

  // Called when leased: picks up a server-side disconnect (e.g. a terminated
  // backend) and reconnects a broken connection.
  Status EnsureUsable() {
    if (conn_ == nullptr) return Unavailable("数据库连接已关闭 (connection closed)");
    if (!broken_ && !LooksAlive()) broken_ = true;
    if (!broken_) return Status();
    stmts_.clear();  // prepared statements died with the old session
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Unavailable("无法重新连接 PostgreSQL 数据库 (" + Trim(PQerrorMessage(conn_)) + ")");
    }
    broken_ = false;
    return Status();
  }

  // Called when a lease comes back: roll back whatever transaction (open or
  // aborted) it still holds, so the next user starts clean.
  void ResetAfterUse() {
    if (conn_ == nullptr || broken_) return;
    switch (PQtransactionStatus(conn_)) {
      case PQTRANS_IDLE: return;
      case PQTRANS_INTRANS:
      case PQTRANS_INERROR: {
        ResultPtr r(PQexec(conn_, "ROLLBACK"), &PQclear);
        if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) broken_ = true;
        return;
      }
      default:  // PQTRANS_ACTIVE (a query in flight) or PQTRANS_UNKNOWN (bad)
        broken_ = true;
        return;
    }
  }

  void Close() {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
    stmts_.clear();
  }

 private:
  struct Prepared {
    std::string name;
    int max_index = 0;
  };

  // Notices are dropped (no stderr noise), except that a FATAL or PANIC
  // arriving outside a query — what a terminated backend sends before it
  // closes the socket — marks the connection for reconnecting.
  static void OnNotice(void* self, const PGresult* r) {
    std::string severity = ErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
    if (severity == "FATAL" || severity == "PANIC") static_cast<PgConnection*>(self)->broken_ = true;
  }

  // Reads, without blocking, whatever the server sent while the connection
  // sat idle. A terminated backend sends FATAL (see OnNotice), then closes
  // the socket; libpq sees the close only on a later read, hence the loop.
  bool LooksAlive() {
    for (int i = 0; i < 4; ++i) {
      pollfd p{PQsocket(conn_), POLLIN, 0};
      if (p.fd < 0) return false;
      int rc = poll(&p, 1, 0);
      if (rc <= 0) break;  // nothing pending (a poll error is left to the query)
      if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) return false;
      if (PQconsumeInput(conn_) == 0) return false;
      (void)PQisBusy(conn_);  // parses it: stray errors go to the notice processor
      while (PGnotify* n = PQnotifies(conn_)) PQfreemem(n);
      if (broken_) return false;
    }
    return PQstatus(conn_) == CONNECTION_OK;
  }

  Status Lost(const std::string& detail) {
    broken_ = true;
    return Unavailable("数据库连接中断,请稍后重试 (" + detail + ")");
  }

  Status ErrorFrom(const PGresult* r) {
    std::string state = ErrorField(r, PG_DIAG_SQLSTATE);
    std::string primary = ErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    if (primary.empty()) primary = Trim(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
    if (primary.empty()) primary = Trim(PQerrorMessage(conn_));
    if (PQstatus(conn_) != CONNECTION_OK || state.starts_with("08") || state.starts_with("57P")) {
      return Lost(primary);
    }
    if (state == "23505") {
      std::string cols =
          UniqueColumnsFromDetail(ErrorField(r, PG_DIAG_MESSAGE_DETAIL), ErrorField(r, PG_DIAG_TABLE_NAME));
      return internal::UniqueViolation(cols.empty() ? ErrorField(r, PG_DIAG_CONSTRAINT_NAME) : cols);
    }
    if (state == "23503") {
      std::string detail = ErrorField(r, PG_DIAG_MESSAGE_DETAIL);
      return internal::ForeignKeyViolation(detail.empty() ? primary : detail);
    }
    if (state == "40001" || state == "40P01") {
      return Unavailable("数据库并发冲突,请重试 (postgres " + state + ": " + primary + ")");
    }
    if (state.empty()) return Internal("数据库错误 (postgres: " + primary + ")");
    return Internal("数据库错误 (postgres " + state + ": " + primary + ")");
  }

  static StatusOr<Result> Convert(const PGresult* r, const char* tag) {
    Result result;
    const int nf = PQnfields(r);
    const int nt = PQntuples(r);
    if (nf > 0) {
      auto names = std::make_shared<std::vector<std::string>>();
      std::vector<Oid> types(nf);
      names->reserve(nf);
      for (int c = 0; c < nf; ++c) {
        names->emplace_back(PQfname(r, c));
        types[c] = PQftype(r, c);
      }
      std::shared_ptr<const std::vector<std::string>> columns = std::move(names);
      result.rows.reserve(nt);
      for (int i = 0; i < nt; ++i) {
        std::vector<Value> values;
        values.reserve(nf);
        for (int c = 0; c < nf; ++c) {
          if (PQgetisnull(r, i, c)) {
            values.emplace_back(std::monostate{});
          } else {
            values.push_back(ConvertValue(types[c], PQgetvalue(r, i, c), PQgetlength(r, i, c)));
          }
        }
        result.rows.emplace_back(columns, std::move(values));
      }
    }
    std::string_view t(tag);
    if (t.starts_with("INSERT") || t.starts_with("UPDATE") || t.starts_with("DELETE") || t.starts_with("MERGE")) {
      int64_t n = 0;
      const char* tuples = PQcmdTuples(const_cast<PGresult*>(r));
      if (ParseInt64(tuples, n)) result.affected = n;
    }
    return result;
  }

  PGconn* conn_;
  std::unordered_map<std::string, Prepared> stmts_;  // SQL text → server-side statement
  uint64_t next_id_ = 0;
  bool broken_ = false;  // reset (reconnect) on next lease
};

class PgPool final : public Pool {
 public:
  PgPool(std::string url, const PoolOptions& options, std::unique_ptr<PgConnection> first)
      : url_(std::move(url)), max_(std::max(1, options.readers)), wait_(std::max(0, options.busy_timeout_ms)) {
    idle_.push_back(first.get());
    all_.push_back(std::move(first));
  }
  ~PgPool() override { Close(); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  StatusOr<Lease> Read() override { return Acquire(); }

  StatusOr<Tx> Begin() override {
    ZB_ASSIGN_OR_RETURN(Lease lease, Acquire());
    ZB_RETURN_IF_ERROR(lease->Exec("BEGIN"));
    return Tx(std::move(lease));
  }

  void Close() override {
    std::unique_lock<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return leased_ == 0; });
    idle_.clear();
    for (auto& c : all_) c->Close();
    all_.clear();
  }

 private:
  static Status Closed() { return Unavailable("数据库连接池已关闭 (pool closed)"); }

  bool CanProceed() const { return closed_ || !idle_.empty() || static_cast<int>(all_.size()) + connecting_ < max_; }

  StatusOr<Lease> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, wait_, [&] { return CanProceed(); })) {
      return Unavailable("数据库连接池繁忙,请稍后重试 (timed out after " + std::to_string(wait_.count()) +
                         " ms waiting for one of " + std::to_string(max_) + " PostgreSQL connections)");
    }
    if (closed_) return Closed();
    ++leased_;
    if (!idle_.empty()) {
      PgConnection* c = idle_.back();
      idle_.pop_back();
      lock.unlock();
      Status s = c->EnsureUsable();
      if (!s.ok()) {
        Release(c);  // stays broken; the next lease tries to reconnect again
        return s;
      }
      return MakeLease(c);
    }
    ++connecting_;
    lock.unlock();
    auto conn = PgConnection::Connect(url_);
    lock.lock();
    --connecting_;
    if (!conn.ok()) {
      --leased_;
      cv_.notify_all();
      return conn.status();
    }
    PgConnection* c = conn->get();
    all_.push_back(std::move(*conn));
    return MakeLease(c);
  }

  Lease MakeLease(PgConnection* c) {
    return Lease(c, [this](Connection* conn) { Release(static_cast<PgConnection*>(conn)); });
  }

  void Release(PgConnection* c) {
    c->ResetAfterUse();
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(c);
    --leased_;
    cv_.notify_all();
  }

  const std::string url_;
  const int max_;
  const std::chrono::milliseconds wait_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> all_;  // guarded by mu_
  std::vector<PgConnection*> idle_;                 // guarded by mu_
  int connecting_ = 0;                              // guarded by mu_
  int leased_ = 0;                                  // guarded by mu_ (incl. connecting)
  bool closed_ = false;                             // guarded by mu_
};

}  // namespace

StatusOr<std::unique_ptr<Pool>> OpenPgPool(const std::string& url, const PoolOptions& options) {
  ZB_ASSIGN_OR_RETURN(auto first, PgConnection::Connect(url));
  return std::unique_ptr<Pool>(std::make_unique<PgPool>(url, options, std::move(first)));
}

}  // namespace zb::db
