// The whole tree's figures come from migration 0012's roll-up (kept by
// triggers on problems) and must be the very figures the live pass gives:
// after every kind of write — raise, assign, 改派, on the spot, category
// edit, escalation (level), resolve, close, rate, reopen, an unsatisfied
// rating, the ledger import — the admin's answer (no filter: the roll-up)
// equals the answer with a filter that keeps every item (all six statuses:
// the live pass), for every group and for whole-month, part-month and
// open-ended periods, on both engines; and the roll-up equals one rebuilt
// from the items.
#include <gtest/gtest.h>

#include <string>

#include "api/problem_fixture.h"

namespace zb::testing {
namespace {

constexpr char kEveryStatus[] = "&status=pending,assigned,in_progress,resolved,closed,returned";

class ProblemRollup : public ProblemFixture {
 protected:
  void SetUp() override {
    const int64_t root = RootUnitId(s_);
    const int64_t town_a = Unit("镇A", "TA", "town", root), town_b = Unit("镇B", "TB", "town", root);
    dept_ = Unit("发改局", "FGJ", "department", root);
    zrj_ = Unit("自然资源局", "ZRJ", "department", root);
    firm_a_ = Firm("示例科技有限公司", "914403001922038216", town_a);
    const int64_t firm_b = Firm("另一家公司", "91110000100000000X", town_b);
    User("ju", root, "bureau");
    User("fgj", dept_, "department");
    User("qy", town_a, "enterprise", firm_a_);
    User("qy2", town_b, "enterprise", firm_b);
    SignInAll();
  }

  // The roll-up's answer against the live pass's, for every group and period.
  void ExpectRollupIsTheLivePass(const std::string& after) {
    SCOPED_TRACE("after " + after);
    int64_t raised = -1;
    for (const char* group : {"unit", "category", "level", "month"}) {
      for (const char* period : {"", "&from=2025-09-01&to=2025-10-31", "&from=2025-08-10&to=2025-10-15",
                                 "&to=2025-10-15", "&from=2025-10-01", "&from=2025-09-27&to=2025-09-30"}) {
        const std::string q = std::string("?group=") + group + period;
        auto fast = Get("admin", "/api/v1/problems/stats" + q);
        auto live = Get("admin", "/api/v1/problems/stats" + q + kEveryStatus);
        ASSERT_EQ(fast.status, 200) << q << " " << fast.body;
        ASSERT_EQ(live.status, 200) << q << " " << live.body;
        EXPECT_EQ(fast.json(), live.json()) << q;
        if (std::string(period).empty()) raised = fast.json()["total"]["raised"];
      }
    }
    EXPECT_EQ(raised, Count("SELECT COUNT(*) FROM problems"));
    // Every roll-up row with items is the rebuild's, and the other way round.
    const std::string rebuilt =
        "SELECT kind, month, k, d, COUNT(*) AS raised, SUM(open_n) AS open_n, SUM(resolved) AS resolved, "
        "SUM(closed) AS closed, SUM(on_time) AS on_time, SUM(rated) AS rated, SUM(satisfied) AS satisfied, "
        "SUM(basic) AS basic, SUM(unsatisfied) AS unsatisfied, SUM(escalated) AS escalated, SUM(on_spot) AS on_spot, "
        "SUM(open_dl) AS open_dl FROM problem_rollup_items GROUP BY kind, month, k, d";
    const std::string kept =
        "SELECT kind, month, k, d, raised, open_n, resolved, closed, on_time, rated, satisfied, basic, unsatisfied, "
        "escalated, on_spot, open_dl FROM problem_rollup WHERE raised <> 0";
    EXPECT_EQ(Count("SELECT COUNT(*) FROM (" + kept + " EXCEPT " + rebuilt + ") x"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM (" + rebuilt + " EXCEPT " + kept + ") x"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM problem_rollup WHERE raised = 0 AND (open_n <> 0 OR resolved <> 0 OR "
                    "rated <> 0 OR escalated <> 0 OR open_dl <> 0)"),
              0);
  }

  int64_t dept_ = 0, zrj_ = 0, firm_a_ = 0;
};

TEST_F(ProblemRollup, EveryWriteKeepsTheRollupEqualToTheLivePass) {
  ExpectRollupIsTheLivePass("nothing");
  Json a = Raise("qy", {}), b = Raise("qy", {}), c = Raise("qy2", {}), d = Raise("qy2", {{"category", "land"}});
  ExpectRollupIsTheLivePass("raise");

  for (Json* item : {&a, &b}) {
    *item = Reload("ju", *item);
    ASSERT_EQ(Act("ju", *item, {{"action", "assign"}, {"lead_unit_id", dept_}}).status, 200);
  }
  c = Reload("ju", c);
  ASSERT_EQ(Act("ju", c, {{"action", "on_spot"}, {"result", "现场协调解决"}}).status, 200);
  ExpectRollupIsTheLivePass("assign, on the spot");

  d = Reload("ju", d);
  auto patched = s_.SendJson("PATCH", "/api/v1/problems/" + std::to_string(d["id"].get<int64_t>()),
                             {{"category", "finance"}, {"version", d["version"]}}, as_["ju"]);
  ASSERT_EQ(patched.status, 200) << patched.body;
  d = patched.json();
  ASSERT_EQ(Act("ju", d, {{"action", "escalate"}, {"reason", "需县级协调"}}).status, 200);
  ASSERT_EQ(d["level"], "county");
  ExpectRollupIsTheLivePass("category edit, escalation");

  Travel(2025, 10, 13);
  Json e = Raise("qy", {});
  b = Reload("fgj", b);
  ASSERT_EQ(Act("fgj", b, {{"action", "resolve"}, {"result", "已接入"}}).status, 200);
  ASSERT_EQ(Act("ju", b, {{"action", "close"}}).status, 200);
  ASSERT_EQ(Act("qy", b, {{"action", "rate"}, {"satisfaction", "basic"}}).status, 200);
  a = Reload("ju", a);
  ASSERT_EQ(Act("ju", a, {{"action", "assign"}, {"lead_unit_id", zrj_}}).status, 200);  // 改派
  ExpectRollupIsTheLivePass("resolve, close, rate, 改派");

  Travel(2025, 10, 20);
  b = Reload("qy", b);
  ASSERT_EQ(Act("qy", b, {{"action", "reopen"}, {"reason", "又断电了"}}).status, 200);
  ASSERT_EQ(b["status"], "in_progress");
  c = Reload("qy2", c);
  ASSERT_EQ(Act("qy2", c, {{"action", "rate"}, {"satisfaction", "unsatisfied"}, {"comment", "没解决"}}).status, 200);
  ASSERT_EQ(c["status"], "pending");
  ExpectRollupIsTheLivePass("reopen, unsatisfied");

  // The import: a closed item raised in September, and an existing item's
  // category changed by its code.
  auto r = Import("ju",
      "编号,问题,企业,项目,类别,来源,紧急程度,提出时间,责任单位,协办单位,办理时限,状态,办理结果,办结时间,销号时间,满意度\r\n"
      ",厂区供电接入,示例科技有限公司,,水电气暖配套,,,2025-09-01,发改局,,2025-09-15,已销号,已接入,2025-09-10,"
      "2025-09-12,满意\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  r = Import("ju", "编号,问题,类别\r\n" + e["code"].get<std::string>() + ",厂区供电接入迟迟未办,用工\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json()["updated"], 1) << r.body;
  ExpectRollupIsTheLivePass("import");

  // overdue depends on today alone: a month later more items are past their deadline.
  Travel(2025, 11, 20);
  ExpectRollupIsTheLivePass("a month on");
  EXPECT_GT(Get("admin", "/api/v1/problems/stats?group=unit").json()["total"]["overdue"].get<int64_t>(), 0);
}

}  // namespace
}  // namespace zb::testing
