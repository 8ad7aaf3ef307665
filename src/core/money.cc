#include "core/text.h"
#include "core/money.h"

#include <algorithm>
#include <ostream>

namespace zb {

namespace {

constexpr uint64_t kPow10[] = {
    1ULL,
    10ULL,
    100ULL,
    1'000ULL,
    10'000ULL,
    100'000ULL,
    1'000'000ULL,
    10'000'000ULL,
    100'000'000ULL,
    1'000'000'000ULL,
};

// |v| without overflow, also for INT64_MIN.
constexpr uint64_t Magnitude(int64_t v) {
  return v < 0 ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
}

Status OutOfRange(std::string_view what) {
  return ValidationFailed("金额超出范围: " + std::string(what));
}

// ---- parsing helpers -----------------------------------------------------

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Length of a blank at the front of s: ASCII whitespace, U+00A0 (Excel
// pastes it) or U+3000 (ideographic space). 0 if none.
size_t LeadingBlank(std::string_view s) {
  if (s.empty()) return 0;
  char c = s.front();
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
  if (StartsWith(s, "\u00A0")) return 2;
  if (StartsWith(s, "\u3000")) return 3;
  return 0;
}

size_t TrailingBlank(std::string_view s) {
  if (s.empty()) return 0;
  char c = s.back();
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
  if (EndsWith(s, "\u00A0")) return 2;
  if (EndsWith(s, "\u3000")) return 3;
  return 0;
}

std::string_view TrimBlanks(std::string_view s) {
  for (size_t n; (n = LeadingBlank(s)) > 0;) s.remove_prefix(n);
  for (size_t n; (n = TrailingBlank(s)) > 0;) s.remove_suffix(n);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Quote(std::string_view text) { return QuoteForMessage(text); }

// Validates "1,234,567" grouping (or no commas at all) and returns the
// digits without commas; false if malformed.
bool StripGroupedDigits(std::string_view s, std::string* digits) {
  if (s.empty()) return false;
  size_t comma = s.find(',');
  if (comma == std::string_view::npos) {
    if (!std::all_of(s.begin(), s.end(), IsDigit)) return false;
    *digits = std::string(s);
    return true;
  }
  // First group 1..3 digits, then ",ddd" groups.
  if (comma == 0 || comma > 3) return false;
  digits->clear();
  size_t pos = 0;
  bool first = true;
  while (pos <= s.size()) {
    size_t next = s.find(',', pos);
    std::string_view group = s.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
    if (group.empty() || (!first && group.size() != 3)) return false;
    if (!std::all_of(group.begin(), group.end(), IsDigit)) return false;
    digits->append(group);
    first = false;
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return true;
}

// ---- formatting helpers --------------------------------------------------

std::string UnsignedToString(uint64_t v) {
  char buf[24];
  char* p = buf + sizeof(buf);
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  return std::string(p, buf + sizeof(buf) - p);
}

std::string ZeroPadded(uint64_t v, int width) {
  std::string s = UnsignedToString(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

// money / 10^exp with `decimals` fraction digits, half away from zero.
std::string FormatScaled(Money money, int exp, int decimals) {
  decimals = std::clamp(decimals, 0, 8);
  const uint64_t mag = Magnitude(money.yuan());
  std::string integer;
  std::string fraction;
  bool nonzero;
  if (decimals >= exp) {
    // Exact: every digit is known, pad with zeros.
    integer = UnsignedToString(mag / kPow10[exp]);
    if (exp > 0) fraction = ZeroPadded(mag % kPow10[exp], exp);
    fraction.append(decimals - exp, '0');
    nonzero = mag != 0;
  } else {
    const uint64_t scale = kPow10[exp - decimals];
    uint64_t q = mag / scale;
    const uint64_t r = mag % scale;
    if (r >= scale / 2) ++q;  // scale is a power of ten >= 10, so even
    integer = UnsignedToString(q / kPow10[decimals]);
    if (decimals > 0) fraction = ZeroPadded(q % kPow10[decimals], decimals);
    nonzero = q != 0;
  }
  std::string out;
  if (money.is_negative() && nonzero) out += '-';
  out += integer;
  if (!fraction.empty()) {
    out += '.';
    out += fraction;
  }
  return out;
}

}  // namespace

StatusOr<Money> Money::Parse(std::string_view text, const MoneyParseOptions& options) {
  const std::string field(options.field);
  std::string_view s = TrimBlanks(text);
  const std::string quoted = Quote(s);
  auto bad_format = [&] { return ValidationFailed("金额格式不正确: " + quoted, field); };
  if (s.empty()) return ValidationFailed("金额不能为空", field);

  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  for (std::string_view currency : {"\u00A5", "\uFFE5"}) {  // ¥ ￥
    if (StartsWith(s, currency)) {
      s.remove_prefix(currency.size());
      break;
    }
  }

  // Unit suffix, then optional blanks between number and unit.
  int exp;
  switch (options.default_unit) {
    case MoneyUnit::kYuan: exp = 0; break;
    case MoneyUnit::kWan: exp = 4; break;
    case MoneyUnit::kYi: exp = 8; break;
    default: exp = 0;
  }
  struct Suffix {
    std::string_view text;
    int exp;
  };
  // Longest first, so "万元" is not read as "万" + garbage.
  for (const Suffix& suffix : {Suffix{"万元", 4}, Suffix{"亿元", 8}, Suffix{"万", 4},
                               Suffix{"亿", 8}, Suffix{"元", 0}}) {
    if (EndsWith(s, suffix.text)) {
      s.remove_suffix(suffix.text.size());
      for (size_t n; (n = TrailingBlank(s)) > 0;) s.remove_suffix(n);
      exp = suffix.exp;
      break;
    }
  }

  std::string_view int_text = s;
  std::string_view frac_text;
  if (size_t dot = s.find('.'); dot != std::string_view::npos) {
    int_text = s.substr(0, dot);
    frac_text = s.substr(dot + 1);
    if (frac_text.empty() || !std::all_of(frac_text.begin(), frac_text.end(), IsDigit)) {
      return bad_format();
    }
  }
  std::string int_digits;
  if (!StripGroupedDigits(int_text, &int_digits)) return bad_format();

  if (negative && !options.allow_negative) {
    return ValidationFailed("金额不能为负数: " + quoted, field);
  }
  // Fraction digits beyond the unit's exponent are below one yuan.
  for (size_t i = exp; i < frac_text.size(); ++i) {
    if (frac_text[i] != '0') return ValidationFailed("金额只能精确到元: " + quoted, field);
  }

  // Magnitude in yuan, with overflow checks at every step.
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  auto out_of_range = [&] { return ValidationFailed("金额超出范围: " + quoted, field); };
  uint64_t v = 0;
  for (char c : int_digits) {
    if (__builtin_mul_overflow(v, uint64_t{10}, &v) ||
        __builtin_add_overflow(v, static_cast<uint64_t>(c - '0'), &v) || v > limit) {
      return out_of_range();
    }
  }
  if (__builtin_mul_overflow(v, kPow10[exp], &v) || v > limit) return out_of_range();
  for (size_t i = 0; i < frac_text.size() && static_cast<int>(i) < exp; ++i) {
    uint64_t add = static_cast<uint64_t>(frac_text[i] - '0') * kPow10[exp - 1 - i];
    if (__builtin_add_overflow(v, add, &v) || v > limit) return out_of_range();
  }
  int64_t yuan = negative ? static_cast<int64_t>(uint64_t{0} - v) : static_cast<int64_t>(v);
  return Money::FromYuan(yuan);
}

StatusOr<Money> Money::Add(Money other) const {
  Money out;
  if (AddOverflow(*this, other, &out)) return OutOfRange("加法溢出");
  return out;
}

StatusOr<Money> Money::Subtract(Money other) const {
  Money out;
  if (SubtractOverflow(*this, other, &out)) return OutOfRange("减法溢出");
  return out;
}

StatusOr<Money> Money::Multiply(int64_t factor) const {
  Money out;
  if (MultiplyOverflow(*this, factor, &out)) return OutOfRange("乘法溢出");
  return out;
}

bool AddOverflow(Money a, Money b, Money* out) {
  int64_t r;
  if (__builtin_add_overflow(a.yuan(), b.yuan(), &r)) return true;
  *out = Money::FromYuan(r);
  return false;
}

bool SubtractOverflow(Money a, Money b, Money* out) {
  int64_t r;
  if (__builtin_sub_overflow(a.yuan(), b.yuan(), &r)) return true;
  *out = Money::FromYuan(r);
  return false;
}

bool MultiplyOverflow(Money a, int64_t factor, Money* out) {
  int64_t r;
  if (__builtin_mul_overflow(a.yuan(), factor, &r)) return true;
  *out = Money::FromYuan(r);
  return false;
}

std::string FormatWan(Money money, int decimals) { return FormatScaled(money, 4, decimals); }

std::string FormatYi(Money money, int decimals) { return FormatScaled(money, 8, decimals); }

std::string FormatYuan(Money money) {
  std::string digits = UnsignedToString(Magnitude(money.yuan()));
  std::string out;
  if (money.is_negative()) out += '-';
  size_t lead = digits.size() % 3;
  if (lead == 0) lead = 3;
  out.append(digits, 0, lead);
  for (size_t i = lead; i < digits.size(); i += 3) {
    out += ',';
    out.append(digits, i, 3);
  }
  return out;
}

std::string Display(Money money) {
  const uint64_t mag = Magnitude(money.yuan());
  if (mag >= static_cast<uint64_t>(Money::kYuanPerYi)) return FormatYi(money, 2) + "亿元";
  if (mag >= static_cast<uint64_t>(Money::kYuanPerWan)) return FormatWan(money, 2) + "万元";
  return FormatYuan(money) + "元";
}

std::ostream& operator<<(std::ostream& os, Money money) {
  return os << Display(money) << " (" << money.yuan() << " 元)";
}

}  // namespace zb
