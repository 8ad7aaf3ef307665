// The project list on 100 000 projects (issue 4's targets, SQLite): the
// repository call behind GET /api/v1/projects — page, total, facets and
// counts — timed call by call, reported as p50 / p99 in milliseconds.
//
//   build/bench/zb_project_list_bench [--benchmark_filter=Search]
//
// The database is made once per run in a temporary directory: `init --demo`
// (the demo district: units, departments, accounts, 300 projects) then
// app::GenerateProjects(100 000, seed 1). ZB_PROJECT_BENCH_DB=FILE keeps
// it in FILE instead (made there when FILE does not exist yet, reused when
// it does), to rerun without regenerating; a postgresql:// URL there runs
// the same on PostgreSQL (an empty database is filled first). "cached" runs repeat the same
// filter, so the total, facets and counts come from the in-process cache
// (ListProjects on SQLite); "uncached" runs bump project_list_version
// before each call (outside the timing), as any project write would, so
// every call computes them.
#include <benchmark/benchmark.h>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/project_gen.h"
#include "app/seed.h"
#include "core/clock.h"
#include "storage/db.h"
#include "storage/migrations.h"
#include "storage/project_repo.h"

namespace {

using zb::storage::ProjectFilter;

constexpr int64_t kProjects = 100'000;

struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<zb::db::Pool> pool;
  std::string town_path;  // a 镇街 with its subtree, for the filtered list
};

void Check(const zb::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "project_list_bench: %s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

Fixture& Data() {
  static Fixture* f = [] {
    auto* fx = new Fixture();
    std::string url;
    bool fresh = true;
    if (const char* keep = std::getenv("ZB_PROJECT_BENCH_DB"); keep && *keep) {
      url = keep;
      if (!url.starts_with("postgres")) {
        fresh = !std::filesystem::exists(url);
        url = "sqlite:" + url;
      }
    } else {
      char tmpl[] = "/tmp/zb-project-bench-XXXXXX";
      fx->dir = mkdtemp(tmpl);
      std::atexit([] { std::filesystem::remove_all(Data().dir); });
      url = "sqlite:" + (fx->dir / "bench.db").string();
    }
    zb::db::PoolOptions options;
    options.sqlite_synchronous = "NORMAL";  // setting up, not measured
    auto pool = zb::db::Pool::Open(url, options);
    Check(pool.status(), "open");
    fx->pool = std::move(*pool);
    Check(zb::db::Migrate(*fx->pool).status(), "migrate");
    if (fx->pool->dialect() == zb::db::Dialect::kPostgres) {
      auto lease = fx->pool->Read();
      Check(lease.status(), "read");
      auto n = (*lease)->QueryOne("SELECT COUNT(*) AS n FROM org_units");
      Check(n.status(), "count");
      fresh = (*n)->Int("n") == 0;
    }
    if (fresh) {
      Check(zb::app::InitDatabase(*fx->pool, {.demo = true}, zb::SystemClock::Get()).status(), "init --demo");
      const auto t0 = std::chrono::steady_clock::now();
      auto gen = zb::app::GenerateProjects(*fx->pool, kProjects, 1, nullptr);
      Check(gen.status(), "generate");
      std::fprintf(stderr, "project_list_bench: %lld projects generated in %.1f s\n",
                   static_cast<long long>(gen->projects),
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    auto lease = fx->pool->Read();
    Check(lease.status(), "read");
    auto town = (*lease)->QueryOne("SELECT path FROM org_units WHERE kind = 'town' ORDER BY id LIMIT 1");
    Check(town.status(), "town");
    fx->town_path = (*town) ? (*town)->Text("path") : "/";
    return fx;
  }();
  return *f;
}

// What any project write does to the list's cached figures.
void Invalidate() {
  Check(zb::db::InTx(*Data().pool,
                     [](zb::db::Connection& c) {
                       return c.Exec("UPDATE project_list_version SET version = version + 1 WHERE id = 1");
                     }),
        "invalidate");
}

// Times ListProjects(filter) once per iteration; reports p50/p99 in ms
// and the size of the result.
void Run(benchmark::State& state, const ProjectFilter& filter, bool cached) {
  Fixture& fx = Data();
  std::vector<double> ms;
  int64_t total = 0;
  if (cached) {  // warm the cache
    auto lease = fx.pool->Read();
    Check(zb::storage::ListProjects(**lease, filter).status(), "warm");
  }
  for (auto _ : state) {
    if (!cached) Invalidate();
    auto lease = fx.pool->Read();
    Check(lease.status(), "read");
    const auto t0 = std::chrono::steady_clock::now();
    auto page = zb::storage::ListProjects(**lease, filter);
    const auto t1 = std::chrono::steady_clock::now();
    Check(page.status(), "list");
    total = page->total;
    const double elapsed = std::chrono::duration<double>(t1 - t0).count();
    state.SetIterationTime(elapsed);
    ms.push_back(elapsed * 1000);
  }
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms.empty() ? 0 : ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))]; };
  state.counters["p50_ms"] = at(0.50);
  state.counters["p99_ms"] = at(0.99);
  state.counters["total"] = static_cast<double>(total);
}

ProjectFilter Unfiltered() {
  ProjectFilter f;
  f.scope = zb::storage::ScopeFilterSql{.all = true};
  f.start_year = 2026;
  return f;
}

// 在建, 区县重点, one 镇街's subtree, by total investment descending, page 3.
ProjectFilter Typical() {
  ProjectFilter f = Unfiltered();
  f.stages = {"under_construction"};
  f.levels = {"county"};
  f.org_path_prefix = Data().town_path;
  f.sort = {{"total_investment", true}};
  f.page = 3;
  return f;
}

// 在建 + 续建, the default sort (last updated first): 12 000 rows, unselective.
ProjectFilter BuildingContinuing() {
  ProjectFilter f = Unfiltered();
  f.stages = {"under_construction"};
  f.types = {"continuing"};
  return f;
}

// Everything, by name, page 50.
ProjectFilter ByName() {
  ProjectFilter f = Unfiltered();
  f.sort = {{"name", false}};
  f.page = 50;
  return f;
}

ProjectFilter Search(const char* q) {
  ProjectFilter f = Unfiltered();
  f.q = q;
  return f;
}

void BM_ListUnfiltered(benchmark::State& state) { Run(state, Unfiltered(), state.range(0) != 0); }
void BM_ListFilteredSorted(benchmark::State& state) { Run(state, Typical(), state.range(0) != 0); }
void BM_ListBuildingContinuing(benchmark::State& state) { Run(state, BuildingContinuing(), state.range(0) != 0); }
void BM_ListByNamePage50(benchmark::State& state) { Run(state, ByName(), state.range(0) != 0); }
void BM_Search3Chars(benchmark::State& state) { Run(state, Search("观海路"), state.range(0) != 0); }
void BM_Search3CharsCommon(benchmark::State& state) { Run(state, Search("新材料"), state.range(0) != 0); }
void BM_Search2Chars(benchmark::State& state) { Run(state, Search("光伏"), state.range(0) != 0); }
void BM_SearchPinyin(benchmark::State& state) { Run(state, Search("gfzj"), state.range(0) != 0); }

// bench/project_list.lua's eight requests (what the HTTP benchmark
// rotates over), each timed on its own after a first call.
void BM_ListRotation(benchmark::State& state) {
  std::vector<ProjectFilter> filters(8, Unfiltered());
  filters[1].stages = {"under_construction"};
  filters[1].sort = {{"total_investment", true}};
  filters[1].page = 3;
  filters[2].levels = {"provincial", "municipal"};
  filters[2].sort = {{"planned_started_on", false}};
  filters[3].stages = {"preparing"};
  filters[3].levels = {"county"};
  filters[3].page = 2;
  filters[4].min_investment = 100'000'000;
  filters[5].start_kind = zb::storage::StartKindFilter::kStartedOrResumed;
  filters[5].sort = {{"name", false}};
  filters[6].types = {"continuing"};
  filters[6].stages = {"under_construction"};
  filters[7].sort = {{"code", false}};
  filters[7].page = 50;
  Fixture& fx = Data();
  const int64_t which = state.range(0);
  Run(state, filters[static_cast<size_t>(which)], true);
  (void)fx;
}
BENCHMARK(BM_ListRotation)->ArgName("request")->DenseRange(0, 7)->Iterations(200)->UseManualTime();

// Arg 1: cached figures; 0: computed every call.
#define ZB_LIST_BENCH(fn) BENCHMARK(fn)->ArgName("cached")->Arg(1)->Arg(0)->Iterations(300)->UseManualTime()
ZB_LIST_BENCH(BM_ListUnfiltered);
ZB_LIST_BENCH(BM_ListFilteredSorted);
ZB_LIST_BENCH(BM_ListBuildingContinuing);
ZB_LIST_BENCH(BM_ListByNamePage50);
ZB_LIST_BENCH(BM_Search3Chars);
ZB_LIST_BENCH(BM_Search3CharsCommon);
ZB_LIST_BENCH(BM_Search2Chars);
ZB_LIST_BENCH(BM_SearchPinyin);

// ForEachProject over all 100 000 (the 台账 export's read), one pass; with
// arg 1 inside one read transaction, as the export may run it (SQLite then
// keeps its page cache from one statement to the next).
void BM_ForEachAll(benchmark::State& state) {
  Fixture& fx = Data();
  for (auto _ : state) {
    auto lease = fx.pool->Read();
    int64_t n = 0;
    if (state.range(0) != 0) Check((*lease)->Exec("BEGIN"), "begin");
    const auto t0 = std::chrono::steady_clock::now();
    Check(zb::storage::ForEachProject(**lease, Unfiltered(),
                                      [&](const zb::storage::Project&) {
                                        ++n;
                                        return zb::Status();
                                      }),
          "for each");
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    state.counters["projects"] = static_cast<double>(n);
    if (state.range(0) != 0) Check((*lease)->Exec("ROLLBACK"), "rollback");
  }
}
BENCHMARK(BM_ForEachAll)->ArgName("snapshot")->Arg(0)->Arg(1)->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
