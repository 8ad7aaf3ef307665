// The ledger's figures on a hand-built ledger where every figure is known.
#include "domain/problem_stats.h"

#include <gtest/gtest.h>

#include <vector>

namespace zb::domain {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

using S = ProblemStatus;

// Today is Tuesday 2026-11-24. Eleven items:
//   1 pending, no deadline
//   2 assigned, deadline 11-20 (overdue), escalated once
//   3 in_progress, deadline today (not overdue yet)
//   4 returned, deadline 11-10 (overdue), escalated twice
//   5 resolved 11-05 ≤ original 11-10 (on time), 3 days, 满意
//   6 resolved 11-12 > original 11-10 (late), 12 days, 基本满意
//   7 closed on the spot, 0 days, 满意 (on time, no deadline)
//   8 closed 10-30 ≤ original 11-01 (on time, although the deadline moved to 11-15), 5 days
//   9 closed 11-03 > original 10-31 (late), 8 days, escalated once
//  10 in_progress again after 不满意 (the latest rating), deadline 11-30
//  11 resolved 11-20 with no original deadline (imported; not on time), 20 days
std::vector<ProblemStatsItem> Ledger() {
  std::vector<ProblemStatsItem> items(11);
  items[0] = {.status = S::kPending};
  items[1] = {.status = S::kAssigned, .deadline = D("2026-11-20"), .original_deadline = D("2026-11-20"),
              .escalation_count = 1};
  items[2] = {.status = S::kInProgress, .deadline = D("2026-11-24"), .original_deadline = D("2026-11-24")};
  items[3] = {.status = S::kReturned, .deadline = D("2026-11-10"), .original_deadline = D("2026-11-10"),
              .escalation_count = 2};
  items[4] = {.status = S::kResolved, .deadline = D("2026-11-10"), .original_deadline = D("2026-11-10"),
              .resolved_on = D("2026-11-05"), .resolve_days = 3, .satisfaction = Satisfaction::kSatisfied};
  items[5] = {.status = S::kResolved, .deadline = D("2026-11-10"), .original_deadline = D("2026-11-10"),
              .resolved_on = D("2026-11-12"), .resolve_days = 12, .satisfaction = Satisfaction::kBasic};
  items[6] = {.status = S::kClosed, .resolved_on = D("2026-11-02"), .resolve_days = 0, .on_spot = true,
              .satisfaction = Satisfaction::kSatisfied};
  items[7] = {.status = S::kClosed, .deadline = D("2026-11-15"), .original_deadline = D("2026-11-01"),
              .resolved_on = D("2026-10-30"), .resolve_days = 5};
  items[8] = {.status = S::kClosed, .deadline = D("2026-10-31"), .original_deadline = D("2026-10-31"),
              .resolved_on = D("2026-11-03"), .resolve_days = 8, .escalation_count = 1};
  items[9] = {.status = S::kInProgress, .deadline = D("2026-11-30"), .original_deadline = D("2026-11-10"),
              .satisfaction = Satisfaction::kUnsatisfied};
  items[10] = {.status = S::kResolved, .resolved_on = D("2026-11-20"), .resolve_days = 20};
  return items;
}

const Date kToday = D("2026-11-24");

TEST(ProblemStats, EveryFigureOfAKnownLedger) {
  ProblemTally t;
  for (const auto& item : Ledger()) t.Add(item, kToday);
  ProblemFigures f = Figures(t);
  EXPECT_EQ(f.counts.raised, 11);
  EXPECT_EQ(f.counts.open, 5);      // 1 2 3 4 10
  EXPECT_EQ(f.counts.overdue, 2);   // 2 4 (3 is due today)
  EXPECT_EQ(f.counts.resolved, 6);  // 5 6 7 8 9 11
  EXPECT_EQ(f.counts.closed, 3);    // 7 8 9
  EXPECT_EQ(f.counts.on_time, 3);   // 5 7 8
  EXPECT_EQ(f.counts.on_spot, 1);
  EXPECT_EQ(f.counts.escalated, 3);  // 2 4 9
  EXPECT_EQ(f.counts.rated, 4);
  EXPECT_EQ(f.counts.satisfied, 2);
  EXPECT_EQ(f.counts.basic, 1);
  EXPECT_EQ(f.counts.unsatisfied, 1);
  EXPECT_DOUBLE_EQ(*f.resolve_rate, 6.0 / 11.0);
  EXPECT_DOUBLE_EQ(*f.on_time_rate, 0.5);
  EXPECT_DOUBLE_EQ(*f.satisfaction_rate, 0.75);
  // Days 0 3 5 8 12 20: mean 8; five of six (83 %) are ≤ 12, so p90 is 20.
  EXPECT_DOUBLE_EQ(*f.avg_days, 8.0);
  EXPECT_EQ(f.p90_days, 20);
}

TEST(ProblemStats, P90IsTheSmallestDayCoveringNinetyPercent) {
  ProblemTally t;
  for (int64_t d = 1; d <= 10; ++d) t.Add({.status = S::kClosed, .resolve_days = d}, kToday);
  EXPECT_EQ(Figures(t).p90_days, 9);  // 9 of 10 at or below 9: exactly 90 %
  t.Add({.status = S::kClosed, .resolve_days = 10}, kToday);
  EXPECT_EQ(Figures(t).p90_days, 10);  // 9 of 11 (82 %) at or below 9
  EXPECT_DOUBLE_EQ(*Figures(t).avg_days, 65.0 / 11.0);

  ProblemTally ties;
  for (int i = 0; i < 20; ++i) ties.Add({.status = S::kResolved, .resolve_days = 4}, kToday);
  ties.Add({.status = S::kResolved, .resolve_days = 30}, kToday);
  EXPECT_EQ(Figures(ties).p90_days, 4);  // 20 of 21 at 4
}

TEST(ProblemStats, RatesAreAbsentWhenTheirDenominatorIsZero) {
  ProblemFigures none = Figures(ProblemTally{});
  EXPECT_EQ(none.counts.raised, 0);
  EXPECT_FALSE(none.resolve_rate);
  EXPECT_FALSE(none.on_time_rate);
  EXPECT_FALSE(none.satisfaction_rate);
  EXPECT_FALSE(none.avg_days);
  EXPECT_FALSE(none.p90_days);

  ProblemTally open_only;
  open_only.Add({.status = S::kAssigned, .deadline = D("2026-11-23")}, kToday);
  ProblemFigures f = Figures(open_only);
  EXPECT_EQ(f.counts.overdue, 1);
  ASSERT_TRUE(f.resolve_rate);
  EXPECT_DOUBLE_EQ(*f.resolve_rate, 0.0);  // something raised, nothing resolved: 0 %, not "no figure"
  EXPECT_FALSE(f.on_time_rate);
  EXPECT_FALSE(f.satisfaction_rate);
  EXPECT_FALSE(f.p90_days);
}

TEST(ProblemStats, TalliesOfGroupsMergeIntoTheWhole) {
  auto items = Ledger();
  ProblemTally whole, first, second;
  for (size_t i = 0; i < items.size(); ++i) {
    whole.Add(items[i], kToday);
    (i % 2 ? first : second).Add(items[i], kToday);
  }
  first.Merge(second);
  ProblemFigures a = Figures(whole), b = Figures(first);
  EXPECT_EQ(a.counts.raised, b.counts.raised);
  EXPECT_EQ(a.counts.on_time, b.counts.on_time);
  EXPECT_EQ(a.counts.resolve_days, b.counts.resolve_days);
  EXPECT_EQ(a.p90_days, b.p90_days);
  EXPECT_EQ(a.avg_days, b.avg_days);
  EXPECT_EQ(a.satisfaction_rate, b.satisfaction_rate);
}

}  // namespace
}  // namespace zb::domain
