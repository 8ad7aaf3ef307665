// Money: an amount of CNY held exactly as a whole number of yuan (元).
//
// Contract
// - The value is an int64_t count of 元. Amounts are never stored or computed
//   as floating point; 万元 (1e4 元) and 亿元 (1e8 元) are display and input
//   units only. Database columns are BIGINT yuan.
// - There are no unchecked arithmetic operators. Add/Subtract/Multiply return
//   StatusOr<Money> (kValidationFailed "金额超出范围" on overflow), and the
//   free functions AddOverflow/SubtractOverflow/MultiplyOverflow return true
//   on overflow, like __builtin_add_overflow. Nothing here has undefined
//   behaviour, including at INT64_MIN / INT64_MAX.
// - Money::Parse reads what people type or paste from Excel:
//     "9000000000"  "1,234"  "100元"  "12.5万"  "12.5万元"  "3亿"  "3.25亿元"
//   optionally with surrounding spaces (ASCII or U+3000), a leading "+"/"-",
//   a "¥"/"￥" prefix and spaces between the number and the unit. The decimal
//   is scaled exactly (no double): "0.5万" = 5000 元, "1.005万" = 10050 元.
//   A value that is not a whole number of 元 ("1.23456万" = 12345.6 元,
//   "100.5元") is refused; trailing zeros are fine ("100.00元", "1.50000万").
//   Thousands separators must group by three ("12,34" is refused) and only
//   appear in the integer part. A bare number is read in
//   MoneyParseOptions::default_unit (元 unless the column says 万元).
//   Errors are kValidationFailed with a Chinese message naming the input:
//     "金额格式不正确: …", "金额只能精确到元: …", "金额不能为负数: …",
//     "金额超出范围: …", "金额不能为空"
//   and Status::field() set to MoneyParseOptions::field.
// - Formatting rounds HALF AWAY FROM ZERO, exactly, on the integer value:
//   FormatWan(123456789) == "12345.68", FormatWan(-15000, 0) == "-2",
//   FormatWan(5000, 0) == "1". A result that rounds to zero never carries a
//   minus sign: FormatWan(-5) == "0.00", not "-0.00".
//   FormatWan/FormatYi print no thousands separators and no unit;
//   FormatYuan prints thousands separators ("9,000,000,000", "-1,234").
//   Display picks the unit from the exact amount:
//     |yuan| >= 1亿  → FormatYi(m, 2)  + "亿元"   ("90.00亿元")
//     |yuan| >= 1万  → FormatWan(m, 2) + "万元"   ("12.35万元")
//     otherwise      → FormatYuan(m)   + "元"     ("800元", "-9,999元")
//   (so 99,999,999 元 shows as "10000.00万元": the unit follows the exact
//   amount, the digits follow the rounding).
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/status.h"

namespace zb {

enum class MoneyUnit { kYuan, kWan, kYi };

struct MoneyParseOptions {
  // Whether a leading "-" is accepted (e.g. adjustments); off for amounts
  // such as total investment.
  bool allow_negative = false;
  // Unit of a bare number without "元/万/万元/亿/亿元" (an Excel column
  // headed "总投资(万元)" would pass kWan).
  MoneyUnit default_unit = MoneyUnit::kYuan;
  // Copied into Status::field() of any error.
  std::string_view field = {};
};

class Money {
 public:
  static constexpr int64_t kYuanPerWan = 10'000;
  static constexpr int64_t kYuanPerYi = 100'000'000;

  constexpr Money() = default;  // 0 元
  static constexpr Money FromYuan(int64_t yuan) { return Money(yuan); }
  static constexpr Money Zero() { return Money(); }
  static constexpr Money Max() { return Money(INT64_MAX); }
  static constexpr Money Min() { return Money(INT64_MIN); }

  // Exact parse of user text; see the contract above.
  static StatusOr<Money> Parse(std::string_view text, const MoneyParseOptions& options = {});

  constexpr int64_t yuan() const { return yuan_; }
  constexpr bool is_zero() const { return yuan_ == 0; }
  constexpr bool is_negative() const { return yuan_ < 0; }

  // Checked arithmetic: kValidationFailed "金额超出范围" on overflow.
  StatusOr<Money> Add(Money other) const;
  StatusOr<Money> Subtract(Money other) const;
  StatusOr<Money> Multiply(int64_t factor) const;

  friend constexpr auto operator<=>(Money, Money) = default;
  friend constexpr bool operator==(Money, Money) = default;

 private:
  constexpr explicit Money(int64_t yuan) : yuan_(yuan) {}
  int64_t yuan_ = 0;
};

// Overflow-flag arithmetic: returns true if the exact result does not fit,
// in which case *out is left unchanged. Otherwise stores it and returns false.
[[nodiscard]] bool AddOverflow(Money a, Money b, Money* out);
[[nodiscard]] bool SubtractOverflow(Money a, Money b, Money* out);
[[nodiscard]] bool MultiplyOverflow(Money a, int64_t factor, Money* out);

// Sum of a range of Money with overflow checking.
template <typename Range>
StatusOr<Money> SumMoney(const Range& amounts) {
  Money total;
  for (const Money& m : amounts) {
    if (AddOverflow(total, m, &total)) return ValidationFailed("金额超出范围: 合计溢出");
  }
  return total;
}

// Amount in 万元 / 亿元 with `decimals` digits after the point (clamped to
// 0..8), rounded half away from zero; no unit, no thousands separators.
std::string FormatWan(Money money, int decimals = 2);
std::string FormatYi(Money money, int decimals = 2);
// Whole 元 with thousands separators: "9,000,000,000", "-1,234", "0".
std::string FormatYuan(Money money);
// Human display with unit suffix: "90.00亿元", "12.35万元", "800元".
std::string Display(Money money);

// Prints Display(money) and the raw yuan, for test failures and logs.
std::ostream& operator<<(std::ostream& os, Money money);

}  // namespace zb
