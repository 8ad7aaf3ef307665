#include "domain/problem_stats.h"

namespace zb::domain {

namespace {

std::optional<double> Rate(int64_t part, int64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

void ProblemTally::Add(const ProblemStatsItem& item, Date today) {
  ++raised;
  if (IsOpen(item.status)) {
    ++open;
    if (item.deadline && *item.deadline < today) ++overdue;
  } else {
    ++resolved;
    if (item.status == ProblemStatus::kClosed) ++closed;
    if (item.on_spot) ++on_spot;
    if (item.on_spot ||
        (item.resolved_on && item.original_deadline && *item.resolved_on <= *item.original_deadline)) {
      ++on_time;
    }
    if (item.resolve_days) ++resolve_days[*item.resolve_days];
  }
  if (item.satisfaction) {
    ++rated;
    switch (*item.satisfaction) {
      case Satisfaction::kSatisfied: ++satisfied; break;
      case Satisfaction::kBasic: ++basic; break;
      case Satisfaction::kUnsatisfied: ++unsatisfied; break;
    }
  }
  if (item.escalation_count > 0) ++escalated;
}

void ProblemTally::Merge(const ProblemTally& o) {
  raised += o.raised;
  open += o.open;
  overdue += o.overdue;
  resolved += o.resolved;
  closed += o.closed;
  on_time += o.on_time;
  rated += o.rated;
  satisfied += o.satisfied;
  basic += o.basic;
  unsatisfied += o.unsatisfied;
  escalated += o.escalated;
  on_spot += o.on_spot;
  for (const auto& [days, n] : o.resolve_days) resolve_days[days] += n;
}

ProblemFigures Figures(const ProblemTally& tally) {
  ProblemFigures f;
  f.counts = tally;
  f.resolve_rate = Rate(tally.resolved, tally.raised);
  f.on_time_rate = Rate(tally.on_time, tally.resolved);
  f.satisfaction_rate = Rate(tally.satisfied + tally.basic, tally.rated);
  int64_t n = 0, sum = 0;
  for (const auto& [days, count] : tally.resolve_days) {
    n += count;
    sum += days * count;
  }
  if (n > 0) {
    f.avg_days = static_cast<double>(sum) / static_cast<double>(n);
    // The smallest d with cumulative/n ≥ 0.9, in integers: 10·cumulative ≥ 9·n.
    int64_t cumulative = 0;
    for (const auto& [days, count] : tally.resolve_days) {
      cumulative += count;
      if (cumulative * 10 >= n * 9) {
        f.p90_days = days;
        break;
      }
    }
  }
  return f;
}

}  // namespace zb::domain
