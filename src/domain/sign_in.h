// Signing in: the pure rules of lockout, password expiry and session expiry,
// and a per-IP failure limiter.
//
// Contract — DecideSignIn(account, password_ok, now_ms, lockout, password)
// - Checks in this order; the first that applies decides:
//   1. !active → kInactive, "账户已停用". Counters unchanged.
//   2. locked_until_ms > now_ms → kLocked, "账户已锁定至 HH:MM" (China time,
//      +08:00). This holds even for a correct password, and counters are
//      unchanged: attempts during a lock neither extend nor reset it.
//   3. A lock that has run out (locked_until_ms <= now_ms) is cleared and the
//      failure count starts again from 0 before the attempt is judged.
//   4. password_ok → kOk: failed_attempts 0, no lock. must_change is true if
//      the account's must_change_password is set (initial or reset password)
//      or the password has expired (PasswordExpired); the reason then says
//      which ("须修改初始密码" / "密码已过期须修改"), else "登录成功".
//   5. wrong password → failed_attempts + 1. Below max_failures it is
//      kWrongPassword with "密码错误，还可尝试 N 次" and remaining_attempts N.
//      At max_failures (the 5th consecutive failure by default) it is
//      kLocked — the caller should tell the user at once — with
//      locked_until = now + lock_ms and "密码错误，账户已锁定至 HH:MM";
//      failed_attempts keeps the count (5) until the lock runs out.
//   max_failures <= 0 disables the account lock.
// - The caller stores new_failed_attempts / new_locked_until_ms whatever the
//   outcome (they equal the input when nothing changed), writes `reason` to
//   the login log, and should treat an unknown login exactly like a wrong
//   password in what the user sees (no account enumeration).
// - Reasons are Chinese first with English in brackets.
//
// Contract — IpFailureLimiter (thread-safe; one per process)
// - Remembers, per IP, the times of its recent failures: a sliding window of
//   ip_window_ms. Blocked(ip, now) is true while ip_max_failures or more
//   failures lie in (now - ip_window_ms, now]. The caller checks Blocked
//   before looking at the password, answers a blocked request with
//   kRateLimited and does not RecordFailure it (the block ends one window
//   after the last real failure that counted).
// - RecordSuccess(ip) forgives one failure (the oldest) rather than wiping
//   the IP: an office behind one NAT is not punished for typos that end in a
//   success, but an attacker holding one valid account cannot reset the
//   window with one sign-in per guess batch.
// - Memory is bounded: at most max_ips IPs (default 10,000) are tracked; when
//   one more arrives the least recently touched IP is forgotten. Each IP
//   keeps at most ip_max_failures timestamps. ip_max_failures <= 0 disables it.
//
// Contract — sessions
// - CheckSession: revoked (any revoked_ms) → kRevoked; else now - created >=
//   absolute_ms → kAbsoluteExpired (even if active the whole time); else
//   now - last_seen >= idle_ms → kIdleExpired; else kValid. Both limits are
//   reached exactly at the boundary (30:00 idle is expired, 29:59.999 not).
// - ShouldTouch(last_seen, now): true when last_seen is kSessionTouchMs
//   (60 s) or more old, so last_seen is written at most once a minute. The
//   stored last_seen can therefore lag by < 60 s and the effective idle
//   timeout lies between idle_ms - 60 s and idle_ms.
#pragma once

#include <cstdint>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/password.h"

namespace zb::domain {

struct LockoutPolicy {
  int max_failures = 5;
  int64_t lock_ms = 15 * 60 * 1000;
  int ip_max_failures = 20;
  int64_t ip_window_ms = 10 * 60 * 1000;
};

struct AccountState {
  bool active = true;
  int failed_attempts = 0;
  std::optional<int64_t> locked_until_ms;
  int64_t password_changed_at_ms = 0;
  bool must_change_password = false;
};

struct SignInDecision {
  enum Outcome { kOk, kWrongPassword, kLocked, kInactive };
  Outcome outcome = kWrongPassword;
  int new_failed_attempts = 0;
  std::optional<int64_t> new_locked_until_ms;
  bool must_change = false;       // kOk only: forced change or expired password
  bool password_expired = false;  // kOk only: must_change because of age
  std::string reason;             // for the login log and the user
  int remaining_attempts = 0;     // before the lock; 0 when locked/inactive
};

// Stable wire names: "ok", "wrong_password", "locked", "inactive".
std::string_view SignInOutcomeName(SignInDecision::Outcome outcome);

SignInDecision DecideSignIn(const AccountState& account, bool password_ok, int64_t now_ms,
                            const LockoutPolicy& lockout, const PasswordPolicy& password);

class IpFailureLimiter {
 public:
  static constexpr size_t kDefaultMaxIps = 10'000;

  explicit IpFailureLimiter(const LockoutPolicy& policy = {}, size_t max_ips = kDefaultMaxIps);
  IpFailureLimiter(const IpFailureLimiter&) = delete;
  IpFailureLimiter& operator=(const IpFailureLimiter&) = delete;

  bool Blocked(std::string_view ip, int64_t now_ms) const;
  void RecordFailure(std::string_view ip, int64_t now_ms);
  void RecordSuccess(std::string_view ip);

  size_t TrackedIps() const;  // for tests and metrics

 private:
  struct Entry {
    std::deque<int64_t> failures;  // ascending, at most max_failures_
    std::list<std::string>::iterator lru;
  };
  void Prune(Entry& e, int64_t now_ms) const;

  const int max_failures_;
  const int64_t window_ms_;
  const size_t max_ips_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;  // front = most recently touched; guarded by mu_
  mutable std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
};

struct SessionPolicy {
  int64_t idle_ms = 30 * 60 * 1000;
  int64_t absolute_ms = 12 * 3600 * 1000;
};

enum class SessionState { kValid, kIdleExpired, kAbsoluteExpired, kRevoked };

inline constexpr int64_t kSessionTouchMs = 60 * 1000;

SessionState CheckSession(int64_t created_ms, int64_t last_seen_ms, std::optional<int64_t> revoked_ms,
                          int64_t now_ms, const SessionPolicy& policy);
bool ShouldTouch(int64_t last_seen_ms, int64_t now_ms);

}  // namespace zb::domain
