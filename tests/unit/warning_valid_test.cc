// How long warning results hold (domain::StableThrough) and the reasons'
// day-invariant forms (domain::WarningReason), on the real calendar across
// 春节 2026: for random plans and project facts, evaluated on a day d0,
// - on every later day up to StableThrough the nodes' colours and forms,
//   and the project's colour, counts and forms are d0's — and d0's forms,
//   rendered for that day, say exactly what evaluating on that day says;
// - the day after StableThrough (below the horizon) something differs, so
//   the warning engine never keeps a row past its last valid day;
// - MaxSlip's form gives each day's most working days late.
// The warning engine stores these results with valid_until =
// StableThrough and skips the project until then (storage/warning_store.h).
#include <gtest/gtest.h>

#include <random>

#include "domain/warnings.h"
#include "real_calendar.h"

namespace zb::domain {
namespace {

using zb::testing::D;
using zb::testing::RealCalendar;

struct Evaluated {
  Schedule schedule;
  std::vector<NodeWarning> nodes;
  ProjectWarning project;
};

Evaluated EvaluateOn(ScheduleInput in, const ProjectFacts& facts, Date day, const WorkCalendar& cal,
                     const WarningThresholds& th) {
  in.today = day;
  auto s = ComputeSchedule(in, cal);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  Evaluated e{*s, {}, {}};
  e.nodes = EvaluateNodes(in, e.schedule, cal, th);
  e.project = EvaluateProject(facts, &in, &e.schedule, &e.nodes, day, cal, th);
  return e;
}

// The results the engine stores: node colours and forms, the project's
// colour, counts and forms.
bool SameResults(const Evaluated& a, const Evaluated& b) {
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    if (a.nodes[i].colour != b.nodes[i].colour || !(a.nodes[i].form == b.nodes[i].form)) return false;
  }
  return a.project.colour == b.project.colour && a.project.red_nodes == b.project.red_nodes &&
         a.project.yellow_nodes == b.project.yellow_nodes && a.project.forms == b.project.forms;
}

// The most working days late on the schedule's day, as the engine computed
// it before SlipForm: the largest −slack of a node not done, or target slip.
int64_t MaxSlipOf(const Schedule& s) {
  int64_t out = 0;
  for (const NodeSchedule& n : s.nodes) {
    if (n.slack && !n.done) out = std::max(out, -*n.slack);
  }
  for (const TargetForecast& t : s.targets) out = std::max(out, t.slip);
  return out;
}

TEST(WarningValidity, RandomPlansHoldTheirResultsExactlyUntilStableThrough) {
  const WorkCalendar cal = RealCalendar();
  const WarningThresholds th;
  std::mt19937 rng(20261125);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const ProjectStage stages[] = {ProjectStage::kPlanning, ProjectStage::kSigned, ProjectStage::kPreparing,
                                 ProjectStage::kBuilding, ProjectStage::kCompleted};
  int bounded = 0, moving_reasons = 0;
  for (int plan = 0; plan < 60; ++plan) {
    ScheduleInput in;
    const int n = pick(1, 12);
    for (int i = 0; i < n; ++i) {
      ScheduleNodeInput node{"n" + std::to_string(i), pick(0, 3) == 0 ? 0 : pick(1, 20), {}, {}, {}};
      if (pick(0, 2) == 0) node.target = D("2026-01-10").AddDays(pick(0, 90));
      switch (pick(0, 5)) {
        case 0:
          node.actual_start = D("2025-12-01").AddDays(pick(0, 60));
          node.actual_finish = node.actual_start->AddDays(pick(0, 20));
          break;
        case 1: node.actual_start = D("2025-12-15").AddDays(pick(0, 40)); break;
        default: break;
      }
      in.nodes.push_back(node);
    }
    for (int to = 1; to < n; ++to) {
      for (int from = 0; from < to; ++from) {
        if (pick(0, 3) == 0) in.links.push_back({from, to, pick(0, 4) == 0 ? pick(1, 5) : 0});
      }
    }
    ProjectFacts facts;
    facts.stage = stages[pick(0, 4)];
    if (pick(0, 1) == 0) facts.planned_start = D("2025-11-01").AddDays(pick(0, 150));
    SCOPED_TRACE("plan " + std::to_string(plan));
    for (Date d0 = D("2026-01-05"); d0 <= D("2026-03-20"); d0 = d0.AddDays(pick(5, 9))) {
      const Evaluated ref = EvaluateOn(in, facts, d0, cal, th);
      const Date horizon = d0.AddDays(45);
      const Date until = StableThrough(facts, &in, &ref.schedule, d0, cal, th, horizon);
      ASSERT_GE(until, d0);
      ASSERT_LE(until, horizon);
      const SlipForm slip = MaxSlip(ref.schedule, cal);
      for (Date d = d0; d <= horizon; d = d.AddDays(1)) {
        SCOPED_TRACE("from " + d0.ToString() + " on " + d.ToString() + ", stable through " + until.ToString());
        const Evaluated now = EvaluateOn(in, facts, d, cal, th);
        EXPECT_EQ(slip.At(cal.Ordinal(cal.AddWorkingDays(d, 0))), MaxSlipOf(now.schedule));
        if (d > until) {
          EXPECT_FALSE(SameResults(ref, now)) << "the day after StableThrough changes something";
          ++bounded;
          break;
        }
        ASSERT_TRUE(SameResults(ref, now));
        ASSERT_EQ(ref.project.forms.size(), now.project.reasons.size());
        for (size_t k = 0; k < ref.project.forms.size(); ++k) {
          EXPECT_EQ(ref.project.forms[k].Render(d, cal), now.project.reasons[k]);
          if (d > d0 && ref.project.reasons[k] != now.project.reasons[k]) ++moving_reasons;
        }
        for (size_t i = 0; i < ref.nodes.size(); ++i) {
          EXPECT_EQ(ref.nodes[i].form.Render(d, cal), now.nodes[i].reason);
          // The words quote the slack the scheduler reports (the plan page
          // shows both).
          const NodeRule rule = now.nodes[i].rule;
          if (rule == NodeRule::kGreen || rule == NodeRule::kLittleSlack || rule == NodeRule::kForecastLate) {
            const int64_t slack = *now.schedule.nodes[i].slack;
            const std::string days = " " + std::to_string(rule == NodeRule::kForecastLate ? -slack : slack) + " 个工作日";
            EXPECT_TRUE(now.nodes[i].reason.ends_with(days)) << now.nodes[i].reason << " slack " << slack;
          }
        }
      }
      if (::testing::Test::HasFailure()) return;  // one plan's failures are enough to read
    }
  }
  EXPECT_GT(bounded, 50) << "plans whose results changed within the horizon";
  EXPECT_GT(moving_reasons, 50) << "reasons whose words moved with the day while their form held";
}

// The progress rule's numbers move daily: while it applies, results hold
// for today only. A finished project holds to the horizon.
TEST(WarningValidity, ProgressRuleHoldsForTodayOnlyAndFinishedProjectsForEver) {
  const WorkCalendar cal = RealCalendar();
  const WarningThresholds th;
  ProjectFacts building;
  building.stage = ProjectStage::kBuilding;
  building.planned_start = D("2026-01-01");
  building.planned_completion = D("2026-12-31");
  building.reported_progress = 10;
  const Date today = D("2026-03-02");
  EXPECT_EQ(StableThrough(building, nullptr, nullptr, today, cal, th, today.AddDays(100)), today);
  building.reported_progress.reset();
  EXPECT_EQ(StableThrough(building, nullptr, nullptr, today, cal, th, today.AddDays(100)), today.AddDays(100));
  ProjectFacts done;
  done.stage = ProjectStage::kCompleted;
  done.planned_start = D("2026-01-01");
  EXPECT_EQ(StableThrough(done, nullptr, nullptr, today, cal, th, today.AddDays(100)), today.AddDays(100));
}

// Not started, planned for 2026-05-10: nothing until May, 本月 in May, then
// "尚未开工" from June, red after three months — each boundary exact.
TEST(WarningValidity, NotStartedRuleChangesOnItsMonthBoundaries) {
  const WorkCalendar cal = RealCalendar();
  const WarningThresholds th;
  ProjectFacts f;
  f.stage = ProjectStage::kSigned;
  f.planned_start = D("2026-05-10");
  auto until = [&](const char* today) {
    return StableThrough(f, nullptr, nullptr, D(today), cal, th, D(today).AddDays(366)).ToString();
  };
  EXPECT_EQ(until("2026-03-15"), "2026-04-30");
  EXPECT_EQ(until("2026-05-01"), "2026-05-31");
  EXPECT_EQ(until("2026-06-01"), "2026-08-10");  // red from 08-11: more than 3 months after 05-10
  EXPECT_EQ(until("2026-08-11"), "2027-08-12");  // red for good: the horizon, 366 days on
}

}  // namespace
}  // namespace zb::domain
