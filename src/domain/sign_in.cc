#include "domain/sign_in.h"

#include <cstdio>

#include "core/date.h"

namespace zb::domain {

namespace {

// "14:05" in China time.
std::string ClockTime(int64_t ms) {
  int64_t local = ms + int64_t{kChinaOffsetMinutes} * 60'000;
  int64_t in_day = ((local % kMsPerDay) + kMsPerDay) % kMsPerDay;
  int64_t minutes = in_day / 60'000;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return buf;
}

std::string LockedUntil(int64_t until_ms) {
  std::string t = ClockTime(until_ms);
  return "账户已锁定至 " + t + " (account locked until " + t + ")";
}

}  // namespace

std::string_view SignInOutcomeName(SignInDecision::Outcome outcome) {
  switch (outcome) {
    case SignInDecision::kOk: return "ok";
    case SignInDecision::kWrongPassword: return "wrong_password";
    case SignInDecision::kLocked: return "locked";
    case SignInDecision::kInactive: return "inactive";
  }
  return "unknown";
}

SignInDecision DecideSignIn(const AccountState& account, bool password_ok, int64_t now_ms,
                            const LockoutPolicy& lockout, const PasswordPolicy& password) {
  SignInDecision d;
  d.new_failed_attempts = account.failed_attempts;
  d.new_locked_until_ms = account.locked_until_ms;
  if (!account.active) {
    d.outcome = SignInDecision::kInactive;
    d.reason = "账户已停用 (account is deactivated)";
    return d;
  }
  if (account.locked_until_ms && *account.locked_until_ms > now_ms) {
    d.outcome = SignInDecision::kLocked;
    d.reason = LockedUntil(*account.locked_until_ms);
    return d;
  }
  int failures = account.failed_attempts;
  if (account.locked_until_ms) failures = 0;  // the lock has run out
  d.new_locked_until_ms.reset();

  if (password_ok) {
    d.outcome = SignInDecision::kOk;
    d.new_failed_attempts = 0;
    d.password_expired = PasswordExpired(account.password_changed_at_ms, now_ms, password);
    d.must_change = account.must_change_password || d.password_expired;
    if (account.must_change_password) {
      d.reason = "登录成功，须修改初始密码 (signed in; the initial or reset password must be changed)";
    } else if (d.password_expired) {
      d.reason = "登录成功，密码已过期须修改 (signed in; the password has expired and must be changed)";
    } else {
      d.reason = "登录成功 (signed in)";
    }
    return d;
  }

  ++failures;
  d.new_failed_attempts = failures;
  if (lockout.max_failures > 0 && failures >= lockout.max_failures) {
    d.outcome = SignInDecision::kLocked;
    d.new_locked_until_ms = now_ms + lockout.lock_ms;
    std::string t = ClockTime(*d.new_locked_until_ms);
    d.reason = "密码错误，账户已锁定至 " + t + " (wrong password; account locked until " + t + ")";
    d.remaining_attempts = 0;
    return d;
  }
  d.outcome = SignInDecision::kWrongPassword;
  if (lockout.max_failures > 0) {
    d.remaining_attempts = lockout.max_failures - failures;
    std::string n = std::to_string(d.remaining_attempts);
    d.reason = "密码错误，还可尝试 " + n + " 次 (wrong password; " + n + " attempts left)";
  } else {
    d.reason = "密码错误 (wrong password)";
  }
  return d;
}

// ---- IpFailureLimiter ------------------------------------------------------

IpFailureLimiter::IpFailureLimiter(const LockoutPolicy& policy, size_t max_ips)
    : max_failures_(policy.ip_max_failures), window_ms_(policy.ip_window_ms), max_ips_(max_ips ? max_ips : 1) {}

void IpFailureLimiter::Prune(Entry& e, int64_t now_ms) const {
  while (!e.failures.empty() && now_ms - e.failures.front() >= window_ms_) e.failures.pop_front();
}

bool IpFailureLimiter::Blocked(std::string_view ip, int64_t now_ms) const {
  if (max_failures_ <= 0) return false;
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(ip));
  if (it == entries_.end()) return false;
  Prune(it->second, now_ms);
  return it->second.failures.size() >= static_cast<size_t>(max_failures_);
}

void IpFailureLimiter::RecordFailure(std::string_view ip, int64_t now_ms) {
  if (max_failures_ <= 0) return;
  std::lock_guard lock(mu_);
  std::string key(ip);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= max_ips_) {
      entries_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    it = entries_.emplace(std::move(key), Entry{{}, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Entry& e = it->second;
  Prune(e, now_ms);
  e.failures.push_back(now_ms);
  while (e.failures.size() > static_cast<size_t>(max_failures_)) e.failures.pop_front();
}

void IpFailureLimiter::RecordSuccess(std::string_view ip) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(ip));
  if (it == entries_.end()) return;
  if (!it->second.failures.empty()) it->second.failures.pop_front();
  if (it->second.failures.empty()) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
  }
}

size_t IpFailureLimiter::TrackedIps() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

// ---- sessions --------------------------------------------------------------

SessionState CheckSession(int64_t created_ms, int64_t last_seen_ms, std::optional<int64_t> revoked_ms,
                          int64_t now_ms, const SessionPolicy& policy) {
  if (revoked_ms) return SessionState::kRevoked;
  if (now_ms - created_ms >= policy.absolute_ms) return SessionState::kAbsoluteExpired;
  if (now_ms - last_seen_ms >= policy.idle_ms) return SessionState::kIdleExpired;
  return SessionState::kValid;
}

bool ShouldTouch(int64_t last_seen_ms, int64_t now_ms) { return now_ms - last_seen_ms >= kSessionTouchMs; }

}  // namespace zb::domain
