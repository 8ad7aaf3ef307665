// WorkCalendar: China's working days — Monday to Friday, minus the statutory
// holidays (法定节假日), plus the swapped working weekend days (调休上班).
//
// Contract
// - A calendar starts as "weekends off, every weekday on"; Set(date, kind)
//   overrides one day: kHoliday makes it a rest day whatever its weekday,
//   kWorkday makes it a working day (a swapped Saturday/Sunday). Clear(date)
//   drops the override. The storage layer loads the overrides from the
//   calendar_days table (seeded from ../shared/calendar); the calendar itself
//   knows nothing of where they come from.
// - IsWorkingDay(d): the override if any, else Monday–Friday.
// - AddWorkingDays(d, n):
//   * n > 0: the n-th working day strictly after d
//     (2024-02-08 + 5 = 2024-02-21: 春节 off, the swapped Sunday 02-18 on);
//   * n < 0: the |n|-th working day strictly before d
//     (2025-10-09 − 3 = 2025-09-28, a swapped Sunday);
//   * n == 0: d itself when it is a working day, else the next working day.
//   Saturates at the ends of the Date range instead of looping for ever.
// - WorkingDaysBetween(a, b): the number of working days in (a, b] when
//   a <= b — so AddWorkingDays(a, WorkingDaysBetween(a, b)) == b whenever b
//   is a working day after a — and minus the count in (b, a] when b < a.
// - Ordinal(d): a monotone working-day index the scheduler does its
//   arithmetic in — the number of working days in [1990-01-01, d] (zero or
//   negative before), so Ordinal(b) − Ordinal(a) == WorkingDaysBetween(a, b).
//   FromOrdinal(k) is the working day whose ordinal is k (the smallest d with
//   Ordinal(d) == k). Within the indexed window 1990-01-01 … 2100-12-31 both
//   are O(1) table lookups; outside it they are exact by arithmetic on weeks
//   plus the overrides in range (Ordinal) and a binary search (FromOrdinal).
// - Thread-safety: const methods are safe to call concurrently; Set/Clear
//   rebuild the index and must not race with readers (the app builds a new
//   calendar and swaps a shared_ptr).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/date.h"

namespace zb {

class WorkCalendar {
 public:
  enum class DayKind { kHoliday, kWorkday };

  WorkCalendar();  // weekends only
  explicit WorkCalendar(std::map<Date, DayKind> overrides);

  void Set(Date date, DayKind kind);
  void Clear(Date date);
  const std::map<Date, DayKind>& overrides() const { return overrides_; }

  bool IsWorkingDay(Date d) const;
  Date AddWorkingDays(Date d, int64_t n) const;
  int64_t WorkingDaysBetween(Date a, Date b) const;

  int64_t Ordinal(Date d) const;
  Date FromOrdinal(int64_t k) const;

 private:
  void Rebuild();
  bool RawWorking(int64_t day) const;            // the override, else the weekday
  int64_t CountWorking(int64_t lo, int64_t hi) const;  // in [lo, hi], no index

  std::map<Date, DayKind> overrides_;
  // The window [first_day_, first_day_ + ordinal_.size()) in day numbers.
  int64_t first_day_ = 0;
  std::vector<int32_t> ordinal_;   // ordinal_[i] = working days in [first, first+i]
  std::vector<int32_t> nth_day_;   // nth_day_[k-1] = day offset of the k-th working day
};

}  // namespace zb
