#include "core/work_calendar.h"

#include <algorithm>

namespace zb {
namespace {

constexpr int64_t kWindowFirst = 7305;   // 1990-01-01
constexpr int64_t kWindowLast = 47846;   // 2100-12-31

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Monday–Friday days in [0, x) for any x; day 0 (1970-01-01) is a Thursday,
// so day −3 is a Monday and the weeks are counted from there.
int64_t WeekdaysBefore(int64_t x) {
  const int64_t s = x + 3;
  const int64_t weeks = FloorDiv(s, 7);
  return 5 * weeks + std::min<int64_t>(s - 7 * weeks, 5) - 3;
}

bool IsWeekdayNumber(int64_t day) { return Date::FromDays(day).Weekday() <= 5; }

}  // namespace

WorkCalendar::WorkCalendar() { Rebuild(); }

WorkCalendar::WorkCalendar(std::map<Date, DayKind> overrides) : overrides_(std::move(overrides)) { Rebuild(); }

void WorkCalendar::Set(Date date, DayKind kind) {
  overrides_[date] = kind;
  Rebuild();
}

void WorkCalendar::Clear(Date date) {
  if (overrides_.erase(date) != 0) Rebuild();
}

bool WorkCalendar::RawWorking(int64_t day) const {
  if (auto it = overrides_.find(Date::FromDays(day)); it != overrides_.end()) {
    return it->second == DayKind::kWorkday;
  }
  return IsWeekdayNumber(day);
}

int64_t WorkCalendar::CountWorking(int64_t lo, int64_t hi) const {
  if (hi < lo) return 0;
  int64_t n = WeekdaysBefore(hi + 1) - WeekdaysBefore(lo);
  for (auto it = overrides_.lower_bound(Date::FromDays(lo));
       it != overrides_.end() && it->first.ToDays() <= hi; ++it) {
    const bool weekday = it->first.Weekday() <= 5;
    if (it->second == DayKind::kWorkday && !weekday) ++n;
    if (it->second == DayKind::kHoliday && weekday) --n;
  }
  return n;
}

void WorkCalendar::Rebuild() {
  first_day_ = kWindowFirst;
  const auto size = static_cast<size_t>(kWindowLast - kWindowFirst + 1);
  ordinal_.assign(size, 0);
  nth_day_.clear();
  int32_t count = 0;
  for (size_t i = 0; i < size; ++i) {
    if (RawWorking(first_day_ + static_cast<int64_t>(i))) {
      ++count;
      nth_day_.push_back(static_cast<int32_t>(i));
    }
    ordinal_[i] = count;
  }
}

bool WorkCalendar::IsWorkingDay(Date d) const {
  const int64_t i = d.ToDays() - first_day_;
  if (i >= 0 && i < static_cast<int64_t>(ordinal_.size())) {
    return ordinal_[i] != (i == 0 ? 0 : ordinal_[i - 1]);
  }
  return RawWorking(d.ToDays());
}

int64_t WorkCalendar::Ordinal(Date d) const {
  const int64_t day = d.ToDays();
  const int64_t i = day - first_day_;
  if (i >= 0 && i < static_cast<int64_t>(ordinal_.size())) return ordinal_[i];
  if (day >= first_day_) return ordinal_.back() + CountWorking(first_day_ + ordinal_.size(), day);
  return -CountWorking(day + 1, first_day_ - 1);
}

Date WorkCalendar::FromOrdinal(int64_t k) const {
  if (k >= 1 && k <= static_cast<int64_t>(nth_day_.size())) {
    return Date::FromDays(first_day_ + nth_day_[k - 1]);
  }
  // Outside the window: binary search for the smallest day whose ordinal
  // reaches k (Ordinal is non-decreasing and steps by one on working days).
  int64_t lo = Date::MinDate().ToDays();
  int64_t hi = Date::MaxDate().ToDays();
  if (Ordinal(Date::FromDays(hi)) < k) return Date::MaxDate();
  if (Ordinal(Date::FromDays(lo)) >= k) return Date::MinDate();
  while (hi - lo > 1) {  // invariant: Ordinal(lo) < k <= Ordinal(hi)
    const int64_t mid = lo + (hi - lo) / 2;
    (Ordinal(Date::FromDays(mid)) < k ? lo : hi) = mid;
  }
  return Date::FromDays(hi);
}

Date WorkCalendar::AddWorkingDays(Date d, int64_t n) const {
  const bool working = IsWorkingDay(d);
  if (n == 0) return working ? d : FromOrdinal(Ordinal(d) + 1);
  if (n > 0) return FromOrdinal(Ordinal(d) + n);
  return FromOrdinal(Ordinal(d) - (working ? 1 : 0) + n + 1);
}

int64_t WorkCalendar::WorkingDaysBetween(Date a, Date b) const { return Ordinal(b) - Ordinal(a); }

}  // namespace zb
