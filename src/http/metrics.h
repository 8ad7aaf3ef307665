// Request metrics in Prometheus text format: counts by route and status, and
// a latency histogram by route. Lock-free on the hot path: every route label
// is registered up front (the router's patterns plus "static" and
// "unmatched"), and each holds atomic counters.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace zb::http {

class Metrics {
 public:
  static constexpr std::array<double, 14> kBucketsMs = {0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};

  // Labels are fixed after construction; Observe() on an unknown label counts
  // under "unmatched".
  explicit Metrics(const std::vector<std::string>& route_labels);

  void Observe(std::string_view route, std::string_view method, int status, double latency_ms);
  std::string Render() const;  // Prometheus text exposition format 0.0.4

 private:
  struct Series {
    std::string route;
    std::array<std::atomic<uint64_t>, 600> by_status{};  // index: HTTP status
    std::array<std::atomic<uint64_t>, kBucketsMs.size() + 1> buckets{};  // last: +Inf
    std::atomic<uint64_t> sum_us{0};
    std::atomic<uint64_t> count{0};
  };
  Series* Find(std::string_view route) const;
  std::vector<std::unique_ptr<Series>> series_;
  std::unordered_map<std::string_view, Series*> index_;
  Series* unmatched_ = nullptr;
  std::atomic<uint64_t> in_flight_{0};
  friend class InFlight;
  int64_t start_ms_;

 public:
  // RAII gauge of requests being handled.
  class InFlight {
   public:
    explicit InFlight(Metrics& m) : m_(m) { m_.in_flight_.fetch_add(1, std::memory_order_relaxed); }
    ~InFlight() { m_.in_flight_.fetch_sub(1, std::memory_order_relaxed); }
   private:
    Metrics& m_;
  };
};

}  // namespace zb::http
