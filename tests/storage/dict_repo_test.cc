// storage/dict_repo: written once, run on both engines.
#include "storage/dict_repo.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/storage_fixture.h"

namespace zb::storage_test {
namespace {

using storage::DictItem;

constexpr int64_t kT0 = 1'700'000'000'000;

template <typename Engine>
class DictRepoTest : public MigratedDbTest<Engine> {
 protected:
  template <typename Fn>
  StatusOr<DictItem> Write(Fn fn) {
    DictItem out;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(out, fn(c));
      return Status();
    });
    if (!s.ok()) return s;
    return out;
  }
  StatusOr<DictItem> Add(const std::string& type, const std::string& code, const std::string& label, int64_t sort) {
    return Write([&](db::Connection& c) {
      return storage::CreateDictItem(c, {.dict_type = type, .code = code, .label = label, .sort_order = sort}, kT0);
    });
  }
  std::vector<std::string> Labels(const std::string& type, bool inactive = false) {
    std::vector<std::string> out;
    auto lease = this->pool().Read();
    EXPECT_TRUE(lease.ok());
    auto items = storage::ListDictItems(**lease, type, inactive);
    EXPECT_TRUE(items.ok()) << items.status().ToString();
    for (const auto& i : *items) out.push_back(i.label);
    return out;
  }
};
TYPED_TEST_SUITE(DictRepoTest, Engines, EngineName);

TYPED_TEST(DictRepoTest, ItemsListBySortOrderWithinTheirType) {
  ZB_ASSERT_OK(this->Add("board", "digital", "数字经济", 2).status());
  ZB_ASSERT_OK(this->Add("board", "materials", "新材料", 1).status());
  ZB_ASSERT_OK(this->Add("category", "manufacturing", "制造业", 1).status());
  EXPECT_EQ(this->Labels("board"), (std::vector<std::string>{"新材料", "数字经济"}));
  EXPECT_EQ(this->Labels(""), (std::vector<std::string>{"新材料", "数字经济", "制造业"}));
}

TYPED_TEST(DictRepoTest, CodesAndLabelsAreUniqueWithinATypeOnly) {
  ZB_ASSERT_OK(this->Add("board", "digital", "数字经济", 1).status());
  auto same_code = this->Add("board", "digital", "数字产业", 2);
  EXPECT_EQ(same_code.status().code(), StatusCode::kAlreadyExists);
  auto same_label = this->Add("board", "digital2", "数字经济", 2);
  EXPECT_EQ(same_label.status().code(), StatusCode::kAlreadyExists);
  ZB_EXPECT_OK(this->Add("industry", "digital", "数字经济", 1).status());
  auto bad_type = this->Add("colour", "red", "红", 1);
  EXPECT_FALSE(bad_type.ok()) << "the type list is a CHECK constraint";
}

TYPED_TEST(DictRepoTest, UpdateRelabelsReordersAndRetiresWithTheVersion) {
  ZB_ASSERT_OK_AND_ASSIGN(DictItem item, this->Add("board", "digital", "数字经济", 1));
  ZB_ASSERT_OK(this->Add("board", "materials", "新材料", 2).status());
  storage::DictItemChanges ch;
  ch.label = "数字经济与软件";
  ch.sort_order = 3;
  ZB_ASSERT_OK_AND_ASSIGN(DictItem u, this->Write([&](db::Connection& c) {
    return storage::UpdateDictItem(c, item.id, 1, ch, kT0 + 1);
  }));
  EXPECT_EQ(u.label, "数字经济与软件");
  EXPECT_EQ(u.code, "digital");
  EXPECT_EQ(u.version, 2);
  EXPECT_EQ(this->Labels("board"), (std::vector<std::string>{"新材料", "数字经济与软件"}));
  storage::DictItemChanges off;
  off.active = false;
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::UpdateDictItem(c, item.id, 2, off, kT0 + 2); })
                   .status());
  EXPECT_EQ(this->Labels("board"), (std::vector<std::string>{"新材料"}));
  EXPECT_EQ(this->Labels("board", true), (std::vector<std::string>{"新材料", "数字经济与软件"}));
  auto stale = this->Write([&](db::Connection& c) { return storage::UpdateDictItem(c, item.id, 1, off, kT0); });
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);
  auto missing = this->Write([&](db::Connection& c) { return storage::UpdateDictItem(c, 31337, 1, off, kT0); });
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace zb::storage_test
