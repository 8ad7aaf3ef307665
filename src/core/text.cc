#include "core/text.h"

#include <utility>

namespace zb {

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

namespace {

// Length of the valid UTF-8 sequence at s[i], 0 when invalid (overlong
// forms, surrogates and code points above U+10FFFF are invalid).
size_t Utf8SequenceAt(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto cont = [&](size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = Utf8SequenceAt(s, i);
      if (n == 0) {
        out += "\ufffd";
        ++i;
      } else {
        out.append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

std::string QuoteForMessage(std::string_view text) {
  constexpr size_t kMax = 64;
  if (text.size() <= kMax) return std::string(text);
  size_t n = kMax;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return std::string(text.substr(0, n)) + "…";
}

namespace {
std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}
}  // namespace

Status ValidateLine(std::string& value, std::string_view field, std::string_view label, size_t max_chars,
                    bool allow_empty) {
  // U+3000 (ideographic space) is three bytes; trim it as well as ASCII blanks.
  std::string v = value;
  for (bool changed = true; changed;) {
    changed = false;
    std::string t = Trim(v);
    if (t != v) { v = t; changed = true; }
    if (v.starts_with("\u3000")) { v.erase(0, 3); changed = true; }
    if (v.ends_with("\u3000")) { v.erase(v.size() - 3); changed = true; }
  }
  for (unsigned char c : v) {
    if (c < 0x20 || c == 0x7F) {
      return ValidationFailed(std::string(label) + "不能含有控制字符 (control characters are not allowed)",
                              std::string(field));
    }
  }
  if (v.empty() && !allow_empty) {
    return ValidationFailed(std::string(label) + "不能为空 (must not be empty)", std::string(field));
  }
  if (Utf8Length(v) > max_chars) {
    return ValidationFailed(std::string(label) + "不能超过 " + std::to_string(max_chars) + " 个字 (too long)",
                            std::string(field));
  }
  value = std::move(v);
  return Status::Ok();
}

}  // namespace zb
