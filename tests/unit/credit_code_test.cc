#include "domain/credit_code.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace zb::domain {
namespace {

// Published codes of real organisations (business-licence data as shown on
// their public profiles, e.g. Huawei's on zh.wikipedia.org).
const char* const kRealCodes[] = {
    "914403001922038216",  // 华为技术有限公司
    "9144030071526726XG",  // 腾讯科技(深圳)有限公司
    "91440300192181490G",  // 万科企业股份有限公司
    "9144030010001686XA",  // 招商银行股份有限公司
    "91440300192317458F",  // 比亚迪股份有限公司
    "91330100716105852F",  // 阿里巴巴(中国)网络技术有限公司
    "12440600MB2C07549J",  // a 事业单位 (机构编制 1, category 2), organisation code with letters
};

TEST(CreditCode, RealCodesPass) {
  for (const char* code : kRealCodes) {
    EXPECT_TRUE(ValidateCreditCode(code).ok()) << code << ": " << ValidateCreditCode(code).ToString();
  }
}

TEST(CreditCode, EverySingleCharacterCorruptionFails) {
  for (const std::string code : kRealCodes) {
    for (size_t pos = 0; pos < code.size(); ++pos) {
      for (char c : kCreditCodeAlphabet) {
        if (c == code[pos]) continue;
        std::string bad = code;
        bad[pos] = c;
        Status s = ValidateCreditCode(bad);
        EXPECT_FALSE(s.ok()) << code << " with position " << pos + 1 << " changed to " << c;
        EXPECT_EQ(s.code(), StatusCode::kValidationFailed);
        EXPECT_EQ(s.field(), "credit_code");
      }
    }
  }
}

TEST(CreditCode, WrongCheckCharacterSaysWhatItShouldBe) {
  Status s = ValidateCreditCode("914403001922038217");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "统一社会信用代码校验位错误:按前 17 位计算,第 18 位应为 6,请逐位核对 "
            "(check character should be 6 for the first 17 characters; check each character)");
  // A typo earlier in the code (0 → 8 at position 13) is caught by the same check.
  s = ValidateCreditCode("914403001922838216");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("校验位错误"), std::string::npos) << s.message();
  // The letter O for the digit 0 is not in the alphabet at all.
  s = ValidateCreditCode("914403001922O38216");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("第 13 位「O」不是有效字符"), std::string::npos) << s.message();
}

TEST(CreditCode, CheckCharacterFormula) {
  // Σ = 0 gives (31 - 0) mod 31 = 0, not an out-of-range index 31.
  EXPECT_EQ(CreditCodeCheckChar("00000000000000000"), '0');
  // Position 1 has weight 1: value 1 → 31 - 1 = 30 → 'Y'.
  EXPECT_EQ(CreditCodeCheckChar("10000000000000000"), 'Y');
  // Position 2 has weight 3: value 1 → 31 - 3 = 28 → 'W'.
  EXPECT_EQ(CreditCodeCheckChar("01000000000000000"), 'W');
  EXPECT_EQ(CreditCodeCheckChar("9144030019220382"), '\0');   // 16 characters
  EXPECT_EQ(CreditCodeCheckChar("91440300192203821I"), '\0');  // 18 characters
  EXPECT_EQ(CreditCodeCheckChar("9144030019220382I"), '\0');   // I is not in the alphabet
}

TEST(CreditCode, OrganisationCodeCheckedWhenOnlyTheLastCharacterWasRecomputed) {
  // Position 17 of Huawei's code changed from 1 to 2 and position 18
  // recomputed to match: the MOD 31 check passes, the GB 11714 one does not.
  std::string code = "9144030019220382" "2";
  code += CreditCodeCheckChar(code);
  Status s = ValidateCreditCode(code);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "统一社会信用代码第 9–17 位不是有效的组织机构代码:第 17 位应为 1 "
            "(characters 9–17 are not a valid organisation code: character 17 should be 1)");
}

TEST(CreditCode, LengthIsCheckedInCharacters) {
  Status s = ValidateCreditCode("");
  EXPECT_EQ(s.message(), "统一社会信用代码不能为空 (must not be empty)");
  s = ValidateCreditCode("91440300192203821");
  EXPECT_EQ(s.message(), "统一社会信用代码应为 18 位,实际为 17 位 (must be 18 characters, got 17)");
  s = ValidateCreditCode("9144030019220382166");
  EXPECT_EQ(s.message(), "统一社会信用代码应为 18 位,实际为 19 位 (must be 18 characters, got 19)");
  // 17 ASCII characters plus one Chinese character is 18 characters (20 bytes),
  // reported as a bad character, not a bad length.
  s = ValidateCreditCode("91440300192203821号");
  EXPECT_NE(s.message().find("第 18 位「号」不是有效字符"), std::string::npos) << s.message();
}

TEST(CreditCode, AlphabetExcludesIOZSVAndLowerCase) {
  for (char c : std::string("IOZSVa-* ")) {
    std::string code = "9144030071526726XG";
    code[12] = c;
    Status s = ValidateCreditCode(code);
    ASSERT_FALSE(s.ok()) << c;
    EXPECT_NE(s.message().find("第 13 位"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("(character 13 is not allowed"), std::string::npos) << s.message();
  }
}

TEST(CreditCode, RegistrationAuthorityAndCategory) {
  // These start with a pair outside the GB 32100 table; the last character is
  // whatever would make the MOD 31 check pass, so only the table refuses them.
  auto with_check = [](std::string first17) { return first17 + CreditCodeCheckChar(first17); };
  Status s = ValidateCreditCode(with_check("B1440300192203821"));
  EXPECT_EQ(s.message(), "统一社会信用代码第 1 位登记管理部门代码「B」不存在 (unknown registration authority code B)");
  s = ValidateCreditCode(with_check("94440300192203821"));
  EXPECT_EQ(s.message(),
            "统一社会信用代码第 2 位机构类别代码「4」不适用于登记管理部门「工商」"
            "(institution category 4 does not exist for registration authority 9)");
  s = ValidateCreditCode(with_check("Y2440300192203821"));
  EXPECT_FALSE(s.ok());
  s = ValidateCreditCode(with_check("91A40300192203821"));
  EXPECT_EQ(s.message(),
            "统一社会信用代码第 3–8 位应为 6 位数字的行政区划代码 (characters 3–8 must be a 6-digit division code)");
}

TEST(CreditCode, FieldNameIsTheCallers) {
  Status s = ValidateCreditCode("123", "owner.credit_code");
  EXPECT_EQ(s.field(), "owner.credit_code");
}

TEST(CreditCode, NormalizeMakesPastedCodesValid) {
  EXPECT_EQ(NormalizeCreditCode("  9144030071526726xg\t"), "9144030071526726XG");
  // Full-width digits and letters, and an ideographic space around them.
  EXPECT_EQ(NormalizeCreditCode("\u3000９１４４０３００７１５２６７２６ｘＧ\u3000"), "9144030071526726XG");
  EXPECT_TRUE(ValidateCreditCode(NormalizeCreditCode("９１４４０３００１９２２０３８２１６")).ok());
  // Inner spaces and other characters are kept, so validation reports them.
  EXPECT_EQ(NormalizeCreditCode("914403 001922038216"), "914403 001922038216");
  EXPECT_EQ(NormalizeCreditCode("编号9144"), "编号9144");
  EXPECT_EQ(NormalizeCreditCode(""), "");
  EXPECT_EQ(NormalizeCreditCode(" \u3000 "), "");
  // Lower case is refused by validation itself: normalising is the caller's.
  EXPECT_FALSE(ValidateCreditCode("9144030071526726xg").ok());
}

}  // namespace
}  // namespace zb::domain

namespace zb::domain {
namespace {

TEST(CreditCode, MakeCreditCodeAddsBothCheckCharacters) {
  EXPECT_EQ(MakeCreditCode("91440300", "19220382"), "914403001922038216");  // 华为's, rebuilt
  for (int i = 0; i < 200; ++i) {
    char body[9];
    std::snprintf(body, sizeof body, "MA%06d", i * 7919 % 1000000);
    std::string code = MakeCreditCode("91370613", body);
    ASSERT_EQ(code.size(), 18u) << body;
    EXPECT_TRUE(ValidateCreditCode(code).ok()) << code << ": " << ValidateCreditCode(code).ToString();
  }
  EXPECT_EQ(MakeCreditCode("9137061", "19220382"), "");
  EXPECT_EQ(MakeCreditCode("91370613", "1922038I"), "") << "I is not in the alphabet";
}

}  // namespace
}  // namespace zb::domain
