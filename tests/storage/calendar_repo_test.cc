// storage/calendar_repo and migration 0006: written once, run on both engines.
#include "storage/calendar_repo.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "storage/storage_fixture.h"

namespace zb::storage_test {
namespace {

using storage::CalendarDay;
using Kind = WorkCalendar::DayKind;

constexpr int64_t kT0 = 1'790'000'000'000;

Date D(const char* text) { return *Date::Parse(text); }

template <typename Engine>
class CalendarRepoTest : public MigratedDbTest<Engine> {
 protected:
  // Runs fn in a transaction and returns what it returned.
  template <typename T, typename Fn>
  StatusOr<T> Write(Fn fn) {
    T out{};
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(out, fn(c));
      return Status();
    });
    if (!s.ok()) return s;
    return out;
  }
  StatusOr<CalendarDay> Set(const char* date, Kind kind, const std::string& name) {
    return Write<CalendarDay>([&](db::Connection& c) {
      return storage::SetCalendarDay(c, {.date = D(date), .kind = kind, .name = name}, kT0, 0);
    });
  }
  std::shared_ptr<const WorkCalendar> Calendar() {
    auto lease = this->pool().Read();
    EXPECT_TRUE(lease.ok());
    auto cal = storage::CurrentCalendar(**lease);
    EXPECT_TRUE(cal.ok()) << cal.status().ToString();
    return cal.ok() ? *cal : nullptr;
  }
  int64_t Version() {
    auto lease = this->pool().Read();
    EXPECT_TRUE(lease.ok());
    auto v = storage::CalendarVersion(**lease);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : -1;
  }
  std::vector<CalendarDay> List(const char* from, const char* to) {
    auto lease = this->pool().Read();
    EXPECT_TRUE(lease.ok());
    auto days = storage::ListCalendarDays(**lease, D(from), D(to));
    EXPECT_TRUE(days.ok()) << days.status().ToString();
    return days.ok() ? *days : std::vector<CalendarDay>{};
  }
};
TYPED_TEST_SUITE(CalendarRepoTest, Engines, EngineName);

TYPED_TEST(CalendarRepoTest, TheMigrationShipsTheStateCouncilCalendar) {
  auto y2026 = this->List("2026-01-01", "2026-12-31");
  ASSERT_FALSE(y2026.empty());
  EXPECT_EQ(y2026.front().date, D("2026-01-01"));
  EXPECT_EQ(y2026.front().name, "元旦");
  auto cal = this->Calendar();
  ASSERT_TRUE(cal);
  EXPECT_TRUE(cal->IsWorkingDay(D("2026-02-14")));   // Saturday, 春节调休上班
  EXPECT_FALSE(cal->IsWorkingDay(D("2026-10-07")));  // Wednesday, 国庆节
  // The lead's example: 春节 off, the swapped Sunday on.
  EXPECT_EQ(cal->AddWorkingDays(D("2024-02-08"), 5), D("2024-02-21"));
  EXPECT_EQ(this->List("2022-12-31", "2026-12-31").size(), 142u);
}

TYPED_TEST(CalendarRepoTest, AnEditReachesTheCachedCalendarAndBumpsTheVersionOnce) {
  const int64_t v0 = this->Version();
  auto before = this->Calendar();
  EXPECT_TRUE(before->IsWorkingDay(D("2027-03-01")));

  ZB_ASSERT_OK_AND_ASSIGN(CalendarDay day, this->Set("2027-03-01", Kind::kHoliday, "临时放假"));
  EXPECT_EQ(day.name, "临时放假");
  EXPECT_EQ(day.updated_at, kT0);
  EXPECT_EQ(this->Version(), v0 + 1);
  EXPECT_FALSE(this->Calendar()->IsWorkingDay(D("2027-03-01")));
  EXPECT_TRUE(before->IsWorkingDay(D("2027-03-01"))) << "a calendar already handed out never changes";

  // Setting the same again changes nothing, not even the version.
  ZB_ASSERT_OK(this->Set("2027-03-01", Kind::kHoliday, "临时放假").status());
  EXPECT_EQ(this->Version(), v0 + 1);
  // Renaming is a change.
  ZB_ASSERT_OK(this->Set("2027-03-01", Kind::kHoliday, "停电放假").status());
  EXPECT_EQ(this->Version(), v0 + 2);
  EXPECT_EQ(this->List("2027-03-01", "2027-03-01").at(0).name, "停电放假");

  ZB_ASSERT_OK_AND_ASSIGN(bool cleared, this->template Write<bool>([](db::Connection& c) {
    return storage::ClearCalendarDay(c, D("2027-03-01"));
  }));
  EXPECT_TRUE(cleared);
  EXPECT_TRUE(this->Calendar()->IsWorkingDay(D("2027-03-01")));
  ZB_ASSERT_OK_AND_ASSIGN(bool again, this->template Write<bool>([](db::Connection& c) {
    return storage::ClearCalendarDay(c, D("2027-03-01"));
  }));
  EXPECT_FALSE(again);
  EXPECT_EQ(this->Version(), v0 + 3);
}

TYPED_TEST(CalendarRepoTest, UnchangedCallsShareOneCalendar) {
  auto a = this->Calendar();
  auto b = this->Calendar();
  EXPECT_EQ(a.get(), b.get());
}

TYPED_TEST(CalendarRepoTest, AChangeThroughAnotherPoolIsSeen) {
  // Another server process on the same database, as far as the database
  // can tell: its own connections.
  auto other = this->OpenPool();
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_TRUE(this->Calendar()->IsWorkingDay(D("2027-01-04")));
  ZB_ASSERT_OK(db::InTx(**other, [](db::Connection& c) {
    return storage::SetCalendarDay(c, {.date = D("2027-01-04"), .kind = Kind::kHoliday, .name = "元旦"}, kT0, 0)
        .status();
  }));
  EXPECT_FALSE(this->Calendar()->IsWorkingDay(D("2027-01-04")));
  (*other)->Close();
}

TYPED_TEST(CalendarRepoTest, ImportCountsAndKeepsDaysNotInTheFile) {
  ZB_ASSERT_OK(this->Set("2027-05-06", Kind::kHoliday, "自定").status());
  std::vector<CalendarDay> days = {
      {.date = D("2026-01-01"), .kind = Kind::kHoliday, .name = "元旦"},      // as shipped
      {.date = D("2026-02-14"), .kind = Kind::kWorkday, .name = "调休"},      // renamed
      {.date = D("2027-01-01"), .kind = Kind::kHoliday, .name = "元旦"},      // new
      {.date = D("2027-02-07"), .kind = Kind::kWorkday, .name = "春节调休上班"},  // new
  };
  ZB_ASSERT_OK_AND_ASSIGN(auto dry, this->template Write<storage::CalendarImportCounts>([&](db::Connection& c) {
    return storage::CountCalendarImport(c, days);
  }));
  EXPECT_EQ(dry.created, 2);
  EXPECT_EQ(dry.updated, 1);
  EXPECT_EQ(dry.unchanged, 1);
  EXPECT_TRUE(this->List("2027-01-01", "2027-01-01").empty()) << "counting writes nothing";

  const int64_t v0 = this->Version();
  ZB_ASSERT_OK_AND_ASSIGN(auto real, this->template Write<storage::CalendarImportCounts>([&](db::Connection& c) {
    return storage::ImportCalendarDays(c, days, kT0, 0);
  }));
  EXPECT_EQ(real.created, 2);
  EXPECT_EQ(real.updated, 1);
  EXPECT_EQ(real.unchanged, 1);
  EXPECT_EQ(this->Version(), v0 + 1);
  EXPECT_EQ(this->List("2026-02-14", "2026-02-14").at(0).name, "调休");
  EXPECT_EQ(this->List("2027-05-06", "2027-05-06").size(), 1u);
  auto cal = this->Calendar();
  EXPECT_TRUE(cal->IsWorkingDay(D("2027-02-07")));  // a Sunday
  EXPECT_FALSE(cal->IsWorkingDay(D("2027-01-01")));

  // The same file again changes nothing.
  ZB_ASSERT_OK_AND_ASSIGN(auto again, this->template Write<storage::CalendarImportCounts>([&](db::Connection& c) {
    return storage::ImportCalendarDays(c, days, kT0, 0);
  }));
  EXPECT_EQ(again.unchanged, 4);
  EXPECT_EQ(this->Version(), v0 + 1);
}

// An existing database (built-in roles from before issue 5) gets the new
// permissions on its built-in roles only, once.
template <typename Engine>
class CalendarMigrationTest : public DbTest<Engine> {};
TYPED_TEST_SUITE(CalendarMigrationTest, Engines, EngineName);

TYPED_TEST(CalendarMigrationTest, GrantsTheNewPermissionsToTheBuiltInRolesOfAnOldDatabase) {
  // Bring the database to version 5 by hand, as a release of issue 4 left it.
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    ZB_RETURN_IF_ERROR(c.Exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                              "applied_at BIGINT NOT NULL)"));
    for (const db::Migration& m : db::MigrationsFor(TestFixture::kDialect)) {
      if (m.version > 5) break;
      ZB_RETURN_IF_ERROR(c.ExecScript(m.sql));
      ZB_RETURN_IF_ERROR(c.Exec("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, 0)",
                                {int64_t{m.version}, std::string(m.name)}));
    }
    for (const char* code : {"admin", "bureau", "town", "liaison", "viewer"}) {
      ZB_RETURN_IF_ERROR(c.Exec("INSERT INTO roles (code, name, builtin, data_scope, created_at, updated_at) "
                                "VALUES ($1, $1, $2, 'all', 0, 0)",
                                {std::string(code), int64_t{std::string(code) == "viewer" ? 0 : 1}}));
    }
    // An administrator who already granted one by hand keeps it (no clash).
    return c.Exec("INSERT INTO role_permissions (role_id, permission) "
                  "SELECT id, 'template:write' FROM roles WHERE code = 'bureau'");
  }));
  ZB_ASSERT_OK(db::Migrate(this->pool()).status());

  auto lease = this->pool().Read();
  ASSERT_TRUE(lease.ok());
  auto r = (*lease)->Query(
      "SELECT r.code || ' ' || p.permission AS g FROM role_permissions p JOIN roles r ON r.id = p.role_id");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::set<std::string> grants;
  for (const auto& row : r->rows) grants.insert(row.Text(0));
  // Migration 0009 adds problem:supervise (督办) the same way (the database
  // has no leader role here).
  EXPECT_EQ(grants, (std::set<std::string>{"admin calendar:write", "admin template:write", "admin node:progress",
                                           "bureau template:write", "bureau node:progress", "town node:progress",
                                           "liaison node:progress", "admin problem:supervise",
                                           "bureau problem:supervise"}));
}

}  // namespace
}  // namespace zb::storage_test
