#include "domain/password.h"

#include <argon2.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <optional>
#include <stdexcept>

#include "core/date.h"
#include "core/ids.h"
#include "core/text.h"

namespace zb::domain {

namespace {

constexpr std::string_view kField = "new_password";
constexpr size_t kSaltBytes = 16;
constexpr size_t kTagBytes = 32;
constexpr uint32_t kMaxMemoryKiB = 1u << 20;  // 1 GiB
constexpr uint32_t kMaxTimeCost = 16;
constexpr uint32_t kMaxParallelism = 16;

// Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    size_t n;
    uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else return false;
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      unsigned char d = s[i + k];
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

struct Argon2Params {
  uint32_t version = 0;
  uint32_t m = 0;
  uint32_t t = 0;
  uint32_t p = 0;
};

bool ParseUint(std::string_view s, uint32_t& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// "$argon2id$v=19$m=19456,t=2,p=1$salt$hash" → parameters; nullopt if the
// shape is wrong or the variant is not argon2id.
std::optional<Argon2Params> ParseEncoded(std::string_view e) {
  constexpr std::string_view kPrefix = "$argon2id$v=";
  if (!e.starts_with(kPrefix)) return std::nullopt;
  e.remove_prefix(kPrefix.size());
  Argon2Params p;
  size_t d = e.find('$');
  if (d == std::string_view::npos || !ParseUint(e.substr(0, d), p.version)) return std::nullopt;
  e.remove_prefix(d + 1);
  d = e.find('$');
  if (d == std::string_view::npos) return std::nullopt;
  std::string_view params = e.substr(0, d);
  std::string_view rest = e.substr(d + 1);
  if (!params.starts_with("m=")) return std::nullopt;
  size_t c1 = params.find(",t=");
  size_t c2 = params.find(",p=");
  if (c1 == std::string_view::npos || c2 == std::string_view::npos || c2 < c1) return std::nullopt;
  if (!ParseUint(params.substr(2, c1 - 2), p.m) || !ParseUint(params.substr(c1 + 3, c2 - c1 - 3), p.t) ||
      !ParseUint(params.substr(c2 + 3), p.p)) {
    return std::nullopt;
  }
  size_t d2 = rest.find('$');
  if (d2 == 0 || d2 == std::string_view::npos || d2 + 1 >= rest.size()) return std::nullopt;
  return p;
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password, std::string_view login, const PasswordPolicy& policy) {
  if (password.size() > kMaxPasswordBytes) {
    return ValidationFailed("密码不能超过 128 字节 (password must be at most 128 bytes)", std::string(kField));
  }
  if (!ValidUtf8(password)) {
    return ValidationFailed("密码须为有效的 UTF-8 文本 (password must be valid UTF-8)", std::string(kField));
  }
  for (unsigned char c : password) {
    if (c < 0x20 || c == 0x7F) {
      return ValidationFailed("密码不能含有控制字符 (password must not contain control characters)",
                              std::string(kField));
    }
  }
  if (Utf8Length(password) < static_cast<size_t>(policy.min_length)) {
    std::string n = std::to_string(policy.min_length);
    return ValidationFailed("密码至少 " + n + " 位 (password must have at least " + n + " characters)",
                            std::string(kField));
  }
  bool upper = false, lower = false, digit = false, symbol = false;
  for (unsigned char c : password) {
    if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= '0' && c <= '9') digit = true;
    else symbol = true;  // ASCII punctuation, space, and any non-ASCII byte
  }
  int classes = upper + lower + digit + symbol;
  if (classes < policy.min_classes) {
    std::string n = std::to_string(policy.min_classes);
    return ValidationFailed("密码须包含大写字母、小写字母、数字、符号中的至少 " + n +
                                " 类 (password must mix at least " + n +
                                " of upper case, lower case, digits and symbols)",
                            std::string(kField));
  }
  if (!login.empty() && AsciiLower(password).find(AsciiLower(login)) != std::string::npos) {
    return ValidationFailed("密码不能与登录名相同或包含登录名 (password must not be or contain the login name)",
                            std::string(kField));
  }
  return Status::Ok();
}

std::string HashPassword(std::string_view password) {
  unsigned char salt[kSaltBytes];
  FillRandom(salt, sizeof salt);
  size_t len = argon2_encodedlen(kArgon2TimeCost, kArgon2MemoryKiB, kArgon2Parallelism, kSaltBytes, kTagBytes,
                                 Argon2_id);
  std::string encoded(len, '\0');
  int rc = argon2id_hash_encoded(kArgon2TimeCost, kArgon2MemoryKiB, kArgon2Parallelism, password.data(),
                                 password.size(), salt, sizeof salt, kTagBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) throw std::runtime_error(std::string("argon2id: ") + argon2_error_message(rc));
  encoded.resize(std::char_traits<char>::length(encoded.c_str()));
  return encoded;
}

bool VerifyPassword(std::string_view password, const std::string& encoded) {
  auto p = ParseEncoded(encoded);
  if (!p || p->m > kMaxMemoryKiB || p->t > kMaxTimeCost || p->p > kMaxParallelism || p->p == 0 || p->t == 0) {
    return false;
  }
  if (encoded.find('\0') != std::string::npos) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool NeedsRehash(const std::string& encoded) {
  auto p = ParseEncoded(encoded);
  if (!p) return true;
  return p->version != ARGON2_VERSION_13 || p->m < kArgon2MemoryKiB || p->t < kArgon2TimeCost ||
         p->p < kArgon2Parallelism;
}

bool MatchesAny(std::string_view password, const std::vector<std::string>& previous_hashes) {
  for (const auto& h : previous_hashes) {
    if (VerifyPassword(password, h)) return true;
  }
  return false;
}

namespace {

// A uniform index below n (rejection sampling: no modulo bias).
size_t RandomBelow(size_t n) {
  const uint32_t limit = UINT32_MAX - UINT32_MAX % static_cast<uint32_t>(n);
  uint32_t r;
  do FillRandom(&r, sizeof r);
  while (r >= limit);
  return r % n;
}

}  // namespace

std::string GenerateInitialPassword(std::string_view login, const PasswordPolicy& policy) {
  // Characters people can read off a screen and type without confusing them.
  static constexpr std::string_view kClasses[] = {"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz",
                                                  "23456789", "-#@%+=!"};
  const size_t length = std::max<size_t>(14, static_cast<size_t>(std::max(policy.min_length, 0)));
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string pw;
    for (std::string_view cls : kClasses) pw += cls[RandomBelow(cls.size())];  // one of each class
    while (pw.size() < length) {
      std::string_view cls = kClasses[RandomBelow(std::size(kClasses))];
      pw += cls[RandomBelow(cls.size())];
    }
    for (size_t i = pw.size() - 1; i > 0; --i) std::swap(pw[i], pw[RandomBelow(i + 1)]);  // Fisher–Yates
    if (CheckPasswordPolicy(pw, login, policy).ok()) return pw;  // fails only if it happens to contain the login
  }
  throw std::logic_error("password policy cannot be met by a generated password");
}

bool PasswordExpired(int64_t changed_at_ms, int64_t now_ms, const PasswordPolicy& policy) {
  if (policy.max_age_days <= 0) return false;
  return now_ms - changed_at_ms >= policy.max_age_days * kMsPerDay;
}

}  // namespace zb::domain
