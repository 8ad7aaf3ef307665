// The ledger's daily job (storage/problem_daily.h, app/problem_jobs.h) with
// the FakeClock's days: due-soon on the working day before the deadline
// (across a weekend), overdue once, automatic escalation after N working
// days overdue and not twice the same day.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "app/problem_jobs.h"
#include "storage/calendar_repo.h"
#include "storage/org_unit_repo.h"
#include "storage/problem_repo.h"

namespace zb::testing {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

class ProblemDaily : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.clock().SetToday(D("2026-11-26"), 9 * 3'600'000);  // Thursday
    s_.SignInAsAdmin();
    root_ = RootUnitId(s_);  // the district (county level)
    auto town = AddUnit(s_, root_, "T");
    auto lead = AddUnit(s_, root_, "L");
    town_ = town.id;
    lead_ = lead.id;
    int64_t plain = AddRole(s_, "plain", {}, "self");
    AddUser(s_, "coord.user", town_, {plain});
    AddUser(s_, "lead.user", lead_, {plain});
    AddUser(s_, "lead.user2", lead_, {plain});
    // An item of the town, assigned to unit L, due Monday 2026-11-30.
    id_ = MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      ZB_ASSIGN_OR_RETURN(auto row,
                          c.QueryOne("INSERT INTO problems (code, title, category, source, raised_on, org_unit_id, "
                                     "org_unit_path, coord_unit_id, coord_unit_path, level, lead_unit_id, "
                                     "lead_unit_path, status, assigned_on, deadline, original_deadline, created_at, "
                                     "updated_at) VALUES ('WT-2026-00001', '厂区供电接入', 'utilities', 'visit', "
                                     "'2026-11-16', $1, $2, $1, $2, 'town', $3, $4, 'assigned', '2026-11-16', "
                                     "'2026-11-30', '2026-11-30', $5, $5) RETURNING id",
                                     {town.id, town.path, lead.id, lead.path, s_.clock().NowMs()}));
      return row->Int(0);
    });
  }

  storage::ProblemDailyReport RunOn(const char* day) {
    s_.clock().SetToday(D(day), 0);
    auto r = app::RunProblemDaily(s_.app().pool(), D(day), s_.clock().NowMs());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : storage::ProblemDailyReport{};
  }

  // The notices of `kind` a user has (read straight from the table).
  int64_t Notices(const std::string& login, const std::string& kind) {
    return MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      ZB_ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = "
                                               "n.user_id WHERE u.login = $1 AND n.kind = $2 AND n.entity_id = $3",
                                               {login, kind, id_}));
      return row->Int(0);
    });
  }

  // The item's row as the ledger shows it (level, coordinating unit, escalations).
  struct Row {
    std::string level;
    int64_t coord_unit_id = 0, escalation_count = 0;
  };
  Row Item() {
    return MakeInDb(s_, [&](db::Connection& c) -> StatusOr<Row> {
      ZB_ASSIGN_OR_RETURN(auto r, c.QueryOne("SELECT level, coord_unit_id, escalation_count FROM problems WHERE id = $1",
                                             {id_}));
      return Row{r->Text("level"), r->Int("coord_unit_id"), r->Int("escalation_count")};
    });
  }

  TestServer s_;
  int64_t root_ = 0, town_ = 0, lead_ = 0, id_ = 0;
};

TEST_F(ProblemDaily, DueSoonOnTheWorkingDayBeforeAcrossAWeekendThenOverdueOnce) {
  EXPECT_EQ(RunOn("2026-11-26").due_soon, 0);  // Thursday: Monday is two working days away
  auto friday = RunOn("2026-11-27");
  EXPECT_EQ(friday.due_soon, 1);
  EXPECT_EQ(friday.notices, 2);  // the lead unit's two users
  EXPECT_EQ(Notices("lead.user", "problem.due_soon"), 1);
  EXPECT_EQ(Notices("coord.user", "problem.due_soon"), 0);
  EXPECT_EQ(RunOn("2026-11-27").due_soon, 0);  // twice the same day: nothing more
  EXPECT_EQ(RunOn("2026-11-28").due_soon, 0);  // Saturday: already told for this deadline
  auto monday = RunOn("2026-11-30");           // the deadline itself: not overdue yet
  EXPECT_EQ(monday.due_soon + monday.overdue, 0);
  EXPECT_EQ(Notices("lead.user", "problem.due_soon"), 1);

  auto tuesday = RunOn("2026-12-01");
  EXPECT_EQ(tuesday.overdue, 1);
  EXPECT_EQ(tuesday.notices, 3);  // lead unit and coordinating unit
  EXPECT_EQ(Notices("lead.user", "problem.overdue"), 1);
  EXPECT_EQ(Notices("coord.user", "problem.overdue"), 1);
  EXPECT_EQ(RunOn("2026-12-01").overdue, 0);
  EXPECT_EQ(RunOn("2026-12-02").overdue, 0);
  EXPECT_EQ(Notices("lead.user", "problem.overdue"), 1);
  // The lead user sees it in their inbox.
  ASSERT_EQ(s_.SignIn("lead.user", kUserPassword).status, 200);
  auto inbox = s_.Get("/api/v1/notifications").json();
  ASSERT_EQ(inbox["total"], 2);
  EXPECT_EQ(inbox["items"][0]["kind"], "problem.overdue");
  EXPECT_EQ(inbox["items"][0]["entity_id"], id_);
  EXPECT_NE(inbox["items"][0]["title"].get<std::string>().find("厂区供电接入"), std::string::npos);
}

TEST_F(ProblemDaily, EscalatesAfterNWorkingDaysOverdueOnceADayWhileAHigherLevelExists) {
  // auto_escalate_days is 5 by default: Monday's deadline → Monday 12-07.
  EXPECT_EQ(RunOn("2026-12-04").escalated, 0);  // Friday: 4 working days overdue
  EXPECT_EQ(Item().level, "town");
  auto due = RunOn("2026-12-07");
  EXPECT_EQ(due.escalated, 1);
  Row item = Item();
  EXPECT_EQ(item.level, "county");
  EXPECT_EQ(item.coord_unit_id, root_);
  EXPECT_EQ(item.escalation_count, 1);
  EXPECT_EQ(RunOn("2026-12-07").escalated, 0);  // not twice the same day
  EXPECT_EQ(RunOn("2026-12-08").escalated, 0);
  EXPECT_EQ(Item().escalation_count, 1);
  // Ten working days overdue: the next step is due, but the district has no
  // higher level — nothing happens, that day or later.
  EXPECT_EQ(RunOn("2026-12-14").escalated, 0);
  EXPECT_EQ(RunOn("2026-12-15").escalated, 0);
  EXPECT_EQ(Item().escalation_count, 1);
  // The timeline says the system did it, and why; the new coordinating
  // unit's people were told.
  auto events = MakeInDb(s_, [&](db::Connection& c) -> StatusOr<std::vector<std::string>> {
    ZB_ASSIGN_OR_RETURN(auto r, c.Query("SELECT comment FROM problem_events WHERE problem_id = $1 AND "
                                        "action = 'escalate' AND user_id IS NULL",
                                        {id_}));
    std::vector<std::string> out;
    for (const auto& row : r.rows) out.push_back(row.Text("comment"));
    return out;
  });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].find("逾期 5 个工作日,自动提级"), std::string::npos) << events[0];
  EXPECT_EQ(Notices("admin", "problem.escalated"), 1);
}

// The job keeps the day each overdue item's next step falls due
// (problems.next_escalation_on, migration 0010) instead of reading every
// overdue item each day: a deadline that moves, a calendar that changes and
// a run on a holiday must not change what it does.
class ProblemDailySteps : public ProblemDaily {
 protected:
  void SetUp() override {
    ProblemDaily::SetUp();
    // The district becomes a city with a county C between it and the town,
    // so the item can be escalated twice: town T → county C → city.
    MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      ZB_RETURN_IF_ERROR(c.Exec("UPDATE org_units SET kind = 'city' WHERE id = $1", {root_}));
      ZB_ASSIGN_OR_RETURN(auto county, storage::CreateOrgUnit(c, {.parent_id = root_, .name = "单位C", .code = "C",
                                                                  .kind = "county"},
                                                              s_.clock().NowMs()));
      county_ = county.id;
      ZB_ASSIGN_OR_RETURN(auto town, storage::GetOrgUnit(c, town_));  // the item's paths follow (0009)
      ZB_RETURN_IF_ERROR(storage::MoveOrgUnit(c, town_, county_, town.version, s_.clock().NowMs()).status());
      return int64_t{0};
    });
  }

  void SetDeadline(const char* day) {
    MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      ZB_RETURN_IF_ERROR(c.Exec("UPDATE problems SET deadline = $2 WHERE id = $1", {id_, std::string(day)}));
      return int64_t{0};
    });
  }

  void SetHoliday(const char* day, bool holiday) {
    MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      if (holiday) {
        ZB_RETURN_IF_ERROR(
            storage::SetCalendarDay(c, {.date = D(day), .name = "测试假日"}, s_.clock().NowMs(), 0).status());
      } else {
        ZB_RETURN_IF_ERROR(storage::ClearCalendarDay(c, D(day)).status());
      }
      return int64_t{0};
    });
  }

  int64_t county_ = 0;
};

TEST_F(ProblemDailySteps, AnExtensionAfterAnAutomaticEscalationStartsTheCountAgain) {
  EXPECT_EQ(RunOn("2026-12-01").overdue, 1);  // Monday's deadline passed
  EXPECT_EQ(RunOn("2026-12-07").escalated, 1);  // 5 working days overdue: town → county
  EXPECT_EQ(Item().coord_unit_id, county_);
  // 延期 granted on Tuesday: the deadline moves to Friday 12-18, so the day
  // the next step would have fallen due (12-14) passes without one.
  SetDeadline("2026-12-18");
  EXPECT_EQ(RunOn("2026-12-08").escalated, 0);
  EXPECT_EQ(RunOn("2026-12-14").escalated, 0);
  EXPECT_EQ(Item().level, "county");
  // Overdue again from Monday 12-21, told again; its count starts afresh:
  // five working days after the new deadline, county → city.
  auto again = RunOn("2026-12-21");
  EXPECT_EQ(again.overdue, 1);
  EXPECT_EQ(again.escalated, 0);
  EXPECT_EQ(RunOn("2026-12-24").escalated, 0);  // 4 working days
  EXPECT_EQ(RunOn("2026-12-25").escalated, 1);
  Row item = Item();
  EXPECT_EQ(item.level, "city");
  EXPECT_EQ(item.coord_unit_id, root_);
  EXPECT_EQ(item.escalation_count, 2);
  // At the top: nothing more, however late.
  EXPECT_EQ(RunOn("2027-01-04").escalated, 0);
  EXPECT_EQ(RunOn("2027-01-11").escalated, 0);
}

TEST_F(ProblemDailySteps, AHolidayDelaysTheStepAndARunOnItDoesNothing) {
  SetHoliday("2026-12-03", true);  // Thursday off: 5 working days overdue on Tuesday 12-08
  EXPECT_EQ(RunOn("2026-12-01").overdue, 1);
  EXPECT_EQ(RunOn("2026-12-03").escalated, 0);  // the holiday itself
  EXPECT_EQ(RunOn("2026-12-07").escalated, 0);
  EXPECT_EQ(RunOn("2026-12-08").escalated, 1);
  EXPECT_EQ(Item().coord_unit_id, county_);
}

TEST_F(ProblemDailySteps, ACalendarChangedAfterTheItemWasToldCountsAsTheNewCalendarSays) {
  SetHoliday("2026-12-03", true);
  EXPECT_EQ(RunOn("2026-12-01").overdue, 1);  // its first step then fell on 12-08
  SetHoliday("2026-12-03", false);            // the holiday is withdrawn: 12-07 it is
  EXPECT_EQ(RunOn("2026-12-04").escalated, 0);
  EXPECT_EQ(RunOn("2026-12-07").escalated, 1);
  // A longer step set later: the second step waits for 2 × 8 working days.
  MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
    ZB_RETURN_IF_ERROR(c.Exec("UPDATE problem_settings SET auto_escalate_days = 8 WHERE id = 1"));
    return int64_t{0};
  });
  EXPECT_EQ(RunOn("2026-12-14").escalated, 0);  // 10 working days: would have been step 2 at 5
  EXPECT_EQ(RunOn("2026-12-21").escalated, 0);  // 15
  EXPECT_EQ(RunOn("2026-12-22").escalated, 1);  // 16: county → city
  EXPECT_EQ(Item().level, "city");
}


// An item escalated to the top of its tree keeps no step date (most overdue
// items end there; a date per step would be a write per item every N
// days). Should the tree later gain a level above it, it escalates at its
// next step as it would have with a date — not at once for the steps that
// fell due while there was nowhere to go.
class ProblemDailyTop : public ProblemDailySteps {
 protected:
  void SetUp() override {
    ProblemDailySteps::SetUp();
    SetRootKind("department");  // no level: county C is the top, T → C is the last escalation
  }

  // The district's kind, its version moved on as an edit of the unit would.
  void SetRootKind(const char* kind) {
    MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      ZB_RETURN_IF_ERROR(c.Exec("UPDATE org_units SET kind = $2, version = version + 1 WHERE id = $1",
                                {root_, std::string(kind)}));
      return int64_t{0};
    });
  }
};

TEST_F(ProblemDailyTop, ATreeGainingALevelEscalatesAtTheNextStepNotAtOnce) {
  EXPECT_EQ(RunOn("2026-12-01").overdue, 1);
  EXPECT_EQ(RunOn("2026-12-07").escalated, 1);  // 5 working days: town → county C, the top
  EXPECT_EQ(Item().coord_unit_id, county_);
  EXPECT_EQ(RunOn("2026-12-14").escalated, 0);  // 10: step 2, nowhere to go
  SetRootKind("city");                          // the district becomes a city above C
  EXPECT_EQ(RunOn("2026-12-16").escalated, 0);  // 12: steps 1 and 2 are taken
  EXPECT_EQ(RunOn("2026-12-18").escalated, 0);
  EXPECT_EQ(Item().level, "county");
  EXPECT_EQ(RunOn("2026-12-21").escalated, 1);  // 15: step 3, county C → city
  Row item = Item();
  EXPECT_EQ(item.level, "city");
  EXPECT_EQ(item.coord_unit_id, root_);
  EXPECT_EQ(item.escalation_count, 2);
}

TEST_F(ProblemDailyTop, AStepFallingDueOnTheDayTheTreeGainsALevelEscalates) {
  EXPECT_EQ(RunOn("2026-12-01").overdue, 1);
  EXPECT_EQ(RunOn("2026-12-07").escalated, 1);  // town → county C, the top
  EXPECT_EQ(RunOn("2026-12-11").escalated, 0);  // 9 working days
  SetRootKind("city");
  EXPECT_EQ(RunOn("2026-12-14").escalated, 1);  // 10: step 2 falls due with a level above
  EXPECT_EQ(Item().level, "city");
  EXPECT_EQ(RunOn("2026-12-21").escalated, 0);  // at the top again
}

// A day escalating several items at once (storage::EscalateAsSystem writes
// them set-based) writes for each exactly what one action through
// storage::ApplyProblemAction writes — the way the job escalated them one by
// one before: twins of the items, never overdue, are escalated that way and
// compared row for row.
class ProblemDailyMany : public ProblemDaily {
 protected:
  // An assigned item coordinated by `coord` at `level`, lead unit L; due
  // `deadline` (none: it never falls due).
  int64_t AddItem(const std::string& code, const storage::OrgUnit& coord, const char* level,
                  std::optional<std::string> deadline) {
    return MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      ZB_ASSIGN_OR_RETURN(auto lead, storage::GetOrgUnit(c, lead_));
      ZB_ASSIGN_OR_RETURN(auto row,
                          c.QueryOne("INSERT INTO problems (code, title, category, source, raised_on, org_unit_id, "
                                     "org_unit_path, coord_unit_id, coord_unit_path, level, lead_unit_id, "
                                     "lead_unit_path, status, assigned_on, deadline, original_deadline, created_at, "
                                     "updated_at) VALUES ($1, '厂区供电接入', 'utilities', 'visit', '2026-11-16', $2, $3, $2, "
                                     "$3, $4, $5, $6, 'assigned', '2026-11-16', $7, $7, $8, $8) RETURNING id",
                                     {code, coord.id, coord.path, std::string(level), lead.id, lead.path,
                                      db::Opt(deadline), s_.clock().NowMs()}));
      return row->Int(0);
    });
  }

  // What an escalation left on an item: the row, the timeline entries and
  // the notices (the item's code in a title reads as "CODE").
  std::string Written(int64_t id, const std::string& code) {
    return MakeInDb(s_, [&](db::Connection& c) -> StatusOr<std::string> {
      std::string out;
      auto add = [&](const db::Result& r) {
        for (const db::Row& row : r.rows) {
          for (size_t i = 0; i < row.size(); ++i) {
            std::string v = row.IsNull(i) ? "NULL" : row.Text(i);
            if (auto at = v.find(code); at != std::string::npos) v.replace(at, code.size(), "CODE");
            out += v + "|";
          }
          out += "\n";
        }
      };
      ZB_ASSIGN_OR_RETURN(auto item, c.Query("SELECT status, coord_unit_id, coord_unit_path, level, escalated, "
                                             "escalation_count, version, updated_at FROM problems WHERE id = $1",
                                             {id}));
      add(item);
      ZB_ASSIGN_OR_RETURN(auto events, c.Query("SELECT at, user_id, action, from_status, to_status, comment, "
                                               "internal, data FROM problem_events WHERE problem_id = $1 ORDER BY id",
                                               {id}));
      add(events);
      ZB_ASSIGN_OR_RETURN(auto notices, c.Query("SELECT u.login, n.kind, n.title, n.body, n.entity_type, n.created_at "
                                                "FROM notifications n JOIN users u ON u.id = n.user_id WHERE "
                                                "n.entity_id = $1 AND n.kind = 'problem.escalated' ORDER BY u.login",
                                                {id}));
      add(notices);
      return out;
    });
  }

  // The logins told of the item's escalation.
  std::vector<std::string> Told(int64_t id) {
    return MakeInDb(s_, [&](db::Connection& c) -> StatusOr<std::vector<std::string>> {
      ZB_ASSIGN_OR_RETURN(auto r, c.Query("SELECT u.login FROM notifications n JOIN users u ON u.id = n.user_id "
                                          "WHERE n.entity_id = $1 AND n.kind = 'problem.escalated' ORDER BY u.login",
                                          {id}));
      std::vector<std::string> out;
      for (const auto& row : r.rows) out.push_back(row.Text(0));
      return out;
    });
  }
};

TEST_F(ProblemDailyMany, ADayOfSeveralEscalationsWritesWhatOneByOneEscalationWrote) {
  auto town2 = AddUnit(s_, root_, "T2");
  AddUser(s_, "town2.user", town2.id, {});
  const int64_t gone = AddUser(s_, "town2.gone", town2.id, {});
  MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
    ZB_RETURN_IF_ERROR(c.Exec("UPDATE users SET active = 0 WHERE id = $1", {gone}));
    return int64_t{0};
  });
  auto town = MakeInDb(s_, [&](db::Connection& c) { return storage::GetOrgUnit(c, town_); });
  auto root = MakeInDb(s_, [&](db::Connection& c) { return storage::GetOrgUnit(c, root_); });
  // Overdue from Tuesday 12-01 like the fixture's item (town T): one of town
  // T2 and one the district coordinates, which has no higher level.
  const int64_t second = AddItem("WT-2026-00002", town2, "town", "2026-11-30");
  const int64_t top = AddItem("WT-2026-00003", root, "county", "2026-11-30");
  // Their twins, without a deadline.
  const int64_t twin1 = AddItem("WT-2026-00011", town, "town", std::nullopt);
  const int64_t twin2 = AddItem("WT-2026-00012", town2, "town", std::nullopt);

  EXPECT_EQ(RunOn("2026-12-01").overdue, 3);
  auto day = RunOn("2026-12-07");  // 5 working days overdue
  EXPECT_EQ(day.escalated, 2);
  // The twins, escalated one action at a time at the same moment, as the
  // job did before (the system; no version check).
  for (auto [twin, from] : {std::pair{twin1, town_}, std::pair{twin2, town2.id}}) {
    MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      return storage::ApplyProblemAction(
          c, {.problem_id = twin,
              .action = domain::ProblemAction::kEscalate,
              .change = {.to = domain::ProblemStatus::kAssigned, .escalate = true},
              .escalate_to = root_,
              .comment = "逾期 5 个工作日,自动提级",
              .data = {{"from_unit_id", from}, {"to_unit_id", root_}, {"automatic", true}},
              .now = s_.clock().NowMs()});
    });
  }
  const std::string first = Written(id_, "WT-2026-00001");
  EXPECT_EQ(first, Written(twin1, "WT-2026-00011"));
  EXPECT_EQ(Written(second, "WT-2026-00002"), Written(twin2, "WT-2026-00012"));
  // What that is: the district coordinates at county level, its people and
  // the lead unit's were told (not the town's, not an inactive user).
  EXPECT_NE(first.find("county"), std::string::npos) << first;
  EXPECT_NE(first.find("逾期 5 个工作日,自动提级"), std::string::npos) << first;
  EXPECT_EQ(Told(id_), (std::vector<std::string>{"admin", "lead.user", "lead.user2"}));
  EXPECT_EQ(Told(second), (std::vector<std::string>{"admin", "lead.user", "lead.user2"}));
  // The district's own item stays where it is: nothing written, no one told.
  const std::string at_top = Written(top, "WT-2026-00003");
  EXPECT_TRUE(at_top.starts_with("assigned|" + std::to_string(root_) + "|" + root.path + "|county|0|0|1|")) << at_top;
  EXPECT_EQ(std::count(at_top.begin(), at_top.end(), '\n'), 1) << at_top;  // the row only
  EXPECT_EQ(RunOn("2026-12-07").escalated, 0);  // not twice the same day
}

}  // namespace
}  // namespace zb::testing
