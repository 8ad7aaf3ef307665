// storage/enterprise_repo: written once, run on both engines.
#include "storage/enterprise_repo.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/org_unit_repo.h"
#include "storage/storage_fixture.h"

namespace zb::storage_test {
namespace {

using storage::Enterprise;
using storage::EnterpriseChanges;
using storage::EnterpriseContact;
using storage::EnterpriseFilter;
using storage::NewEnterprise;

constexpr int64_t kT0 = 1'700'000'000'000;

template <typename Engine>
class EnterpriseRepoTest : public MigratedDbTest<Engine> {
 protected:
  void SetUp() override {
    MigratedDbTest<Engine>::SetUp();
    if (::testing::Test::HasFatalFailure()) return;
    district_ = Unit(std::nullopt, "LS");
    town_ = Unit(district_.id, "JJZ");
    other_town_ = Unit(district_.id, "CJ");
  }

  storage::OrgUnit Unit(std::optional<int64_t> parent, const std::string& code) {
    storage::OrgUnit out;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(out, storage::CreateOrgUnit(c,
                                                      {.parent_id = parent,
                                                       .name = "单位" + code,
                                                       .code = code,
                                                       .kind = parent ? "town" : "county"},
                                                      kT0));
      return Status();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  template <typename Fn>
  StatusOr<Enterprise> Write(Fn fn) {
    Enterprise out;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(out, fn(c));
      return Status();
    });
    if (!s.ok()) return s;
    return out;
  }

  StatusOr<Enterprise> Create(NewEnterprise in) {
    return Write([&](db::Connection& c) { return storage::CreateEnterprise(c, in, kT0); });
  }

  NewEnterprise Sample(const std::string& name, const std::string& credit_code, int64_t unit) {
    return {.name = name, .credit_code = credit_code, .org_unit_id = unit};
  }

  StatusOr<storage::EnterprisePage> List(EnterpriseFilter f) {
    ZB_ASSIGN_OR_RETURN(db::Lease lease, this->pool().Read());
    return storage::ListEnterprises(*lease, f);
  }

  static std::vector<std::string> Names(const storage::EnterprisePage& page) {
    std::vector<std::string> out;
    for (const auto& e : page.items) out.push_back(e.name);
    return out;
  }

  storage::OrgUnit district_, town_, other_town_;
};
TYPED_TEST_SUITE(EnterpriseRepoTest, Engines, EngineName);

TYPED_TEST(EnterpriseRepoTest, CreateKeepsContactsInOrderAndTagsSortedOnce) {
  NewEnterprise in = this->Sample("烟台华新新材料有限公司", "91370613MA3C4XYZ0A", this->town_.id);
  in.industry = "new_materials";
  in.address = "莱山区经济开发区";
  in.legal_representative = "张三";
  in.above_scale = true;
  in.created_by = std::nullopt;
  in.contacts = {{"李四", "总经理", "13800000001"}, {"王五", "办公室主任", "0535-6000000"}};
  in.tags = {"专精特新", "外资", "专精特新"};
  ZB_ASSERT_OK_AND_ASSIGN(Enterprise e, this->Create(in));
  EXPECT_GT(e.id, 0);
  EXPECT_EQ(e.version, 1);
  EXPECT_EQ(e.created_at, kT0);
  EXPECT_EQ(e.org_unit_name, "单位JJZ");
  EXPECT_EQ(e.org_path, this->town_.path);
  EXPECT_TRUE(e.above_scale);
  EXPECT_EQ(e.contacts, in.contacts);
  EXPECT_EQ(e.tags, (std::vector<std::string>{"专精特新", "外资"}));
}

TYPED_TEST(EnterpriseRepoTest, ADuplicateCreditCodeIsAlreadyExistsAndLeavesNothing) {
  ZB_ASSERT_OK(this->Create(this->Sample("甲公司", "91370613MA3C4XYZ0A", this->town_.id)).status());
  NewEnterprise again = this->Sample("乙公司", "91370613MA3C4XYZ0A", this->town_.id);
  again.tags = {"外资"};
  auto dup = this->Create(again);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "credit_code");
  ZB_ASSERT_OK_AND_ASSIGN(auto all, this->List({}));
  EXPECT_EQ(this->Names(all), (std::vector<std::string>{"甲公司"}));
  auto missing_unit = this->Create(this->Sample("丙公司", "91370613MA3C4XYZ1B", 31337));
  EXPECT_EQ(missing_unit.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing_unit.status().field(), "org_unit_id");
}

TYPED_TEST(EnterpriseRepoTest, ListFiltersByScopeKeywordIndustryScaleAndTag) {
  NewEnterprise a = this->Sample("华新新材料", "91370613AAAAAAAAA1", this->town_.id);
  a.industry = "materials";
  a.above_scale = true;
  a.tags = {"专精特新"};
  NewEnterprise b = this->Sample("Yantai Bio 生物", "91370613BBBBBBBBB2", this->other_town_.id);
  b.industry = "bio";
  NewEnterprise c = this->Sample("区属城投", "91370613CCCCCCCCC3", this->district_.id);
  c.created_by = std::nullopt;
  ZB_ASSERT_OK_AND_ASSIGN(Enterprise ea, this->Create(a));
  ZB_ASSERT_OK(this->Create(b).status());
  ZB_ASSERT_OK(this->Create(c).status());

  storage::ScopeFilterSql town_scope;
  town_scope.subtree_paths = {this->town_.path};
  ZB_ASSERT_OK_AND_ASSIGN(auto scoped, this->List({.scope = town_scope}));
  EXPECT_EQ(this->Names(scoped), (std::vector<std::string>{"华新新材料"}));
  EXPECT_EQ(scoped.total, 1);
  ZB_ASSERT_OK_AND_ASSIGN(auto none, this->List({.scope = storage::ScopeFilterSql{}}));
  EXPECT_EQ(none.total, 0);

  ZB_ASSERT_OK_AND_ASSIGN(auto by_name, this->List({.keyword = "bio"}));  // ASCII in either case
  EXPECT_EQ(this->Names(by_name), (std::vector<std::string>{"Yantai Bio 生物"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto by_code, this->List({.keyword = "ccccc"}));
  EXPECT_EQ(this->Names(by_code), (std::vector<std::string>{"区属城投"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto wildcard, this->List({.keyword = "%"}));
  EXPECT_EQ(wildcard.total, 0) << "LIKE wildcards in a keyword are literal";

  ZB_ASSERT_OK_AND_ASSIGN(auto industry, this->List({.industry = "bio"}));
  EXPECT_EQ(this->Names(industry), (std::vector<std::string>{"Yantai Bio 生物"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto above, this->List({.above_scale = true}));
  EXPECT_EQ(this->Names(above), (std::vector<std::string>{"华新新材料"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto tagged, this->List({.tag = "专精特新"}));
  EXPECT_EQ(this->Names(tagged), (std::vector<std::string>{"华新新材料"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto own, this->List({.only_id = ea.id}));
  EXPECT_EQ(own.total, 1);
  ZB_ASSERT_OK_AND_ASSIGN(auto subtree, this->List({.org_path_prefix = this->district_.path}));
  EXPECT_EQ(subtree.total, 3);

  ZB_ASSERT_OK_AND_ASSIGN(auto page2, this->List({.page = 2, .page_size = 2}));
  EXPECT_EQ(page2.total, 3);
  EXPECT_EQ(this->Names(page2), (std::vector<std::string>{"区属城投"}));
}

TYPED_TEST(EnterpriseRepoTest, UpdateChangesFieldsReplacesListsAndChecksTheVersion) {
  NewEnterprise in = this->Sample("华新新材料", "91370613AAAAAAAAA1", this->town_.id);
  in.contacts = {{"李四", "总经理", "13800000001"}};
  in.tags = {"外资"};
  ZB_ASSERT_OK_AND_ASSIGN(Enterprise e, this->Create(in));
  EnterpriseChanges ch;
  ch.name = "华新新材料股份有限公司";
  ch.org_unit_id = this->other_town_.id;
  ch.above_scale = true;
  ch.contacts = std::vector<EnterpriseContact>{{"赵六", "董事长", ""}};
  ch.tags = std::vector<std::string>{};
  ZB_ASSERT_OK_AND_ASSIGN(Enterprise u, this->Write([&](db::Connection& c) {
    return storage::UpdateEnterprise(c, e.id, 1, ch, kT0 + 5);
  }));
  EXPECT_EQ(u.name, "华新新材料股份有限公司");
  EXPECT_EQ(u.credit_code, "91370613AAAAAAAAA1");
  EXPECT_EQ(u.org_unit_id, this->other_town_.id);
  EXPECT_EQ(u.org_path, this->other_town_.path);
  EXPECT_TRUE(u.above_scale);
  EXPECT_EQ(u.contacts, (std::vector<EnterpriseContact>{{"赵六", "董事长", ""}}));
  EXPECT_TRUE(u.tags.empty());
  EXPECT_EQ(u.version, 2);
  EXPECT_EQ(u.updated_at, kT0 + 5);

  auto stale = this->Write([&](db::Connection& c) { return storage::UpdateEnterprise(c, e.id, 1, ch, kT0 + 6); });
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);
  auto missing = this->Write([&](db::Connection& c) { return storage::UpdateEnterprise(c, 31337, 1, ch, kT0); });
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  ZB_ASSERT_OK(this->Create(this->Sample("另一家", "91370613BBBBBBBBB2", this->town_.id)).status());
  EnterpriseChanges clash;
  clash.credit_code = "91370613BBBBBBBBB2";
  auto dup = this->Write([&](db::Connection& c) { return storage::UpdateEnterprise(c, e.id, 2, clash, kT0); });
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "credit_code");
}

TYPED_TEST(EnterpriseRepoTest, FindByCreditCode) {
  ZB_ASSERT_OK_AND_ASSIGN(Enterprise e, this->Create(this->Sample("甲公司", "91370613AAAAAAAAA1", this->town_.id)));
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(auto found, storage::FindEnterpriseByCreditCode(*lease, "91370613AAAAAAAAA1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, e.id);
  ZB_ASSERT_OK_AND_ASSIGN(auto absent, storage::FindEnterpriseByCreditCode(*lease, "91370613ZZZZZZZZZ9"));
  EXPECT_FALSE(absent.has_value());
}

}  // namespace
}  // namespace zb::storage_test
