#include "core/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace zb {
namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d).value(); }

// Business code takes a const Clock&; this stands in for it.
bool IsOverdue(const Clock& clock, Date deadline) { return clock.Today() > deadline; }

TEST(SystemClock, IsNearRealTime) {
  const Clock& clock = SystemClock::Get();
  EXPECT_EQ(&SystemClock::Get(), &clock);  // one instance
  int64_t before = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  int64_t now = clock.NowMs();
  EXPECT_GE(now, before);
  EXPECT_LT(now - before, 5'000);
  EXPECT_GT(clock.Today(), D(2024, 1, 1));
  EXPECT_EQ(clock.Today(), LocalDate(clock.NowMs()));
}

TEST(FakeClock, TestsSetToday) {
  FakeClock clock(D(2026, 11, 23));
  EXPECT_EQ(clock.Today(), D(2026, 11, 23));
  EXPECT_EQ(FormatRfc3339(clock.NowMs()), "2026-11-23T00:00:00.000+08:00");
  // In UTC that instant is still the 22nd.
  EXPECT_EQ(clock.Today(0), D(2026, 11, 22));

  EXPECT_FALSE(IsOverdue(clock, D(2026, 11, 23)));
  clock.AdvanceDays(1);
  EXPECT_EQ(clock.Today(), D(2026, 11, 24));
  EXPECT_TRUE(IsOverdue(clock, D(2026, 11, 23)));

  clock.SetToday(D(2024, 2, 29), 9 * 3'600'000);
  EXPECT_EQ(FormatRfc3339(clock.NowMs()), "2024-02-29T09:00:00.000+08:00");
  clock.AdvanceMs(15 * 3'600'000 - 1);
  EXPECT_EQ(clock.Today(), D(2024, 2, 29));
  clock.AdvanceMs(1);
  EXPECT_EQ(clock.Today(), D(2024, 3, 1));
  clock.AdvanceDays(-1);
  EXPECT_EQ(clock.Today(), D(2024, 2, 29));
}

TEST(FakeClock, SetAndDefault) {
  FakeClock clock;
  EXPECT_EQ(clock.NowMs(), 0);
  clock.SetMs(1'795'430'844'123);
  EXPECT_EQ(clock.NowMs(), 1'795'430'844'123);
  EXPECT_EQ(FormatRfc3339(clock.NowMs()), "2026-11-23T18:47:24.123+08:00");
  FakeClock utc(D(2026, 1, 1), 0);
  EXPECT_EQ(utc.NowMs(), *ParseRfc3339("2026-01-01T00:00:00Z"));
}

TEST(FakeClock, AdvanceIsThreadSafe) {
  FakeClock clock(int64_t{1'000});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&clock] {
      for (int i = 0; i < 10'000; ++i) {
        clock.AdvanceMs(1);
        (void)clock.NowMs();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(clock.NowMs(), 1'000 + 8 * 10'000);
}

}  // namespace
}  // namespace zb
