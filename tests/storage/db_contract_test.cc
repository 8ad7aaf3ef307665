// db.h's contract, written once and run on both engines.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <thread>
#include <vector>

#include "storage/plan_per_call.h"
#include "storage/storage_fixture.h"

namespace zb::storage_test {
namespace {

using db::Params;
using db::Value;

template <typename Engine>
class DbContractTest : public MigratedDbTest<Engine> {};
TYPED_TEST_SUITE(DbContractTest, Engines, EngineName);

// A row for org_units written with raw SQL (the repository has its own tests).
Params OrgUnitRow(int64_t id, std::optional<int64_t> parent, const std::string& code) {
  return {id, db::Opt(parent), "单位" + code, code, "town", "/" + std::to_string(id) + "/", int64_t{1000}};
}
constexpr char kInsertOrgUnit[] =
    "INSERT INTO org_units (id, parent_id, name, code, kind, path, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";

// ---- placeholders -----------------------------------------------------------

TYPED_TEST(DbContractTest, PlaceholderUsedTwiceBindsTheSameValue) {
  ZB_ASSERT_OK(this->ExecTx(this->Ddl("CREATE TABLE pt (id INTEGER PRIMARY KEY, a TEXT, b TEXT) STRICT",
                                      "CREATE TABLE pt (id BIGINT PRIMARY KEY, a TEXT, b TEXT)")));
  ZB_ASSERT_OK(this->ExecTx("INSERT INTO pt (id, a, b) VALUES ($1, $2, $2)", {int64_t{7}, "x"}));
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(
      auto row, lease->QueryOne("SELECT a, b FROM pt WHERE id = $1 AND a = $2 AND b = $2", {int64_t{7}, "x"}));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->Text("a"), "x");
  EXPECT_EQ(row->Text("b"), "x");
}

TYPED_TEST(DbContractTest, PlaceholderTenIsNotOneFollowedByZero) {
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  Params p;
  for (int i = 1; i <= 10; ++i) p.push_back("p" + std::to_string(i));
  // $10 comes first: SQLite's own $N numbering (by first appearance) would
  // bind it to p1.
  ZB_ASSERT_OK_AND_ASSIGN(auto row, lease->QueryOne("SELECT $10 AS ten, $1 AS one, $2 AS two, $3 AS c3, $4 AS c4, "
                                                    "$5 AS c5, $6 AS c6, $7 AS c7, $8 AS c8, $9 AS nine",
                                                    p));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->Text("ten"), "p10");
  EXPECT_EQ(row->Text("one"), "p1");
  EXPECT_EQ(row->Text("two"), "p2");
  EXPECT_EQ(row->Text("nine"), "p9");
}

TYPED_TEST(DbContractTest, DollarInsideLiteralsAndIdentifiersIsNotAPlaceholder) {
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(auto row, lease->QueryOne("SELECT '$1' AS lit, $1 AS p, 'it''s $2' AS q, "
                                                    "$1 AS \"col$1\" -- and $3 in a comment\n",
                                                    {"x"}));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->Text("lit"), "$1");
  EXPECT_EQ(row->Text("p"), "x");
  EXPECT_EQ(row->Text("q"), "it's $2");
  EXPECT_EQ(row->Text("col$1"), "x");
}

TYPED_TEST(DbContractTest, WrongParameterCountIsAnError) {
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  auto r = lease->Query("SELECT $1 AS a, $2 AS b", {"only one"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_NE(r.status().message().find("parameter count"), std::string::npos) << r.status().ToString();
  ZB_EXPECT_OK(lease->Ping());  // the connection is still fine
}

// ---- values -----------------------------------------------------------------

TYPED_TEST(DbContractTest, ValuesRoundTripWithTheirTypes) {
  ZB_ASSERT_OK(
      this->ExecTx(this->Ddl("CREATE TABLE vt (id INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT) STRICT",
                             "CREATE TABLE vt (id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT)")));
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const std::string kChinese = "威海市高新区重点项目办公室 ✓ 'quoted' \"dq\" $1 — 第二季度";
  const std::string kInsert = "INSERT INTO vt (id, i, d, s) VALUES ($1, $2, $3, $4)";
  ZB_ASSERT_OK(this->ExecTx(kInsert, {int64_t{1}, kMax, 3.141592653589793, kChinese}));
  ZB_ASSERT_OK(this->ExecTx(kInsert, {int64_t{2}, kMin, -0.1, std::string()}));
  ZB_ASSERT_OK(this->ExecTx(kInsert, {int64_t{3}, int64_t{-42}, 1e300, "a"}));
  ZB_ASSERT_OK(this->ExecTx(kInsert, {int64_t{4}, db::Null(), db::Null(), db::Null()}));

  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(db::Result r, lease->Query("SELECT id, i, d, s FROM vt ORDER BY id"));
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[0].columns(), (std::vector<std::string>{"id", "i", "d", "s"}));

  const db::Row& a = r.rows[0];
  ASSERT_TRUE(std::holds_alternative<int64_t>(a.at(1)));
  EXPECT_EQ(std::get<int64_t>(a.at(1)), kMax);
  ASSERT_TRUE(std::holds_alternative<double>(a.at(2)));
  EXPECT_EQ(std::get<double>(a.at(2)), 3.141592653589793);  // exact: %.17g / binary
  ASSERT_TRUE(std::holds_alternative<std::string>(a.at(3)));
  EXPECT_EQ(a.Text("s"), kChinese);

  const db::Row& b = r.rows[1];
  EXPECT_EQ(b.Int("i"), kMin);
  EXPECT_EQ(b.Double("d"), -0.1);
  EXPECT_FALSE(b.IsNull("s"));
  EXPECT_EQ(b.OptText("s"), std::optional<std::string>(""));

  const db::Row& c = r.rows[2];
  EXPECT_EQ(c.Int("i"), -42);
  EXPECT_EQ(c.Double("d"), 1e300);

  const db::Row& d = r.rows[3];
  for (size_t i = 1; i <= 3; ++i) {
    EXPECT_TRUE(d.IsNull(i));
    EXPECT_TRUE(std::holds_alternative<std::monostate>(d.at(i)));
  }
  EXPECT_EQ(d.OptInt("i"), std::nullopt);
  EXPECT_EQ(d.OptText("s"), std::nullopt);
  EXPECT_EQ(d.Int("i"), 0);  // NULL reads as the zero value
  EXPECT_EQ(d.Text("s"), "");

  // Text renders numbers; Int parses text.
  EXPECT_EQ(c.Text("i"), "-42");
  ZB_ASSERT_OK_AND_ASSIGN(auto n, lease->QueryOne("SELECT '123' AS t"));
  EXPECT_EQ(n->Int("t"), 123);
}

TYPED_TEST(DbContractTest, AggregatesAndComparisonsComeBackAsIntegers) {
  ZB_ASSERT_OK(this->ExecTx(
      this->Ddl("CREATE TABLE nums (v INTEGER NOT NULL) STRICT", "CREATE TABLE nums (v BIGINT NOT NULL)")));
  for (int64_t v : {5, 7, -2}) ZB_ASSERT_OK(this->ExecTx("INSERT INTO nums (v) VALUES ($1)", {v}));
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(
      auto row, lease->QueryOne("SELECT COUNT(*) AS n, SUM(v) AS total, MAX(v) AS top, (1 = 1) AS yes FROM nums"));
  ASSERT_TRUE(row.has_value());
  for (const char* col : {"n", "total", "top", "yes"}) {
    size_t i = 0;
    while (row->columns()[i] != col) ++i;
    EXPECT_TRUE(std::holds_alternative<int64_t>(row->at(i))) << col;
  }
  EXPECT_EQ(row->Int("n"), 3);
  EXPECT_EQ(row->Int("total"), 10);
  EXPECT_EQ(row->Int("top"), 7);
  EXPECT_TRUE(row->Bool("yes"));
}

// storage/plan_per_call.h: a statement marked kPlanPerCall binds and answers
// as any other, again and again, and PostgreSQL never keeps it prepared (so
// it is planned with each call's values) while it keeps an unmarked one.
TYPED_TEST(DbContractTest, PlanPerCallStatementsAnswerAndAreNeverPrepared) {
  ZB_ASSERT_OK(this->ExecTx(
      this->Ddl("CREATE TABLE ppc (v INTEGER NOT NULL) STRICT", "CREATE TABLE ppc (v INTEGER NOT NULL)")));
  for (int64_t v : {1, 2, 3, 4, 5, 6, 7, 8}) ZB_ASSERT_OK(this->ExecTx("INSERT INTO ppc (v) VALUES ($1)", {v}));
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  const std::string marked = std::string(db::kPlanPerCall) + "SELECT COUNT(*) AS n, SUM(v) AS s FROM ppc "
                                                             "WHERE v >= $1 AND v <= $2";
  for (int64_t lo = 1; lo <= 7; ++lo) {  // more runs than PostgreSQL's five before a generic plan
    ZB_ASSERT_OK_AND_ASSIGN(auto row, lease->QueryOne(marked, {lo, int64_t{8}}));
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->Int("n"), 9 - lo);
    EXPECT_EQ(row->Int("s"), (lo + 8) * (9 - lo) / 2);
  }
  ZB_ASSERT_OK(lease->QueryOne("SELECT COUNT(*) AS n FROM ppc WHERE v >= $1", {int64_t{3}}).status());
  if constexpr (TypeParam::kDialect == db::Dialect::kPostgres) {
    ZB_ASSERT_OK_AND_ASSIGN(
        auto kept, lease->QueryOne("SELECT COUNT(*) FILTER (WHERE starts_with(statement, '/*')) AS marked, "
                                   "COUNT(*) FILTER (WHERE statement = 'SELECT COUNT(*) AS n FROM ppc WHERE v >= $1') "
                                   "AS plain FROM pg_prepared_statements"));
    ASSERT_TRUE(kept.has_value());
    EXPECT_EQ(kept->Int("marked"), 0);
    EXPECT_EQ(kept->Int("plain"), 1);
  }
}

// Stream hands the same values as Query, row by row, by column index.
TYPED_TEST(DbContractTest, StreamReadsEveryRowAsQueryDoes) {
  ZB_ASSERT_OK(
      this->ExecTx(this->Ddl("CREATE TABLE st (id INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT, b INTEGER) STRICT",
                             "CREATE TABLE st (id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT, "
                             "b BOOLEAN)")));
  const std::string kChinese = "高新区 ✓ 'q' \"dq\" $1";
  const std::string kInsert = "INSERT INTO st (id, i, d, s, b) VALUES ($1, $2, $3, $4, $5)";
  const Value kTrue = std::string("1"), kFalse = std::string("0");  // booleans as both engines read them
  ZB_ASSERT_OK(this->ExecTx(kInsert, {int64_t{1}, std::numeric_limits<int64_t>::min(), -0.1, kChinese, kTrue}));
  ZB_ASSERT_OK(this->ExecTx(kInsert, {int64_t{2}, db::Null(), db::Null(), db::Null(), db::Null()}));
  ZB_ASSERT_OK(this->ExecTx(kInsert, {int64_t{3}, int64_t{42}, 2.5, std::string(), kFalse}));

  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  const std::string kSelect = "SELECT id, i, d, s, b, COUNT(*) OVER () AS n FROM st WHERE id >= $1 ORDER BY id";
  ZB_ASSERT_OK_AND_ASSIGN(db::Result want, lease->Query(kSelect, {int64_t{1}}));
  ASSERT_EQ(want.rows.size(), 3u);
  size_t seen = 0;
  ZB_ASSERT_OK(lease->Stream(kSelect, {int64_t{1}}, [&](const db::RowView& row) {
    const db::Row& w = want.rows.at(seen++);
    EXPECT_EQ(row.size(), 6u);
    for (size_t c = 0; c < row.size(); ++c) {
      EXPECT_EQ(row.IsNull(c), w.IsNull(c)) << "row " << seen << " column " << c;
      EXPECT_EQ(row.Int(c), w.Int(c)) << "row " << seen << " column " << c;
    }
    EXPECT_EQ(row.Double(2), w.Double(2));
    EXPECT_EQ(row.Text(3), w.Text(3));
    EXPECT_EQ(row.OptText(3), w.OptText("s"));
    EXPECT_EQ(row.OptInt(1), w.OptInt("i"));
    EXPECT_EQ(row.Int(5), 3);  // an aggregate
    return Status();
  }));
  EXPECT_EQ(seen, 3u);
  // Spot checks against hand-known values, not only against Query.
  std::vector<std::string> texts;
  std::vector<bool> flags;
  ZB_ASSERT_OK(lease->Stream(kSelect, {int64_t{1}}, [&](const db::RowView& row) {
    texts.emplace_back(row.Text(3));
    flags.push_back(row.Bool(4));
    return Status();
  }));
  EXPECT_EQ(texts, (std::vector<std::string>{kChinese, "", ""}));
  EXPECT_EQ(flags, (std::vector<bool>{true, false, false}));
}

// An error from the callback stops the stream and comes back unchanged; it
// does not abort the transaction around it, and the statement is reusable.
TYPED_TEST(DbContractTest, StreamStopsAtTheCallbacksError) {
  for (int64_t id : {1, 2, 3})
    ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(id, std::nullopt, "C" + std::to_string(id))));
  ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
  int calls = 0;
  Status s = tx->Stream("SELECT id FROM org_units ORDER BY id", {}, [&](const db::RowView& row) {
    ++calls;
    return row.Int(0) == 2 ? Conflict("stop at 2") : Status();
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_EQ(calls, 2);
  ZB_ASSERT_OK(tx->Exec(kInsertOrgUnit, OrgUnitRow(4, std::nullopt, "C4")));
  calls = 0;
  ZB_ASSERT_OK(tx->Stream("SELECT id FROM org_units ORDER BY id", {}, [&](const db::RowView&) {
    ++calls;
    return Status();
  }));
  EXPECT_EQ(calls, 4);
  ZB_ASSERT_OK(tx.Commit());
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("org_units"));
  EXPECT_EQ(n, 4);
  // An engine error is reported like Query's.
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  EXPECT_EQ(lease->Stream("SELEC 1", {}, [](const db::RowView&) { return Status(); }).code(),
            StatusCode::kInternal);
}

TYPED_TEST(DbContractTest, AffectedRowsCountsChangedRowsOnly) {
  for (int64_t id : {1, 2, 3})
    ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(id, std::nullopt, "C" + std::to_string(id))));
  ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
  ZB_ASSERT_OK_AND_ASSIGN(auto upd, tx->Query("UPDATE org_units SET sort_order = 5 WHERE id >= $1", {int64_t{2}}));
  EXPECT_EQ(upd.affected, 2);
  ZB_ASSERT_OK_AND_ASSIGN(auto none, tx->Query("UPDATE org_units SET sort_order = 5 WHERE id > $1", {int64_t{99}}));
  EXPECT_EQ(none.affected, 0);
  ZB_ASSERT_OK_AND_ASSIGN(auto sel, tx->Query("SELECT id FROM org_units"));
  EXPECT_EQ(sel.rows.size(), 3u);
  EXPECT_EQ(sel.affected, 0);
  ZB_ASSERT_OK_AND_ASSIGN(auto del, tx->Query("DELETE FROM org_units WHERE id = $1 RETURNING id", {int64_t{1}}));
  EXPECT_EQ(del.affected, 1);
  EXPECT_EQ(del.rows.size(), 1u);
  ZB_ASSERT_OK(tx.Commit());
}

TYPED_TEST(DbContractTest, QueryOneRefusesSeveralRows) {
  for (int64_t id : {1, 2})
    ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(id, std::nullopt, "C" + std::to_string(id))));
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  auto two = lease->QueryOne("SELECT id FROM org_units");
  EXPECT_EQ(two.status().code(), StatusCode::kInternal);
  ZB_ASSERT_OK_AND_ASSIGN(auto none, lease->QueryOne("SELECT id FROM org_units WHERE id = $1", {int64_t{99}}));
  EXPECT_FALSE(none.has_value());
}

// ---- errors -----------------------------------------------------------------

TYPED_TEST(DbContractTest, UniqueViolationIsAlreadyExistsNamingTheColumn) {
  ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "DUP")));
  Status s = this->ExecTx(kInsertOrgUnit, OrgUnitRow(2, std::nullopt, "DUP"));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_EQ(s.field(), "code");
  EXPECT_NE(s.message().find("org_units.code"), std::string::npos) << s.message();
  // Primary key too.
  Status pk = this->ExecTx(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "OTHER"));
  EXPECT_EQ(pk.code(), StatusCode::kAlreadyExists) << pk.ToString();
  EXPECT_EQ(pk.field(), "id");
}

TYPED_TEST(DbContractTest, ForeignKeyViolationIsConflict) {
  Status s = this->ExecTx(kInsertOrgUnit, OrgUnitRow(1, int64_t{999}, "ORPHAN"));
  EXPECT_EQ(s.code(), StatusCode::kConflict) << s.ToString();
  // And the other way: deleting a referenced parent.
  ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "P")));
  ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(2, int64_t{1}, "C")));
  Status del = this->ExecTx("DELETE FROM org_units WHERE id = $1", {int64_t{1}});
  EXPECT_EQ(del.code(), StatusCode::kConflict) << del.ToString();
}

TYPED_TEST(DbContractTest, SyntaxErrorIsInternalAndHarmless) {
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  auto r = lease->Query("SELEC nonsense");
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_FALSE(r.status().message().empty());
  ZB_EXPECT_OK(lease->Ping());
}

// ---- transactions -----------------------------------------------------------

TYPED_TEST(DbContractTest, TxRollsBackWhenDestroyedWithoutCommit) {
  {
    ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
    ZB_ASSERT_OK(tx->Exec(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "GONE")));
  }
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("org_units"));
  EXPECT_EQ(n, 0);
  // The connection went back clean: a new transaction works.
  ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "KEPT")));
  ZB_ASSERT_OK_AND_ASSIGN(n, this->Count("org_units"));
  EXPECT_EQ(n, 1);
}

TYPED_TEST(DbContractTest, ExplicitRollbackAndDoubleCommit) {
  ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
  ZB_ASSERT_OK(tx->Exec(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "X")));
  ZB_ASSERT_OK(tx.Rollback());
  EXPECT_FALSE(tx.Commit().ok());
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("org_units"));
  EXPECT_EQ(n, 0);
}

TYPED_TEST(DbContractTest, InTxRollsBackWhenFnFails) {
  Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    ZB_RETURN_IF_ERROR(c.Exec(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "A")));
    return ValidationFailed("业务校验失败", "name");
  });
  EXPECT_EQ(s.code(), StatusCode::kValidationFailed);
  EXPECT_EQ(s.field(), "name");
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("org_units"));
  EXPECT_EQ(n, 0);
}

TYPED_TEST(DbContractTest, InTxRollsBackWhenAStatementFails) {
  ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "DUP")));
  Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    ZB_RETURN_IF_ERROR(c.Exec(kInsertOrgUnit, OrgUnitRow(2, std::nullopt, "NEW")));
    return c.Exec(kInsertOrgUnit, OrgUnitRow(3, std::nullopt, "DUP"));
  });
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("org_units"));
  EXPECT_EQ(n, 1);
}

// Both engines: once a statement fails inside a transaction the transaction
// is dead — later statements fail and COMMIT does not commit the earlier
// work. (PostgreSQL's rule; the SQLite adapter imitates it so code that
// swallows an error inside a Tx is caught on either engine.)
TYPED_TEST(DbContractTest, FailedStatementAbortsTheTransaction) {
  ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "DUP")));
  {
    ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
    ZB_ASSERT_OK(tx->Exec(kInsertOrgUnit, OrgUnitRow(2, std::nullopt, "NEW")));
    EXPECT_EQ(tx->Exec(kInsertOrgUnit, OrgUnitRow(3, std::nullopt, "DUP")).code(), StatusCode::kAlreadyExists);
    EXPECT_FALSE(tx->Exec("SELECT 1").ok());
    Status commit = tx.Commit();
    EXPECT_FALSE(commit.ok());
    EXPECT_NE(commit.message().find("aborted"), std::string::npos) << commit.ToString();
  }
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("org_units"));
  EXPECT_EQ(n, 1);
  // The pooled connection is not poisoned.
  ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(4, std::nullopt, "AFTER")));
  ZB_ASSERT_OK_AND_ASSIGN(n, this->Count("org_units"));
  EXPECT_EQ(n, 2);
}

TYPED_TEST(DbContractTest, AbortedTxDestroyedWithoutCommitLeavesPoolClean) {
  ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "DUP")));
  for (int i = 0; i < 6; ++i) {  // more rounds than pooled connections
    ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
    EXPECT_FALSE(tx->Exec(kInsertOrgUnit, OrgUnitRow(2, std::nullopt, "DUP")).ok());
  }
  ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(2, std::nullopt, "FINE")));
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("org_units"));
  EXPECT_EQ(n, 2);
}

TYPED_TEST(DbContractTest, CommitIsVisibleToReaders) {
  ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
  ZB_ASSERT_OK(tx->Exec(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "A")));
  ZB_ASSERT_OK_AND_ASSIGN(int64_t before, this->Count("org_units"));
  EXPECT_EQ(before, 0);  // not yet committed
  ZB_ASSERT_OK(tx.Commit());
  ZB_ASSERT_OK_AND_ASSIGN(int64_t after, this->Count("org_units"));
  EXPECT_EQ(after, 1);
}

TYPED_TEST(DbContractTest, ReadersRunWhileAWriterHoldsATransaction) {
  ZB_ASSERT_OK(this->ExecTx(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "OLD")));
  ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
  ZB_ASSERT_OK(tx->Exec(kInsertOrgUnit, OrgUnitRow(2, std::nullopt, "NEW")));

  constexpr int kReaders = 3;  // the pool's default has room for these beside the writer
  std::atomic<int> saw_old{0};
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kReaders; ++i) {
    threads.emplace_back([&] {
      auto n = this->Count("org_units");
      if (n.ok() && *n == 1) ++saw_old;
    });
  }
  for (auto& t : threads) t.join();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(saw_old.load(), kReaders);
  EXPECT_LT(elapsed, std::chrono::seconds(2)) << "readers waited for the writer";
  ZB_ASSERT_OK(tx.Commit());
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("org_units"));
  EXPECT_EQ(n, 2);
}

TYPED_TEST(DbContractTest, ConcurrentWritersQueueAndAllCommit) {
  ZB_ASSERT_OK(this->ExecTx(this->Ddl("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL) STRICT",
                                      "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)")));
  ZB_ASSERT_OK(this->ExecTx("INSERT INTO counter (id, n) VALUES (1, 0)"));
  constexpr int kThreads = 6;  // more than the pool's connections
  constexpr int kEach = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        Status s = db::InTx(this->pool(), [](db::Connection& c) -> Status {
          ZB_ASSIGN_OR_RETURN(auto r, c.Query("UPDATE counter SET n = n + 1 WHERE id = $1", {int64_t{1}}));
          return r.affected == 1 ? Status() : Internal("counter row missing");
        });
        if (!s.ok()) {
          ADD_FAILURE() << s.ToString();
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(auto row, lease->QueryOne("SELECT n FROM counter WHERE id = 1"));
  EXPECT_EQ(row->Int("n"), kThreads * kEach);
}

// ---- pool -------------------------------------------------------------------

TYPED_TEST(DbContractTest, LeaseWaitTimesOutAsUnavailable) {
  db::PoolOptions options;
  options.readers = 1;
  options.busy_timeout_ms = 200;
  ZB_ASSERT_OK_AND_ASSIGN(auto small, this->OpenPool(options));
  {
    ZB_ASSERT_OK_AND_ASSIGN(db::Lease held, small->Read());
    const auto start = std::chrono::steady_clock::now();
    auto second = small->Read();
    EXPECT_EQ(second.status().code(), StatusCode::kUnavailable) << second.status().ToString();
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
  }
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease again, small->Read());
  ZB_EXPECT_OK(again->Ping());
}

TYPED_TEST(DbContractTest, WriterWaitTimesOutAsUnavailable) {
  db::PoolOptions options;
  options.readers = 1;
  options.busy_timeout_ms = 200;
  ZB_ASSERT_OK_AND_ASSIGN(auto p, this->OpenPool(options));
  {
    ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, p->Begin());
    auto second = p->Begin();
    EXPECT_EQ(second.status().code(), StatusCode::kUnavailable) << second.status().ToString();
  }
  ZB_ASSERT_OK_AND_ASSIGN(db::Tx again, p->Begin());
  ZB_EXPECT_OK(again.Commit());
}

TYPED_TEST(DbContractTest, CloseWaitsForOutstandingLeases) {
  ZB_ASSERT_OK_AND_ASSIGN(auto p, this->OpenPool());
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, p->Read());
  std::atomic<bool> released{false};
  std::thread holder([&, l = std::move(lease)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    released = true;
    db::Lease gone = std::move(l);
  });
  p->Close();
  EXPECT_TRUE(released.load());
  holder.join();
  EXPECT_EQ(p->Read().status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(p->Begin().status().code(), StatusCode::kUnavailable);
}

TYPED_TEST(DbContractTest, ExecScriptRunsSeveralStatements) {
  ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
  ZB_ASSERT_OK(
      tx->ExecScript(this->Ddl("CREATE TABLE s1 (x INTEGER) STRICT; CREATE TABLE s2 (y INTEGER) STRICT;"
                               " INSERT INTO s1 (x) VALUES (1);",
                               "CREATE TABLE s1 (x BIGINT); CREATE TABLE s2 (y BIGINT);"
                               " INSERT INTO s1 (x) VALUES (1);")));
  ZB_ASSERT_OK(tx.Commit());
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("s1"));
  EXPECT_EQ(n, 1);
  ZB_ASSERT_OK_AND_ASSIGN(n, this->Count("s2"));
  EXPECT_EQ(n, 0);
}

// ---- engine-specific ----------------------------------------------------------

TEST(SqlitePool, MemoryDatabaseIsASingleConnectionPool) {
  ZB_ASSERT_OK_AND_ASSIGN(auto pool, db::Pool::Open("sqlite::memory:"));
  EXPECT_EQ(pool->dialect(), db::Dialect::kSqlite);
  ZB_ASSERT_OK_AND_ASSIGN(auto report, db::Migrate(*pool));
  EXPECT_FALSE(report.applied.empty());
  ZB_ASSERT_OK(
      db::InTx(*pool, [](db::Connection& c) { return c.Exec(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "M")); }));
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, pool->Read());
  ZB_ASSERT_OK_AND_ASSIGN(auto row, lease->QueryOne("SELECT code FROM org_units"));
  EXPECT_EQ(row->Text("code"), "M");
}

TEST(SqlitePool, ReadLeaseRefusesWrites) {
  ZB_ASSERT_OK_AND_ASSIGN(std::string url, testdb::FreshDatabaseUrl(db::Dialect::kSqlite));
  {
    ZB_ASSERT_OK_AND_ASSIGN(auto pool, db::Pool::Open(url));
    ZB_ASSERT_OK(db::Migrate(*pool).status());
    ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, pool->Read());
    Status s = lease->Exec(kInsertOrgUnit, OrgUnitRow(1, std::nullopt, "W"));
    EXPECT_EQ(s.code(), StatusCode::kInternal) << s.ToString();
  }
  ZB_EXPECT_OK(testdb::DropDatabase(url));
}

// Another process (here: another pool) holding the write lock past
// busy_timeout: SQLITE_BUSY surfaces as kUnavailable.
TEST(SqlitePool, BusyDatabaseIsUnavailable) {
  ZB_ASSERT_OK_AND_ASSIGN(std::string url, testdb::FreshDatabaseUrl(db::Dialect::kSqlite));
  {
    ZB_ASSERT_OK_AND_ASSIGN(auto first, db::Pool::Open(url));
    db::PoolOptions impatient;
    impatient.busy_timeout_ms = 100;
    ZB_ASSERT_OK_AND_ASSIGN(auto second, db::Pool::Open(url, impatient));
    ZB_ASSERT_OK_AND_ASSIGN(db::Tx holding, first->Begin());
    auto blocked = second->Begin();
    EXPECT_EQ(blocked.status().code(), StatusCode::kUnavailable) << blocked.status().ToString();
    ZB_ASSERT_OK(holding.Commit());
    ZB_ASSERT_OK_AND_ASSIGN(db::Tx now_free, second->Begin());
    ZB_EXPECT_OK(now_free.Commit());
  }
  ZB_EXPECT_OK(testdb::DropDatabase(url));
}

TEST(SqlitePool, UnopenableFileIsAClearError) {
  auto pool = db::Pool::Open("sqlite:/nonexistent-zb-dir/sub/zhuanban.db");
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(pool.status().message().find("/nonexistent-zb-dir/sub/zhuanban.db"), std::string::npos)
      << pool.status().ToString();
}

TEST(SqlitePool, RejectsUnknownSynchronousSetting) {
  db::PoolOptions options;
  options.sqlite_synchronous = "SOMETIMES";
  EXPECT_FALSE(db::Pool::Open("sqlite::memory:", options).ok());
}

TEST(SqlitePool, CloseCheckpointsTheWal) {
  ZB_ASSERT_OK_AND_ASSIGN(std::string url, testdb::FreshDatabaseUrl(db::Dialect::kSqlite));
  const std::string path = url.substr(7);
  {
    ZB_ASSERT_OK_AND_ASSIGN(auto pool, db::Pool::Open(url));
    ZB_ASSERT_OK(db::Migrate(*pool).status());
    ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, pool->Read());
    ZB_ASSERT_OK_AND_ASSIGN(auto mode, lease->QueryOne("PRAGMA journal_mode"));
    EXPECT_EQ(mode->Text(0), "wal");
    ZB_ASSERT_OK_AND_ASSIGN(auto fk, lease->QueryOne("PRAGMA foreign_keys"));
    EXPECT_EQ(fk->Int(0), 1);
  }
  // The last connection closed: the WAL was folded back and removed.
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_TRUE(std::filesystem::exists(path));
  ZB_EXPECT_OK(testdb::DropDatabase(url));
}

TEST(Pool, UnknownUrlSchemeIsRejected) {
  auto pool = db::Pool::Open("mysql://localhost/x");
  EXPECT_EQ(pool.status().code(), StatusCode::kBadRequest);
}

TEST(Pool, DialectNames) {
  EXPECT_EQ(db::DialectName(db::Dialect::kSqlite), "sqlite");
  EXPECT_EQ(db::DialectName(db::Dialect::kPostgres), "postgres");
}

}  // namespace
}  // namespace zb::storage_test
