#include "core/money.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <vector>

namespace zb {
namespace {

Money Y(int64_t yuan) { return Money::FromYuan(yuan); }

// Parses or fails the test; returns the yuan.
int64_t ParseYuan(std::string_view text, MoneyParseOptions options = {}) {
  StatusOr<Money> m = Money::Parse(text, options);
  EXPECT_TRUE(m.ok()) << text << " → " << m.status().ToString();
  return m.ok() ? m->yuan() : INT64_MIN;
}

Status ParseError(std::string_view text, MoneyParseOptions options = {}) {
  StatusOr<Money> m = Money::Parse(text, options);
  EXPECT_FALSE(m.ok()) << text << " parsed as " << (m.ok() ? m->yuan() : 0);
  return m.status();
}

// ---- value type ----------------------------------------------------------

TEST(Money, HoldsYuanExactly) {
  EXPECT_EQ(Money().yuan(), 0);
  EXPECT_TRUE(Money::Zero().is_zero());
  EXPECT_EQ(Y(9'000'000'000).yuan(), 9'000'000'000);
  EXPECT_TRUE(Y(-1).is_negative());
  EXPECT_EQ(Money::Max().yuan(), INT64_MAX);
  EXPECT_EQ(Money::Min().yuan(), INT64_MIN);
  static_assert(Money::FromYuan(5).yuan() == 5);
  static_assert(sizeof(Money) == sizeof(int64_t));
}

TEST(Money, Compares) {
  EXPECT_EQ(Y(5), Y(5));
  EXPECT_NE(Y(5), Y(6));
  EXPECT_LT(Y(-1), Y(0));
  EXPECT_GT(Y(100'000'000), Y(99'999'999));
  EXPECT_LE(Money::Min(), Money::Max());
  EXPECT_GE(Y(3), Y(3));
}

// ---- checked arithmetic --------------------------------------------------

TEST(MoneyArithmetic, AddSubtractMultiply) {
  EXPECT_EQ(*Y(12'3456).Add(Y(1)), Y(12'3457));
  EXPECT_EQ(*Y(5).Subtract(Y(8)), Y(-3));
  EXPECT_EQ(*Y(25'000).Multiply(12), Y(300'000));
  EXPECT_EQ(*Y(-7).Multiply(-3), Y(21));
  EXPECT_EQ(*Y(7).Multiply(0), Y(0));
}

TEST(MoneyArithmetic, DetectsOverflowAtInt64Limits) {
  EXPECT_EQ(*Money::Max().Add(Y(0)), Money::Max());
  EXPECT_EQ(*Money::Max().Add(Y(-1)), Y(INT64_MAX - 1));
  StatusOr<Money> r = Money::Max().Add(Y(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kValidationFailed);
  EXPECT_NE(r.status().message().find("金额超出范围"), std::string::npos);

  EXPECT_FALSE(Money::Min().Add(Y(-1)).ok());
  EXPECT_EQ(*Money::Min().Add(Y(1)), Y(INT64_MIN + 1));
  EXPECT_FALSE(Money::Min().Subtract(Y(1)).ok());
  EXPECT_FALSE(Y(0).Subtract(Money::Min()).ok());  // -INT64_MIN
  // -1 - MAX == MIN still fits.
  EXPECT_EQ(*Y(-1).Subtract(Money::Max()), Money::Min());
  EXPECT_FALSE(Money::Max().Subtract(Y(-1)).ok());

  EXPECT_FALSE(Money::Min().Multiply(-1).ok());
  EXPECT_EQ(*Money::Max().Multiply(-1), Y(-INT64_MAX));
  EXPECT_FALSE(Y(INT64_MAX / 2 + 1).Multiply(2).ok());
  EXPECT_EQ(*Y(INT64_MAX / 2).Multiply(2), Y(INT64_MAX - 1));
  EXPECT_FALSE(Y(10'000'000'000).Multiply(10'000'000'000).ok());
}

TEST(MoneyArithmetic, OverflowFlagLeavesOutputUntouched) {
  Money out = Y(42);
  EXPECT_TRUE(AddOverflow(Money::Max(), Y(1), &out));
  EXPECT_EQ(out, Y(42));
  EXPECT_TRUE(SubtractOverflow(Money::Min(), Y(1), &out));
  EXPECT_TRUE(MultiplyOverflow(Money::Max(), 2, &out));
  EXPECT_EQ(out, Y(42));

  EXPECT_FALSE(AddOverflow(Y(1), Y(2), &out));
  EXPECT_EQ(out, Y(3));
  EXPECT_FALSE(SubtractOverflow(Y(1), Y(2), &out));
  EXPECT_EQ(out, Y(-1));
  EXPECT_FALSE(MultiplyOverflow(Y(-4), 5, &out));
  EXPECT_EQ(out, Y(-20));
}

TEST(MoneyArithmetic, SumMoney) {
  std::vector<Money> amounts = {Y(1), Y(2), Y(3'0000)};
  EXPECT_EQ(*SumMoney(amounts), Y(3'0003));
  EXPECT_EQ(*SumMoney(std::vector<Money>{}), Y(0));
  EXPECT_FALSE(SumMoney(std::vector<Money>{Money::Max(), Y(1)}).ok());
  // Intermediate overflow is caught even if a later term would bring it back.
  EXPECT_FALSE(SumMoney(std::vector<Money>{Money::Max(), Y(1), Y(-1)}).ok());
}

// ---- parsing -------------------------------------------------------------

TEST(MoneyParse, PlainYuan) {
  EXPECT_EQ(ParseYuan("9000000000"), 9'000'000'000);
  EXPECT_EQ(ParseYuan("0"), 0);
  EXPECT_EQ(ParseYuan("007"), 7);
  EXPECT_EQ(ParseYuan("100元"), 100);
  EXPECT_EQ(ParseYuan("100.00元"), 100);
  EXPECT_EQ(ParseYuan("+5"), 5);
  EXPECT_EQ(ParseYuan("9223372036854775807"), INT64_MAX);
}

TEST(MoneyParse, ThousandsSeparators) {
  EXPECT_EQ(ParseYuan("1,234"), 1234);
  EXPECT_EQ(ParseYuan("9,000,000,000"), 9'000'000'000);
  EXPECT_EQ(ParseYuan("12,345.5万"), 123'455'000);
  EXPECT_EQ(ParseYuan("999"), 999);
  for (std::string_view bad : {"12,34", "1,2345", ",123", "1234,567", "1,,234", "1,234,",
                               "1.234,5", "1,234.5,0"}) {
    Status s = ParseError(bad);
    EXPECT_EQ(s.message(), "金额格式不正确: " + std::string(bad));
  }
}

TEST(MoneyParse, WanAndYiScaleExactly) {
  EXPECT_EQ(ParseYuan("12.5万"), 125'000);
  EXPECT_EQ(ParseYuan("12.5万元"), 125'000);
  EXPECT_EQ(ParseYuan("0.5万"), 5'000);
  EXPECT_EQ(ParseYuan("1.005万"), 10'050);
  EXPECT_EQ(ParseYuan("1.0001万"), 10'001);
  EXPECT_EQ(ParseYuan("1.50000万"), 15'000);  // trailing zeros are exact
  EXPECT_EQ(ParseYuan("3亿"), 300'000'000);
  EXPECT_EQ(ParseYuan("3.25亿元"), 325'000'000);
  EXPECT_EQ(ParseYuan("0.00000001亿"), 1);
  EXPECT_EQ(ParseYuan("90亿元"), 9'000'000'000);
  // 0.1 + 0.2 style traps: no floating point anywhere.
  EXPECT_EQ(ParseYuan("0.3万"), 3'000);
  EXPECT_EQ(ParseYuan("1.1亿"), 110'000'000);
  EXPECT_EQ(ParseYuan("922337203685477.5807万"), INT64_MAX);
}

TEST(MoneyParse, RefusesFractionsOfAYuan) {
  Status s = ParseError("1.23456万");  // 12345.6 元
  EXPECT_EQ(s.code(), StatusCode::kValidationFailed);
  EXPECT_EQ(s.message(), "金额只能精确到元: 1.23456万");
  EXPECT_EQ(ParseError("100.5").message(), "金额只能精确到元: 100.5");
  EXPECT_EQ(ParseError("100.50元").message(), "金额只能精确到元: 100.50元");
  EXPECT_EQ(ParseError("0.000000001亿").message(), "金额只能精确到元: 0.000000001亿");
  EXPECT_EQ(ParseYuan("1.23450万"), 12'345);
}

TEST(MoneyParse, BlanksCurrencySignAndUnitSpacing) {
  EXPECT_EQ(ParseYuan("  12.5 万元 "), 125'000);
  EXPECT_EQ(ParseYuan("\u300012.5万\u3000"), 125'000);
  EXPECT_EQ(ParseYuan("\u00A01,234\t"), 1234);
  EXPECT_EQ(ParseYuan("¥1,234"), 1234);
  EXPECT_EQ(ParseYuan("￥3亿元"), 300'000'000);
  EXPECT_EQ(ParseYuan("-￥5", {.allow_negative = true}), -5);
  for (std::string_view bad : {"- 5", "1 234", "12.5 万 元", "¥ 5", "5 ¥"}) {
    EXPECT_EQ(ParseError(bad, {.allow_negative = true}).message(),
              "金额格式不正确: " + std::string(bad));
  }
}

TEST(MoneyParse, RejectsMalformedText) {
  for (std::string_view bad : {"abc", "12.5w", "万", "元", "亿元", ".5万", "5.", "5.万", "1.2.3",
                               "1e9", "0x10", "--5", "+-5", "12.5万元元", "12元万", "五万",
                               "１２３", "5 5", "12..5", "NaN", "-"}) {
    Status s = ParseError(bad, {.allow_negative = true});
    EXPECT_EQ(s.code(), StatusCode::kValidationFailed) << bad;
    EXPECT_EQ(s.message(), "金额格式不正确: " + std::string(bad));
  }
}

TEST(MoneyParse, EmptyIsItsOwnMessage) {
  EXPECT_EQ(ParseError("").message(), "金额不能为空");
  EXPECT_EQ(ParseError(" \u3000 ").message(), "金额不能为空");
}

TEST(MoneyParse, NegativeOnlyWhenAllowed) {
  Status s = ParseError("-12.5万");
  EXPECT_EQ(s.code(), StatusCode::kValidationFailed);
  EXPECT_EQ(s.message(), "金额不能为负数: -12.5万");
  EXPECT_EQ(ParseError("-0").message(), "金额不能为负数: -0");
  EXPECT_EQ(ParseYuan("-12.5万", {.allow_negative = true}), -125'000);
  EXPECT_EQ(ParseYuan("-0", {.allow_negative = true}), 0);
}

TEST(MoneyParse, RangeIsInt64Yuan) {
  EXPECT_EQ(ParseError("9223372036854775808").message(), "金额超出范围: 9223372036854775808");
  EXPECT_EQ(ParseYuan("-9223372036854775808", {.allow_negative = true}), INT64_MIN);
  EXPECT_FALSE(Money::Parse("-9223372036854775809", {.allow_negative = true}).ok());
  EXPECT_EQ(ParseError("922337203685477.5808万").message(), "金额超出范围: 922337203685477.5808万");
  EXPECT_EQ(ParseYuan("-922337203685477.5808万", {.allow_negative = true}), INT64_MIN);
  EXPECT_FALSE(Money::Parse("92233720369亿").ok());
  EXPECT_EQ(ParseYuan("92233720368亿"), 9'223'372'036'800'000'000);
  EXPECT_EQ(ParseError("99999999999999999999999999").message(),
            "金额超出范围: 99999999999999999999999999");
}

TEST(MoneyParse, DefaultUnitForBareNumbers) {
  EXPECT_EQ(ParseYuan("12.5", {.default_unit = MoneyUnit::kWan}), 125'000);
  EXPECT_EQ(ParseYuan("3", {.default_unit = MoneyUnit::kYi}), 300'000'000);
  // An explicit unit wins over the default.
  EXPECT_EQ(ParseYuan("800元", {.default_unit = MoneyUnit::kWan}), 800);
  EXPECT_EQ(ParseYuan("1亿", {.default_unit = MoneyUnit::kWan}), 100'000'000);
}

TEST(MoneyParse, ErrorNamesFieldAndTruncatesLongInput) {
  Status s = ParseError("abc", {.field = "total_investment"});
  EXPECT_EQ(s.field(), "total_investment");
  std::string longtext(40, 'x');
  for (int i = 0; i < 20; ++i) longtext += "万";
  Status t = ParseError(longtext);
  EXPECT_LT(t.message().size(), 120u);
  EXPECT_EQ(t.message().substr(t.message().size() - 3), "…");
}

// ---- formatting ----------------------------------------------------------

TEST(MoneyFormat, WanRoundsHalfAwayFromZero) {
  EXPECT_EQ(FormatWan(Y(123'456'789)), "12345.68");
  EXPECT_EQ(FormatWan(Y(123'450)), "12.35");   // 12.345 → 12.35
  EXPECT_EQ(FormatWan(Y(123'449)), "12.34");   // 12.3449 → 12.34
  EXPECT_EQ(FormatWan(Y(125'000)), "12.50");
  EXPECT_EQ(FormatWan(Y(0)), "0.00");
  EXPECT_EQ(FormatWan(Y(49)), "0.00");
  EXPECT_EQ(FormatWan(Y(50)), "0.01");
  EXPECT_EQ(FormatWan(Y(-123'450)), "-12.35");
  EXPECT_EQ(FormatWan(Y(-123'449)), "-12.34");
  EXPECT_EQ(FormatWan(Y(-50)), "-0.01");
  EXPECT_EQ(FormatWan(Y(99'995)), "10.00");   // carry into the integer part
  EXPECT_EQ(FormatWan(Y(999'950)), "100.00");
}

TEST(MoneyFormat, ValuesThatRoundToZeroHaveNoMinus) {
  EXPECT_EQ(FormatWan(Y(-5)), "0.00");
  EXPECT_EQ(FormatWan(Y(-49)), "0.00");
  EXPECT_EQ(FormatWan(Y(-4'999), 0), "0");
  EXPECT_EQ(FormatYi(Y(-499'999), 2), "0.00");
  EXPECT_EQ(FormatYi(Y(-500'000), 2), "-0.01");
}

TEST(MoneyFormat, Decimals) {
  EXPECT_EQ(FormatWan(Y(15'000), 0), "2");
  EXPECT_EQ(FormatWan(Y(-15'000), 0), "-2");
  EXPECT_EQ(FormatWan(Y(14'999), 0), "1");
  EXPECT_EQ(FormatWan(Y(5'000), 0), "1");
  EXPECT_EQ(FormatWan(Y(123'456), 1), "12.3");
  EXPECT_EQ(FormatWan(Y(123'456), 4), "12.3456");  // exact
  EXPECT_EQ(FormatWan(Y(123'456), 6), "12.345600");
  EXPECT_EQ(FormatWan(Y(1), 8), "0.00010000");
  EXPECT_EQ(FormatWan(Y(1), 99), "0.00010000");   // clamped to 8
  EXPECT_EQ(FormatWan(Y(15'000), -3), "2");       // clamped to 0
  EXPECT_EQ(FormatYi(Y(325'000'000)), "3.25");
  EXPECT_EQ(FormatYi(Y(9'000'000'000)), "90.00");
  EXPECT_EQ(FormatYi(Y(1), 8), "0.00000001");
  EXPECT_EQ(FormatYi(Y(123'456'789), 4), "1.2346");
}

TEST(MoneyFormat, ExtremesDoNotOverflow) {
  EXPECT_EQ(FormatYuan(Money::Max()), "9,223,372,036,854,775,807");
  EXPECT_EQ(FormatYuan(Money::Min()), "-9,223,372,036,854,775,808");
  EXPECT_EQ(FormatWan(Money::Max()), "922337203685477.58");
  EXPECT_EQ(FormatWan(Money::Min()), "-922337203685477.58");
  EXPECT_EQ(FormatWan(Money::Max(), 8), "922337203685477.58070000");
  EXPECT_EQ(FormatYi(Money::Min(), 0), "-92233720369");
  EXPECT_EQ(FormatYi(Money::Max(), 8), "92233720368.54775807");
}

TEST(MoneyFormat, YuanWithThousandsSeparators) {
  EXPECT_EQ(FormatYuan(Y(9'000'000'000)), "9,000,000,000");
  EXPECT_EQ(FormatYuan(Y(0)), "0");
  EXPECT_EQ(FormatYuan(Y(999)), "999");
  EXPECT_EQ(FormatYuan(Y(1'000)), "1,000");
  EXPECT_EQ(FormatYuan(Y(123'456)), "123,456");
  EXPECT_EQ(FormatYuan(Y(-1'234)), "-1,234");
  EXPECT_EQ(FormatYuan(Y(-999)), "-999");
}

TEST(MoneyFormat, DisplayPicksTheUnit) {
  EXPECT_EQ(Display(Y(9'000'000'000)), "90.00亿元");
  EXPECT_EQ(Display(Y(100'000'000)), "1.00亿元");
  EXPECT_EQ(Display(Y(99'999'999)), "10000.00万元");  // unit by exact amount
  EXPECT_EQ(Display(Y(123'456)), "12.35万元");
  EXPECT_EQ(Display(Y(10'000)), "1.00万元");
  EXPECT_EQ(Display(Y(9'999)), "9,999元");
  EXPECT_EQ(Display(Y(800)), "800元");
  EXPECT_EQ(Display(Y(0)), "0元");
  EXPECT_EQ(Display(Y(-800)), "-800元");
  EXPECT_EQ(Display(Y(-123'456)), "-12.35万元");
  EXPECT_EQ(Display(Y(-325'000'000)), "-3.25亿元");
  EXPECT_EQ(Display(Money::Min()), "-92233720368.55亿元");
}

TEST(MoneyFormat, ParseFormatRoundTrip) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{9'999}, int64_t{123'456}, int64_t{-98'765'432},
                    INT64_MAX, INT64_MIN}) {
    EXPECT_EQ(ParseYuan(FormatYuan(Y(v)), {.allow_negative = true}), v);
    EXPECT_EQ(ParseYuan(FormatWan(Y(v), 4) + "万", {.allow_negative = true}), v);
    EXPECT_EQ(ParseYuan(FormatYi(Y(v), 8) + "亿元", {.allow_negative = true}), v);
  }
}

TEST(MoneyFormat, StreamsForTestOutput) {
  std::ostringstream os;
  os << Y(123'456);
  EXPECT_EQ(os.str(), "12.35万元 (123456 元)");
}

}  // namespace
}  // namespace zb
