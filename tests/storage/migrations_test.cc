// Migrations: written once, run on both engines.
#include <gtest/gtest.h>

#include <string>

#include "storage/storage_fixture.h"

namespace zb::storage_test {
namespace {

template <typename Engine>
class MigrationsTest : public DbTest<Engine> {};  // starts from an empty database
TYPED_TEST_SUITE(MigrationsTest, Engines, EngineName);

TYPED_TEST(MigrationsTest, EmptyDatabaseIsVersionZero) {
  ZB_ASSERT_OK_AND_ASSIGN(int v, db::CurrentVersion(this->pool()));
  EXPECT_EQ(v, 0);
}

TYPED_TEST(MigrationsTest, MigrateAppliesEverythingInOrder) {
  const auto& all = db::MigrationsFor(TestFixture::kDialect);
  ASSERT_FALSE(all.empty());
  ZB_ASSERT_OK_AND_ASSIGN(db::MigrateReport report, db::Migrate(this->pool()));
  EXPECT_EQ(report.from_version, 0);
  EXPECT_EQ(report.to_version, db::LatestVersion(TestFixture::kDialect));
  ASSERT_EQ(report.applied.size(), all.size());
  EXPECT_EQ(report.applied.front(), "0001_org_units");
  ZB_ASSERT_OK_AND_ASSIGN(int v, db::CurrentVersion(this->pool()));
  EXPECT_EQ(v, db::LatestVersion(TestFixture::kDialect));

  // One schema_version row per migration, with its name and a time.
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(db::Result rows,
                          lease->Query("SELECT version, name, applied_at FROM schema_version ORDER BY version"));
  ASSERT_EQ(rows.rows.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(rows.rows[i].Int("version"), all[i].version);
    EXPECT_EQ(rows.rows[i].Text("name"), all[i].name);
    EXPECT_GT(rows.rows[i].Int("applied_at"), 1'600'000'000'000);  // epoch ms
  }
}

TYPED_TEST(MigrationsTest, SecondMigrateAppliesNothing) {
  ZB_ASSERT_OK(db::Migrate(this->pool()).status());
  ZB_ASSERT_OK_AND_ASSIGN(db::MigrateReport again, db::Migrate(this->pool()));
  EXPECT_TRUE(again.applied.empty());
  EXPECT_EQ(again.from_version, db::LatestVersion(TestFixture::kDialect));
  EXPECT_EQ(again.to_version, again.from_version);
}

TYPED_TEST(MigrationsTest, NewerDatabaseIsRefusedNamingBothVersions) {
  ZB_ASSERT_OK(db::Migrate(this->pool()).status());
  ZB_ASSERT_OK(this->ExecTx("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                            {int64_t{9999}, "9999_from_the_future", int64_t{0}}));
  auto r = db::Migrate(this->pool());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kConflict);
  const std::string m = r.status().message();
  EXPECT_NE(m.find("9999"), std::string::npos) << m;
  EXPECT_NE(m.find("版本 " + std::to_string(db::LatestVersion(TestFixture::kDialect))), std::string::npos) << m;
  EXPECT_NE(m.find("请升级"), std::string::npos) << m;
  ZB_ASSERT_OK_AND_ASSIGN(int v, db::CurrentVersion(this->pool()));
  EXPECT_EQ(v, 9999);
}

TYPED_TEST(MigrationsTest, SchemaIsUsableAfterMigrate) {
  ZB_ASSERT_OK(db::Migrate(this->pool()).status());
  // The kind list is enforced by the database on both engines.
  Status bad_kind = this->ExecTx(
      "INSERT INTO org_units (name, code, kind, path, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
      {"省", "P", "province", "/", int64_t{1}});
  EXPECT_FALSE(bad_kind.ok());
  ZB_EXPECT_OK(this->ExecTx(
      "INSERT INTO org_units (name, code, kind, path, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
      {"威海市", "WH", "city", "/", int64_t{1}}));
}

// The two dialects' lists must describe the same schema history.
TEST(Migrations, DialectsHaveTheSameVersionsAndNames) {
  const auto& s = db::MigrationsFor(db::Dialect::kSqlite);
  const auto& p = db::MigrationsFor(db::Dialect::kPostgres);
  ASSERT_EQ(s.size(), p.size());
  for (size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s[i].version, p[i].version);
    EXPECT_STREQ(s[i].name, p[i].name);
    if (i > 0) {
      EXPECT_GT(s[i].version, s[i - 1].version);
    }
  }
  EXPECT_EQ(db::LatestVersion(db::Dialect::kSqlite), db::LatestVersion(db::Dialect::kPostgres));
  EXPECT_EQ(s.front().version, 1);
}

}  // namespace
}  // namespace zb::storage_test
