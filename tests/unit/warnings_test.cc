// Node and project warnings on the real calendar, each rule at its
// boundary. today is 2026-11-24 (Tue) unless a test says otherwise; no
// holidays in November–December 2026.
#include "domain/warnings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "real_calendar.h"

namespace zb::domain {
namespace {

using ::testing::ElementsAre;
using zb::testing::D;
using zb::testing::RealCalendar;

class WarningsTest : public ::testing::Test {
 protected:
  int Node(const std::string& name, int duration, std::optional<Date> target = {}) {
    plan_.nodes.push_back({name, duration, target, {}, {}});
    return static_cast<int>(plan_.nodes.size()) - 1;
  }
  void Link(int from, int to) { plan_.links.push_back({from, to, 0}); }
  // Schedules the plan and evaluates its nodes.
  std::vector<NodeWarning> Nodes() {
    auto s = ComputeSchedule(plan_, cal_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    schedule_ = *s;
    return EvaluateNodes(plan_, schedule_, cal_, th_);
  }
  NodeWarning Only() {
    auto w = Nodes();
    EXPECT_EQ(w.size(), 1u);
    return w.at(0);
  }
  ProjectWarning Project(const ProjectFacts& facts, bool with_plan = true) {
    if (!with_plan) return EvaluateProject(facts, nullptr, nullptr, nullptr, plan_.today, cal_, th_);
    node_warnings_ = Nodes();
    return EvaluateProject(facts, &plan_, &schedule_, &node_warnings_, plan_.today, cal_, th_);
  }
  static ProjectFacts Building() {
    ProjectFacts f;
    f.stage = ProjectStage::kBuilding;
    f.actual_start = D("2026-06-01");
    return f;
  }
  static ProjectFacts Preparing(std::optional<Date> planned_start) {
    ProjectFacts f;
    f.stage = ProjectStage::kPreparing;
    f.planned_start = planned_start;
    return f;
  }

  void SetUp() override { plan_.today = D("2026-11-24"); }

  const WorkCalendar cal_ = RealCalendar();
  WarningThresholds th_;
  ScheduleInput plan_;
  Schedule schedule_;
  std::vector<NodeWarning> node_warnings_;
};

// ---- nodes ----

TEST_F(WarningsTest, SlackAtTheThresholdIsYellowOneMoreIsGreen) {
  th_ = {.slack_yellow = 5, .due_soon = 0};
  // 10 days from 11-24 finish 12-07. Latest 12-14: 8, 9, 10, 11, 14 → slack 5.
  const int n = Node("主体施工", 10, D("2026-12-14"));
  NodeWarning w = Only();
  EXPECT_EQ(schedule_.nodes[n].slack, 5);
  EXPECT_EQ(w.colour, WarningColour::kYellow);
  EXPECT_EQ(w.reason, "主体施工 机动时间仅 5 个工作日");
  plan_.nodes[n].target = D("2026-12-15");
  w = Only();
  EXPECT_EQ(w.colour, WarningColour::kGreen);
  EXPECT_EQ(w.reason, "主体施工 机动时间 6 个工作日");
}

TEST_F(WarningsTest, DueSoonAtTheThresholdIsYellowOneMoreIsGreen) {
  th_ = {.slack_yellow = 0, .due_soon = 3};
  // A milestone due 11-27: 25, 26, 27 → 3 working days left.
  const int n = Node("开工", 0, D("2026-11-27"));
  NodeWarning w = Only();
  EXPECT_EQ(w.colour, WarningColour::kYellow);
  EXPECT_EQ(w.reason, "开工 还剩 3 个工作日到期");
  plan_.nodes[n].target = D("2026-11-30");  // 4 left
  w = Only();
  EXPECT_EQ(w.colour, WarningColour::kGreen);
  EXPECT_EQ(w.reason, "开工 机动时间 4 个工作日");
  plan_.nodes[n].target = D("2026-11-24");
  EXPECT_EQ(Only().reason, "开工 今天到期");
  EXPECT_EQ(Only().colour, WarningColour::kYellow);
}

TEST_F(WarningsTest, OverdueCountsWorkingDaysPastTheLatestFinish) {
  const int n = Node("施工许可", 3, D("2026-11-20"));  // Friday
  plan_.nodes[n].actual_start = D("2026-11-16");
  NodeWarning w = Only();
  EXPECT_EQ(w.colour, WarningColour::kRed);
  EXPECT_EQ(w.reason, "施工许可 已逾期 2 个工作日");  // 23, 24
  plan_.today = D("2026-11-21");  // the Saturday after: one, as on Monday
  EXPECT_EQ(Only().reason, "施工许可 已逾期 1 个工作日");
  plan_.today = D("2026-11-23");
  EXPECT_EQ(Only().reason, "施工许可 已逾期 1 个工作日");
  plan_.today = D("2026-11-20");  // the day itself: due today, not overdue
  EXPECT_EQ(Only().colour, WarningColour::kYellow);
  EXPECT_EQ(Only().reason, "施工许可 今天到期");
}

TEST_F(WarningsTest, ForecastBeyondTheLatestFinishIsRed) {
  // 5 days from 11-24 end 11-30; it must be done by 11-27.
  Node("施工图审查", 5, D("2026-11-27"));
  const NodeWarning w = Only();
  EXPECT_EQ(w.colour, WarningColour::kRed);
  EXPECT_EQ(w.reason, "施工图审查 预计晚于最晚完成日 1 个工作日");
}

TEST_F(WarningsTest, DoneAndUnconstrainedNodesHaveNoColour) {
  const int done = Node("签约", 0, D("2026-11-20"));
  const int free = Node("场地平整", 5);
  plan_.nodes[done].actual_finish = D("2026-11-18");
  const auto w = Nodes();
  EXPECT_EQ(w[done].colour, WarningColour::kNone);
  EXPECT_EQ(w[free].colour, WarningColour::kNone);
  EXPECT_EQ(w[free].reason, "");
}

// ---- projects: nodes rolled up ----

// A started node running late: the root cause and every slipping target,
// not each inherited "预计晚于" below it.
// 开工 happened two working days after its target: history. What it pushes
// — 竣工's forecast — is still a warning.
TEST_F(WarningsTest, ATargetMetLateIsNotAWarningItsConsequencesAre) {
  const int m1 = Node("开工", 0, D("2026-11-03"));
  const int c = Node("主体施工", 10);
  const int m2 = Node("竣工", 0, D("2026-11-17"));
  Link(m1, c);
  Link(c, m2);
  plan_.nodes[m1].actual_start = plan_.nodes[m1].actual_finish = D("2026-11-05");
  plan_.nodes[c].actual_start = D("2026-11-05");
  const ProjectWarning late = Project(Building());
  EXPECT_EQ(late.colour, WarningColour::kRed);
  EXPECT_THAT(late.reasons, ::testing::Not(::testing::Contains(::testing::HasSubstr("开工"))));
  EXPECT_THAT(late.reasons, ::testing::Contains(::testing::HasSubstr("竣工 预计推迟")));

  plan_.nodes[m2].target = D("2026-12-31");  // 竣工 has room: the late 开工 alone is no warning
  EXPECT_EQ(Project(Building()).colour, WarningColour::kGreen);
}

TEST_F(WarningsTest, ProjectListsTheRootCauseAndTheSlips) {
  const int a = Node("施工许可", 5);
  const int b = Node("开工准备", 3);
  const int m1 = Node("开工", 0, D("2026-11-27"));
  const int c = Node("主体施工", 10);
  const int m2 = Node("竣工", 0, D("2026-12-11"));
  Link(a, b);
  Link(b, m1);
  Link(m1, c);
  Link(c, m2);
  plan_.nodes[a].actual_start = D("2026-11-10");  // see ScheduleTest.SlipPropagatesToEveryTarget
  const ProjectWarning p = Project(Building());
  EXPECT_EQ(p.colour, WarningColour::kRed);
  EXPECT_EQ(p.red_nodes, 5);
  EXPECT_EQ(p.yellow_nodes, 0);
  EXPECT_THAT(p.reasons, ElementsAre("施工许可 已逾期 1 个工作日", "开工 预计推迟 1 个工作日", "竣工 预计推迟 1 个工作日"));
}

TEST_F(WarningsTest, ProjectListsTheFirstYellowOfAChain) {
  // 24, 25, 26 | 27, 30 | 开工 12-01, due 12-03: slack 2 all along.
  const int a = Node("施工许可", 3);
  const int b = Node("开工准备", 2);
  const int m = Node("开工", 0, D("2026-12-03"));
  Link(a, b);
  Link(b, m);
  const ProjectWarning p = Project(Building());
  EXPECT_EQ(p.colour, WarningColour::kYellow);
  EXPECT_EQ(p.yellow_nodes, 3);
  EXPECT_THAT(p.reasons, ElementsAre("施工许可 机动时间仅 2 个工作日"));
  // Everything well ahead: green, no reasons.
  plan_.nodes[m].target = D("2026-12-31");
  const ProjectWarning g = Project(Building());
  EXPECT_EQ(g.colour, WarningColour::kGreen);
  EXPECT_TRUE(g.reasons.empty());
}

TEST_F(WarningsTest, ProjectReasonsWorstFirst) {
  // Red: forecast 11-30, due 11-27 — said once, as the target's slip.
  Node("施工图审查", 5, D("2026-11-27"));
  const ProjectWarning p = Project(Preparing(D("2026-11-30")));
  EXPECT_EQ(p.colour, WarningColour::kRed);
  EXPECT_THAT(p.reasons, ElementsAre("施工图审查 预计推迟 1 个工作日", "计划本月开工,尚未开工"));
}

TEST_F(WarningsTest, FinishedProjectsAreNotJudged) {
  Node("施工图审查", 5, D("2026-11-27"));
  for (ProjectStage s : {ProjectStage::kCompleted, ProjectStage::kOperating, ProjectStage::kTerminated}) {
    ProjectFacts f = Preparing(D("2026-01-01"));
    f.stage = s;
    const ProjectWarning p = Project(f);
    EXPECT_EQ(p.colour, WarningColour::kNone);
    EXPECT_TRUE(p.reasons.empty());
  }
}

// ---- projects: the office rules ----

TEST_F(WarningsTest, NotStartedThisMonthIsYellow) {
  for (const char* start : {"2026-11-01", "2026-11-30"}) {
    const ProjectWarning p = Project(Preparing(D(start)), false);
    EXPECT_EQ(p.colour, WarningColour::kYellow) << start;
    EXPECT_THAT(p.reasons, ElementsAre("计划本月开工,尚未开工"));
  }
  const ProjectWarning next_month = Project(Preparing(D("2026-12-01")), false);
  EXPECT_EQ(next_month.colour, WarningColour::kGreen);
  EXPECT_TRUE(next_month.reasons.empty());
}

TEST_F(WarningsTest, NotStartedMonthsAfterThePlannedStartIsRed) {
  // 08-24 + 3 months is today: not yet over three months.
  ProjectWarning p = Project(Preparing(D("2026-08-24")), false);
  EXPECT_EQ(p.colour, WarningColour::kYellow);
  EXPECT_THAT(p.reasons, ElementsAre("计划开工 2026-08-24,尚未开工"));
  p = Project(Preparing(D("2026-08-23")), false);
  EXPECT_EQ(p.colour, WarningColour::kRed);
  EXPECT_THAT(p.reasons, ElementsAre("计划开工 2026-08-23,已超 3 个月未开工"));
  th_.not_started_red_months = 4;
  p = Project(Preparing(D("2026-08-23")), false);
  EXPECT_EQ(p.colour, WarningColour::kYellow);

  // Suspended before it started still counts; suspended while building does not.
  th_.not_started_red_months = 3;
  ProjectFacts f = Preparing(D("2026-08-23"));
  f.stage = ProjectStage::kSuspended;
  f.suspended_from = ProjectStage::kPreparing;
  EXPECT_EQ(Project(f, false).colour, WarningColour::kRed);
  f.suspended_from = ProjectStage::kBuilding;
  EXPECT_EQ(Project(f, false).colour, WarningColour::kNone);
  // Started: the rule does not apply.
  f = Preparing(D("2026-08-23"));
  f.actual_start = D("2026-09-01");
  EXPECT_EQ(Project(f, false).colour, WarningColour::kNone);
  // Nothing to judge at all.
  EXPECT_EQ(Project(Preparing(std::nullopt), false).colour, WarningColour::kNone);
}

TEST_F(WarningsTest, ProgressLagAtItsBoundaries) {
  // 09-15 → 12-24 is 100 days; today is day 70: time progress 70%.
  ProjectFacts f = Building();
  f.planned_start = D("2026-09-15");
  f.planned_completion = D("2026-12-24");
  EXPECT_EQ(Project(f, false).colour, WarningColour::kNone);  // no progress reported yet: rule skipped

  f.reported_progress = 61;  // 9 behind
  EXPECT_EQ(Project(f, false).colour, WarningColour::kGreen);
  f.reported_progress = 60;  // 10
  ProjectWarning p = Project(f, false);
  EXPECT_EQ(p.colour, WarningColour::kYellow);
  EXPECT_THAT(p.reasons, ElementsAre("形象进度 60%,时间进度 70%,滞后 10 个百分点"));
  f.reported_progress = 40;  // 30
  EXPECT_EQ(Project(f, false).colour, WarningColour::kYellow);
  f.reported_progress = 39;  // 31
  p = Project(f, false);
  EXPECT_EQ(p.colour, WarningColour::kRed);
  EXPECT_THAT(p.reasons, ElementsAre("形象进度 39%,时间进度 70%,滞后 31 个百分点"));

  // Past the planned completion, time progress stays at 100%.
  plan_.today = D("2027-03-01");
  f.reported_progress = 75;
  EXPECT_THAT(Project(f, false).reasons, ElementsAre("形象进度 75%,时间进度 100%,滞后 25 个百分点"));
}

// ---- thresholds and codes ----

TEST(WarningThresholds, ValidateNamesTheField) {
  EXPECT_TRUE(Validate(WarningThresholds{}).ok());
  WarningThresholds th;
  th.slack_yellow = -1;
  EXPECT_EQ(Validate(th).field(), "slack_yellow");
  th = {};
  th.due_soon = kMaxWorkingDays + 1;
  EXPECT_EQ(Validate(th).field(), "due_soon");
  th = {};
  th.not_started_red_months = 0;
  EXPECT_EQ(Validate(th).field(), "not_started_red_months");
  th = {};
  th.lag_yellow_points = 0;
  EXPECT_EQ(Validate(th).field(), "lag_yellow_points");
  th = {};
  th.lag_red_points = 9;  // below lag_yellow_points 10
  const Status st = Validate(th);
  EXPECT_EQ(st.code(), StatusCode::kValidationFailed);
  EXPECT_EQ(st.field(), "lag_red_points");
  th.lag_red_points = 10;
  EXPECT_TRUE(Validate(th).ok());
}

TEST(WarningColour, CodesAndLabels) {
  EXPECT_EQ(WarningColourCode(WarningColour::kRed), "red");
  EXPECT_EQ(WarningColourCode(WarningColour::kNone), "");
  EXPECT_EQ(WarningColourLabel(WarningColour::kYellow), "黄");
  EXPECT_EQ(WarningColourLabel(WarningColour::kNone), "无");
  EXPECT_EQ(ParseWarningColour("green"), WarningColour::kGreen);
  EXPECT_EQ(ParseWarningColour("none"), WarningColour::kNone);
  EXPECT_EQ(ParseWarningColour("purple"), std::nullopt);
  EXPECT_LT(WarningColour::kYellow, WarningColour::kRed);
}

}  // namespace
}  // namespace zb::domain
