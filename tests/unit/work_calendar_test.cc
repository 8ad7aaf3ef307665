// WorkCalendar on the real 2023–2026 calendar shipped in data/calendar.
#include "core/work_calendar.h"

#include <gtest/gtest.h>

#include <random>

#include "real_calendar.h"

namespace zb {
namespace {

using testing::D;
using testing::RealCalendar;

TEST(WorkCalendar, TheIssuesExamples) {
  const WorkCalendar cal = RealCalendar();
  EXPECT_GT(cal.overrides().size(), 100u);  // the shipped file was read
  EXPECT_EQ(cal.AddWorkingDays(D("2024-02-08"), 5), D("2024-02-21"));  // 春节, swapped Sunday 02-18
  EXPECT_EQ(cal.AddWorkingDays(D("2025-10-09"), -3), D("2025-09-28"));  // swapped Sunday
  EXPECT_EQ(cal.AddWorkingDays(D("2023-09-28"), 2), D("2023-10-08"));
  EXPECT_TRUE(cal.IsWorkingDay(D("2026-02-14")));  // a working Saturday
  EXPECT_FALSE(cal.IsWorkingDay(D("2026-02-17")));  // 春节
  EXPECT_FALSE(cal.IsWorkingDay(D("2026-11-22")));  // an ordinary Sunday
}

TEST(WorkCalendar, ZeroOffsetAndBetween) {
  const WorkCalendar cal = RealCalendar();
  EXPECT_EQ(cal.AddWorkingDays(D("2024-02-09"), 0), D("2024-02-09"));
  EXPECT_EQ(cal.AddWorkingDays(D("2024-02-10"), 0), D("2024-02-18"));
  EXPECT_EQ(cal.WorkingDaysBetween(D("2024-02-08"), D("2024-02-21")), 5);
  EXPECT_EQ(cal.WorkingDaysBetween(D("2024-02-21"), D("2024-02-08")), -5);
  EXPECT_EQ(cal.WorkingDaysBetween(D("2024-02-10"), D("2024-02-17")), 0);
  // Across years: 2025-12-31 (Wed) → 2026-01-05: 元旦 01-01..03 off, 01-04 (Sun) a working day.
  EXPECT_EQ(cal.AddWorkingDays(D("2025-12-31"), 1), D("2026-01-04"));
  EXPECT_EQ(cal.AddWorkingDays(D("2026-01-04"), -1), D("2025-12-31"));
}

// The indexed window and the arithmetic outside it agree with a day-by-day walk.
TEST(WorkCalendar, AgreesWithAWalkEverywhere) {
  WorkCalendar cal = RealCalendar();
  cal.Set(D("1985-05-06"), WorkCalendar::DayKind::kHoliday);  // outside the window
  cal.Set(D("2150-06-06"), WorkCalendar::DayKind::kWorkday);  // a Saturday, outside
  auto walk = [&](Date d, int64_t n) {
    if (n == 0) {
      while (!cal.IsWorkingDay(d)) d = d.AddDays(1);
      return d;
    }
    const int step = n > 0 ? 1 : -1;
    for (int64_t left = n > 0 ? n : -n; left > 0;) {
      d = d.AddDays(step);
      if (cal.IsWorkingDay(d)) --left;
    }
    return d;
  };
  std::mt19937 rng(7);
  const Date starts[] = {D("1985-05-01"), D("1989-12-20"), D("2023-01-01"), D("2100-12-20"), D("2150-06-01")};
  for (Date start : starts) {
    for (int i = 0; i < 200; ++i) {
      const Date d = start.AddDays(rng() % 40);
      const int64_t n = static_cast<int64_t>(rng() % 61) - 30;
      const Date got = cal.AddWorkingDays(d, n);
      ASSERT_EQ(got, walk(d, n)) << d << " + " << n;
      if (n > 0) {
        ASSERT_EQ(cal.WorkingDaysBetween(d, got), n) << d << " + " << n;
      }
    }
  }
  EXPECT_FALSE(cal.IsWorkingDay(D("1985-05-06")));
  EXPECT_TRUE(cal.IsWorkingDay(D("2150-06-06")));
}

}  // namespace
}  // namespace zb
