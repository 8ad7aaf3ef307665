// Date: a proleptic Gregorian calendar date; timestamps as epoch milliseconds.
//
// Contract
// - A Date is always valid and lies in [0001-01-01, 9999-12-31]. The default
//   is 1970-01-01. FromYmd refuses anything else; arithmetic (AddDays,
//   AddMonths, FromDays) saturates at the two ends instead of overflowing.
// - Day numbers are days since 1970-01-01 (negative before), converted with
//   Howard Hinnant's days_from_civil / civil_from_days.
// - Parse accepts exactly "YYYY-MM-DD" (4-2-2 ASCII digits, no spaces, no
//   trailing text) naming a real day. Errors are kValidationFailed:
//   "日期格式应为 YYYY-MM-DD: …" for the shape, "日期不存在: …" for e.g.
//   2023-02-29 or 2024-13-01, with Status::field() set to `field`.
// - Weekday(): Monday = 1 … Sunday = 7 (ISO 8601).
// - Dates compare chronologically and hash (std::hash<zb::Date>).
//
// Timestamps
// - Times are int64 epoch milliseconds (UTC), as in the database. China has
//   no DST, so the product shows a fixed offset of +08:00
//   (kChinaOffsetMinutes = 480); every function takes the offset in minutes
//   as a parameter with that default. Offsets are clamped to ±23:59.
// - FormatRfc3339(1795430844123) == "2026-11-23T18:47:24.123+08:00": always
//   three millisecond digits and a numeric offset (even "+00:00").
//   FormatRfc3339Utc gives the "Z" form "2026-11-23T10:47:24.123Z".
// - ParseRfc3339 accepts "YYYY-MM-DD[Tt ]HH:MM:SS[.f…]" followed by "Z"/"z"
//   or "±HH:MM"; fractions beyond milliseconds are truncated toward the
//   past; leap seconds (":60") are refused. Error: kValidationFailed
//   "时间格式应为 RFC 3339 (如 2026-11-23T18:47:24+08:00): …".
// - LocalDate(ms, offset) is the calendar day at that instant in that zone;
//   StartOfDayMs(date, offset) is the instant that day begins there. Division
//   is floored, so instants before 1970 work too.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace zb {

inline constexpr int kChinaOffsetMinutes = 480;  // +08:00, Asia/Shanghai
inline constexpr int64_t kMsPerDay = 86'400'000;

class Date {
 public:
  static constexpr int kMinYear = 1;
  static constexpr int kMaxYear = 9999;

  constexpr Date() = default;  // 1970-01-01

  // nullopt unless year 1..9999, month 1..12 and day exists in that month.
  static std::optional<Date> FromYmd(int year, int month, int day);
  static bool IsValidYmd(int year, int month, int day);
  // Strict "YYYY-MM-DD"; see the contract.
  static StatusOr<Date> Parse(std::string_view text, std::string_view field = {});
  // Days since 1970-01-01; saturates to [MinDate, MaxDate].
  static Date FromDays(int64_t days);
  static Date MinDate();  // 0001-01-01
  static Date MaxDate();  // 9999-12-31

  int year() const { return year_; }
  int month() const { return month_; }  // 1..12
  int day() const { return day_; }      // 1..31

  int64_t ToDays() const;          // days since 1970-01-01
  std::string ToString() const;    // "2026-11-23"
  int Weekday() const;             // Monday = 1 … Sunday = 7
  bool IsWeekend() const { return Weekday() >= 6; }
  int DayOfYear() const;           // 1..366
  int Quarter() const { return (month_ - 1) / 3 + 1; }  // 1..4

  Date AddDays(int64_t days) const;  // saturating
  // Same day n months later, clamped to the month's end (2024-01-31 + 1 →
  // 2024-02-29); saturating.
  Date AddMonths(int64_t months) const;

  Date MonthStart() const;
  Date MonthEnd() const;
  Date QuarterStart() const;
  Date QuarterEnd() const;
  Date YearStart() const;
  Date YearEnd() const;

  static bool IsLeapYear(int year);
  static int DaysInMonth(int year, int month);  // 0 for a month outside 1..12

  friend constexpr auto operator<=>(const Date&, const Date&) = default;
  friend constexpr bool operator==(const Date&, const Date&) = default;

 private:
  constexpr Date(int year, int month, int day)
      : year_(year), month_(static_cast<int8_t>(month)), day_(static_cast<int8_t>(day)) {}

  // Field order matters: the defaulted <=> compares year, month, day.
  int32_t year_ = 1970;
  int8_t month_ = 1;
  int8_t day_ = 1;
};

// to.ToDays() - from.ToDays(): positive when `to` is later.
int64_t DaysBetween(Date from, Date to);

std::ostream& operator<<(std::ostream& os, Date date);

// ---- timestamps (epoch milliseconds) ---------------------------------------

std::string FormatRfc3339(int64_t epoch_ms, int offset_minutes = kChinaOffsetMinutes);
std::string FormatRfc3339Utc(int64_t epoch_ms);
StatusOr<int64_t> ParseRfc3339(std::string_view text, std::string_view field = {});

// The calendar date at `epoch_ms` in the zone `offset_minutes` east of UTC.
Date LocalDate(int64_t epoch_ms, int offset_minutes = kChinaOffsetMinutes);
// The epoch ms at which `date` begins (00:00:00.000) in that zone.
int64_t StartOfDayMs(Date date, int offset_minutes = kChinaOffsetMinutes);

}  // namespace zb

template <>
struct std::hash<zb::Date> {
  size_t operator()(const zb::Date& d) const noexcept {
    return std::hash<int64_t>()(d.ToDays());
  }
};
