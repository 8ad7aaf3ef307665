#include "core/date.h"

#include <gtest/gtest.h>

#include <sstream>
#include <unordered_set>

namespace zb {
namespace {

Date D(int y, int m, int d) {
  std::optional<Date> date = Date::FromYmd(y, m, d);
  EXPECT_TRUE(date.has_value()) << y << "-" << m << "-" << d;
  return date.value_or(Date());
}

Date P(std::string_view text) {
  StatusOr<Date> d = Date::Parse(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status().ToString();
  return d.ok() ? *d : Date();
}

// ---- construction & parsing ----------------------------------------------

TEST(Date, DefaultIsEpoch) {
  EXPECT_EQ(Date().ToString(), "1970-01-01");
  EXPECT_EQ(Date().ToDays(), 0);
}

TEST(Date, LeapYears) {
  EXPECT_TRUE(Date::IsLeapYear(2024));
  EXPECT_TRUE(Date::IsLeapYear(2000));
  EXPECT_FALSE(Date::IsLeapYear(1900));
  EXPECT_FALSE(Date::IsLeapYear(2023));
  EXPECT_FALSE(Date::IsLeapYear(2100));
  EXPECT_EQ(Date::DaysInMonth(2024, 2), 29);
  EXPECT_EQ(Date::DaysInMonth(2023, 2), 28);
  EXPECT_EQ(Date::DaysInMonth(2023, 4), 30);
  EXPECT_EQ(Date::DaysInMonth(2023, 12), 31);
  EXPECT_EQ(Date::DaysInMonth(2023, 13), 0);

  EXPECT_TRUE(Date::Parse("2024-02-29").ok());
  EXPECT_TRUE(Date::Parse("2000-02-29").ok());
  EXPECT_FALSE(Date::Parse("1900-02-29").ok());
  EXPECT_FALSE(Date::Parse("2023-02-29").ok());
}

TEST(Date, FromYmdValidates) {
  EXPECT_TRUE(Date::FromYmd(2026, 11, 23).has_value());
  EXPECT_FALSE(Date::FromYmd(2026, 0, 1).has_value());
  EXPECT_FALSE(Date::FromYmd(2026, 13, 1).has_value());
  EXPECT_FALSE(Date::FromYmd(2026, 4, 31).has_value());
  EXPECT_FALSE(Date::FromYmd(2026, 4, 0).has_value());
  EXPECT_FALSE(Date::FromYmd(0, 1, 1).has_value());
  EXPECT_FALSE(Date::FromYmd(10000, 1, 1).has_value());
  EXPECT_TRUE(Date::FromYmd(1, 1, 1).has_value());
  EXPECT_TRUE(Date::FromYmd(9999, 12, 31).has_value());
}

TEST(Date, ParseIsStrict) {
  Date d = P("2026-11-23");
  EXPECT_EQ(d.year(), 2026);
  EXPECT_EQ(d.month(), 11);
  EXPECT_EQ(d.day(), 23);
  EXPECT_EQ(d.ToString(), "2026-11-23");
  EXPECT_EQ(P("0001-01-01"), Date::MinDate());
  EXPECT_EQ(P("9999-12-31"), Date::MaxDate());

  for (std::string_view bad : {"2024-1-1", "2024-01-1", "24-01-01", "2024/01/01", "2024-01-01 ",
                               " 2024-01-01", "2024-01-01T00:00", "20240101", "", "2024-0a-01",
                               "２０２４-01-01", "+024-01-01", "2024-01--1", "2024-01-01x"}) {
    StatusOr<Date> r = Date::Parse(bad, "start_date");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kValidationFailed);
    EXPECT_EQ(r.status().message(), "日期格式应为 YYYY-MM-DD: " + std::string(bad));
    EXPECT_EQ(r.status().field(), "start_date");
  }
  for (std::string_view bad : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-01-00",
                               "0000-01-01", "1900-02-29"}) {
    StatusOr<Date> r = Date::Parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().message(), "日期不存在: " + std::string(bad));
  }
}

// ---- day numbers ---------------------------------------------------------

TEST(Date, DaysRoundTrip) {
  EXPECT_EQ(D(2000, 3, 1).ToDays(), 11017);
  EXPECT_EQ(D(1969, 12, 31).ToDays(), -1);
  EXPECT_EQ(Date::MinDate().ToDays(), -719162);
  EXPECT_EQ(Date::MaxDate().ToDays(), 2932896);
  // Every day from 1899 to 2101, both directions.
  int64_t prev = D(1899, 1, 1).ToDays() - 1;
  for (Date d = D(1899, 1, 1); d <= D(2101, 12, 31); d = d.AddDays(1)) {
    ASSERT_EQ(d.ToDays(), prev + 1) << d;
    ASSERT_EQ(Date::FromDays(d.ToDays()), d);
    ASSERT_TRUE(Date::IsValidYmd(d.year(), d.month(), d.day()));
    prev = d.ToDays();
  }
}

TEST(Date, AddDaysAndDaysBetween) {
  EXPECT_EQ(D(2024, 2, 28).AddDays(1), D(2024, 2, 29));
  EXPECT_EQ(D(2024, 2, 29).AddDays(1), D(2024, 3, 1));
  EXPECT_EQ(D(2023, 2, 28).AddDays(1), D(2023, 3, 1));
  EXPECT_EQ(D(2025, 12, 31).AddDays(1), D(2026, 1, 1));
  EXPECT_EQ(D(2026, 1, 1).AddDays(-1), D(2025, 12, 31));
  EXPECT_EQ(D(2026, 11, 23).AddDays(0), D(2026, 11, 23));
  EXPECT_EQ(D(2023, 12, 25).AddDays(738), D(2026, 1, 1));

  EXPECT_EQ(DaysBetween(D(2023, 12, 25), D(2026, 1, 1)), 738);
  EXPECT_EQ(DaysBetween(D(2026, 1, 1), D(2023, 12, 25)), -738);
  EXPECT_EQ(DaysBetween(D(2024, 1, 1), D(2025, 1, 1)), 366);
  EXPECT_EQ(DaysBetween(D(2025, 1, 1), D(2026, 1, 1)), 365);
  EXPECT_EQ(DaysBetween(D(1969, 12, 31), D(1970, 1, 2)), 2);
  EXPECT_EQ(DaysBetween(D(2026, 5, 5), D(2026, 5, 5)), 0);
}

TEST(Date, ArithmeticSaturates) {
  EXPECT_EQ(Date::MaxDate().AddDays(1), Date::MaxDate());
  EXPECT_EQ(Date::MinDate().AddDays(-1), Date::MinDate());
  EXPECT_EQ(D(2026, 1, 1).AddDays(INT64_MAX), Date::MaxDate());
  EXPECT_EQ(D(2026, 1, 1).AddDays(INT64_MIN), Date::MinDate());
  EXPECT_EQ(Date::FromDays(INT64_MAX), Date::MaxDate());
  EXPECT_EQ(Date::FromDays(INT64_MIN), Date::MinDate());
  EXPECT_EQ(D(2026, 1, 1).AddMonths(INT64_MAX), Date::MaxDate());
  EXPECT_EQ(D(2026, 1, 1).AddMonths(INT64_MIN), Date::MinDate());
  EXPECT_EQ(D(9999, 12, 1).AddMonths(1), Date::MaxDate());
}

TEST(Date, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(D(2024, 1, 31).AddMonths(1), D(2024, 2, 29));
  EXPECT_EQ(D(2023, 1, 31).AddMonths(1), D(2023, 2, 28));
  EXPECT_EQ(D(2024, 3, 31).AddMonths(-1), D(2024, 2, 29));
  EXPECT_EQ(D(2024, 11, 15).AddMonths(2), D(2025, 1, 15));
  EXPECT_EQ(D(2025, 1, 15).AddMonths(-2), D(2024, 11, 15));
  EXPECT_EQ(D(2024, 2, 29).AddMonths(12), D(2025, 2, 28));
  EXPECT_EQ(D(2024, 2, 29).AddMonths(48), D(2028, 2, 29));
  EXPECT_EQ(D(2026, 6, 30).AddMonths(0), D(2026, 6, 30));
}

// ---- calendar helpers ----------------------------------------------------

TEST(Date, Weekday) {
  EXPECT_EQ(D(2026, 11, 23).Weekday(), 1);  // Monday
  EXPECT_EQ(D(2026, 11, 29).Weekday(), 7);  // Sunday
  EXPECT_EQ(D(1970, 1, 1).Weekday(), 4);    // Thursday
  EXPECT_EQ(D(1969, 12, 31).Weekday(), 3);
  EXPECT_EQ(D(1, 1, 1).Weekday(), 1);
  EXPECT_EQ(D(9999, 12, 31).Weekday(), 5);
  EXPECT_EQ(D(2024, 10, 1).Weekday(), 2);   // 国庆 2024 was a Tuesday
  EXPECT_TRUE(D(2026, 11, 28).IsWeekend());
  EXPECT_TRUE(D(2026, 11, 29).IsWeekend());
  EXPECT_FALSE(D(2026, 11, 27).IsWeekend());
  // Seven consecutive days cover 1..7 once each.
  int seen = 0;
  for (int i = 0; i < 7; ++i) seen |= 1 << D(2026, 11, 23).AddDays(i).Weekday();
  EXPECT_EQ(seen, 0b11111110);
}

TEST(Date, MonthQuarterYearBounds) {
  Date d = D(2024, 2, 14);
  EXPECT_EQ(d.MonthStart(), D(2024, 2, 1));
  EXPECT_EQ(d.MonthEnd(), D(2024, 2, 29));
  EXPECT_EQ(D(2023, 2, 14).MonthEnd(), D(2023, 2, 28));
  EXPECT_EQ(d.Quarter(), 1);
  EXPECT_EQ(d.QuarterStart(), D(2024, 1, 1));
  EXPECT_EQ(d.QuarterEnd(), D(2024, 3, 31));
  EXPECT_EQ(D(2024, 6, 30).Quarter(), 2);
  EXPECT_EQ(D(2024, 6, 30).QuarterEnd(), D(2024, 6, 30));
  EXPECT_EQ(D(2024, 7, 1).Quarter(), 3);
  EXPECT_EQ(D(2024, 8, 9).QuarterStart(), D(2024, 7, 1));
  EXPECT_EQ(D(2024, 8, 9).QuarterEnd(), D(2024, 9, 30));
  EXPECT_EQ(D(2024, 12, 31).Quarter(), 4);
  EXPECT_EQ(D(2024, 11, 5).QuarterStart(), D(2024, 10, 1));
  EXPECT_EQ(d.YearStart(), D(2024, 1, 1));
  EXPECT_EQ(d.YearEnd(), D(2024, 12, 31));
  EXPECT_EQ(D(2024, 1, 1).DayOfYear(), 1);
  EXPECT_EQ(D(2024, 12, 31).DayOfYear(), 366);
  EXPECT_EQ(D(2023, 12, 31).DayOfYear(), 365);
  EXPECT_EQ(D(2024, 3, 1).DayOfYear(), 61);
}

TEST(Date, ComparesHashesAndPrints) {
  EXPECT_LT(D(2025, 12, 31), D(2026, 1, 1));
  EXPECT_LT(D(2026, 1, 31), D(2026, 2, 1));
  EXPECT_LT(D(2026, 2, 1), D(2026, 2, 2));
  EXPECT_GT(D(2026, 2, 2), D(2026, 2, 1));
  EXPECT_EQ(D(2026, 2, 2), P("2026-02-02"));
  EXPECT_NE(D(2026, 2, 2), D(2026, 2, 3));
  std::unordered_set<Date> holidays = {D(2026, 10, 1), D(2026, 10, 2)};
  EXPECT_TRUE(holidays.count(P("2026-10-01")));
  EXPECT_FALSE(holidays.count(P("2026-10-03")));
  std::ostringstream os;
  os << D(2026, 3, 5);
  EXPECT_EQ(os.str(), "2026-03-05");
  EXPECT_EQ(D(12, 3, 4).ToString(), "0012-03-04");
}

// ---- timestamps ----------------------------------------------------------

constexpr int64_t kSample = 1'795'430'844'123;  // 2026-11-23T10:47:24.123Z

TEST(Timestamp, FormatsShanghaiAndUtc) {
  EXPECT_EQ(FormatRfc3339(kSample), "2026-11-23T18:47:24.123+08:00");
  EXPECT_EQ(FormatRfc3339Utc(kSample), "2026-11-23T10:47:24.123Z");
  EXPECT_EQ(FormatRfc3339(kSample, 0), "2026-11-23T10:47:24.123+00:00");
  EXPECT_EQ(FormatRfc3339(kSample, -330), "2026-11-23T05:17:24.123-05:30");
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T08:00:00.000+08:00");
  EXPECT_EQ(FormatRfc3339Utc(-1), "1969-12-31T23:59:59.999Z");
  // Crossing midnight with the offset.
  EXPECT_EQ(FormatRfc3339(StartOfDayMs(Date::FromDays(20000)) - 1),
            Date::FromDays(19999).ToString() + "T23:59:59.999+08:00");
  EXPECT_EQ(FormatRfc3339(kSample, 100000), "2026-11-24T10:46:24.123+23:59");  // clamped
}

TEST(Timestamp, ParsesRfc3339) {
  EXPECT_EQ(*ParseRfc3339("2026-11-23T18:47:24.123+08:00"), kSample);
  EXPECT_EQ(*ParseRfc3339("2026-11-23T10:47:24.123Z"), kSample);
  EXPECT_EQ(*ParseRfc3339("2026-11-23t10:47:24.123z"), kSample);
  EXPECT_EQ(*ParseRfc3339("2026-11-23 10:47:24.123+00:00"), kSample);
  EXPECT_EQ(*ParseRfc3339("2026-11-23T05:17:24.123-05:30"), kSample);
  EXPECT_EQ(*ParseRfc3339("2026-11-23T10:47:24.1239999Z"), kSample);  // truncated
  EXPECT_EQ(*ParseRfc3339("2026-11-23T10:47:24.12Z"), kSample - 3);
  EXPECT_EQ(*ParseRfc3339("2026-11-23T10:47:24.1Z"), kSample - 23);
  EXPECT_EQ(*ParseRfc3339("2026-11-23T10:47:24Z"), kSample - 123);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339("1969-12-31T23:59:59.999Z"), -1);
}

TEST(Timestamp, RejectsMalformed) {
  for (std::string_view bad :
       {"", "2026-11-23", "2026-11-23T18:47:24", "2026-11-23T18:47+08:00", "2026-11-23T24:00:00Z",
        "2026-11-23T18:60:00Z", "2026-11-23T18:47:60Z", "2026-02-30T00:00:00Z",
        "2026-11-23T18:47:24.+08:00", "2026-11-23T18:47:24.123+0800", "2026-11-23T18:47:24.123+08",
        "2026-11-23T18:47:24.123+24:00", "2026-11-23T18:47:24.123 +08:00", "2026-11-23X18:47:24Z",
        "2026-11-23T18:47:24ZZ", "2026-11-23T18:4a:24Z", "2026-11-23T18:47:24.123+08:00 "}) {
    StatusOr<int64_t> r = ParseRfc3339(bad, "at");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kValidationFailed);
    EXPECT_EQ(r.status().message(),
              "时间格式应为 RFC 3339 (如 2026-11-23T18:47:24+08:00): " + std::string(bad));
    EXPECT_EQ(r.status().field(), "at");
  }
}

TEST(Timestamp, RoundTrips) {
  for (int64_t ms : {int64_t{0}, int64_t{-1}, kSample, int64_t{951782400000}, int64_t{4102444799999}}) {
    EXPECT_EQ(*ParseRfc3339(FormatRfc3339Utc(ms)), ms) << ms;
    for (int offset : {480, 0, -300, 345, -720, 840}) {
      EXPECT_EQ(*ParseRfc3339(FormatRfc3339(ms, offset)), ms) << ms << " " << offset;
    }
  }
  // The ends of the representable range (in UTC).
  EXPECT_EQ(FormatRfc3339Utc(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(*ParseRfc3339("9999-12-31T23:59:59.999Z"), 253402300799999);
  EXPECT_EQ(FormatRfc3339Utc(-62135596800000), "0001-01-01T00:00:00.000Z");
  EXPECT_EQ(*ParseRfc3339("0001-01-01T00:00:00Z"), -62135596800000);
}

TEST(Timestamp, LocalDateAndStartOfDay) {
  EXPECT_EQ(LocalDate(kSample), D(2026, 11, 23));
  // 2026-11-23T16:00Z is already the 24th in Shanghai.
  int64_t t = *ParseRfc3339("2026-11-23T16:00:00Z");
  EXPECT_EQ(LocalDate(t), D(2026, 11, 24));
  EXPECT_EQ(LocalDate(t - 1), D(2026, 11, 23));
  EXPECT_EQ(LocalDate(t, 0), D(2026, 11, 23));
  EXPECT_EQ(StartOfDayMs(D(2026, 11, 24)), t);
  EXPECT_EQ(StartOfDayMs(D(1970, 1, 1), 0), 0);
  EXPECT_EQ(StartOfDayMs(D(1970, 1, 1)), -8 * 3'600'000);
  EXPECT_EQ(LocalDate(-1, 0), D(1969, 12, 31));
  EXPECT_EQ(LocalDate(-8 * 3'600'000), D(1970, 1, 1));
  EXPECT_EQ(LocalDate(-8 * 3'600'000 - 1), D(1969, 12, 31));
  EXPECT_EQ(LocalDate(INT64_MAX), Date::MaxDate());
  EXPECT_EQ(LocalDate(INT64_MIN), Date::MinDate());
}

}  // namespace
}  // namespace zb
