// The ledger at scale (docs/performance.md, "问题台账 at 500 000 items"):
// the daily job (storage/problem_daily.h) and the figures
// (storage/problem_stats_repo.h) over a generated ledger, timed as the job
// and the stats route see them.
//
//   build/bench/zb_problem_bench [ITEMS] [RUNS]     (default 500 000, 5)
//
// ZB_PROBLEM_BENCH_DB=FILE (or a postgresql:// URL) is the database: made
// when missing or empty — `init --demo`, then app::GenerateProblems(ITEMS,
// seed 1) as of 2026-11-24, timed — and reused when present (e.g. a copy of
// one `zhuanban gen --problems` made; the bench writes the daily job's
// catch-up into it). Without it, a temporary SQLite file.
//
// Printed:
// - the daily job for the seven days before 2026-11-24, committed (the
//   first tells every overdue item and escalates those due: the catch-up
//   of a ledger the job never saw; the others settle the escalations it
//   started), then 2026-11-24 RUNS times, each rolled back so every run is
//   the same steady-state day — the target is ≤ 1 s;
// - the figures for the whole tree (the admin's scope, no filter) by lead
//   unit, category and month, for this year (to its end and to today),
//   this month and the whole range, each RUNS times by the live pass and
//   by the roll-up (migration 0012), which must agree: the first answer of
//   a query the route has not cached — the target is ≤ 100 ms.
// Each as wall time and CPU time: the bench's thread and, on a PostgreSQL
// server on this machine, the server process serving it (CpuClock) — on a
// shared machine the wall time waits for a core.
#include <stdlib.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/demo_problems.h"
#include "app/seed.h"
#include "core/clock.h"
#include "storage/calendar_repo.h"
#include "storage/db.h"
#include "storage/migrations.h"
#include "storage/problem_daily.h"
#include "storage/problem_repo.h"
#include "storage/problem_stats_repo.h"

namespace {

using Clock = std::chrono::steady_clock;

void Check(const zb::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "problem_bench: %s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

double Ms(Clock::time_point since) { return std::chrono::duration<double, std::milli>(Clock::now() - since).count(); }

// CPU time in ms spent on a query since the clock was made: this thread's
// (SQLite works in it) plus, on PostgreSQL running on this machine, the
// server process serving `conn` (/proc/PID/schedstat, ns on a CPU; 0 when
// unreadable). On a loaded machine wall time waits for a core, CPU time
// does not.
class CpuClock {
 public:
  explicit CpuClock(zb::db::Connection& conn) {
    if (conn.dialect() == zb::db::Dialect::kPostgres) {
      auto pid = conn.QueryOne("SELECT pg_backend_pid()");
      if (pid.ok() && *pid) path_ = "/proc/" + std::to_string((*pid)->Int(0)) + "/schedstat";
    }
    start_ = Now();
  }
  double Ms() const { return Now() - start_; }

 private:
  double Now() const {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    double ms = static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
    if (!path_.empty()) {
      std::ifstream f(path_);
      double ns = 0;
      if (f >> ns) ms += ns / 1e6;
    }
    return ms;
  }
  std::string path_;
  double start_ = 0;
};

// Wall and CPU times of the runs: "min/median/max ms (CPU min/median/max)".
std::string Spread(std::vector<double> ms, std::vector<double> cpu) {
  std::sort(ms.begin(), ms.end());
  std::sort(cpu.begin(), cpu.end());
  char buf[160];
  std::snprintf(buf, sizeof buf, "%.0f/%.0f/%.0f ms (CPU %.0f/%.0f/%.0f)", ms.front(), ms[ms.size() / 2], ms.back(),
                cpu.front(), cpu[cpu.size() / 2], cpu.back());
  return buf;
}

// One run of the daily job for `day` in its transaction, committed or not.
// Timed from the transaction's first statement to its end.
zb::storage::ProblemDailyReport Daily(zb::db::Pool& pool, zb::Date day, bool commit, double* ms, double* cpu) {
  auto tx = pool.Begin();
  Check(tx.status(), "begin");
  const CpuClock cpu_clock(tx->conn());
  const auto t0 = Clock::now();
  auto cal = zb::storage::CurrentCalendar(tx->conn());
  Check(cal.status(), "calendar");
  auto r = zb::storage::RunProblemDaily(tx->conn(), **cal, day, zb::StartOfDayMs(day) + 3'600'000);
  Check(r.status(), "daily");
  Check(commit ? tx->Commit() : tx->Rollback(), "end");
  *ms = Ms(t0);
  *cpu = cpu_clock.Ms();
  return *r;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t items = argc > 1 ? std::atoll(argv[1]) : 500'000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as it comes, also into a file (runs take minutes)
  const zb::Date today = *zb::Date::FromYmd(2026, 11, 24);
  std::filesystem::path tmp;
  std::string url;
  if (const char* keep = std::getenv("ZB_PROBLEM_BENCH_DB"); keep && *keep) {
    url = keep;
    if (!url.starts_with("postgres")) url = "sqlite:" + url;
  } else {
    char tmpl[] = "/tmp/zb-problem-bench-XXXXXX";
    tmp = mkdtemp(tmpl);
    url = "sqlite:" + (tmp / "bench.db").string();
  }
  auto pool = zb::db::Pool::Open(url, {.sqlite_synchronous = "NORMAL"});
  Check(pool.status(), "open");
  Check(zb::db::Migrate(**pool).status(), "migrate");
  int64_t present = 0;
  {
    auto lease = (*pool)->Read();
    Check(lease.status(), "read");
    auto n = (*lease)->QueryOne("SELECT (SELECT COUNT(*) FROM org_units) AS units, "
                                "(SELECT COUNT(*) FROM problems) AS problems");
    Check(n.status(), "count");
    if ((*n)->Int("units") == 0) {
      zb::FakeClock clock(today);
      Check(zb::app::InitDatabase(**pool, {.demo = true}, clock).status(), "init");
    }
    present = (*n)->Int("problems");
  }
  if (present < items / 2) {
    const auto t0 = Clock::now();
    auto made = zb::app::GenerateProblems(**pool, items, 1, nullptr, today);
    Check(made.status(), "generate");
    std::printf("generated %lld items in %.1f s\n", static_cast<long long>(*made), Ms(t0) / 1000);
  }

  // The daily job: a week's catch-up, committed, then the steady-state day.
  for (zb::Date day = today.AddDays(-7); day < today; day = day.AddDays(1)) {
    double ms = 0, cpu = 0;
    auto r = Daily(**pool, day, /*commit=*/true, &ms, &cpu);
    std::printf("daily %s (committed): %.0f ms (CPU %.0f) — %lld due soon, %lld overdue, %lld escalated, %lld notices\n",
                day.ToString().c_str(), ms, cpu, static_cast<long long>(r.due_soon), static_cast<long long>(r.overdue),
                static_cast<long long>(r.escalated), static_cast<long long>(r.notices));
  }
  {
    std::vector<double> ms(static_cast<size_t>(runs)), cpu(ms.size());
    zb::storage::ProblemDailyReport r;
    for (size_t i = 0; i < ms.size(); ++i) r = Daily(**pool, today, /*commit=*/false, &ms[i], &cpu[i]);
    std::printf("daily %s × %d (rolled back): %s — %lld due soon, %lld overdue, %lld escalated, %lld notices\n",
                today.ToString().c_str(), runs, Spread(ms, cpu).c_str(), static_cast<long long>(r.due_soon),
                static_cast<long long>(r.overdue), static_cast<long long>(r.escalated),
                static_cast<long long>(r.notices));
  }

  // The figures for the whole tree: the live pass (ProblemStatsByGroup over
  // the list's WHERE: what any narrower scope or filter still runs) and the
  // roll-up (ProblemStatsWholeTree: what the admin's unfiltered page runs),
  // which must agree. "to today" is what the page's 本月/本季度 send: the
  // month so far comes from the live pass.
  const zb::storage::ProblemScope all{.units = {.all = true}};
  struct Period {
    const char* name;
    std::optional<std::string> from, to;
  };
  const Period periods[] = {{"this year", "2026-01-01", "2026-12-31"},
                            {"this year to today", "2026-01-01", "2026-11-24"},
                            {"this month", "2026-11-01", "2026-11-30"},
                            {"whole range", std::nullopt, std::nullopt}};
  const std::pair<const char*, zb::storage::ProblemStatsGroup> groups[] = {
      {"unit", zb::storage::ProblemStatsGroup::kUnit},
      {"category", zb::storage::ProblemStatsGroup::kCategory},
      {"month", zb::storage::ProblemStatsGroup::kMonth}};
  auto date = [](const std::optional<std::string>& s) -> std::optional<zb::Date> {
    if (!s) return std::nullopt;
    return *zb::Date::Parse(*s);
  };
  for (const auto& period : periods) {
    for (const auto& [name, group] : groups) {
      zb::storage::ProblemFilter f;
      f.raised_from = period.from;
      f.raised_to = period.to;
      zb::domain::ProblemTally totals[2];
      for (const bool rollup : {false, true}) {
        std::vector<double> ms(static_cast<size_t>(runs)), cpu(ms.size());
        for (size_t i = 0; i < ms.size(); ++i) {
          auto lease = (*pool)->Read();
          Check(lease.status(), "read");
          const CpuClock cpu_clock(**lease);
          const auto t0 = Clock::now();
          auto rows = [&]() -> zb::StatusOr<std::vector<zb::storage::ProblemStatsRow>> {
            if (rollup) {
              return zb::storage::ProblemStatsWholeTree(**lease, group, date(period.from), date(period.to), today);
            }
            zb::db::Params params;
            const std::string from_where = zb::storage::ProblemFromWhere(all, f, today, (**lease).dialect(), &params);
            return zb::storage::ProblemStatsByGroup(**lease, group, from_where, params, today);
          }();
          Check(rows.status(), "stats");
          ms[i] = Ms(t0);
          cpu[i] = cpu_clock.Ms();
          totals[rollup] = {};
          for (const auto& row : *rows) totals[rollup].Merge(row.tally);
        }
        std::printf("stats group=%s, %s (%lld items, %lld overdue), %s × %d: %s\n", name, period.name,
                    static_cast<long long>(totals[rollup].raised), static_cast<long long>(totals[rollup].overdue),
                    rollup ? "roll-up" : "live pass", runs, Spread(ms, cpu).c_str());
      }
      const auto& a = totals[0];
      const auto& b = totals[1];
      if (a.raised != b.raised || a.open != b.open || a.overdue != b.overdue || a.resolved != b.resolved ||
          a.on_time != b.on_time || a.rated != b.rated || a.satisfied != b.satisfied ||
          a.escalated != b.escalated || a.on_spot != b.on_spot || a.resolve_days != b.resolve_days) {
        std::fprintf(stderr, "problem_bench: the roll-up and the live pass disagree\n");
        return 1;
      }
    }
  }
  (*pool)->Close();
  if (!tmp.empty()) std::filesystem::remove_all(tmp);
  return 0;
}
