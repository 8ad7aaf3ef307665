#include "domain/org_unit.h"

#include <gtest/gtest.h>

namespace zb::domain {
namespace {

TEST(OrgUnitKind, AcceptsCodeOrChineseLabel) {
  EXPECT_EQ(ParseOrgUnitKind("town"), "town");
  EXPECT_EQ(ParseOrgUnitKind("镇街"), "town");
  EXPECT_EQ(ParseOrgUnitKind("开发区/园区"), "zone");
  EXPECT_FALSE(ParseOrgUnitKind("省").has_value());
}

TEST(ValidateOrgUnit, CreateNeedsNameCodeKind) {
  OrgUnitInput in;
  Status s = ValidateOrgUnit(in, true);
  EXPECT_EQ(s.code(), StatusCode::kValidationFailed);
  EXPECT_EQ(s.field(), "name");
  in.name = "初村镇";
  EXPECT_EQ(ValidateOrgUnit(in, true).field(), "code");
  in.code = "CC-01";
  EXPECT_EQ(ValidateOrgUnit(in, true).field(), "kind");
  in.kind = "镇街";
  EXPECT_TRUE(ValidateOrgUnit(in, true).ok());
  EXPECT_EQ(*in.kind, "town");
}

TEST(ValidateOrgUnit, TrimsAsciiAndIdeographicSpacesButKeepsChinese) {
  OrgUnitInput in{.name = "\u3000 威海高新区 ", .code = "WH", .kind = "zone"};
  ASSERT_TRUE(ValidateOrgUnit(in, true).ok());
  EXPECT_EQ(*in.name, "威海高新区");
}

TEST(ValidateOrgUnit, RejectsControlCharactersAndOverlongNames) {
  OrgUnitInput in{.name = "a\nb", .code = "X", .kind = "city"};
  EXPECT_EQ(ValidateOrgUnit(in, true).field(), "name");
  std::string long_name;
  for (int i = 0; i < 101; ++i) long_name += "镇";
  in.name = long_name;
  Status s = ValidateOrgUnit(in, true);
  EXPECT_EQ(s.field(), "name");
  EXPECT_NE(s.message().find("100"), std::string::npos);
  long_name.resize(long_name.size() - 3);  // exactly 100 characters
  in.name = long_name;
  EXPECT_TRUE(ValidateOrgUnit(in, true).ok());
}

TEST(ValidateOrgUnit, CodeCharacters) {
  OrgUnitInput in{.name = "n", .code = "A B", .kind = "city"};
  EXPECT_EQ(ValidateOrgUnit(in, true).field(), "code");
  in.code = "<script>";
  EXPECT_EQ(ValidateOrgUnit(in, true).field(), "code");
}

TEST(ValidateOrgUnit, PatchValidatesOnlyGivenFields) {
  OrgUnitInput in{.short_name = ""};
  EXPECT_TRUE(ValidateOrgUnit(in, false).ok());
  in.kind = "nonsense";
  EXPECT_EQ(ValidateOrgUnit(in, false).field(), "kind");
}

}  // namespace
}  // namespace zb::domain
