// The figures aggregated in SQL (storage/problem_stats_repo.h) agree with the
// domain's rules (domain/problem_stats.h) item for item, on both engines:
// a ledger of every status, deadline and rating case is written to the
// database, then each group's SQL tally is compared with the domain's tally
// of the same items.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "storage/problem_stats_repo.h"

namespace zb::testing {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

struct Item {
  const char* category;
  const char* level;
  const char* raised_on;
  domain::ProblemStatsItem facts;
  bool lead = true;  // assigned to the root unit (else not yet assigned)
};

using S = domain::ProblemStatus;
using Sat = domain::Satisfaction;

std::vector<Item> Ledger() {
  return {
      {"land", "town", "2026-10-05", {.status = S::kPending}, false},
      {"land", "town", "2026-10-06", {.status = S::kAssigned, .deadline = D("2026-11-20"),
                                      .original_deadline = D("2026-11-20"), .escalation_count = 1}},
      {"land", "county", "2026-11-01", {.status = S::kInProgress, .deadline = D("2026-11-24"),
                                        .original_deadline = D("2026-11-24")}},
      {"finance", "town", "2026-11-02", {.status = S::kReturned, .deadline = D("2026-11-10"),
                                         .original_deadline = D("2026-11-10"), .escalation_count = 2}},
      {"finance", "town", "2026-11-02", {.status = S::kResolved, .deadline = D("2026-11-10"),
                                         .original_deadline = D("2026-11-10"), .resolved_on = D("2026-11-05"),
                                         .resolve_days = 3, .satisfaction = Sat::kSatisfied}},
      {"finance", "county", "2026-10-20", {.status = S::kResolved, .deadline = D("2026-11-10"),
                                           .original_deadline = D("2026-11-10"), .resolved_on = D("2026-11-12"),
                                           .resolve_days = 12, .satisfaction = Sat::kBasic}},
      {"other", "town", "2026-11-02", {.status = S::kClosed, .resolved_on = D("2026-11-02"), .resolve_days = 0,
                                       .on_spot = true, .satisfaction = Sat::kSatisfied}, false},
      {"other", "town", "2026-10-23", {.status = S::kClosed, .deadline = D("2026-11-15"),
                                       .original_deadline = D("2026-11-01"), .resolved_on = D("2026-10-30"),
                                       .resolve_days = 5}},
      {"other", "city", "2026-10-21", {.status = S::kClosed, .deadline = D("2026-10-31"),
                                       .original_deadline = D("2026-10-31"), .resolved_on = D("2026-11-03"),
                                       .resolve_days = 8, .escalation_count = 1}},
      {"land", "town", "2026-11-03", {.status = S::kInProgress, .deadline = D("2026-11-30"),
                                      .original_deadline = D("2026-11-10"), .satisfaction = Sat::kUnsatisfied}},
      {"land", "town", "2026-10-20", {.status = S::kResolved, .resolved_on = D("2026-11-20"), .resolve_days = 20}},
  };
}

db::Value OptDate(const std::optional<Date>& d) { return d ? db::Value(d->ToString()) : db::Null(); }

void ExpectSame(const domain::ProblemTally& sql, const domain::ProblemTally& want, const std::string& key) {
  SCOPED_TRACE("group " + key);
  EXPECT_EQ(sql.raised, want.raised);
  EXPECT_EQ(sql.open, want.open);
  EXPECT_EQ(sql.overdue, want.overdue);
  EXPECT_EQ(sql.resolved, want.resolved);
  EXPECT_EQ(sql.closed, want.closed);
  EXPECT_EQ(sql.on_time, want.on_time);
  EXPECT_EQ(sql.rated, want.rated);
  EXPECT_EQ(sql.satisfied, want.satisfied);
  EXPECT_EQ(sql.basic, want.basic);
  EXPECT_EQ(sql.unsatisfied, want.unsatisfied);
  EXPECT_EQ(sql.escalated, want.escalated);
  EXPECT_EQ(sql.on_spot, want.on_spot);
  EXPECT_EQ(sql.resolve_days, want.resolve_days);
}

TEST(ProblemStatsSql, EveryGroupAgreesWithTheDomainRules) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  const Date today = D("2026-11-24");
  const auto items = Ledger();
  MakeInDb(s, [&](db::Connection& c) -> StatusOr<int> {
    ZB_ASSIGN_OR_RETURN(auto unit, c.QueryOne("SELECT path FROM org_units WHERE id = $1", {root}));
    const std::string path = unit->Text("path");
    int n = 0;
    for (const Item& it : items) {
      const auto& f = it.facts;
      ZB_RETURN_IF_ERROR(c.Exec(
          "INSERT INTO problems (code, title, category, source, raised_on, org_unit_id, org_unit_path, "
          "coord_unit_id, coord_unit_path, level, lead_unit_id, lead_unit_path, status, deadline, "
          "original_deadline, resolved_on, resolve_days, on_spot, escalated, escalation_count, satisfaction, "
          "created_at, updated_at) VALUES ($1, '测试', $2, 'visit', $3, $15, $16, $15, $16, $4, $5, $17, $6, $7, "
          "$8, $9, $10, $11, $12, $13, $14, 0, 0)",
          {"WT-2026-" + std::to_string(10000 + ++n), it.category, it.raised_on, it.level,
           it.lead ? db::Value(root) : db::Null(), std::string(domain::Code(f.status)), OptDate(f.deadline),
           OptDate(f.original_deadline), OptDate(f.resolved_on), db::Opt(f.resolve_days),
           int64_t{f.on_spot ? 1 : 0}, int64_t{f.escalation_count > 0 ? 1 : 0}, f.escalation_count,
           f.satisfaction ? db::Value(std::string(domain::Code(*f.satisfaction))) : db::Null(), root, path,
           it.lead ? db::Value(path) : db::Null()}));
    }
    return n;
  });

  using G = storage::ProblemStatsGroup;
  const std::map<G, std::function<std::string(const Item&)>> groups = {
      {G::kCategory, [](const Item& i) { return std::string(i.category); }},
      {G::kLevel, [](const Item& i) { return std::string(i.level); }},
      {G::kMonth, [](const Item& i) { return std::string(i.raised_on).substr(0, 7); }},
      {G::kUnit, [&](const Item& i) { return i.lead ? std::to_string(root) : std::string(); }},
  };
  for (const auto& [group, key_of] : groups) {
    std::map<std::string, domain::ProblemTally> want;
    for (const Item& it : items) want[key_of(it)].Add(it.facts, today);
    auto rows = MakeInDb(s, [&](db::Connection& c) {
      return storage::ProblemStatsByGroup(c, group, " FROM problems p WHERE 1=1", {}, today);
    });
    ASSERT_EQ(rows.size(), want.size());
    for (const auto& row : rows) {
      ASSERT_TRUE(want.contains(row.key)) << row.key;
      ExpectSame(row.tally, want[row.key], row.key);
    }
  }
  // A filter narrows the cohort: the list's WHERE and its parameters pass through.
  auto land = MakeInDb(s, [&](db::Connection& c) {
    return storage::ProblemStatsByGroup(c, G::kLevel, " FROM problems p WHERE p.category = $1", {"land"}, today);
  });
  int64_t raised = 0;
  for (const auto& row : land) raised += row.tally.raised;
  EXPECT_EQ(raised, 5);
}

}  // namespace
}  // namespace zb::testing
