// The 问题台账 list's total and facets for a caller who sees every item and
// filters on status, category, level or source alone come from
// problem_facet_counts (kept by triggers on problems: SQLite's migration
// 0013, PostgreSQL's 0017, statement-level there), and
// must be the very counts of the items: after every kind of write that
// moves an item between those columns — raise (any source), assign, on the
// spot, resolve, close, reopen, a category edit, an escalation (level), the
// ledger import — the admin's answer equals the one with a filter that
// keeps every item (raised since 1900: the items are counted), page
// included; a department (a narrower scope) never reads the table; and the
// table equals one rebuilt from the items, on both engines.
#include <gtest/gtest.h>

#include <string>

#include "api/problem_fixture.h"

namespace zb::testing {
namespace {

class ProblemFacetCounts : public ProblemFixture {
 protected:
  void SetUp() override {
    const int64_t root = RootUnitId(s_);
    const int64_t town = Unit("镇A", "TA", "town", root);
    dept_ = Unit("发改局", "FGJ", "department", root);
    firm_ = Firm("示例科技有限公司", "914403001922038216", town);
    User("ju", root, "bureau");
    User("fgj", dept_, "department");
    User("qy", town, "enterprise", firm_);
    SignInAll();
  }

  void ExpectCountsAreTheItems(const std::string& after) {
    SCOPED_TRACE("after " + after);
    for (const char* q : {"", "&status=pending", "&status=assigned,in_progress&category=utilities",
                          "&level=county", "&source=visit&category=finance", "&status=closed&level=town&sort=code"}) {
      const std::string target = std::string("/api/v1/problems?facets=true") + q;
      auto fast = Get("admin", target);
      auto counted = Get("admin", target + "&raised_from=1900-01-01");
      ASSERT_EQ(fast.status, 200) << q << " " << fast.body;
      ASSERT_EQ(counted.status, 200) << q << " " << counted.body;
      EXPECT_EQ(fast.json()["total"], counted.json()["total"]) << q;
      EXPECT_EQ(fast.json()["items"], counted.json()["items"]) << q;
      // Facet values in one order on both engines (a collation may order them otherwise).
      for (const char* dim : {"status", "category", "level", "source"}) {
        auto sorted = [&](const Json& page) {
          std::map<std::string, int64_t> m;
          for (const auto& f : page["facets"][dim]) m[f["value"]] = f["count"];
          return m;
        };
        EXPECT_EQ(sorted(fast.json()), sorted(counted.json())) << q << " facet " << dim;
      }
    }
    EXPECT_EQ(Get("admin", "/api/v1/problems").json()["total"], Count("SELECT COUNT(*) FROM problems"));
    const std::string rebuilt =
        "SELECT status, category, level, source, COUNT(*) AS n FROM problems GROUP BY status, category, level, source";
    const std::string kept = "SELECT status, category, level, source, n FROM problem_facet_counts WHERE n <> 0";
    EXPECT_EQ(Count("SELECT COUNT(*) FROM (" + kept + " EXCEPT " + rebuilt + ") x"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM (" + rebuilt + " EXCEPT " + kept + ") x"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM problem_facet_counts WHERE n < 0"), 0);
  }

  int64_t dept_ = 0, firm_ = 0;
};

TEST_F(ProblemFacetCounts, EveryWriteKeepsTheCountsEqualToTheItems) {
  ExpectCountsAreTheItems("nothing");
  Json a = Raise("qy", {}), b = Raise("qy", {});
  Json c = Raise("ju", {{"enterprise_id", firm_}, {"source", "visit"}, {"category", "finance"}});
  Json d = Raise("ju", {{"enterprise_id", firm_}, {"source", "meeting"}, {"category", "land"}});
  ExpectCountsAreTheItems("raise");

  for (Json* item : {&a, &b}) {
    *item = Reload("ju", *item);
    ASSERT_EQ(Act("ju", *item, {{"action", "assign"}, {"lead_unit_id", dept_}}).status, 200);
  }
  ASSERT_EQ(Act("ju", c, {{"action", "on_spot"}, {"result", "现场协调解决"}}).status, 200);
  auto patched = s_.SendJson("PATCH", "/api/v1/problems/" + std::to_string(d["id"].get<int64_t>()),
                             {{"category", "finance"}, {"version", d["version"]}}, as_["ju"]);
  ASSERT_EQ(patched.status, 200) << patched.body;
  d = patched.json();
  ASSERT_EQ(Act("ju", d, {{"action", "escalate"}, {"reason", "需县级协调"}}).status, 200);
  ASSERT_EQ(d["level"], "county");
  ExpectCountsAreTheItems("assign, on the spot, category edit, escalation");

  b = Reload("fgj", b);
  ASSERT_EQ(Act("fgj", b, {{"action", "resolve"}, {"result", "已接入"}}).status, 200);
  ASSERT_EQ(Act("ju", b, {{"action", "close"}}).status, 200);
  ASSERT_EQ(Act("qy", b, {{"action", "reopen"}, {"reason", "又断电了"}}).status, 200);
  ExpectCountsAreTheItems("resolve, close, reopen");

  auto r = Import("ju",
                  "编号,问题,企业,类别,来源,提出时间,责任单位,办理时限,状态,办理结果,办结时间,销号时间\r\n"
                  ",厂区供电接入,示例科技有限公司,水电气暖配套,调度会,2025-09-01,发改局,2025-09-15,已销号,已接入,"
                  "2025-09-10,2025-09-12\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectCountsAreTheItems("import");

  // A department's list counts its own items, not the whole ledger's table.
  auto mine = Get("fgj", "/api/v1/problems?facets=true");
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.json()["total"], Count("SELECT COUNT(*) FROM problems WHERE lead_unit_id = $1", {dept_}));
}

}  // namespace
}  // namespace zb::testing
