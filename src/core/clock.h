// Clock: where "now" comes from, so that business logic and tests can set it.
//
// Contract
// - NowMs() is wall-clock time as epoch milliseconds (UTC), the unit stored
//   in the database. It is not monotonic: use std::chrono::steady_clock to
//   measure durations.
// - Today(offset) is the calendar date at NowMs() in the zone offset_minutes
//   east of UTC; the default +08:00 is China's (no DST).
// - Code that needs the time takes a `const Clock&`; production passes
//   SystemClock::Get(), tests pass a FakeClock. All implementations are safe
//   to call from any thread.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/date.h"

namespace zb {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() const = 0;
  Date Today(int offset_minutes = kChinaOffsetMinutes) const;
};

// The real clock (std::chrono::system_clock). One process-wide instance.
class SystemClock final : public Clock {
 public:
  static const SystemClock& Get();
  int64_t NowMs() const override;

 private:
  SystemClock() = default;
};

// A clock that only moves when told to. Thread-safe (one atomic).
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_ms = 0) : now_ms_(now_ms) {}
  // Starts at 00:00 local time of `today` (see SetToday).
  explicit FakeClock(Date today, int offset_minutes = kChinaOffsetMinutes)
      : now_ms_(StartOfDayMs(today, offset_minutes)) {}

  int64_t NowMs() const override { return now_ms_.load(std::memory_order_relaxed); }

  void SetMs(int64_t now_ms) { now_ms_.store(now_ms, std::memory_order_relaxed); }
  // Sets now to 00:00:00.000 of `today` in the given zone, plus `ms_into_day`
  // (e.g. 9 * 3'600'000 for 09:00).
  void SetToday(Date today, int64_t ms_into_day = 0, int offset_minutes = kChinaOffsetMinutes) {
    SetMs(StartOfDayMs(today, offset_minutes) + ms_into_day);
  }
  void AdvanceMs(int64_t ms) { now_ms_.fetch_add(ms, std::memory_order_relaxed); }
  void AdvanceDays(int64_t days) { AdvanceMs(days * kMsPerDay); }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace zb
