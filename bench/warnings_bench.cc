// The warning engine on a generated district (docs/performance.md,
// "Warnings engine"): storage::RecomputeStale for a new day (what the
// server runs when the day changes), storage::RecomputeAll over every
// project, plan node and link, and storage::RecomputeProject after one
// node's edit, timed as a request would see them (the whole transaction,
// commit included).
//
//   build/bench/zb_warnings_bench [PROJECTS]      (default 100 000)
//
// The database is made in a temporary directory: `zhuanban init` then
// app::GenerateProjects(PROJECTS, seed 1) — which gives most projects a
// node plan (app/demo_plans.h). ZB_WARNINGS_BENCH_DB=FILE keeps it in FILE
// (made when missing, reused when present); a postgresql:// URL there runs
// the same on PostgreSQL (an empty database is filled first).
// ZB_WARNINGS_BENCH_DAY=YYYY-MM-DD is the "new day" (default 2026-11-25, the
// day after generation): a kept database already computed for it has
// nothing new to do, so give the next day to measure a new day again.
// ZB_WARNINGS_BENCH_STALE_ONLY=1 skips the RecomputeAll.
// ZB_WARNINGS_BENCH_EDITS=N times N single-node edits instead of 300 (0:
// none, to bring a kept database up to a day — and through the migrations,
// whose time is printed — without changing any plan).
//
// Printed: RecomputeStale for the new day (the projects whose rows run out,
// valid_until before it, or a database just migrated: all), RecomputeAll
// for the same day (every project read and computed; nothing left to
// write: the cost of reading and computing alone) — each with its wall
// time, the part before the commit, and this thread's CPU time — and
// p50/p99 of 300 single-node edits each followed by RecomputeProject in its
// transaction.
#include <stdlib.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string_view>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "app/project_gen.h"
#include "app/seed.h"
#include "core/clock.h"
#include "storage/db.h"
#include "storage/migrations.h"
#include "storage/plan_repo.h"
#include "storage/warning_store.h"

namespace {

using Clock = std::chrono::steady_clock;

void Check(const zb::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "warnings_bench: %s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// This thread's CPU time so far, user and system, in seconds: SQLite works
// in the caller's thread, so on SQLite this is the recompute's whole CPU.
struct Cpu {
  double user = 0, sys = 0;
  static Cpu Now() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return {s(u.ru_utime), s(u.ru_stime)};
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int64_t projects = argc > 1 ? std::atoll(argv[1]) : 100'000;
  const zb::Date today = *zb::Date::FromYmd(2026, 11, 24);
  zb::Date next = today.AddDays(1);
  if (const char* day = std::getenv("ZB_WARNINGS_BENCH_DAY"); day && *day) {
    auto parsed = zb::Date::Parse(day, "ZB_WARNINGS_BENCH_DAY");
    Check(parsed.status(), "day");
    next = *parsed;
  }
  std::filesystem::path tmp;
  std::string url;
  bool fresh = true;
  if (const char* keep = std::getenv("ZB_WARNINGS_BENCH_DB"); keep && *keep) {
    url = keep;
    if (!url.starts_with("postgres")) {
      fresh = !std::filesystem::exists(url);
      url = "sqlite:" + url;
    }
  } else {
    char tmpl[] = "/tmp/zb-warnings-bench-XXXXXX";
    tmp = mkdtemp(tmpl);
    url = "sqlite:" + (tmp / "bench.db").string();
  }
  auto pool = zb::db::Pool::Open(url);
  Check(pool.status(), "open");
  {
    const auto t0 = Clock::now();
    Check(zb::db::Migrate(**pool).status(), "migrate");
    std::printf("migrations: %.2f s\n", Seconds(t0));
  }
  if (!fresh || (*pool)->dialect() == zb::db::Dialect::kPostgres) {
    auto lease = (*pool)->Read();
    Check(lease.status(), "read");
    auto n = (*lease)->QueryOne("SELECT COUNT(*) AS n FROM org_units");
    Check(n.status(), "count");
    fresh = (*n)->Int("n") == 0;
  }
  // Init, the generator and the measurements each on a pool of their own,
  // as `zhuanban init`, `zhuanban gen` and `serve` would be: the generator
  // gives its writer a larger page cache for good, and the measurements run
  // with the writer `serve` has.
  auto reopen = [&] {
    (*pool)->Close();
    pool = zb::db::Pool::Open(url);
    Check(pool.status(), "open");
  };
  if (fresh) {
    zb::FakeClock clock(today);
    Check(zb::app::InitDatabase(**pool, {}, clock).status(), "init");
    reopen();
    const auto t0 = Clock::now();
    auto gen = zb::app::GenerateProjects(**pool, projects, 1, nullptr, today);
    Check(gen.status(), "generate");
    std::printf("generated %lld projects (%lld with a plan) in %.1f s, warnings included\n",
                static_cast<long long>(gen->projects), static_cast<long long>(gen->plans), Seconds(t0));
    std::fflush(stdout);
    reopen();
  }

  // The new day's recompute, then everything again with nothing to change.
  const char* stale_env = std::getenv("ZB_WARNINGS_BENCH_STALE_ONLY");
  const bool stale_only = stale_env && *stale_env && std::string_view(stale_env) != "0";
  for (const bool all : {false, true}) {
    if (all && stale_only) break;
    const zb::Date day = next;
    zb::storage::RecomputeStats stats;
    const Cpu c0 = Cpu::Now();
    const auto t0 = Clock::now();
    double before_commit = 0;
    Check(zb::db::InTx(**pool,
                       [&](zb::db::Connection& c) -> zb::Status {
                         ZB_ASSIGN_OR_RETURN(auto ctx, zb::storage::LoadWarningContext(c, day));
                         ZB_ASSIGN_OR_RETURN(stats, all ? zb::storage::RecomputeAll(c, ctx)
                                                        : zb::storage::RecomputeStale(c, ctx));
                         before_commit = Seconds(t0);
                         return zb::Status();
                       }),
          "recompute all");
    const double wall = Seconds(t0);
    const Cpu c1 = Cpu::Now();
    std::printf("%s %s: %.2f s (%.2f s before the commit; CPU %.2f s user + %.2f s sys) — %lld projects, "
                "%lld nodes; wrote %lld node rows, %lld warning rows\n",
                all ? "RecomputeAll" : "RecomputeStale", day.ToString().c_str(), wall, before_commit, c1.user - c0.user, c1.sys - c0.sys,
                static_cast<long long>(stats.projects),
                static_cast<long long>(stats.nodes), static_cast<long long>(stats.nodes_written),
                static_cast<long long>(stats.warnings_written));
  }

  // One node's target moved, then that project recomputed, in one
  // transaction — what PATCH …/plan/nodes/{id} does besides JSON and audit.
  int edits = 300;
  if (const char* n = std::getenv("ZB_WARNINGS_BENCH_EDITS"); n && *n) edits = std::atoi(n);
  if (edits <= 0) {
    (*pool)->Close();
    if (!tmp.empty()) std::filesystem::remove_all(tmp);
    return 0;
  }
  std::vector<std::pair<int64_t, int64_t>> nodes;  // (project, node)
  {
    auto lease = (*pool)->Read();
    Check(lease.status(), "read");
    auto r = (*lease)->Query("SELECT project_id, id FROM plan_nodes WHERE event = '' ORDER BY id");
    Check(r.status(), "nodes");
    for (const auto& row : r->rows) nodes.emplace_back(row.Int("project_id"), row.Int("id"));
  }
  if (nodes.empty()) Check(zb::Internal("no plan nodes"), "nodes");
  std::mt19937_64 rng(7);
  std::vector<double> ms, compute_ms;
  const zb::Date day = next;
  for (int i = 0; i < edits; ++i) {
    const auto [project, node] = nodes[rng() % nodes.size()];
    const auto t0 = Clock::now();
    double inner = 0;
    Check(zb::db::InTx(**pool,
                       [&](zb::db::Connection& c) -> zb::Status {
                         ZB_RETURN_IF_ERROR(c.Exec("UPDATE plan_nodes SET duration = duration + 1 WHERE id = $1", {node}));
                         const auto t1 = Clock::now();
                         ZB_RETURN_IF_ERROR(zb::storage::RecomputeProject(c, project, day));
                         inner = Seconds(t1) * 1000;
                         return zb::Status();
                       }),
          "recompute one");
    ms.push_back(Seconds(t0) * 1000);
    compute_ms.push_back(inner);
  }
  auto at = [](std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))];
  };
  std::printf("one node edited + RecomputeProject, whole transaction: p50 %.2f ms, p99 %.2f ms\n", at(ms, 0.5),
              at(ms, 0.99));
  std::printf("RecomputeProject alone (context, facts, plan, compute, writes): p50 %.2f ms, p99 %.2f ms\n",
              at(compute_ms, 0.5), at(compute_ms, 0.99));
  (*pool)->Close();
  if (!tmp.empty()) std::filesystem::remove_all(tmp);
  return 0;
}
