// The forecast's day-invariant form (schedule.h, DayInvariantDate): the
// form ComputeSchedule gives does not depend on the today it was run with,
// and evaluated at any today it is the date ComputeSchedule reports when run
// with that today — checked day by day across 春节 2026 (rest days,
// holidays and swapped working Sundays among the todays), on hand-made plans
// and on random ones.
#include <gtest/gtest.h>

#include <random>

#include "domain/schedule.h"
#include "real_calendar.h"

namespace zb::domain {
namespace {

using zb::testing::D;
using zb::testing::RealCalendar;

// Every today from 2026-01-05 to 2026-03-31 (春节 2026-02-15 … 02-23 off,
// the swapped working days around it on).
std::vector<Date> Todays() {
  std::vector<Date> out;
  for (Date d = D("2026-01-05"); d <= D("2026-03-31"); d = d.AddDays(1)) out.push_back(d);
  return out;
}

// Runs `in` at every today; the forms must be the same as at the first and
// give each day's dates. Returns how many node-days had a form moving with
// the day (so a test can say the plan was late somewhere).
int ExpectInvariant(ScheduleInput in, const WorkCalendar& cal) {
  const std::vector<Date> todays = Todays();
  in.today = todays.front();
  auto ref = ComputeSchedule(in, cal);
  EXPECT_TRUE(ref.ok()) << ref.status().ToString();
  if (!ref.ok()) return 0;
  int moving = 0;
  for (Date today : todays) {
    in.today = today;
    auto s = ComputeSchedule(in, cal);
    EXPECT_TRUE(s.ok());
    if (!s.ok()) return moving;
    for (size_t i = 0; i < in.nodes.size(); ++i) {
      const NodeSchedule& n = s->nodes[i];
      SCOPED_TRACE(today.ToString() + " node " + std::to_string(i) + " " + in.nodes[i].name);
      EXPECT_EQ(n.forecast_start_form, ref->nodes[i].forecast_start_form);
      EXPECT_EQ(n.forecast_finish_form, ref->nodes[i].forecast_finish_form);
      EXPECT_EQ(ref->nodes[i].forecast_start_form.At(today, cal), n.forecast_start);
      EXPECT_EQ(ref->nodes[i].forecast_finish_form.At(today, cal), n.forecast_finish);
      if (n.forecast_finish_form.offset) ++moving;
    }
  }
  return moving;
}

// A late plan anchored to today, a started node past its duration, a done
// one recorded on a rest day, a lag into parallel branches, milestones.
TEST(DayInvariantForecast, HandMadePlan) {
  const WorkCalendar cal = RealCalendar();
  ScheduleInput in;
  in.nodes = {
      {"立项", 0, {}, {}, D("2026-01-03")},                        // 0 done on a Saturday
      {"可研", 10, {}, D("2026-01-06"), {}},                       // 1 started, long late by March
      {"设计", 15, D("2026-02-27"), {}, {}},                       // 2 after 可研
      {"招标", 8, {}, {}, {}},                                     // 3 parallel, after 立项 with a lag
      {"施工许可", 3, {}, D("2026-02-16"), D("2026-02-20")},       // 4 done across 春节
      {"开工", 0, D("2026-03-10"), {}, {}},                        // 5 after 设计, 招标, 施工许可
      {"独立", 4, {}, {}, {}},                                     // 6 no links at all
  };
  in.links = {{0, 1, 0}, {1, 2, 2}, {0, 3, 20}, {2, 5, 0}, {3, 5, 1}, {4, 5, 0}};
  EXPECT_GT(ExpectInvariant(in, cal), 0);

  in.today = D("2026-02-24");
  auto s = ComputeSchedule(in, cal);
  ASSERT_TRUE(s.ok());
  // 立项 done: its recorded date alone; 可研 started: from its start, and
  // finishing today at the earliest.
  EXPECT_EQ(s->nodes[0].forecast_finish_form, (DayInvariantDate{D("2026-01-03"), std::nullopt}));
  EXPECT_EQ(s->nodes[1].forecast_start_form, (DayInvariantDate{D("2026-01-06"), std::nullopt}));
  EXPECT_EQ(s->nodes[1].forecast_finish_form.offset, 0);
  EXPECT_EQ(s->nodes[6].forecast_start_form, (DayInvariantDate{std::nullopt, 0}));
  EXPECT_EQ(s->nodes[6].forecast_finish_form, (DayInvariantDate{std::nullopt, 3}));
}

// Random plans: links forward in index order (so acyclic), lags, random
// durations, targets, and progress recorded on any day (rest days too).
TEST(DayInvariantForecast, RandomPlans) {
  const WorkCalendar cal = RealCalendar();
  std::mt19937 rng(20261125);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int moving = 0;
  for (int plan = 0; plan < 150; ++plan) {
    ScheduleInput in;
    const int n = pick(1, 14);
    for (int i = 0; i < n; ++i) {
      ScheduleNodeInput node{"n" + std::to_string(i), pick(0, 3) == 0 ? 0 : pick(1, 25), {}, {}, {}};
      if (pick(0, 3) == 0) node.target = D("2026-01-01").AddDays(pick(0, 120));
      switch (pick(0, 5)) {
        case 0:  // done
          node.actual_start = D("2025-12-01").AddDays(pick(0, 90));
          node.actual_finish = node.actual_start->AddDays(pick(0, 30));
          if (pick(0, 2) == 0) node.actual_start.reset();
          break;
        case 1:  // started (a milestone's start is ignored)
          node.actual_start = D("2025-12-01").AddDays(pick(0, 110));
          break;
        default: break;
      }
      in.nodes.push_back(node);
    }
    for (int to = 1; to < n; ++to) {
      for (int from = 0; from < to; ++from) {
        if (pick(0, 3) == 0) in.links.push_back({from, to, pick(0, 4) == 0 ? pick(1, 6) : 0});
      }
    }
    SCOPED_TRACE("plan " + std::to_string(plan));
    moving += ExpectInvariant(in, cal);
    if (::testing::Test::HasFailure()) break;  // one plan's failures are enough to read
  }
  EXPECT_GT(moving, 0);
}

}  // namespace
}  // namespace zb::domain
