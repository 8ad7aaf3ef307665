// 统一社会信用代码 (unified social credit code, GB 32100-2015): the 18
// characters on a business licence that identify an enterprise.
//
//   position  1     登记管理部门代码  registration authority (9 = 市场监管/工商)
//             2     机构类别代码      institution category (91 = 企业)
//             3–8   登记管理机关行政区划码  administrative division (GB/T 2260)
//             9–17  主体标识码        organisation code (GB 11714), whose own
//                                     check character is position 17
//             18    校验码            check character (GB/T 17710, MOD 31-3)
//
// Contract
// - The alphabet is the 31 characters "0123456789ABCDEFGHJKLMNPQRTUWXY":
//   digits and upper-case letters without I, O, Z, S, V.
// - NormalizeCreditCode(text): what a user typed or pasted, made comparable:
//   surrounding blanks (ASCII whitespace and U+3000) removed, full-width
//   digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) made half-width, ASCII letters
//   upper-cased. Nothing else changes (inner spaces and other characters stay,
//   so validation still reports them). Callers store the normalised form.
// - ValidateCreditCode(code, field): checks an already normalised code (so
//   "91440300…f" with a lower-case letter is refused — normalise first).
//   Checks in this order, the first failure wins; every failure is
//   kValidationFailed with Status::field() == field and a message that is
//   Chinese first with English in parentheses:
//   1. not empty;
//   2. exactly 18 characters (Unicode code points; the message gives the
//      count);
//   3. every character in the alphabet (the message names the position and
//      the character);
//   4. positions 1–2 form a pair of the published table of registration
//      authorities and their categories: 1 机构编制 {1,2,3,9}, 2 外交 {1,9},
//      3 司法行政 {1,2,3,4,5,9}, 4 文化 {1,9}, 5 民政 {1,2,3,9}, 6 旅游 {1,2,9},
//      7 宗教 {1,2,9}, 8 工会 {1,9}, 9 工商 {1,2,3}, A 军队编制 {1,9},
//      N 农业 {1,2,3,9}, Y 其他 {1};
//   5. positions 3–8 are six digits;
//   6. position 18 equals the MOD 31-3 check character: with weights
//      3^(i-1) mod 31 (1, 3, 9, 27, 19, 26, …) and values the alphabet
//      index, check = (31 - Σ mod 31) mod 31. A mismatch says so explicitly:
//      "统一社会信用代码校验位错误:按前 17 位计算,第 18 位应为 X …
//      (check character should be X …)";
//   7. positions 9–17 are a valid GB 11714 organisation code: weights
//      3,7,9,10,5,8,4,2 over positions 9–16 (digits their value, letters
//      A=10 … Y=34), c = 11 - Σ mod 11, written "X" for 10 and "0" for 11,
//      must equal position 17.
//   The 18th character is checked before the organisation code because any
//   single wrong character in positions 1–17 changes the MOD 31 sum, so that
//   is the message a typo gets; step 7 catches codes made up by recomputing
//   only the last character.
// - CreditCodeCheckChar(first17) is step 6's character for 17 characters of
//   the alphabet ('\0' if the input is not that).
// - MakeCreditCode(prefix8, body8) builds a code that passes every check
//   from positions 1–8 (authority, category, division) and an 8-character
//   organisation-code body of the alphabet, adding both check characters —
//   for demo and benchmark data, never for a real enterprise's code. "" when
//   the parts are not that.
// These are pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace zb::domain {

inline constexpr std::string_view kCreditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
inline constexpr size_t kCreditCodeLength = 18;

std::string NormalizeCreditCode(std::string_view text);
Status ValidateCreditCode(std::string_view code, std::string_view field = "credit_code");
char CreditCodeCheckChar(std::string_view first17);
std::string MakeCreditCode(std::string_view prefix8, std::string_view body8);

}  // namespace zb::domain
