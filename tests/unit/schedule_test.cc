// ComputeSchedule on the real 2023–2026 calendar. Every expected date below
// was worked out by hand on a printed calendar; the comments show the count.
#include "domain/schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "real_calendar.h"

namespace zb::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using zb::testing::D;
using zb::testing::RealCalendar;

class ScheduleTest : public ::testing::Test {
 protected:
  // Adds a node; returns its index.
  int Node(const std::string& name, int duration, std::optional<Date> target = {}) {
    in_.nodes.push_back({name, duration, target, {}, {}});
    return static_cast<int>(in_.nodes.size()) - 1;
  }
  void Link(int from, int to, int lag = 0) { in_.links.push_back({from, to, lag}); }
  Schedule Compute() {
    auto s = ComputeSchedule(in_, cal_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : Schedule{};
  }
  Status Refusal() {
    auto s = ComputeSchedule(in_, cal_);
    EXPECT_FALSE(s.ok());
    return s.status();
  }

  const WorkCalendar cal_ = RealCalendar();
  ScheduleInput in_;
};

// Two parallel branches with a lag into 施工许可, then 开工 with a target.
// today 2026-11-24 (Tue), no holidays in November–December 2026.
TEST_F(ScheduleTest, ParallelBranchesLagAndMilestone) {
  in_.today = D("2026-11-24");
  const int review = Node("施工图审查", 5);
  const int tender = Node("施工招标", 8);
  const int permit = Node("施工许可", 3);
  const int start = Node("开工", 0, D("2026-12-15"));
  Link(review, permit);
  Link(tender, permit, 2);
  Link(permit, start);
  const Schedule s = Compute();

  // Forward: 审查 11-24,25,26,27,30 → 11-30. 招标 11-24 … 12-03 (8 days).
  // 许可 starts 2 working days after 招标's finish: 12-04 +2 → 12-08; 12-08,09,10.
  // 开工 the next working day: 12-11 (Fri).
  EXPECT_EQ(s.nodes[review].forecast_start, D("2026-11-24"));
  EXPECT_EQ(s.nodes[review].forecast_finish, D("2026-11-30"));
  EXPECT_EQ(s.nodes[tender].forecast_finish, D("2026-12-03"));
  EXPECT_EQ(s.nodes[permit].forecast_start, D("2026-12-08"));
  EXPECT_EQ(s.nodes[permit].forecast_finish, D("2026-12-10"));
  EXPECT_EQ(s.nodes[start].forecast_start, D("2026-12-11"));
  EXPECT_EQ(s.nodes[start].forecast_finish, D("2026-12-11"));

  // Backward from 开工 ≤ 12-15 (Tue): 许可 done by 12-14, started 12-10 (10, 11, 14);
  // 审查 done by 12-09, started 12-03; 招标 done 2 days before 12-10 → by 12-07,
  // started 8 days earlier: 12-07,04,03,02,01,11-30,27,26 → 11-26.
  EXPECT_EQ(s.nodes[start].latest_finish, D("2026-12-15"));
  EXPECT_EQ(s.nodes[start].latest_start, D("2026-12-15"));
  EXPECT_EQ(s.nodes[permit].latest_finish, D("2026-12-14"));
  EXPECT_EQ(s.nodes[permit].latest_start, D("2026-12-10"));
  EXPECT_EQ(s.nodes[review].latest_finish, D("2026-12-09"));
  EXPECT_EQ(s.nodes[review].latest_start, D("2026-12-03"));
  EXPECT_EQ(s.nodes[tender].latest_finish, D("2026-12-07"));
  EXPECT_EQ(s.nodes[tender].latest_start, D("2026-11-26"));

  // Slack: 开工 12-11 vs 12-15 → 2 (14, 15); 招标 and 许可 2 as well; 审查 7.
  EXPECT_EQ(s.nodes[start].slack, 2);
  EXPECT_EQ(s.nodes[permit].slack, 2);
  EXPECT_EQ(s.nodes[tender].slack, 2);
  EXPECT_EQ(s.nodes[review].slack, 7);
  // The critical path runs through 招标, not 审查.
  EXPECT_TRUE(s.nodes[tender].critical);
  EXPECT_TRUE(s.nodes[permit].critical);
  EXPECT_TRUE(s.nodes[start].critical);
  EXPECT_FALSE(s.nodes[review].critical);

  ASSERT_EQ(s.targets.size(), 1u);
  EXPECT_EQ(s.targets[0].node, start);
  EXPECT_EQ(s.targets[0].target, D("2026-12-15"));
  EXPECT_EQ(s.targets[0].forecast, D("2026-12-11"));
  EXPECT_EQ(s.targets[0].slip, 0);
  EXPECT_TRUE(s.problems.empty());
}

// 春节 2026: 02-15 … 02-23 off, Saturdays 02-14 and 02-28 working.
TEST_F(ScheduleTest, AcrossSpringFestival) {
  in_.today = D("2026-02-09");  // Monday
  const int permit = Node("施工许可", 5);
  const int start = Node("开工", 0, D("2026-03-02"));
  Link(permit, start);
  const Schedule s = Compute();
  // 02-09 … 02-13, and 开工 on the next working day: Saturday 02-14.
  EXPECT_EQ(s.nodes[permit].forecast_finish, D("2026-02-13"));
  EXPECT_EQ(s.nodes[start].forecast_finish, D("2026-02-14"));
  // 开工 ≤ 03-02 (Mon): 许可 done by Saturday 02-28, started 02-24 (24 … 28),
  // the holiday week skipped.
  EXPECT_EQ(s.nodes[permit].latest_finish, D("2026-02-28"));
  EXPECT_EQ(s.nodes[permit].latest_start, D("2026-02-24"));
  // 02-14 → 03-02: 24, 25, 26, 27, 28, 03-02.
  EXPECT_EQ(s.nodes[start].slack, 6);
  EXPECT_EQ(s.nodes[permit].slack, 6);
}

// 中秋 + 国庆 2026: 09-25 … 09-27 and 10-01 … 10-07 off, Sunday 09-20 and
// Saturday 10-10 working. The plan does not fit: one problem, the slip.
TEST_F(ScheduleTest, AcrossNationalDayCannotFit) {
  in_.today = D("2026-09-21");  // Monday
  const int permit = Node("施工许可", 10);
  const int start = Node("开工", 0, D("2026-10-08"));
  Link(permit, start);
  const Schedule s = Compute();
  // 21, 22, 23, 24, 28, 29, 30, 10-08, 10-09, 10-10 (Sat) → 开工 10-12 (Mon).
  EXPECT_EQ(s.nodes[permit].forecast_finish, D("2026-10-10"));
  EXPECT_EQ(s.nodes[start].forecast_finish, D("2026-10-12"));
  // Backward: done by 09-30; 10 days back: 30, 29, 28, 24, 23, 22, 21,
  // 20 (Sun, working), 18, 17 → must have started 09-17.
  EXPECT_EQ(s.nodes[permit].latest_finish, D("2026-09-30"));
  EXPECT_EQ(s.nodes[permit].latest_start, D("2026-09-17"));
  // 10-08 → 10-12: 09, 10, 12.
  EXPECT_EQ(s.nodes[start].slack, -3);
  EXPECT_EQ(s.nodes[permit].slack, -3);
  ASSERT_EQ(s.targets.size(), 1u);
  EXPECT_EQ(s.targets[0].slip, 3);
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0].kind, ScheduleProblem::Kind::kCannotFit);
  EXPECT_THAT(s.problems[0].nodes, ElementsAre(permit, start));
  EXPECT_EQ(s.problems[0].message, "施工许可 最晚应于 2026-09-17 开始,工期已不足(开工 目标 2026-10-08)");
}

// The header's own example: a 开工 milestone after a 施工许可 finishing
// 03-09 (Mon) is on 03-10.
TEST_F(ScheduleTest, MilestoneIsTheNextWorkingDay) {
  in_.today = D("2026-03-03");  // Tuesday
  const int permit = Node("施工许可", 5);  // 03, 04, 05, 06, 09
  const int start = Node("开工", 0);
  Link(permit, start);
  const Schedule s = Compute();
  EXPECT_EQ(s.nodes[permit].forecast_finish, D("2026-03-09"));
  EXPECT_EQ(s.nodes[start].forecast_start, D("2026-03-10"));
  // No target anywhere: no latest dates, no slack, nothing critical.
  EXPECT_FALSE(s.nodes[start].latest_finish);
  EXPECT_FALSE(s.nodes[permit].slack);
  EXPECT_FALSE(s.nodes[permit].critical);
  EXPECT_TRUE(s.targets.empty());
}

TEST_F(ScheduleTest, TodayOnARestDayStartsOnTheNextWorkingDay) {
  in_.today = D("2026-11-28");  // Saturday
  const int a = Node("场地平整", 2);
  const Schedule s = Compute();
  EXPECT_EQ(s.nodes[a].forecast_start, D("2026-11-30"));
  EXPECT_EQ(s.nodes[a].forecast_finish, D("2026-12-01"));
}

TEST_F(ScheduleTest, TargetOnARestDayMeansTheWorkingDayBefore) {
  in_.today = D("2026-09-14");
  const int permit = Node("施工许可", 3, D("2026-10-01"));  // 国庆: done by 09-30
  const int start = Node("开工", 0, D("2026-11-29"));      // a Sunday: by Friday 11-27
  const Schedule s = Compute();
  EXPECT_EQ(s.nodes[permit].latest_finish, D("2026-09-30"));
  EXPECT_EQ(s.nodes[permit].latest_start, D("2026-09-28"));  // 28, 29, 30
  EXPECT_EQ(s.nodes[start].latest_finish, D("2026-11-27"));
}

// A done predecessor moves its successor by when it really finished; the
// 10-day lag makes the difference visible after today.
TEST_F(ScheduleTest, ActualFinishEarlyOrLateMovesSuccessors) {
  in_.today = D("2026-11-24");
  const int land = Node("土地摘牌", 5);
  const int permit = Node("用地规划许可", 3);
  Link(land, permit, 10);
  in_.nodes[land].actual_start = D("2026-11-09");

  in_.nodes[land].actual_finish = D("2026-11-12");  // early
  Schedule s = Compute();
  // Boundary 11-13, +10: 16, 17, 18, 19, 20, 23, 24, 25, 26, 27 → starts 11-27; 27, 30, 12-01.
  EXPECT_TRUE(s.nodes[land].done);
  EXPECT_EQ(s.nodes[land].forecast_start, D("2026-11-09"));
  EXPECT_EQ(s.nodes[land].forecast_finish, D("2026-11-12"));
  EXPECT_EQ(s.nodes[permit].forecast_start, D("2026-11-27"));
  EXPECT_EQ(s.nodes[permit].forecast_finish, D("2026-12-01"));

  in_.nodes[land].actual_finish = D("2026-11-20");  // late
  s = Compute();
  // Boundary 11-23, +10: 24, 25, 26, 27, 30, 12-01, 02, 03, 04, 07 → 12-07; 07, 08, 09.
  EXPECT_EQ(s.nodes[permit].forecast_start, D("2026-12-07"));
  EXPECT_EQ(s.nodes[permit].forecast_finish, D("2026-12-09"));

  // Done without a start date: it is taken as its duration before the finish.
  in_.nodes[land].actual_start.reset();
  s = Compute();
  EXPECT_EQ(s.nodes[land].forecast_start, D("2026-11-16"));  // 16, 17, 18, 19, 20
  EXPECT_EQ(s.nodes[permit].forecast_start, D("2026-12-07"));
}

TEST_F(ScheduleTest, StartedPastItsDurationFinishesToday) {
  in_.today = D("2026-11-24");
  const int a = Node("设备安装调试", 2);
  const int b = Node("竣工验收", 3);
  Link(a, b);
  in_.nodes[a].actual_start = D("2026-11-16");  // should have ended 11-17
  Schedule s = Compute();
  EXPECT_TRUE(s.nodes[a].started);
  EXPECT_FALSE(s.nodes[a].done);
  EXPECT_EQ(s.nodes[a].forecast_start, D("2026-11-16"));
  EXPECT_EQ(s.nodes[a].forecast_finish, D("2026-11-24"));
  EXPECT_EQ(s.nodes[b].forecast_start, D("2026-11-25"));

  // Started recently, within its duration: its own duration from the start.
  in_.nodes[a].duration = 5;
  in_.nodes[a].actual_start = D("2026-11-23");  // 23, 24, 25, 26, 27
  s = Compute();
  EXPECT_EQ(s.nodes[a].forecast_finish, D("2026-11-27"));
  EXPECT_EQ(s.nodes[b].forecast_start, D("2026-11-30"));
}

// A started node running late slips every target after it, by the same
// working days, and every node on the chain is critical.
TEST_F(ScheduleTest, SlipPropagatesToEveryTarget) {
  in_.today = D("2026-11-24");
  const int a = Node("施工许可", 5);
  const int b = Node("开工准备", 3);
  const int m1 = Node("开工", 0, D("2026-11-27"));
  const int c = Node("主体施工", 10);
  const int m2 = Node("竣工", 0, D("2026-12-11"));
  Link(a, b);
  Link(b, m1);
  Link(m1, c);
  Link(c, m2);
  in_.nodes[a].actual_start = D("2026-11-10");  // 5 days would have ended 11-16
  const Schedule s = Compute();
  // 施工许可 finishes today 11-24 at the earliest; 准备 25, 26, 27; 开工 11-30;
  // 主体 11-30 … 12-11 (30, 1, 2, 3, 4, 7, 8, 9, 10, 11); 竣工 12-14.
  EXPECT_EQ(s.nodes[a].forecast_finish, D("2026-11-24"));
  EXPECT_EQ(s.nodes[b].forecast_finish, D("2026-11-27"));
  EXPECT_EQ(s.nodes[m1].forecast_finish, D("2026-11-30"));
  EXPECT_EQ(s.nodes[c].forecast_finish, D("2026-12-11"));
  EXPECT_EQ(s.nodes[m2].forecast_finish, D("2026-12-14"));
  ASSERT_EQ(s.targets.size(), 2u);
  EXPECT_EQ(s.targets[0].node, m1);
  EXPECT_EQ(s.targets[0].slip, 1);  // 11-27 → 11-30
  EXPECT_EQ(s.targets[1].node, m2);
  EXPECT_EQ(s.targets[1].slip, 1);  // 12-11 → 12-14
  // Backward: 竣工 ≤ 12-11 → 主体 by 12-10, from 11-27; 开工 ≤ 11-27 either way;
  // 准备 by 11-26 from 11-24; 施工许可 by 11-23, from 11-17.
  EXPECT_EQ(s.nodes[c].latest_start, D("2026-11-27"));
  EXPECT_EQ(s.nodes[c].latest_finish, D("2026-12-10"));
  EXPECT_EQ(s.nodes[m1].latest_finish, D("2026-11-27"));
  EXPECT_EQ(s.nodes[b].latest_start, D("2026-11-24"));
  EXPECT_EQ(s.nodes[a].latest_finish, D("2026-11-23"));
  EXPECT_EQ(s.nodes[a].latest_start, D("2026-11-17"));
  for (int v : {a, b, m1, c, m2}) {
    EXPECT_EQ(s.nodes[v].slack, -1) << v;
    EXPECT_TRUE(s.nodes[v].critical) << v;
  }
  // 准备 can still start today (its latest start): no problem reported.
  EXPECT_TRUE(s.problems.empty());
}

// Two targets on separate chains: each its own critical path; done nodes
// are never critical.
TEST_F(ScheduleTest, MultipleTargetsEachWithItsCriticalPath) {
  in_.today = D("2026-11-24");
  const int a = Node("环评", 4);                      // 24 … 27
  const int a_done = Node("立项", 2);
  const int ma = Node("环评批复", 0, D("2026-11-30"));  // forecast 11-30, slack 0
  const int b = Node("能评", 2);                      // 24, 25
  const int mb = Node("能评批复", 0, D("2026-12-04"));  // forecast 11-26, slack 6
  Link(a_done, a);
  Link(a, ma);
  Link(b, mb);
  in_.nodes[a_done].actual_start = D("2026-11-16");
  in_.nodes[a_done].actual_finish = D("2026-11-17");
  const Schedule s = Compute();
  EXPECT_EQ(s.nodes[ma].slack, 0);
  EXPECT_EQ(s.nodes[mb].slack, 6);  // 26 → 27, 30, 1, 2, 3, 4
  EXPECT_TRUE(s.nodes[a].critical);
  EXPECT_TRUE(s.nodes[ma].critical);
  EXPECT_TRUE(s.nodes[b].critical);  // its own target's path, float 6 = 6
  EXPECT_TRUE(s.nodes[mb].critical);
  EXPECT_FALSE(s.nodes[a_done].critical);
  // 立项 had to finish by 11-23 (环评 from 11-24); it finished 11-17: 18, 19, 20, 23 to spare.
  EXPECT_EQ(s.nodes[a_done].latest_finish, D("2026-11-23"));
  EXPECT_EQ(s.nodes[a_done].slack, 4);
}

TEST_F(ScheduleTest, TargetPassed) {
  in_.today = D("2026-11-24");
  const int start = Node("开工", 0, D("2026-11-20"));
  const Schedule s = Compute();
  EXPECT_EQ(s.targets[0].forecast, D("2026-11-24"));
  EXPECT_EQ(s.targets[0].slip, 2);  // 11-20 → 23, 24
  ASSERT_EQ(s.problems.size(), 1u);  // not also "cannot fit": the passed target says it
  EXPECT_EQ(s.problems[0].kind, ScheduleProblem::Kind::kTargetPassed);
  EXPECT_THAT(s.problems[0].nodes, ElementsAre(start));
  EXPECT_EQ(s.problems[0].message, "开工 目标日期 2026-11-20 已过,节点尚未完成");

  // Done: nothing to report, whatever the date.
  in_.nodes[start].actual_finish = D("2026-11-23");
  EXPECT_TRUE(Compute().problems.empty());
  // A target of today is not passed yet.
  in_.nodes[start].actual_finish.reset();
  in_.nodes[start].target = D("2026-11-24");
  EXPECT_TRUE(Compute().problems.empty());
}

// A target earlier than what a later node's target allows.
TEST_F(ScheduleTest, ConflictingTargets) {
  in_.today = D("2026-11-24");
  const int permit = Node("施工许可", 5, D("2026-12-15"));
  const int start = Node("开工", 0, D("2026-12-10"));
  Link(permit, start);
  const Schedule s = Compute();
  // 开工 ≤ 12-10 means 施工许可 by 12-09: its own 12-15 cannot hold.
  EXPECT_EQ(s.nodes[permit].latest_finish, D("2026-12-09"));
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0].kind, ScheduleProblem::Kind::kConflictingTargets);
  EXPECT_THAT(s.problems[0].nodes, ElementsAre(permit, start));
  EXPECT_EQ(s.problems[0].message,
            "施工许可 目标 2026-12-15 与 开工 目标 2026-12-10 冲突:要赶上 开工,施工许可 最晚应于 2026-12-09 完成");

  // Consistent targets: 施工许可 by 12-09 exactly is fine.
  in_.nodes[permit].target = D("2026-12-09");
  EXPECT_TRUE(Compute().problems.empty());
}

// Only the first node of a chain that no longer fits is reported.
TEST_F(ScheduleTest, CannotFitNamesTheFirstNodeOnly) {
  in_.today = D("2026-11-24");
  const int a = Node("施工图审查", 10);
  const int b = Node("施工许可", 5);
  const int m = Node("开工", 0, D("2026-11-30"));
  Link(a, b);
  Link(b, m);
  const Schedule s = Compute();
  // 开工 ≤ 11-30: 许可 from 11-23 (23, 24, 25, 26, 27) and 审查 from 11-09
  // (9 … 13, 16 … 20): both before today, only 审查 is named.
  EXPECT_EQ(s.nodes[b].latest_start, D("2026-11-23"));
  EXPECT_EQ(s.nodes[a].latest_start, D("2026-11-09"));
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0].kind, ScheduleProblem::Kind::kCannotFit);
  EXPECT_THAT(s.problems[0].nodes, ElementsAre(a, m));
  EXPECT_EQ(s.problems[0].message, "施工图审查 最晚应于 2026-11-09 开始,工期已不足(开工 目标 2026-11-30)");
}

TEST_F(ScheduleTest, CycleIsRefusedNamingItsNodesInOrder) {
  in_.today = D("2026-11-24");
  const int prep = Node("前期准备", 5);
  const int permit = Node("施工许可", 5);
  const int start = Node("开工", 0);
  const int build = Node("主体施工", 50);
  Link(prep, permit);
  Link(permit, start);
  Link(start, permit);
  Link(start, build);
  Status st = Refusal();
  EXPECT_EQ(st.code(), StatusCode::kValidationFailed);
  EXPECT_EQ(st.field(), "links");
  EXPECT_EQ(st.message(), "节点存在循环依赖:施工许可 → 开工 → 施工许可 (dependency cycle: 施工许可 → 开工 → 施工许可)");

  // A longer loop, entered from its last node: still told from its first node.
  in_.links = {{build, prep, 0}, {prep, permit, 0}, {permit, start, 0}, {start, build, 0}};
  st = Refusal();
  EXPECT_THAT(st.message(), HasSubstr("前期准备 → 施工许可 → 开工 → 主体施工 → 前期准备"));
  EXPECT_THAT(FindCycle(4, in_.links), ElementsAre(prep, permit, start, build, prep));
  EXPECT_TRUE(FindCycle(4, {{prep, permit, 0}, {permit, start, 0}}).empty());
}

TEST_F(ScheduleTest, BadInputIsRefusedNamingTheField) {
  in_.today = D("2026-11-24");
  const int a = Node("施工许可", 5);
  const int b = Node("开工", 0);

  in_.links = {{a, 7, 0}};
  EXPECT_EQ(Refusal().field(), "links");
  in_.links = {{a, a, 0}};
  EXPECT_THAT(Refusal().message(), HasSubstr("施工许可 不能依赖自身"));
  in_.links = {{a, b, -1}};
  EXPECT_EQ(Refusal().field(), "links");
  in_.links = {{a, b, kMaxWorkingDays + 1}};
  EXPECT_EQ(Refusal().field(), "links");
  in_.links = {{a, b, kMaxWorkingDays}};
  EXPECT_TRUE(ComputeSchedule(in_, cal_).ok());

  in_.nodes[b].duration = -1;
  EXPECT_EQ(Refusal().field(), "nodes[1].duration");
  in_.nodes[b].duration = kMaxWorkingDays + 1;
  EXPECT_EQ(Refusal().field(), "nodes[1].duration");
  in_.nodes[b].duration = 0;

  in_.nodes[a].actual_start = D("2026-11-20");
  in_.nodes[a].actual_finish = D("2026-11-19");
  const Status st = Refusal();
  EXPECT_EQ(st.field(), "nodes[0].actual_finish");
  EXPECT_THAT(st.message(), HasSubstr("施工许可"));
}

TEST(NodeEvent, CodesAndLabels) {
  EXPECT_EQ(NodeEventCode(NodeEvent::kStarted), "started");
  EXPECT_EQ(NodeEventLabel(NodeEvent::kOperating), "投产");
  EXPECT_EQ(ParseNodeEvent("竣工"), NodeEvent::kCompleted);
  EXPECT_EQ(ParseNodeEvent("signed"), NodeEvent::kSigned);
  EXPECT_EQ(ParseNodeEvent(""), NodeEvent::kNone);
  EXPECT_EQ(ParseNodeEvent("finished"), std::nullopt);
}

}  // namespace
}  // namespace zb::domain
