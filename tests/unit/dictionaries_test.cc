// domain/dictionaries: what init seeds must itself obey the table's rules.
#include "domain/dictionaries.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

namespace zb::domain {
namespace {

TEST(Dictionaries, DefaultItemsHaveKnownTypesAndUniqueCodesAndLabelsPerType) {
  std::set<std::pair<std::string, std::string>> codes, labels;
  std::set<std::string> types;
  for (const auto& d : DefaultDictItems()) {
    EXPECT_TRUE(IsKnownDictType(d.dict_type)) << d.dict_type;
    EXPECT_TRUE(codes.emplace(d.dict_type, d.code).second) << d.dict_type << " " << d.code;
    EXPECT_TRUE(labels.emplace(d.dict_type, d.label).second) << d.dict_type << " " << d.label;
    types.emplace(d.dict_type);
  }
  EXPECT_EQ(types.size(), DictTypes().size()) << "every type starts with items";
  EXPECT_FALSE(IsKnownDictType("colour"));
}

}  // namespace
}  // namespace zb::domain
