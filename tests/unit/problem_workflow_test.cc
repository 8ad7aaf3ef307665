// The problem workflow (docs/api-problems.md § The workflow): every action
// in every status for each kind of caller, written out by hand, and the
// deadlines on the real calendar.
#include "domain/problem.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "real_calendar.h"

namespace zb::domain {
namespace {

using S = ProblemStatus;
using A = ProblemAction;
using zb::testing::D;

const WorkCalendar& Cal() {
  static const WorkCalendar cal = zb::testing::RealCalendar();
  return cal;
}

// The callers, as the API describes them.
ProblemActor Bureau() {  // 重点办: assigns and supervises everything
  return {.can_write = true, .can_assign = true, .can_supervise = true, .assign_over_coord = true,
          .assign_over_lead = true};
}
ProblemActor LeadDept() { return {.can_write = true, .in_lead_unit = true}; }  // 责任部门
ProblemActor Town() {  // coordinates the item, the lead unit is not under it
  return {.can_write = true, .can_assign = true, .assign_over_coord = true};
}
ProblemActor Enterprise() { return {.can_write = true, .enterprise_user = true, .own_enterprise = true}; }
ProblemActor Leader() { return {.can_supervise = true}; }  // 领导: 督办 only
ProblemActor CoDept() { return {.can_write = true}; }     // 协办单位

ProblemFacts Item(S status) {
  ProblemFacts f;
  f.status = status;
  f.raised_on = D("2025-09-01");
  f.has_lead_unit = status != S::kPending;
  f.has_higher_level = true;
  if (status != S::kPending) f.deadline = f.original_deadline = D("2025-09-15");
  return f;
}

std::string Names(const std::vector<A>& actions) {
  std::string out;
  for (A a : actions) out += (out.empty() ? "" : " ") + std::string(Code(a));
  return out;
}

struct Case {
  const char* who;
  ProblemActor (*actor)();
  std::map<S, const char*> allowed;  // status → the actions, in table order
};

// Written from the contract's table, not from the code under test.
const Case kCases[] = {
    {"bureau", Bureau,
     {{S::kPending, "assign on_spot escalate supervise agenda comment"},
      {S::kAssigned, "assign start escalate supervise agenda comment"},
      {S::kInProgress, "assign escalate supervise agenda comment"},
      {S::kResolved, "close reopen rate comment"},
      {S::kClosed, "reopen rate comment"},
      {S::kReturned, "assign escalate supervise agenda comment"}}},
    {"lead department", LeadDept,
     {{S::kPending, "on_spot escalate comment"},
      {S::kAssigned, "start return extend resolve escalate comment"},
      {S::kInProgress, "return extend resolve escalate comment"},
      {S::kResolved, "comment"},
      {S::kClosed, "comment"},
      {S::kReturned, "escalate comment"}}},
    {"town", Town,
     {{S::kPending, "assign on_spot escalate agenda comment"},
      {S::kAssigned, "assign escalate agenda comment"},
      {S::kInProgress, "assign escalate agenda comment"},
      {S::kResolved, "close reopen rate comment"},
      {S::kClosed, "reopen rate comment"},
      {S::kReturned, "assign escalate agenda comment"}}},
    {"enterprise", Enterprise,
     {{S::kPending, "comment"},
      {S::kAssigned, "comment"},
      {S::kInProgress, "comment"},
      {S::kResolved, "reopen rate comment"},
      {S::kClosed, "reopen rate comment"},
      {S::kReturned, "comment"}}},
    {"leader", Leader,
     {{S::kPending, "supervise"},
      {S::kAssigned, "supervise"},
      {S::kInProgress, "supervise"},
      {S::kResolved, ""},
      {S::kClosed, ""},
      {S::kReturned, "supervise"}}},
    {"co-handling department", CoDept,
     {{S::kPending, "on_spot comment"},
      {S::kAssigned, "comment"},
      {S::kInProgress, "comment"},
      {S::kResolved, "comment"},
      {S::kClosed, "comment"},
      {S::kReturned, "comment"}}},
};

ActionInput Input(A a) {
  ActionInput in;
  in.action = a;
  in.today = D("2025-09-10");
  in.new_deadline = D("2025-09-30");
  in.satisfaction = Satisfaction::kSatisfied;
  return in;
}

TEST(ProblemWorkflow, EveryActionInEveryStatusForEveryCaller) {
  for (const Case& c : kCases) {
    for (const auto& [status, expected] : c.allowed) {
      SCOPED_TRACE(std::string(c.who) + " / " + std::string(Code(status)));
      ProblemFacts item = Item(status);
      std::vector<A> allowed = AllowedActions(item, c.actor());
      EXPECT_EQ(Names(allowed), expected);
      // PlanAction agrees with the list: each listed action plans; each other
      // is 409 when the status refuses it, else 403.
      for (const auto& def : ProblemActions()) {
        auto r = PlanAction(item, c.actor(), Input(def.value), Cal());
        bool listed = std::find(allowed.begin(), allowed.end(), def.value) != allowed.end();
        if (listed) {
          EXPECT_TRUE(r.ok()) << def.code << ": " << r.status().ToString();
          continue;
        }
        ASSERT_FALSE(r.ok()) << def.code;
        EXPECT_EQ(r.status().field(), "action") << def.code;
        // Whether the status admits it at all: some caller may take it.
        bool someone = false;
        for (const Case& other : kCases) {
          for (A x : AllowedActions(item, other.actor())) someone = someone || x == def.value;
        }
        EXPECT_EQ(r.status().code(), someone ? StatusCode::kForbidden : StatusCode::kInvalidTransition)
            << def.code << ": " << r.status().ToString();
      }
    }
  }
}

TEST(ProblemWorkflow, TheRefusalListsWhatTheCallerMayDo) {
  auto r = PlanAction(Item(S::kAssigned), LeadDept(), Input(A::kClose), Cal());
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidTransition);
  EXPECT_EQ(r.status().message(),
            "「已交办」状态下不能销号,当前可执行:签收办理、退回、申请延期、办结、提级协调、备注 (cannot close while "
            "assigned; allowed: start, return, extend, resolve, escalate, comment)");
}

TEST(ProblemWorkflow, ADepartmentCannotCloseItsOwnItem) {
  // Even with problem:assign, the lead unit cannot verify (销号) nor grant
  // itself an extension.
  ProblemActor dept_with_assign = LeadDept();
  dept_with_assign.can_assign = true;
  auto r = PlanAction(Item(S::kResolved), dept_with_assign, Input(A::kClose), Cal());
  EXPECT_EQ(r.status().code(), StatusCode::kForbidden);
  EXPECT_EQ(r.status().field(), "action");
  ProblemFacts pending_ext = Item(S::kInProgress);
  pending_ext.extension_pending = true;
  EXPECT_EQ(PlanAction(pending_ext, dept_with_assign, Input(A::kExtendDecide), Cal()).status().code(),
            StatusCode::kForbidden);
}

TEST(ProblemWorkflow, AnEnterpriseCannotAssignNorResolveOnTheSpot) {
  EXPECT_EQ(PlanAction(Item(S::kPending), Enterprise(), Input(A::kAssign), Cal()).status().code(),
            StatusCode::kForbidden);
  EXPECT_EQ(PlanAction(Item(S::kPending), Enterprise(), Input(A::kOnSpot), Cal()).status().code(),
            StatusCode::kForbidden);
  // Another enterprise's user (the API would not even show them the item).
  ProblemActor stranger = Enterprise();
  stranger.own_enterprise = false;
  EXPECT_EQ(PlanAction(Item(S::kResolved), stranger, Input(A::kRate), Cal()).status().code(),
            StatusCode::kForbidden);
}

TEST(ProblemWorkflow, FlagsOpenAndCloseTheirActions) {
  ProblemFacts item = Item(S::kInProgress);
  item.extension_pending = true;
  EXPECT_EQ(Names(AllowedActions(item, LeadDept())), "return resolve escalate comment");
  EXPECT_EQ(Names(AllowedActions(item, Bureau())), "assign extend_decide escalate supervise agenda comment");
  EXPECT_EQ(PlanAction(item, LeadDept(), Input(A::kExtend), Cal()).status().code(),
            StatusCode::kInvalidTransition);

  item = Item(S::kInProgress);
  item.supervised = true;
  EXPECT_EQ(Names(AllowedActions(item, LeadDept())), "return extend resolve escalate supervise_respond comment");
  EXPECT_EQ(PlanAction(item, Bureau(), Input(A::kSuperviseRespond), Cal()).status().code(), StatusCode::kForbidden);

  item = Item(S::kInProgress);
  item.on_agenda = true;
  EXPECT_EQ(Names(AllowedActions(item, Bureau())), "assign escalate supervise agenda_decide comment");
  EXPECT_EQ(PlanAction(item, Bureau(), Input(A::kAgenda), Cal()).status().code(), StatusCode::kInvalidTransition);
}

TEST(ProblemWorkflow, EscalationNeedsAHigherLevel) {
  ProblemFacts item = Item(S::kInProgress);
  item.has_higher_level = false;
  auto r = PlanAction(item, Bureau(), Input(A::kEscalate), Cal());
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidTransition);
  EXPECT_NE(r.status().message().find("已是最高层级"), std::string::npos) << r.status().message();
  item.has_higher_level = true;
  auto ok = PlanAction(item, LeadDept(), Input(A::kEscalate), Cal());
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->escalate);
  EXPECT_EQ(ok->to, S::kInProgress);
}

TEST(ProblemWorkflow, AssignDeadlineCrossesTheNationalDayHoliday) {
  // Friday 2025-09-26 + 10 working days: Sun 09-28 (调休上班) 1, 09-29 2,
  // 09-30 3, 10-01…10-08 国庆中秋 off, 10-09 4, 10-10 5, Sat 10-11 (调休上班)
  // 6, 10-13 7, 10-14 8, 10-15 9, 10-16 10.
  ActionInput in = Input(A::kAssign);
  in.today = D("2025-09-26");
  in.sla_days = 10;
  auto c = PlanAction(Item(S::kPending), Bureau(), in, Cal());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->to, S::kAssigned);
  EXPECT_EQ(c->assigned_on, D("2025-09-26"));
  EXPECT_EQ(c->deadline, D("2025-10-16"));
  EXPECT_EQ(c->original_deadline, D("2025-10-16"));
  // 2 working days from Friday 09-26: the swapped Sunday counts.
  EXPECT_EQ(SlaDeadline(Cal(), D("2025-09-26"), 2), D("2025-09-29"));
  EXPECT_EQ(SlaDeadline(Cal(), D("2025-09-26"), 1), D("2025-09-28"));
}

TEST(ProblemWorkflow, ReassignAndExtensionKeepTheOriginalDeadline) {
  ProblemFacts item = Item(S::kInProgress);  // original 2025-09-15
  ActionInput in = Input(A::kAssign);
  in.deadline = D("2025-09-30");
  auto reassign = PlanAction(item, Bureau(), in, Cal());
  ASSERT_TRUE(reassign.ok());
  EXPECT_EQ(reassign->deadline, D("2025-09-30"));
  EXPECT_FALSE(reassign->original_deadline.has_value());

  item.extension_pending = true;
  item.requested_deadline = D("2025-10-20");
  ActionInput grant = Input(A::kExtendDecide);
  grant.grant = true;
  auto granted = PlanAction(item, Bureau(), grant, Cal());
  ASSERT_TRUE(granted.ok());
  EXPECT_EQ(granted->deadline, D("2025-10-20"));
  EXPECT_FALSE(granted->original_deadline.has_value());
  EXPECT_EQ(granted->extension_pending, false);

  grant.grant = false;
  auto refused = PlanAction(item, Bureau(), grant, Cal());
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->deadline.has_value());
  EXPECT_EQ(refused->extension_pending, false);
}

TEST(ProblemWorkflow, ExtensionMustMoveTheDeadlineLater) {
  ProblemFacts item = Item(S::kInProgress);  // deadline 2025-09-15
  ActionInput in = Input(A::kExtend);
  in.new_deadline = D("2025-09-15");
  auto r = PlanAction(item, LeadDept(), in, Cal());
  EXPECT_EQ(r.status().code(), StatusCode::kValidationFailed);
  EXPECT_EQ(r.status().field(), "new_deadline");
  in.new_deadline.reset();
  EXPECT_EQ(PlanAction(item, LeadDept(), in, Cal()).status().field(), "new_deadline");
  in.new_deadline = D("2025-09-16");
  auto ok = PlanAction(item, LeadDept(), in, Cal());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->extension_pending, true);
  EXPECT_FALSE(ok->deadline.has_value());  // only a granted extension moves it
}

TEST(ProblemWorkflow, ReopenAndUnsatisfiedRatingStartAgainWithANewDeadline) {
  ProblemFacts item = Item(S::kClosed);
  ActionInput in = Input(A::kReopen);
  in.today = D("2025-09-30");
  in.sla_days = 3;  // 09-30 + 3: 10-09, 10-10, Sat 10-11 (调休上班)
  auto c = PlanAction(item, Enterprise(), in, Cal());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->to, S::kInProgress);
  EXPECT_TRUE(c->reopen);
  EXPECT_EQ(c->deadline, D("2025-10-11"));
  EXPECT_FALSE(c->original_deadline.has_value());

  in.action = A::kRate;
  in.satisfaction = Satisfaction::kUnsatisfied;
  auto rated = PlanAction(Item(S::kResolved), Bureau(), in, Cal());
  ASSERT_TRUE(rated.ok());
  EXPECT_EQ(rated->satisfaction, Satisfaction::kUnsatisfied);
  EXPECT_EQ(rated->to, S::kInProgress);
  EXPECT_TRUE(rated->reopen);

  in.satisfaction = Satisfaction::kBasic;
  auto basic = PlanAction(Item(S::kResolved), Enterprise(), in, Cal());
  ASSERT_TRUE(basic.ok());
  EXPECT_EQ(basic->to, S::kResolved);
  EXPECT_FALSE(basic->reopen);

  in.satisfaction.reset();
  EXPECT_EQ(PlanAction(Item(S::kResolved), Enterprise(), in, Cal()).status().field(), "satisfaction");

  // Resolved on the spot, so never assigned: back to the bureau.
  ProblemFacts spot = Item(S::kClosed);
  spot.has_lead_unit = false;
  in.action = A::kReopen;
  auto back = PlanAction(spot, Bureau(), in, Cal());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->to, S::kPending);
  EXPECT_FALSE(back->deadline.has_value());
}

TEST(ProblemWorkflow, ResolvingCountsWorkingDaysAndChecksTheDate) {
  ProblemFacts item = Item(S::kInProgress);
  item.raised_on = D("2025-09-29");
  ActionInput in = Input(A::kResolve);
  in.today = D("2025-10-13");
  in.date = D("2025-10-10");  // (09-29, 10-10]: 09-30, 10-09, 10-10
  auto c = PlanAction(item, LeadDept(), in, Cal());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->to, S::kResolved);
  EXPECT_EQ(c->resolved_on, D("2025-10-10"));
  EXPECT_EQ(c->resolve_days, 3);
  EXPECT_FALSE(c->closed_on.has_value());

  in.date = D("2025-10-14");
  EXPECT_EQ(PlanAction(item, LeadDept(), in, Cal()).status().field(), "date");
  in.date = D("2025-09-28");
  EXPECT_EQ(PlanAction(item, LeadDept(), in, Cal()).status().field(), "date");

  ActionInput spot = Input(A::kOnSpot);
  spot.today = D("2025-10-13");
  ProblemFacts pending = Item(S::kPending);
  pending.raised_on = D("2025-10-13");
  auto s = PlanAction(pending, Town(), spot, Cal());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->to, S::kClosed);
  EXPECT_TRUE(s->on_spot);
  EXPECT_EQ(s->resolved_on, D("2025-10-13"));
  EXPECT_EQ(s->closed_on, D("2025-10-13"));
  EXPECT_EQ(s->resolve_days, 0);
}

TEST(ProblemWorkflow, DatesNotInThePast) {
  ActionInput in = Input(A::kAssign);
  in.deadline = D("2025-09-09");  // today is 09-10
  EXPECT_EQ(PlanAction(Item(S::kPending), Bureau(), in, Cal()).status().field(), "deadline");
  in = Input(A::kSupervise);
  in.respond_by = D("2025-09-09");
  EXPECT_EQ(PlanAction(Item(S::kAssigned), Leader(), in, Cal()).status().field(), "respond_by");
  in.respond_by = D("2025-09-10");
  auto ok = PlanAction(Item(S::kAssigned), Leader(), in, Cal());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->supervised, true);
}

TEST(ProblemWorkflow, OverdueDaysAreWorkingDaysPastTheDeadline) {
  // Deadline Tuesday 09-30; on 10-09 the holiday does not count: one day.
  EXPECT_EQ(OverdueDays(Cal(), S::kInProgress, D("2025-09-30"), D("2025-10-09")), 1);
  EXPECT_EQ(OverdueDays(Cal(), S::kInProgress, D("2025-09-30"), D("2025-09-30")), 0);
  EXPECT_EQ(OverdueDays(Cal(), S::kResolved, D("2025-09-30"), D("2025-10-20")), 0);
  EXPECT_EQ(OverdueDays(Cal(), S::kPending, std::nullopt, D("2025-10-20")), 0);
}

TEST(ProblemWorkflow, LevelsFollowTheUnitTree) {
  EXPECT_EQ(LevelOfKind("town"), ProblemLevel::kTown);
  EXPECT_EQ(LevelOfKind("zone"), ProblemLevel::kTown);
  EXPECT_EQ(LevelOfKind("village"), ProblemLevel::kTown);
  EXPECT_EQ(LevelOfKind("county"), ProblemLevel::kCounty);
  EXPECT_EQ(LevelOfKind("city"), ProblemLevel::kCity);
  EXPECT_EQ(LevelOfKind("department"), std::nullopt);

  // 村 → 镇 → 区 → 市; a department of the district counts as the district.
  std::vector<UnitKind> village = {{4, "village"}, {3, "town"}, {2, "county"}, {1, "city"}};
  EXPECT_EQ(LevelUnit(village)->id, 4);
  EXPECT_EQ(EscalationTarget(village)->id, 2);  // the town is the same level as its village
  std::vector<UnitKind> dept = {{7, "department"}, {2, "county"}, {1, "city"}};
  EXPECT_EQ(LevelUnit(dept)->id, 2);
  EXPECT_EQ(EscalationTarget(dept)->id, 1);
  std::vector<UnitKind> county = {{2, "county"}, {1, "city"}};
  EXPECT_EQ(EscalationTarget(county)->id, 1);
  std::vector<UnitKind> city = {{1, "city"}};
  EXPECT_FALSE(EscalationTarget(city).has_value());
  std::vector<UnitKind> root_county = {{2, "county"}};  // a district installation's root
  EXPECT_FALSE(EscalationTarget(root_county).has_value());
}

TEST(ProblemWorkflow, CodesAndLabels) {
  EXPECT_EQ(FormatProblemCode(2026, 1), "WT-2026-00001");
  EXPECT_EQ(FormatProblemCode(2026, 123456), "WT-2026-123456");
  EXPECT_EQ(ParseProblemStatus("办理中"), S::kInProgress);
  EXPECT_EQ(ParseProblemStatus("in_progress"), S::kInProgress);
  EXPECT_EQ(ParseProblemStatus("doing"), std::nullopt);
  EXPECT_EQ(ParseProblemSource("企业提交"), ProblemSource::kEnterprise);
  EXPECT_EQ(ParseProblemUrgency("特急"), ProblemUrgency::kCritical);
  EXPECT_EQ(ParseSatisfaction("基本满意"), Satisfaction::kBasic);
  EXPECT_EQ(ParseProblemAction("督办"), A::kSupervise);
  EXPECT_EQ(Label(A::kExtendDecide), "延期审批");
  EXPECT_EQ(ProblemActions().size(), 16u);
  EXPECT_FALSE(IsOpen(S::kResolved));
  EXPECT_TRUE(IsOpen(S::kReturned));
}

}  // namespace
}  // namespace zb::domain
