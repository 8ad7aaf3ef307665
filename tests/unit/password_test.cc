#include "domain/password.h"

#include <gtest/gtest.h>

#include "core/date.h"

namespace zb::domain {
namespace {

const PasswordPolicy kPolicy;

TEST(PasswordPolicy, SevenCharactersAreRefused) {
  Status s = CheckPasswordPolicy("Ab1@xyz", "wang", kPolicy);
  EXPECT_EQ(s.code(), StatusCode::kValidationFailed);
  EXPECT_EQ(s.field(), "new_password");
  EXPECT_TRUE(s.message().starts_with("密码至少 8 位")) << s.message();
  EXPECT_TRUE(CheckPasswordPolicy("Ab1@xyzw", "wang", kPolicy).ok());
}

TEST(PasswordPolicy, TwoClassesAreRefusedThreeAccepted) {
  Status s = CheckPasswordPolicy("abcdefgh12", "wang", kPolicy);
  EXPECT_EQ(s.code(), StatusCode::kValidationFailed);
  EXPECT_TRUE(s.message().starts_with("密码须包含大写字母、小写字母、数字、符号中的至少 3 类")) << s.message();
  EXPECT_FALSE(CheckPasswordPolicy("ABCDEFGH!!", "wang", kPolicy).ok());
  EXPECT_TRUE(CheckPasswordPolicy("abcdefg12!", "wang", kPolicy).ok());
  EXPECT_TRUE(CheckPasswordPolicy("Abcdefgh12", "wang", kPolicy).ok());
}

TEST(PasswordPolicy, LoginNameIsRefusedCaseInsensitively) {
  Status s = CheckPasswordPolicy("Admin@123", "admin", kPolicy);
  EXPECT_EQ(s.code(), StatusCode::kValidationFailed);
  EXPECT_TRUE(s.message().starts_with("密码不能与登录名相同或包含登录名")) << s.message();
  EXPECT_FALSE(CheckPasswordPolicy("x9ZHANGSAN!", "zhangsan", kPolicy).ok());
  EXPECT_FALSE(CheckPasswordPolicy("Zhangsan1!", "ZhangSan1!", kPolicy).ok());  // equal
  EXPECT_TRUE(CheckPasswordPolicy("Adm1n@123", "admin", kPolicy).ok());
}

TEST(PasswordPolicy, ChineseCharactersCountAsSymbolsAndByCodePoint) {
  // 8 code points (not bytes): "密码" are symbols, plus lower case and digits.
  EXPECT_TRUE(CheckPasswordPolicy("密码abc123", "wang", kPolicy).ok());
  // 7 code points though 13 bytes: too short.
  EXPECT_TRUE(CheckPasswordPolicy("密码ab123", "wang", kPolicy).message().starts_with("密码至少 8 位"));
  // Only Chinese characters and digits: two classes.
  EXPECT_FALSE(CheckPasswordPolicy("重点项目服务2024", "wang", kPolicy).ok());
}

TEST(PasswordPolicy, RefusesOverlongControlCharactersAndBadUtf8) {
  std::string long_pw = "Aa1!" + std::string(125, 'x');  // 129 bytes
  EXPECT_FALSE(CheckPasswordPolicy(long_pw, "wang", kPolicy).ok());
  EXPECT_TRUE(CheckPasswordPolicy(long_pw.substr(0, 128), "wang", kPolicy).ok());
  EXPECT_TRUE(CheckPasswordPolicy(std::string("Ab1@x\nyzw"), "wang", kPolicy).message().starts_with("密码不能含有控制字符"));
  EXPECT_FALSE(CheckPasswordPolicy(std::string("Ab1@x\0yzw", 9), "wang", kPolicy).ok());
  EXPECT_FALSE(CheckPasswordPolicy("Ab1@xyzw\xE5\xAF", "wang", kPolicy).ok());  // truncated UTF-8
}

TEST(PasswordHash, RoundTripAndWrongPassword) {
  std::string h = HashPassword("Zb@2024secure");
  EXPECT_TRUE(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << h;
  EXPECT_TRUE(VerifyPassword("Zb@2024secure", h));
  EXPECT_FALSE(VerifyPassword("Zb@2024Secure", h));
  EXPECT_FALSE(VerifyPassword("", h));
  EXPECT_FALSE(NeedsRehash(h));
}

TEST(PasswordHash, SaltMakesTwoHashesDiffer) {
  std::string a = HashPassword("Zb@2024secure");
  std::string b = HashPassword("Zb@2024secure");
  EXPECT_NE(a, b);
  EXPECT_TRUE(VerifyPassword("Zb@2024secure", a));
  EXPECT_TRUE(VerifyPassword("Zb@2024secure", b));
}

TEST(PasswordHash, MalformedHashIsFalseNeverThrows) {
  EXPECT_FALSE(VerifyPassword("x", ""));
  EXPECT_FALSE(VerifyPassword("x", "plaintext"));
  EXPECT_FALSE(VerifyPassword("x", "$argon2id$v=19$m=19456,t=2,p=1$$"));
  EXPECT_FALSE(VerifyPassword("x", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaA"));
  // Absurd parameters are refused without running argon2.
  EXPECT_FALSE(VerifyPassword("x", "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo"));
  std::string h = HashPassword("Zb@2024secure");
  EXPECT_FALSE(VerifyPassword("Zb@2024secure", h.substr(0, h.size() - 3)));
  EXPECT_TRUE(NeedsRehash("garbage"));
}

TEST(PasswordHash, WeakerParametersNeedRehash) {
  std::string h = HashPassword("Zb@2024secure");
  std::string weak = h;
  weak.replace(weak.find("m=19456"), 7, "m=8192");
  EXPECT_TRUE(NeedsRehash(weak));
  std::string stronger = h;
  stronger.replace(stronger.find("t=2"), 3, "t=3");
  EXPECT_FALSE(NeedsRehash(stronger));
}

TEST(PasswordHistory, MatchesOneOfThePrevious) {
  std::vector<std::string> previous = {HashPassword("Old#pass1"), HashPassword("Old#pass2")};
  EXPECT_TRUE(MatchesAny("Old#pass2", previous));
  EXPECT_FALSE(MatchesAny("New#pass3", previous));
  EXPECT_FALSE(MatchesAny("Old#pass1", {}));
}

TEST(PasswordExpiry, ExpiresAtExactlyNinetyDays) {
  int64_t changed = 1'700'000'000'000;
  EXPECT_FALSE(PasswordExpired(changed, changed + 90 * kMsPerDay - 1, kPolicy));
  EXPECT_TRUE(PasswordExpired(changed, changed + 90 * kMsPerDay, kPolicy));
  PasswordPolicy never = kPolicy;
  never.max_age_days = 0;
  EXPECT_FALSE(PasswordExpired(changed, changed + 9000 * kMsPerDay, never));
}

TEST(InitialPassword, MeetsThePolicyWithAllFourClassesAndDiffersEachTime) {
  PasswordPolicy strict = kPolicy;
  strict.min_classes = 4;
  std::string previous;
  for (int i = 0; i < 200; ++i) {
    std::string pw = GenerateInitialPassword("abc", strict);
    EXPECT_TRUE(CheckPasswordPolicy(pw, "abc", strict).ok()) << pw;
    EXPECT_EQ(pw.size(), 14u);
    EXPECT_EQ(pw.find_first_of("0O1lI"), std::string::npos) << "no look-alikes: " << pw;
    EXPECT_NE(pw, previous);
    previous = pw;
  }
  PasswordPolicy longer = kPolicy;
  longer.min_length = 20;
  EXPECT_EQ(GenerateInitialPassword("admin", longer).size(), 20u);
}

}  // namespace
}  // namespace zb::domain
