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
