// Identifiers and random tokens.
//
// Contract
// - NewRequestId(): 16 lowercase hex characters, distinct for every call in
//   the process (until 2^64 calls) and, with overwhelming probability, across
//   processes and hosts. It is a bijective mix of (random per-process seed +
//   atomic counter), so ids do not reveal a request count; the seed is drawn
//   from the kernel once and drawn again in a child after fork(). After the
//   first call there are no syscalls and no locks: one atomic increment.
//   Request ids are for correlation only, never for authentication.
// - RandomHex(n) / FillRandom(): bytes from the kernel CSPRNG (getrandom(2),
//   falling back to /dev/urandom). Suitable for session ids and tokens:
//   RandomHex(32) is 64 hex chars / 256 bits. If the kernel cannot supply
//   randomness the process aborts rather than return a weak token.
// - IsSafeId(s): 1..64 characters, each of [A-Za-z0-9._-]. Decides whether a
//   client's X-Request-Id may be echoed into logs and responses.
// - ConstantTimeEquals(a, b): compares secrets (tokens) without an early exit
//   on the first differing byte; the length is not secret.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zb {

std::string NewRequestId();

std::string RandomHex(size_t bytes);
void FillRandom(void* out, size_t bytes);

inline constexpr size_t kMaxSafeIdLength = 64;
bool IsSafeId(std::string_view id);

bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace zb
