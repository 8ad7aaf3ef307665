// The figures aggregated in SQL (storage/problem_stats_repo.h) agree with the
// domain's rules (domain/problem_stats.h) item for item, on both engines:
// a ledger of every status, deadline and rating case is written to the
// database, then each group's SQL tally is compared with the domain's tally
// of the same items. Then GET /api/v1/problems/stats over a small ledger
// carried through the workflow by its users, where every figure is known.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/problem_fixture.h"
#include "storage/org_unit_repo.h"
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


// ---- GET /api/v1/problems/stats ---------------------------------------------------

class ProblemStatsApi : public ProblemFixture {
 protected:
  // Friday before the 2025 国庆 holiday; 水电气暖 items get 10 working days:
  // 09-28 (调休), 09-29, 09-30, 10-09, 10-10, 10-11 (调休), 10-13 … 10-16.
  void SetUp() override {
    const int64_t root = RootUnitId(s_);
    const int64_t town_a = Unit("镇A", "TA", "town", root), town_b = Unit("镇B", "TB", "town", root);
    dept_ = Unit("发改局", "FGJ", "department", root);
    const int64_t firm_a = Firm("示例科技有限公司", "914403001922038216", town_a);
    const int64_t firm_b = Firm("另一家公司", "91110000100000000X", town_b);
    User("ju", root, "bureau");
    User("fgj", dept_, "department");
    User("zhena", town_a, "town");
    User("qy", town_a, "enterprise", firm_a);
    User("qy2", town_b, "enterprise", firm_b);
    SignInAll();
  }
  Json Raise(const std::string& who) { return ProblemFixture::Raise(who, {{"title", "厂区供电接入"}}); }
  HttpResult Stats(const std::string& who, const std::string& query) {
    return s_.Get("/api/v1/problems/stats" + query, as_[who]);
  }

  int64_t dept_ = 0;
};

TEST_F(ProblemStatsApi, TheFiguresOfAHandBuiltLedger) {
  // A: assigned, extended to 10-24, resolved 10-20 — within the extension but
  //    late against the original 10-16; closed; 满意.
  // B: assigned, resolved 10-13 on time; closed; 基本满意.
  // C: resolved on the spot (closed, 0 days); 满意.
  // D: still pending, escalated from town B to the county.
  // E: assigned, still open at 10-20: overdue.
  Json a = Raise("qy"), b = Raise("qy"), c = Raise("qy"), d = Raise("qy2"), e = Raise("qy2");
  for (Json* item : {&a, &b, &e}) {
    *item = Reload("ju", *item);
    ASSERT_EQ(Act("ju", *item, {{"action", "assign"}, {"lead_unit_id", dept_}}).status, 200);
  }
  c = Reload("ju", c);
  ASSERT_EQ(Act("ju", c, {{"action", "on_spot"}, {"result", "现场协调解决"}}).status, 200);
  d = Reload("ju", d);
  ASSERT_EQ(Act("ju", d, {{"action", "escalate"}, {"reason", "需县级协调"}}).status, 200);
  a = Reload("fgj", a);
  ASSERT_EQ(Act("fgj", a, {{"action", "extend"}, {"new_deadline", "2025-10-24"}, {"reason", "等电力公司排期"}}).status, 200);
  ASSERT_EQ(Act("ju", a, {{"action", "extend_decide"}, {"grant", true}}).status, 200);

  Travel(2025, 10, 13);
  b = Reload("fgj", b);
  ASSERT_EQ(Act("fgj", b, {{"action", "resolve"}, {"result", "已接入"}}).status, 200);
  ASSERT_EQ(Act("ju", b, {{"action", "close"}}).status, 200);
  ASSERT_EQ(Act("qy", b, {{"action", "rate"}, {"satisfaction", "basic"}}).status, 200);

  Travel(2025, 10, 20);
  a = Reload("fgj", a);
  ASSERT_EQ(Act("fgj", a, {{"action", "resolve"}, {"result", "已通电"}}).status, 200);
  EXPECT_EQ(a["resolve_days"], 12);
  ASSERT_EQ(Act("ju", a, {{"action", "close"}}).status, 200);
  ASSERT_EQ(Act("qy", a, {{"action", "rate"}, {"satisfaction", "satisfied"}}).status, 200);
  c = Reload("qy", c);
  ASSERT_EQ(Act("qy", c, {{"action", "rate"}, {"satisfaction", "satisfied"}}).status, 200);

  auto r = Stats("ju", "?group=level");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json all = r.json();
  EXPECT_EQ(all["group"], "level");
  const Json& t = all["total"];
  EXPECT_EQ(t["raised"], 5);
  EXPECT_EQ(t["resolved"], 3);  // A, B, C: 为企业协调解决问题 3 个
  EXPECT_EQ(t["closed"], 3);
  EXPECT_EQ(t["open"], 2);
  EXPECT_EQ(t["overdue"], 1);  // E; D has no deadline yet
  EXPECT_DOUBLE_EQ(t["resolve_rate"].get<double>(), 0.6);
  EXPECT_DOUBLE_EQ(t["on_time_rate"].get<double>(), 2.0 / 3);  // B and C; A missed its original deadline
  EXPECT_DOUBLE_EQ(t["avg_days"].get<double>(), (0 + 7 + 12) / 3.0);
  EXPECT_EQ(t["p90_days"], 12);
  EXPECT_EQ(t["rated"], 3);
  EXPECT_EQ(t["basic"], 1);
  EXPECT_DOUBLE_EQ(t["satisfaction_rate"].get<double>(), 1.0);  // 基本满意 counts
  EXPECT_EQ(t["escalated"], 1);
  EXPECT_EQ(t["on_spot"], 1);
  // By level: D went up to the county, the rest stay with their town.
  std::map<std::string, int64_t> raised;
  for (const auto& row : all["rows"]) raised[row["label"]] = row["raised"];
  EXPECT_EQ(raised, (std::map<std::string, int64_t>{{"区", 1}, {"镇街", 4}})) << all["rows"].dump();

  // By lead unit: the department's three with its name.
  bool found = false;
  auto by_unit = Stats("ju", "?group=unit");
  ASSERT_EQ(by_unit.status, 200) << by_unit.body;
  const Json unit_rows = by_unit.json()["rows"];
  for (const auto& row : unit_rows) {
    if (row["key"] == std::to_string(dept_)) {
      found = true;
      EXPECT_EQ(row["label"], "发改局");
      EXPECT_EQ(row["raised"], 3);
      EXPECT_EQ(row["overdue"], 1);
    }
  }
  EXPECT_TRUE(found) << by_unit.body;
  // By month of raised_on, and the list's filters narrow the cohort.
  auto month = Stats("ju", "?group=month").json()["rows"];
  ASSERT_EQ(month.size(), 1u);
  EXPECT_EQ(month[0]["key"], "2025-09");
  EXPECT_EQ(month[0]["label"], "2025年9月");
  EXPECT_EQ(Stats("ju", "?status=closed").json()["total"]["raised"], 3);
  EXPECT_EQ(Stats("ju", "?on_spot=true").json()["total"]["raised"], 1);
  // from/to select the cohort by raised_on: none before 09-26; rates null.
  auto none = Stats("ju", "?to=2025-09-25").json();
  EXPECT_EQ(none["to"], "2025-09-25");
  EXPECT_EQ(none["total"]["raised"], 0);
  EXPECT_TRUE(none["total"]["resolve_rate"].is_null());
  EXPECT_EQ(Stats("ju", "?from=2025-09-26&to=2025-09-26").json()["total"]["raised"], 5);

  // Scope: town A sees its enterprise's three; an enterprise its own.
  EXPECT_EQ(Stats("zhena", "").json()["total"]["raised"], 3);
  EXPECT_EQ(Stats("qy2", "").json()["total"]["raised"], 2);

  // A write moves the data version: the answer kept for that query is not
  // served again.
  e = Reload("fgj", e);
  ASSERT_EQ(Act("fgj", e, {{"action", "resolve"}, {"result", "已接入"}}).status, 200);
  EXPECT_EQ(Stats("ju", "?group=level").json()["total"]["resolved"], 4);
}

TEST_F(ProblemStatsApi, ValidationNamesTheParameter) {
  for (auto [query, field] : {std::pair{"?group=town", "group"}, std::pair{"?from=2025-13-01", "from"},
                              std::pair{"?to=yesterday", "to"}, std::pair{"?from=2025-10-02&to=2025-10-01", "to"},
                              std::pair{"?status=nope", "status"}}) {
    auto r = Stats("ju", query);
    EXPECT_EQ(r.status, 422) << query << " " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], field) << query;
  }
}

}  // namespace
}  // namespace zb::testing
