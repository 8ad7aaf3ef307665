#include "http/metrics.h"

#include <chrono>
#include <fmt/format.h>

namespace zb::http {

namespace {
std::string EscapeLabel(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}
}  // namespace

Metrics::Metrics(const std::vector<std::string>& route_labels) {
  start_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch()).count();
  auto add = [&](const std::string& label) {
    if (index_.count(label)) return;
    auto s = std::make_unique<Series>();
    s->route = label;
    index_.emplace(s->route, s.get());
    series_.push_back(std::move(s));
  };
  for (const auto& l : route_labels) add(l);
  add("static");
  add("unmatched");
  unmatched_ = index_.at("unmatched");
}

Metrics::Series* Metrics::Find(std::string_view route) const {
  auto it = index_.find(route);
  return it == index_.end() ? unmatched_ : it->second;
}

void Metrics::Observe(std::string_view route, std::string_view /*method*/, int status, double latency_ms) {
  Series* s = Find(route);
  if (status < 0 || status >= 600) status = 599;
  s->by_status[status].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBucketsMs.size() && latency_ms > kBucketsMs[b]) ++b;
  s->buckets[b].fetch_add(1, std::memory_order_relaxed);
  s->sum_us.fetch_add(static_cast<uint64_t>(latency_ms * 1000.0), std::memory_order_relaxed);
  s->count.fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP zb_http_requests_total HTTP requests by route pattern and status.\n";
  out += "# TYPE zb_http_requests_total counter\n";
  for (const auto& s : series_) {
    for (int code = 100; code < 600; ++code) {
      uint64_t n = s->by_status[code].load(std::memory_order_relaxed);
      if (n) out += fmt::format("zb_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", EscapeLabel(s->route), code, n);
    }
  }
  out += "# HELP zb_http_request_duration_seconds Time from a complete request to its response.\n";
  out += "# TYPE zb_http_request_duration_seconds histogram\n";
  for (const auto& s : series_) {
    uint64_t count = s->count.load(std::memory_order_relaxed);
    if (!count) continue;
    std::string label = EscapeLabel(s->route);
    uint64_t cum = 0;
    for (size_t b = 0; b <= kBucketsMs.size(); ++b) {
      cum += s->buckets[b].load(std::memory_order_relaxed);
      std::string le = b < kBucketsMs.size() ? fmt::format("{}", kBucketsMs[b] / 1000.0) : "+Inf";
      out += fmt::format("zb_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", label, le, cum);
    }
    out += fmt::format("zb_http_request_duration_seconds_sum{{route=\"{}\"}} {:.6f}\n", label,
                       s->sum_us.load(std::memory_order_relaxed) / 1e6);
    out += fmt::format("zb_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label, count);
  }
  out += "# HELP zb_http_requests_in_flight Requests being handled now.\n# TYPE zb_http_requests_in_flight gauge\n";
  out += fmt::format("zb_http_requests_in_flight {}\n", in_flight_.load(std::memory_order_relaxed));
  out += "# HELP zb_process_start_time_seconds Start time of the process since the Unix epoch.\n";
  out += "# TYPE zb_process_start_time_seconds gauge\n";
  out += fmt::format("zb_process_start_time_seconds {}\n", start_ms_ / 1000);
  return out;
}

}  // namespace zb::http
