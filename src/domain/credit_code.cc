#include "domain/credit_code.h"

#include <vector>

#include "core/text.h"

namespace zb::domain {

namespace {

constexpr std::string_view kLabel = "统一社会信用代码";

int AlphabetIndex(char c) {
  size_t i = kCreditCodeAlphabet.find(c);
  return i == std::string_view::npos ? -1 : static_cast<int>(i);
}

// Splits valid-enough UTF-8 into code points (each as its bytes); a stray
// byte counts as one character, which is all validation needs.
std::vector<std::string_view> Characters(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + n > s.size()) n = 1;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

struct Authority {
  char code;
  std::string_view name;
  std::string_view categories;
};

// The published table of registration authorities and their categories.
constexpr Authority kAuthorities[] = {
    {'1', "机构编制", "1239"}, {'2', "外交", "19"},   {'3', "司法行政", "123459"},
    {'4', "文化", "19"},       {'5', "民政", "1239"}, {'6', "旅游", "129"},
    {'7', "宗教", "129"},      {'8', "工会", "19"},   {'9', "工商", "123"},
    {'A', "军队编制", "19"},   {'N', "农业", "1239"}, {'Y', "其他", "1"},
};

// GB 11714 check character of an 8-character organisation code body.
char OrgCodeCheckChar(std::string_view body) {
  static constexpr int kWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    char c = body[i];
    int v = c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
    sum += v * kWeights[i];
  }
  int r = 11 - sum % 11;
  return r == 10 ? 'X' : r == 11 ? '0' : static_cast<char>('0' + r);
}

Status Fail(std::string message, std::string_view field) {
  return ValidationFailed(std::string(kLabel) + message, std::string(field));
}

}  // namespace

std::string NormalizeCreditCode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    // Full-width forms are U+FF10..U+FF19, U+FF21..U+FF3A, U+FF41..U+FF5A:
    // EF BC 90..99, EF BC A1..BA, EF BD 81..9A.
    if (c == 0xEF && i + 2 < text.size()) {
      auto b1 = static_cast<unsigned char>(text[i + 1]);
      auto b2 = static_cast<unsigned char>(text[i + 2]);
      char half = 0;
      if (b1 == 0xBC && b2 >= 0x90 && b2 <= 0x99) half = static_cast<char>('0' + (b2 - 0x90));
      if (b1 == 0xBC && b2 >= 0xA1 && b2 <= 0xBA) half = static_cast<char>('A' + (b2 - 0xA1));
      if (b1 == 0xBD && b2 >= 0x81 && b2 <= 0x9A) half = static_cast<char>('A' + (b2 - 0x81));
      if (half) {
        out.push_back(half);
        i += 2;
        continue;
      }
    }
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c));
  }
  // Trim ASCII whitespace and U+3000 (E3 80 80) at both ends.
  auto blank_prefix = [&](std::string_view s) -> size_t {
    if (!s.empty() && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))) return 1;
    if (s.starts_with("\u3000")) return 3;
    return 0;
  };
  auto blank_suffix = [&](std::string_view s) -> size_t {
    if (!s.empty() && (s.back() == ' ' || (s.back() >= '\t' && s.back() <= '\r'))) return 1;
    if (s.ends_with("\u3000")) return 3;
    return 0;
  };
  std::string_view v = out;
  while (size_t n = blank_prefix(v)) v.remove_prefix(n);
  while (size_t n = blank_suffix(v)) v.remove_suffix(n);
  return std::string(v);
}

char CreditCodeCheckChar(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  int weight = 1;  // 3^(i-1) mod 31
  for (char c : first17) {
    int v = AlphabetIndex(c);
    if (v < 0) return '\0';
    sum += v * weight;
    weight = weight * 3 % 31;
  }
  return kCreditCodeAlphabet[(31 - sum % 31) % 31];
}

Status ValidateCreditCode(std::string_view code, std::string_view field) {
  if (code.empty()) return Fail("不能为空 (must not be empty)", field);

  std::vector<std::string_view> chars = Characters(code);
  if (chars.size() != kCreditCodeLength) {
    std::string n = std::to_string(chars.size());
    return Fail("应为 18 位,实际为 " + n + " 位 (must be 18 characters, got " + n + ")", field);
  }
  for (size_t i = 0; i < chars.size(); ++i) {
    if (chars[i].size() == 1 && AlphabetIndex(chars[i][0]) >= 0) continue;
    std::string pos = std::to_string(i + 1);
    return Fail("第 " + pos + " 位「" + QuoteForMessage(chars[i]) +
                    "」不是有效字符,只能是数字或除 I、O、Z、S、V 以外的大写字母 (character " + pos +
                    " is not allowed: use 0-9 and A-Z except I, O, Z, S, V)",
                field);
  }

  // From here on the code is 18 single-byte characters of the alphabet.
  const Authority* authority = nullptr;
  for (const auto& a : kAuthorities) {
    if (a.code == code[0]) authority = &a;
  }
  if (authority == nullptr) {
    return Fail(std::string("第 1 位登记管理部门代码「") + code[0] + "」不存在 (unknown registration authority code " +
                    code[0] + ")",
                field);
  }
  if (authority->categories.find(code[1]) == std::string_view::npos) {
    return Fail(std::string("第 2 位机构类别代码「") + code[1] + "」不适用于登记管理部门「" +
                    std::string(authority->name) + "」(institution category " + code[1] +
                    " does not exist for registration authority " + code[0] + ")",
                field);
  }
  for (size_t i = 2; i < 8; ++i) {
    if (code[i] < '0' || code[i] > '9') {
      return Fail("第 3–8 位应为 6 位数字的行政区划代码 (characters 3–8 must be a 6-digit division code)", field);
    }
  }

  char expected = CreditCodeCheckChar(code.substr(0, 17));
  if (code[17] != expected) {
    return Fail(std::string("校验位错误:按前 17 位计算,第 18 位应为 ") + expected +
                    ",请逐位核对 (check character should be " + expected +
                    " for the first 17 characters; check each character)",
                field);
  }
  char org_expected = OrgCodeCheckChar(code.substr(8, 8));
  if (code[16] != org_expected) {
    return Fail(std::string("第 9–17 位不是有效的组织机构代码:第 17 位应为 ") + org_expected +
                    " (characters 9–17 are not a valid organisation code: character 17 should be " +
                    org_expected + ")",
                field);
  }
  return Status::Ok();
}

std::string MakeCreditCode(std::string_view prefix8, std::string_view body8) {
  if (prefix8.size() != 8 || body8.size() != 8) return "";
  for (char c : std::string(prefix8) + std::string(body8)) {
    if (AlphabetIndex(c) < 0) return "";
  }
  std::string code = std::string(prefix8) + std::string(body8);
  code += OrgCodeCheckChar(body8);
  return code + CreditCodeCheckChar(code);
}

}  // namespace zb::domain
