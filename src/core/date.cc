#include "core/text.h"
#include "core/date.h"

#include <algorithm>
#include <ostream>

namespace zb {

namespace {

// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
// Eras are 400-year cycles starting on 0000-03-01; months count from March so
// that the leap day is the last day of the (shifted) year.
constexpr int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                                    // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t y;
  int m;
  int d;
};

constexpr Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;                                  // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);           // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                // [0, 11]
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);          // [1, 31]
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);             // [1, 12]
  return {era * 400 + yoe + (m <= 2), m, d};
}

constexpr int64_t kMinDays = DaysFromCivil(Date::kMinYear, 1, 1);
constexpr int64_t kMaxDays = DaysFromCivil(Date::kMaxYear, 12, 31);
static_assert(DaysFromCivil(1970, 1, 1) == 0);
static_assert(DaysFromCivil(2000, 3, 1) == 11017);
static_assert(CivilFromDays(11016).m == 2 && CivilFromDays(11016).d == 29);

constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// n ASCII digits at s[pos..pos+n) as a number; -1 if any is not a digit.
int Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

void AppendPadded(std::string& out, int64_t v, int width) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (v < 0) out += '-';
  if (static_cast<int>(digits.size()) < width) out.append(width - digits.size(), '0');
  out += digits;
}

constexpr int kMaxOffsetMinutes = 23 * 60 + 59;

int ClampOffset(int offset_minutes) {
  return std::clamp(offset_minutes, -kMaxOffsetMinutes, kMaxOffsetMinutes);
}

std::string Quote(std::string_view text) { return QuoteForMessage(text); }

}  // namespace

// ---- Date ------------------------------------------------------------------

bool Date::IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int Date::DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool Date::IsValidYmd(int year, int month, int day) {
  return year >= kMinYear && year <= kMaxYear && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

std::optional<Date> Date::FromYmd(int year, int month, int day) {
  if (!IsValidYmd(year, month, day)) return std::nullopt;
  return Date(year, month, day);
}

StatusOr<Date> Date::Parse(std::string_view text, std::string_view field) {
  // Exactly YYYY-MM-DD.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return ValidationFailed("日期格式应为 YYYY-MM-DD: " + Quote(text), std::string(field));
  }
  int y = Digits(text, 0, 4);
  int m = Digits(text, 5, 2);
  int d = Digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0) {
    return ValidationFailed("日期格式应为 YYYY-MM-DD: " + Quote(text), std::string(field));
  }
  std::optional<Date> date = FromYmd(y, m, d);
  if (!date) return ValidationFailed("日期不存在: " + std::string(text), std::string(field));
  return *date;
}

Date Date::FromDays(int64_t days) {
  days = std::clamp(days, kMinDays, kMaxDays);
  Civil c = CivilFromDays(days);
  return Date(static_cast<int>(c.y), c.m, c.d);
}

Date Date::MinDate() { return Date(kMinYear, 1, 1); }
Date Date::MaxDate() { return Date(kMaxYear, 12, 31); }

int64_t Date::ToDays() const { return DaysFromCivil(year_, month_, day_); }

std::string Date::ToString() const {
  std::string out;
  out.reserve(10);
  AppendPadded(out, year_, 4);
  out += '-';
  AppendPadded(out, month_, 2);
  out += '-';
  AppendPadded(out, day_, 2);
  return out;
}

int Date::Weekday() const {
  // 1970-01-01 was a Thursday (4).
  int64_t w = (ToDays() + 3) % 7;  // 0 = Monday
  if (w < 0) w += 7;
  return static_cast<int>(w) + 1;
}

int Date::DayOfYear() const {
  return static_cast<int>(ToDays() - DaysFromCivil(year_, 1, 1)) + 1;
}

Date Date::AddDays(int64_t days) const {
  // Clamp first so the sum cannot overflow; anything this large saturates.
  constexpr int64_t kSpan = kMaxDays - kMinDays;
  days = std::clamp(days, -kSpan - 1, kSpan + 1);
  return FromDays(ToDays() + days);
}

Date Date::AddMonths(int64_t months) const {
  constexpr int64_t kSpan = int64_t{12} * (kMaxYear - kMinYear + 1);
  months = std::clamp(months, -kSpan - 1, kSpan + 1);
  int64_t index = int64_t{year_} * 12 + (month_ - 1) + months;  // months since 0000-01
  int64_t y = FloorDiv(index, 12);
  int m = static_cast<int>(index - y * 12) + 1;
  if (y < kMinYear) return MinDate();
  if (y > kMaxYear) return MaxDate();
  int d = std::min<int>(day_, DaysInMonth(static_cast<int>(y), m));
  return Date(static_cast<int>(y), m, d);
}

Date Date::MonthStart() const { return Date(year_, month_, 1); }
Date Date::MonthEnd() const { return Date(year_, month_, DaysInMonth(year_, month_)); }
Date Date::QuarterStart() const { return Date(year_, (Quarter() - 1) * 3 + 1, 1); }
Date Date::QuarterEnd() const {
  int m = Quarter() * 3;
  return Date(year_, m, DaysInMonth(year_, m));
}
Date Date::YearStart() const { return Date(year_, 1, 1); }
Date Date::YearEnd() const { return Date(year_, 12, 31); }

int64_t DaysBetween(Date from, Date to) { return to.ToDays() - from.ToDays(); }

std::ostream& operator<<(std::ostream& os, Date date) { return os << date.ToString(); }

// ---- timestamps ------------------------------------------------------------

Date LocalDate(int64_t epoch_ms, int offset_minutes) {
  int64_t days = FloorDiv(epoch_ms, kMsPerDay);
  int64_t rem = epoch_ms - days * kMsPerDay + int64_t{ClampOffset(offset_minutes)} * 60'000;
  days += FloorDiv(rem, kMsPerDay);
  return Date::FromDays(days);
}

int64_t StartOfDayMs(Date date, int offset_minutes) {
  return date.ToDays() * kMsPerDay - int64_t{ClampOffset(offset_minutes)} * 60'000;
}

namespace {

std::string FormatWithOffset(int64_t epoch_ms, int offset_minutes, bool zulu) {
  offset_minutes = ClampOffset(offset_minutes);
  // Split into a day and the millisecond within it, in local time, without
  // adding the offset to epoch_ms (which could overflow at the extremes).
  int64_t days = FloorDiv(epoch_ms, kMsPerDay);
  int64_t rem = epoch_ms - days * kMsPerDay + int64_t{offset_minutes} * 60'000;
  int64_t carry = FloorDiv(rem, kMsPerDay);
  days += carry;
  rem -= carry * kMsPerDay;  // [0, kMsPerDay)
  std::string out = Date::FromDays(days).ToString();
  out += 'T';
  AppendPadded(out, rem / 3'600'000, 2);
  out += ':';
  AppendPadded(out, rem / 60'000 % 60, 2);
  out += ':';
  AppendPadded(out, rem / 1000 % 60, 2);
  out += '.';
  AppendPadded(out, rem % 1000, 3);
  if (zulu) {
    out += 'Z';
  } else {
    out += offset_minutes < 0 ? '-' : '+';
    int abs_offset = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    AppendPadded(out, abs_offset / 60, 2);
    out += ':';
    AppendPadded(out, abs_offset % 60, 2);
  }
  return out;
}

}  // namespace

std::string FormatRfc3339(int64_t epoch_ms, int offset_minutes) {
  return FormatWithOffset(epoch_ms, offset_minutes, false);
}

std::string FormatRfc3339Utc(int64_t epoch_ms) { return FormatWithOffset(epoch_ms, 0, true); }

StatusOr<int64_t> ParseRfc3339(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return ValidationFailed("时间格式应为 RFC 3339 (如 2026-11-23T18:47:24+08:00): " + Quote(text),
                            std::string(field));
  };
  // 2026-11-23T18:47:24 is 19 characters; then fraction and zone.
  if (text.size() < 20) return bad();
  StatusOr<Date> date = Date::Parse(text.substr(0, 10));
  if (!date.ok()) return bad();
  char sep = text[10];
  if (sep != 'T' && sep != 't' && sep != ' ') return bad();
  if (text[13] != ':' || text[16] != ':') return bad();
  int hh = Digits(text, 11, 2);
  int mi = Digits(text, 14, 2);
  int ss = Digits(text, 17, 2);
  if (hh < 0 || mi < 0 || ss < 0 || hh > 23 || mi > 59 || ss > 59) return bad();

  size_t pos = 19;
  int64_t ms = 0;
  if (text[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < text.size() && IsDigit(text[pos])) {
      if (pos - start < 3) ms = ms * 10 + (text[pos] - '0');
      ++pos;
    }
    size_t n = pos - start;
    if (n == 0) return bad();
    for (size_t i = n; i < 3; ++i) ms *= 10;
  }
  if (pos >= text.size()) return bad();

  int offset_minutes = 0;
  std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset_minutes = 0;
  } else {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return bad();
    int oh = Digits(zone, 1, 2);
    int om = Digits(zone, 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return bad();
    offset_minutes = (oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
  }

  int64_t local_ms = date->ToDays() * kMsPerDay +
                     ((int64_t{hh} * 60 + mi) * 60 + ss) * 1000 + ms;
  return local_ms - int64_t{offset_minutes} * 60'000;
}

}  // namespace zb
