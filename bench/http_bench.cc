// Micro-benchmarks of the per-request work that is not I/O: routing, target
// parsing, the error envelope, JSON bodies, metrics.
#include <benchmark/benchmark.h>

#include "api/api.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"

namespace {

zb::http::Router& ProductRouter() {
  static zb::http::Router* r = [] {
    auto* router = new zb::http::Router();
    static zb::api::ApiContext ctx;
    zb::api::RegisterAllRoutes(*router, ctx);
    // Pad to the size the full product will have (~200 routes).
    for (int i = 0; i < 200; ++i) {
      router->Add("GET", "/api/v1/resource" + std::to_string(i) + "/{id}", {.summary = "x"},
                  [](zb::http::Request&) -> zb::StatusOr<zb::http::Response> { return zb::http::Response(); });
    }
    return router;
  }();
  return *r;
}

void BM_RouterMatchParam(benchmark::State& state) {
  auto& r = ProductRouter();
  for (auto _ : state) benchmark::DoNotOptimize(r.Match("GET", "/api/v1/resource150/12345"));
}
BENCHMARK(BM_RouterMatchParam);

void BM_RouterMatchHealth(benchmark::State& state) {
  auto& r = ProductRouter();
  for (auto _ : state) benchmark::DoNotOptimize(r.Match("GET", "/healthz"));
}
BENCHMARK(BM_RouterMatchHealth);

void BM_ParseTarget(benchmark::State& state) {
  for (auto _ : state) {
    zb::http::BeastRequest msg{boost::beast::http::verb::get,
                               "/api/v1/projects?stage=%E5%9C%A8%E5%BB%BA&unit=12&page=2&q=%E6%96%87%E5%8F%8C%E7%BA%BF", 11};
    benchmark::DoNotOptimize(zb::http::Request::From(std::move(msg), "127.0.0.1"));
  }
}
BENCHMARK(BM_ParseTarget);

void BM_ErrorEnvelope(benchmark::State& state) {
  zb::Status s = zb::NotFound("项目不存在", "id");
  for (auto _ : state) benchmark::DoNotOptimize(zb::http::Response::Error(s));
}
BENCHMARK(BM_ErrorEnvelope);

void BM_MetricsObserve(benchmark::State& state) {
  static zb::http::Metrics m({"/healthz", "/api/v1/org-units/{id}"});
  for (auto _ : state) m.Observe("/api/v1/org-units/{id}", "GET", 200, 0.3);
}
BENCHMARK(BM_MetricsObserve)->Threads(1)->Threads(2);

}  // namespace
