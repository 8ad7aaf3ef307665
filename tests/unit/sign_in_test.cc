#include "domain/sign_in.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/date.h"

namespace zb::domain {
namespace {

const LockoutPolicy kLockout;
const PasswordPolicy kPasswords;
constexpr int64_t kMinute = 60'000;
// 2024-03-01 10:00 +08:00.
const int64_t kT0 = StartOfDayMs(*Date::FromYmd(2024, 3, 1)) + 10 * 60 * kMinute;

AccountState Apply(AccountState a, const SignInDecision& d) {
  a.failed_attempts = d.new_failed_attempts;
  a.locked_until_ms = d.new_locked_until_ms;
  return a;
}

TEST(Lockout, FourFailuresDoNotLockTheFifthLocksFifteenMinutes) {
  AccountState a{.password_changed_at_ms = kT0};
  for (int i = 1; i <= 4; ++i) {
    SignInDecision d = DecideSignIn(a, false, kT0 + i, kLockout, kPasswords);
    EXPECT_EQ(d.outcome, SignInDecision::kWrongPassword);
    EXPECT_EQ(d.new_failed_attempts, i);
    EXPECT_EQ(d.remaining_attempts, 5 - i);
    EXPECT_FALSE(d.new_locked_until_ms.has_value());
    a = Apply(a, d);
  }
  EXPECT_EQ(DecideSignIn(a, false, kT0 + 4, kLockout, kPasswords).reason,
            "密码错误，账户已锁定至 10:15 (wrong password; account locked until 10:15)");
  SignInDecision d = DecideSignIn(a, false, kT0, kLockout, kPasswords);
  EXPECT_EQ(d.outcome, SignInDecision::kLocked);
  EXPECT_EQ(d.new_locked_until_ms, kT0 + 15 * kMinute);
  EXPECT_EQ(d.remaining_attempts, 0);
  EXPECT_TRUE(d.reason.starts_with("密码错误，账户已锁定至 10:15")) << d.reason;
}

TEST(Lockout, CorrectPasswordWhileLockedIsStillLockedThenExpiresByTime) {
  AccountState a{.failed_attempts = 5, .locked_until_ms = kT0 + 15 * kMinute, .password_changed_at_ms = kT0};
  SignInDecision d = DecideSignIn(a, true, kT0 + 14 * kMinute, kLockout, kPasswords);
  EXPECT_EQ(d.outcome, SignInDecision::kLocked);
  EXPECT_EQ(d.reason, "账户已锁定至 10:15 (account locked until 10:15)");
  EXPECT_EQ(d.new_failed_attempts, 5);  // not reset
  EXPECT_EQ(d.new_locked_until_ms, kT0 + 15 * kMinute);

  d = DecideSignIn(a, true, kT0 + 15 * kMinute, kLockout, kPasswords);
  EXPECT_EQ(d.outcome, SignInDecision::kOk);
  EXPECT_EQ(d.new_failed_attempts, 0);
  EXPECT_FALSE(d.new_locked_until_ms.has_value());
  EXPECT_FALSE(d.must_change);
}

TEST(Lockout, AfterTheLockRunsOutCountingStartsAgain) {
  AccountState a{.failed_attempts = 5, .locked_until_ms = kT0};
  SignInDecision d = DecideSignIn(a, false, kT0 + 1, kLockout, kPasswords);
  EXPECT_EQ(d.outcome, SignInDecision::kWrongPassword);
  EXPECT_EQ(d.new_failed_attempts, 1);
  EXPECT_EQ(d.remaining_attempts, 4);
  EXPECT_FALSE(d.new_locked_until_ms.has_value());
}

TEST(Lockout, SuccessResetsTheCounter) {
  AccountState a{.failed_attempts = 3, .password_changed_at_ms = kT0};
  SignInDecision d = DecideSignIn(a, true, kT0, kLockout, kPasswords);
  EXPECT_EQ(d.outcome, SignInDecision::kOk);
  EXPECT_EQ(d.new_failed_attempts, 0);
  EXPECT_EQ(SignInOutcomeName(d.outcome), "ok");
}

TEST(SignIn, InactiveAccountIsRefusedEvenWithTheRightPassword) {
  AccountState a{.active = false, .failed_attempts = 2};
  SignInDecision d = DecideSignIn(a, true, kT0, kLockout, kPasswords);
  EXPECT_EQ(d.outcome, SignInDecision::kInactive);
  EXPECT_TRUE(d.reason.starts_with("账户已停用"));
  EXPECT_EQ(d.new_failed_attempts, 2);
}

TEST(SignIn, ForcedChangeAndExpiredPasswordSayMustChange) {
  AccountState forced{.password_changed_at_ms = kT0, .must_change_password = true};
  SignInDecision d = DecideSignIn(forced, true, kT0, kLockout, kPasswords);
  EXPECT_EQ(d.outcome, SignInDecision::kOk);
  EXPECT_TRUE(d.must_change);
  EXPECT_FALSE(d.password_expired);

  AccountState old{.password_changed_at_ms = kT0};
  d = DecideSignIn(old, true, kT0 + 90 * kMsPerDay, kLockout, kPasswords);
  EXPECT_TRUE(d.must_change);
  EXPECT_TRUE(d.password_expired);
  EXPECT_NE(d.reason.find("密码已过期须修改"), std::string::npos) << d.reason;
  EXPECT_FALSE(DecideSignIn(old, true, kT0 + 90 * kMsPerDay - 1, kLockout, kPasswords).must_change);
}

TEST(LockoutIpLimiter, BlocksAfterTwentyFailuresInTheWindowAndForgetsAfterIt) {
  IpFailureLimiter limiter(kLockout);
  for (int i = 0; i < 19; ++i) limiter.RecordFailure("10.0.0.1", kT0 + i * 1000);
  EXPECT_FALSE(limiter.Blocked("10.0.0.1", kT0 + 19'000));
  limiter.RecordFailure("10.0.0.1", kT0 + 19'000);
  EXPECT_TRUE(limiter.Blocked("10.0.0.1", kT0 + 19'000));
  EXPECT_FALSE(limiter.Blocked("10.0.0.2", kT0 + 19'000));
  // The first failure leaves the window 10 minutes after it happened.
  EXPECT_TRUE(limiter.Blocked("10.0.0.1", kT0 + 10 * kMinute - 1));
  EXPECT_FALSE(limiter.Blocked("10.0.0.1", kT0 + 10 * kMinute));
  EXPECT_FALSE(limiter.Blocked("10.0.0.1", kT0 + 10 * kMinute + 19'000));
}

TEST(LockoutIpLimiter, FailuresSpreadBeyondTheWindowNeverBlock) {
  IpFailureLimiter limiter(kLockout);
  for (int i = 0; i < 100; ++i) {
    limiter.RecordFailure("10.0.0.1", kT0 + i * kMinute);  // one a minute: 10 per window
    EXPECT_FALSE(limiter.Blocked("10.0.0.1", kT0 + i * kMinute));
  }
}

TEST(LockoutIpLimiter, SuccessForgivesOneFailure) {
  IpFailureLimiter limiter(kLockout);
  for (int i = 0; i < 20; ++i) limiter.RecordFailure("10.0.0.1", kT0);
  EXPECT_TRUE(limiter.Blocked("10.0.0.1", kT0));
  limiter.RecordSuccess("10.0.0.1");
  EXPECT_FALSE(limiter.Blocked("10.0.0.1", kT0));
  limiter.RecordFailure("10.0.0.1", kT0);
  EXPECT_TRUE(limiter.Blocked("10.0.0.1", kT0));
}

TEST(LockoutIpLimiter, MemoryIsBoundedByEvictingTheLeastRecent) {
  IpFailureLimiter limiter(kLockout, 100);
  for (int i = 0; i < 20; ++i) limiter.RecordFailure("attacker", kT0);
  for (int i = 0; i < 99; ++i) limiter.RecordFailure("10.1.0." + std::to_string(i), kT0);
  EXPECT_EQ(limiter.TrackedIps(), 100u);
  EXPECT_TRUE(limiter.Blocked("attacker", kT0));
  limiter.RecordFailure("10.2.0.0", kT0);  // evicts "attacker", touched longest ago
  EXPECT_EQ(limiter.TrackedIps(), 100u);
  EXPECT_FALSE(limiter.Blocked("attacker", kT0));
}

TEST(LockoutIpLimiter, IsSafeFromSeveralThreads) {
  IpFailureLimiter limiter(kLockout, 1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&limiter, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string ip = "10." + std::to_string(t) + "." + std::to_string(i % 500);
        limiter.RecordFailure(ip, kT0 + i);
        (void)limiter.Blocked(ip, kT0 + i);
        if (i % 7 == 0) limiter.RecordSuccess(ip);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(limiter.TrackedIps(), 1000u);
}

TEST(Session, IdleExpiresAtExactlyThirtyMinutes) {
  SessionPolicy p;
  EXPECT_EQ(CheckSession(kT0, kT0, std::nullopt, kT0 + 29 * kMinute + 59'000, p), SessionState::kValid);
  EXPECT_EQ(CheckSession(kT0, kT0, std::nullopt, kT0 + 30 * kMinute - 1, p), SessionState::kValid);
  EXPECT_EQ(CheckSession(kT0, kT0, std::nullopt, kT0 + 30 * kMinute, p), SessionState::kIdleExpired);
}

TEST(Session, AbsoluteExpiresAtTwelveHoursEvenWhenActive) {
  SessionPolicy p;
  int64_t end = kT0 + 12 * 60 * kMinute;
  EXPECT_EQ(CheckSession(kT0, end - kMinute, std::nullopt, end - 1, p), SessionState::kValid);
  EXPECT_EQ(CheckSession(kT0, end - kMinute, std::nullopt, end, p), SessionState::kAbsoluteExpired);
}

TEST(Session, RevokedWinsAndTouchIsAtMostOnceAMinute) {
  EXPECT_EQ(CheckSession(kT0, kT0, kT0 + 1, kT0 + 2, SessionPolicy{}), SessionState::kRevoked);
  EXPECT_FALSE(ShouldTouch(kT0, kT0 + 59'999));
  EXPECT_TRUE(ShouldTouch(kT0, kT0 + kMinute));
}

}  // namespace
}  // namespace zb::domain
