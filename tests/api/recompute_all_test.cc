// storage::RecomputeAll — its bulk path: projects, nodes and links
// streamed in id-ordered chunks into flat vectors, the changed rows written
// set-based — gives exactly the rows storage::RecomputeProject gives
// project by project (each plan read whole through storage::GetPlan), on a
// generated district (every stage, plans with progress) with a plan that
// no longer schedules, a plan without nodes and a project without a
// warning row: after the day moves on, after a calendar change and after a
// threshold change. It writes exactly the rows whose results changed. And
// storage::RecomputeStale, the new day's recompute of only the rows that
// ran out, leaves exactly RecomputeAll's results day after day. Run on both
// engines, like every API suite.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/test_server.h"  // TestEngine
#include "app/project_gen.h"
#include "app/seed.h"
#include "core/clock.h"
#include "storage/migrations.h"
#include "storage/test_db.h"
#include "storage/warning_store.h"

namespace zb::testing {
namespace {

const Date kToday = *Date::FromYmd(2026, 11, 24);  // a Tuesday

// Every stored value as text ("NULL" for null), row by row.
using Rows = std::vector<std::vector<std::string>>;

struct Snapshot {
  Rows nodes;     // plan_nodes' computed columns, by id
  Rows warnings;  // project_warnings, by project
};

StatusOr<Rows> Read(db::Connection& c, const std::string& sql) {
  ZB_ASSIGN_OR_RETURN(db::Result r, c.Query(sql));
  Rows out;
  for (const db::Row& row : r.rows) {
    std::vector<std::string>& cells = out.emplace_back();
    for (size_t i = 0; i < row.size(); ++i) cells.push_back(row.IsNull(i) ? "NULL" : row.Text(i));
  }
  return out;
}

StatusOr<Snapshot> Take(db::Connection& c) {
  Snapshot s;
  ZB_ASSIGN_OR_RETURN(s.nodes, Read(c, "SELECT id, latest_start, latest_finish, forecast_start_fixed, "
                                       "forecast_start_offset, forecast_finish_fixed, forecast_finish_offset, "
                                       "colour FROM plan_nodes ORDER BY id"));
  ZB_ASSIGN_OR_RETURN(s.warnings, Read(c, "SELECT project_id, colour, reasons, red_nodes, yellow_nodes, max_slip, "
                                          "max_slip_offset, valid_until, computed_on, calendar_version, "
                                          "settings_version FROM project_warnings ORDER BY project_id"));
  return s;
}

// project_warnings' results: its columns up to max_slip_offset (not
// valid_until and the stamps).
constexpr size_t kWarningResults = 7;

// Rows of `b` that differ from `a`'s row of the same id (the first cell)
// in their first `columns` cells, or that `a` lacks; the first described
// in *first.
int64_t Differing(const Rows& a, const Rows& b, size_t columns, std::string* first = nullptr) {
  std::map<std::string, const std::vector<std::string>*> by_id;
  for (const auto& row : a) by_id[row[0]] = &row;
  int64_t n = 0;
  for (const auto& row : b) {
    auto it = by_id.find(row[0]);
    if (it != by_id.end() && std::equal(row.begin(), row.begin() + columns, it->second->begin())) continue;
    if (first && n == 0) {
      *first = "row " + row[0] + ":";
      for (size_t k = 0; k < row.size(); ++k) {
        *first += " [" + (it != by_id.end() ? (*it->second)[k] : std::string("-")) + " | " + row[k] + "]";
      }
    }
    ++n;
  }
  return n;
}

// `columns`: 0 for all.
void ExpectSame(const Rows& one_by_one, const Rows& bulk, const char* what, size_t columns = 0,
                const char* whose = "RecomputeProject's") {
  EXPECT_EQ(one_by_one.size(), bulk.size()) << what;
  std::string first;
  const int64_t n = Differing(one_by_one, bulk, columns ? columns : bulk.empty() ? 0 : bulk.front().size(), &first);
  EXPECT_EQ(n, 0) << what << " differ from " << whose << ", first " << first;
}

class RecomputeAllTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = testdb::TestDatabase::Create(TestEngine() == "postgres" ? db::Dialect::kPostgres : db::Dialect::kSqlite);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    database_ = std::move(*made);
    // `zhuanban init` then `zhuanban gen`, each on a pool of its own as the
    // two commands would be (the generator sets its writer's page cache and
    // temporary storage, which SQLite refuses once a connection used it).
    {
      auto init = db::Pool::Open(database_->url());
      ASSERT_TRUE(init.ok()) << init.status().ToString();
      ASSERT_TRUE(db::Migrate(**init).ok());
      FakeClock clock(kToday);
      auto report = app::InitDatabase(**init, {}, clock);
      ASSERT_TRUE(report.ok()) << report.status().ToString();
      (*init)->Close();
    }
    auto pool = db::Pool::Open(database_->url());
    ASSERT_TRUE(pool.ok()) << pool.status().ToString();
    pool_ = std::move(*pool);
    auto gen = app::GenerateProjects(*pool_, 600, 5, nullptr, kToday);
    ASSERT_TRUE(gen.ok()) << gen.status().ToString();
    ASSERT_GT(gen->plans, 300);
    Status edited = db::InTx(*pool_, [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(db::Result ids, c.Query("SELECT id FROM projects ORDER BY id"));
      for (const db::Row& r : ids.rows) projects_.push_back(r.Int(0));
      ZB_ASSIGN_OR_RETURN(db::Result plans,
                          c.Query("SELECT project_id, MIN(id) AS first, MAX(id) AS last FROM plan_nodes "
                                  "GROUP BY project_id ORDER BY project_id LIMIT 3"));
      if (plans.rows.size() < 3) return Internal("too few plans");
      // A link back from the last node to the first: a cycle, so the plan
      // no longer schedules (validation prevents it; the engine clears the
      // nodes' computed columns and judges the project by its facts alone).
      cyclic_ = plans.rows[0].Int(0);
      ZB_RETURN_IF_ERROR(c.Exec("INSERT INTO plan_links (project_id, from_node, to_node, lag) VALUES ($1, $2, $3, 0)",
                                {cyclic_, plans.rows[0].Int(2), plans.rows[0].Int(1)}));
      ZB_RETURN_IF_ERROR(c.Exec("DELETE FROM plan_nodes WHERE project_id = $1", {plans.rows[1].Int(0)}));
      return c.Exec("DELETE FROM project_warnings WHERE project_id = $1", {plans.rows[2].Int(0)});
    });
    ASSERT_TRUE(edited.ok()) << edited.ToString();
    auto conn = pool_->Read();
    ASSERT_TRUE(conn.ok());
    auto ctx = storage::LoadWarningContext(**conn, kToday);
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    ctx_ = *ctx;
  }

  void TearDown() override {
    if (pool_) pool_->Close();
    pool_.reset();
    database_.reset();
  }

  // Runs fn in a transaction, snapshots what it left and rolls it back.
  Snapshot Trial(const std::function<Status(db::Connection&)>& fn) {
    auto tx = pool_->Begin();
    EXPECT_TRUE(tx.ok()) << tx.status().ToString();
    if (!tx.ok()) return {};
    Status s = fn(tx->conn());
    EXPECT_TRUE(s.ok()) << s.ToString();
    auto snap = Take(tx->conn());
    EXPECT_TRUE(snap.ok()) << snap.status().ToString();
    EXPECT_TRUE(tx->Rollback().ok());
    return snap.ok() ? *snap : Snapshot{};
  }

  // RecomputeAll for ctx (in chunks of `chunk` projects) against
  // RecomputeProject for every project, each from the stored state.
  void Compare(const storage::WarningContext& ctx, int64_t chunk) {
    const Snapshot before = Trial([](db::Connection&) { return Status(); });
    storage::RecomputeStats stats;
    const Snapshot bulk = Trial([&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(stats, storage::RecomputeAll(c, ctx, chunk));
      ZB_ASSIGN_OR_RETURN(auto coloured, c.QueryOne("SELECT COUNT(*) AS n FROM plan_nodes WHERE project_id = $1 "
                                                    "AND colour <> ''", {cyclic_}));
      EXPECT_EQ(coloured->Int("n"), 0) << "a plan that does not schedule has its nodes' columns cleared";
      return Status();
    });
    const Snapshot one = Trial([&](db::Connection& c) -> Status {
      for (int64_t id : projects_) ZB_RETURN_IF_ERROR(storage::RecomputeProject(c, id, ctx));
      return Status();
    });
    ExpectSame(one.nodes, bulk.nodes, "plan_nodes");
    ExpectSame(one.warnings, bulk.warnings, "project_warnings");
    EXPECT_EQ(stats.projects, static_cast<int64_t>(projects_.size()));
    EXPECT_EQ(stats.nodes, static_cast<int64_t>(bulk.nodes.size()));
    // Written: exactly the rows whose results, valid_until or versions
    // changed (a written row is stamped with the day).
    EXPECT_EQ(stats.nodes_written, Differing(before.nodes, bulk.nodes, 8));
    EXPECT_EQ(stats.warnings_written, Differing(before.warnings, bulk.warnings, 11));
    EXPECT_GT(stats.nodes_written, 0);
    EXPECT_GT(stats.warnings_written, 0);
    EXPECT_LT(stats.nodes_written, stats.nodes) << "done and unaffected nodes keep their rows";
  }

  std::unique_ptr<testdb::TestDatabase> database_;
  std::unique_ptr<db::Pool> pool_;
  std::vector<int64_t> projects_;
  int64_t cyclic_ = 0;  // its plan has a cycle
  storage::WarningContext ctx_;
};

TEST_F(RecomputeAllTest, AfterTheDayMovesOnItWritesWhatRecomputingEachProjectWrites) {
  ASSERT_EQ(projects_.size(), 600u);
  storage::WarningContext next = ctx_;
  next.today = kToday.AddDays(6);  // the Monday after
  Compare(next, 97);  // chunk boundaries inside the id range
  Compare(next, storage::kRecomputeChunk);
}

// The server's new day: RecomputeStale reads only the projects whose rows
// ran out (valid_until before the day) and leaves exactly the results
// RecomputeAll leaves — day after day for six weeks (weekends, 元旦 2027),
// and after a jump of ten days (a server off for a while).
TEST_F(RecomputeAllTest, ANewDayRecomputesOnlyTheRowsThatRanOutAndLeavesWhatRecomputingAllLeaves) {
  auto commit = [&](const storage::WarningContext& ctx, bool all = false) {
    storage::RecomputeStats stats;
    Status s = db::InTx(*pool_, [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(stats, all ? storage::RecomputeAll(c, ctx, 97) : storage::RecomputeStale(c, ctx, 97));
      return Status();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return stats;
  };
  // The fixture edited plans behind the engine's back (a write through the
  // API recomputes its project): everything first.
  EXPECT_GT(commit(ctx_, true).warnings_written, 0);
  int64_t read = 0, days = 0;
  for (Date day = kToday.AddDays(1); day <= *Date::FromYmd(2027, 1, 20); day = day.AddDays(day.day() == 20 ? 10 : 1)) {
    SCOPED_TRACE(day.ToString());
    storage::WarningContext ctx = ctx_;
    ctx.today = day;
    const storage::RecomputeStats stats = commit(ctx);
    read += stats.projects;
    ++days;
    const Snapshot stale = Trial([](db::Connection&) { return Status(); });
    const Snapshot all = Trial([&](db::Connection& c) { return storage::RecomputeAll(c, ctx, 97).status(); });
    ExpectSame(all.nodes, stale.nodes, "plan_nodes", 0, "RecomputeAll's");
    ExpectSame(all.warnings, stale.warnings, "project_warnings", kWarningResults, "RecomputeAll's");
    for (const auto& row : stale.warnings) {
      ASSERT_LE(row[8], day.ToString()) << "computed_on, project " << row[0];
      ASSERT_GE(row[7], day.ToString()) << "valid_until, project " << row[0];
    }
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(read, 0);
  EXPECT_LT(read, days * static_cast<int64_t>(projects_.size()) / 5)
      << "a new day reads a small part of the projects";
}

TEST_F(RecomputeAllTest, AfterACalendarChangeItWritesWhatRecomputingEachProjectWrites) {
  auto cal = std::make_shared<WorkCalendar>(*ctx_.calendar);
  cal->Set(kToday.AddDays(2), WorkCalendar::DayKind::kHoliday);  // Thursday off
  cal->Set(kToday.AddDays(4), WorkCalendar::DayKind::kWorkday);  // Saturday on
  cal->Set(*Date::FromYmd(2027, 1, 4), WorkCalendar::DayKind::kHoliday);
  storage::WarningContext changed = ctx_;
  changed.calendar = cal;
  changed.calendar_version += 1;
  Compare(changed, 97);
}

TEST_F(RecomputeAllTest, AfterAThresholdChangeItWritesWhatRecomputingEachProjectWrites) {
  storage::WarningContext changed = ctx_;
  changed.thresholds.slack_yellow = 12;
  changed.thresholds.due_soon = 8;
  changed.thresholds.not_started_red_months = 1;
  changed.settings_version += 1;
  Compare(changed, 97);
}

}  // namespace
}  // namespace zb::testing
