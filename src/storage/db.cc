#include "storage/db.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>

#include "storage/sqlite/sqlite_pool.h"
#ifdef ZB_WITH_POSTGRES
#include "storage/postgres/pg_pool.h"
#endif

namespace zb::db {

std::string_view DialectName(Dialect d) {
  switch (d) {
    case Dialect::kSqlite: return "sqlite";
    case Dialect::kPostgres: return "postgres";
  }
  return "unknown";
}

// ---- Row -------------------------------------------------------------------

namespace {

int64_t DoubleToInt(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

int64_t ParseInt(const std::string& s) {
  int64_t v = 0;
  const char* b = s.data();
  const char* e = b + s.size();
  while (b < e && *b == ' ') ++b;
  if (b < e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec == std::errc() && (p == e || (*p != '.' && *p != 'e' && *p != 'E'))) return v;
  // "12.5", "1e3", or an out-of-range integer: go through double.
  return DoubleToInt(std::strtod(s.c_str(), nullptr));
}

std::string FormatDouble(double d) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest round-trip form
  if (ec != std::errc()) return std::to_string(d);
  return std::string(buf, p);
}

}  // namespace

Row::Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
    : columns_(std::move(columns)), values_(std::move(values)) {}

size_t Row::Index(std::string_view column) const {
  for (size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) return i;
  }
  std::string known;
  for (const auto& c : *columns_) known += (known.empty() ? "" : ", ") + c;
  std::fprintf(stderr, "zb::db::Row: no column \"%.*s\" (columns: %s)\n", static_cast<int>(column.size()),
               column.data(), known.c_str());
  std::abort();
}

bool Row::IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
bool Row::IsNull(std::string_view column) const { return IsNull(Index(column)); }

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* p = std::get_if<int64_t>(&v)) return *p;
  if (auto* p = std::get_if<double>(&v)) return DoubleToInt(*p);
  if (auto* p = std::get_if<std::string>(&v)) return ParseInt(*p);
  return 0;
}
int64_t Row::Int(std::string_view column) const { return Int(Index(column)); }

double Row::Double(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* p = std::get_if<double>(&v)) return *p;
  if (auto* p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (auto* p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
  return 0;
}
double Row::Double(std::string_view column) const { return Double(Index(column)); }

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* p = std::get_if<std::string>(&v)) return *p;
  if (auto* p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto* p = std::get_if<double>(&v)) return FormatDouble(*p);
  return {};
}
std::string Row::Text(std::string_view column) const { return Text(Index(column)); }

std::optional<int64_t> Row::OptInt(std::string_view column) const {
  size_t i = Index(column);
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptText(std::string_view column) const {
  size_t i = Index(column);
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

// ---- Connection ------------------------------------------------------------

Status Connection::Exec(std::string_view sql, const Params& params) {
  auto r = Query(sql, params);
  return r.ok() ? Status() : r.status();
}

StatusOr<std::optional<Row>> Connection::QueryOne(std::string_view sql, const Params& params) {
  ZB_ASSIGN_OR_RETURN(Result r, Query(sql, params));
  if (r.rows.size() > 1) {
    return Internal("查询应返回至多一行,实际返回 " + std::to_string(r.rows.size()) +
                    " 行 (QueryOne expected at most one row)");
  }
  if (r.rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(r.rows.front()));
}

// ---- Lease and Tx ----------------------------------------------------------

Lease::Lease(Connection* conn, std::function<void(Connection*)> release) : conn_(conn), release_(std::move(release)) {}

Lease::Lease(Lease&& o) noexcept : conn_(std::exchange(o.conn_, nullptr)), release_(std::move(o.release_)) {}

Lease& Lease::operator=(Lease&& o) noexcept {
  if (this != &o) {
    if (conn_ && release_) release_(conn_);
    conn_ = std::exchange(o.conn_, nullptr);
    release_ = std::move(o.release_);
  }
  return *this;
}

Lease::~Lease() {
  if (conn_ && release_) release_(conn_);
}

Tx::Tx(Lease lease) : lease_(std::move(lease)) {}

Tx::Tx(Tx&& o) noexcept : lease_(std::move(o.lease_)), open_(std::exchange(o.open_, false)) {}

Tx::~Tx() {
  if (open_) (void)Rollback();
}

Status Tx::Commit() {
  if (!open_) return Internal("事务已结束 (transaction already committed or rolled back)");
  Status s = lease_->Exec("COMMIT");
  if (!s.ok()) {
    // The transaction may still be open (e.g. COMMIT refused); make sure the
    // connection goes back to the pool clean. The adapters also check this.
    (void)lease_->Exec("ROLLBACK");
  }
  open_ = false;
  return s;
}

Status Tx::Rollback() {
  if (!open_) return Status();
  open_ = false;
  return lease_->Exec("ROLLBACK");
}

Status InTx(Pool& pool, const std::function<Status(Connection&)>& fn) {
  ZB_ASSIGN_OR_RETURN(Tx tx, pool.Begin());
  Status s = fn(tx.conn());
  if (!s.ok()) {
    (void)tx.Rollback();
    return s;
  }
  return tx.Commit();
}

LargerPageCache::LargerPageCache(Connection& conn, int64_t mib) : conn_(conn) {
  if (conn.dialect() != Dialect::kSqlite) return;
  auto row = conn.QueryOne("PRAGMA cache_size");
  if (!row.ok() || !*row) return;
  if (conn.Exec("PRAGMA cache_size = -" + std::to_string(mib * 1024)).ok()) pages_ = (*row)->Int(0);
}

LargerPageCache::~LargerPageCache() {
  if (pages_) (void)conn_.Exec("PRAGMA cache_size = " + std::to_string(*pages_));
}

// ---- Pool::Open ------------------------------------------------------------

StatusOr<std::unique_ptr<Pool>> Pool::Open(const std::string& url, const PoolOptions& options) {
  std::string_view u = url;
  if (u.starts_with("sqlite:")) {
    std::string_view path = u.substr(7);
    if (path.starts_with("//")) path.remove_prefix(2);  // sqlite:///abs/path.db
    if (path.empty())
      return BadRequest("数据库地址缺少文件路径 (sqlite: URL needs a path, e.g. sqlite:./var/zhuanban.db)");
    return OpenSqlitePool(std::string(path), options);
  }
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) {
#ifdef ZB_WITH_POSTGRES
    return OpenPgPool(url, options);
#else
    return Unavailable(
        "本程序构建时未启用 PostgreSQL 支持,请使用 sqlite: 数据库或以 -DZB_WITH_POSTGRES=ON 重新构建 "
        "(this binary was built without PostgreSQL support)");
#endif
  }
  return BadRequest("不支持的数据库地址,应以 sqlite: 或 postgresql:// 开头 (unsupported database URL scheme)");
}

}  // namespace zb::db
