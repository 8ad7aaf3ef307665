// Passwords: the policy a new password must meet, and argon2id hashing.
//
// Contract
// - CheckPasswordPolicy(password, login, policy) returns OK or a
//   kValidationFailed Status whose field is "new_password" and whose message
//   is Chinese first with English in brackets. Checks, first failure wins:
//   at most kMaxPasswordBytes (128) bytes; valid UTF-8 without control
//   characters (< 0x20, 0x7F); at least policy.min_length characters (Unicode
//   code points, so "密码" is 2); at least policy.min_classes of the four
//   classes upper-case ASCII letter, lower-case ASCII letter, ASCII digit,
//   symbol; and neither equal to nor containing the login name, compared
//   ASCII case-insensitively ("Admin@123" is refused for login "admin").
//   A "symbol" is every character that is not an ASCII letter or digit: ASCII
//   punctuation, the space, and every non-ASCII character (Chinese characters,
//   full-width punctuation). So "密码Abc12" has four classes. This is the usual
//   reading of "符号" in 等保 guidance and keeps Chinese pass-phrases usable.
//   "Not one of the last N" is the caller's: MatchesAny with the stored hashes.
// - HashPassword(password) returns an argon2id encoded string
//   "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>": a fresh 16-byte salt from
//   the kernel CSPRNG (zb::FillRandom), a 32-byte tag, and the parameters
//   kArgon2TimeCost=2, kArgon2MemoryKiB=19456 (19 MiB), kArgon2Parallelism=1
//   — OWASP's minimum for argon2id, about 20–40 ms on the target machine.
//   Parameters travel inside the encoding, so they can be raised later:
//   NeedsRehash says when a stored hash is below the current parameters, and
//   the caller re-hashes on the next successful sign-in. Throws
//   std::runtime_error only if libargon2 fails (out of memory); it never
//   returns an unusable hash.
// - VerifyPassword(password, encoded) is true iff the password matches.
//   It is false (never throws) for anything malformed, for a non-argon2id
//   hash, and for parameters beyond sane bounds (m > 1 GiB, t > 16, p > 16),
//   so a corrupted row cannot make a sign-in allocate gigabytes.
// - MatchesAny(password, previous) verifies against each previous hash; it
//   costs one argon2 run per hash (5 hashes ≈ 0.1–0.2 s), so call it only
//   when a password is being changed.
// - GenerateInitialPassword(login, policy): a one-time password for a new
//   or reset account (`zhuanban init`'s admin, POST /users, reset-password),
//   from the kernel CSPRNG: max(14, min_length) characters with all four
//   classes, no look-alikes (0/O, 1/l/I), never containing the login — so it
//   passes CheckPasswordPolicy. The account must change it at first sign-in.
// - PasswordExpired(changed_at_ms, now_ms, policy): true once now_ms is at or
//   past changed_at_ms + max_age_days days (exactly 90 days is expired);
//   max_age_days <= 0 means passwords never expire.
// All functions are thread-safe and keep no state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace zb::domain {

struct PasswordPolicy {
  int min_length = 8;
  int min_classes = 3;
  int history = 5;  // the caller keeps this many previous hashes
  int64_t max_age_days = 90;
};

inline constexpr size_t kMaxPasswordBytes = 128;
inline constexpr uint32_t kArgon2TimeCost = 2;
inline constexpr uint32_t kArgon2MemoryKiB = 19456;
inline constexpr uint32_t kArgon2Parallelism = 1;

Status CheckPasswordPolicy(std::string_view password, std::string_view login, const PasswordPolicy& policy);

std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& encoded);
bool NeedsRehash(const std::string& encoded);
bool MatchesAny(std::string_view password, const std::vector<std::string>& previous_hashes);
std::string GenerateInitialPassword(std::string_view login, const PasswordPolicy& policy);
bool PasswordExpired(int64_t changed_at_ms, int64_t now_ms, const PasswordPolicy& policy);

}  // namespace zb::domain
