// The warning engine (预警): runs the scheduler and the warning rules
// (domain/schedule.h, domain/warnings.h) over the stored plans and projects
// and MATERIALISES the results — the computed columns of plan_nodes and
// one project_warnings row per project (migration 0007) — so lists, the
// Gantt and counts read stored colours instead of scheduling on every read.
// plan_nodes keeps what does not move with the day (migration 0021,
// PlanNodeStored): the latest dates, the forecast in its day-invariant form
// (domain::DayInvariantDate, rendered for the day by the Gantt) and the
// colour — not the day's forecast dates, slack, critical path or reason,
// which the plan API computes for the day. So a new day rewrites a node row
// only where its colour changes — or where the scheduler's input itself
// moves with the day: an event node ScheduleInputOf takes as done "today"
// because the project has no stage_since (or one after today).
// project_warnings is day-invariant too (migration 0022, StoredWarning):
// reasons as forms (domain::WarningReason) said for the reader's day,
// max_slip as a fixed part and an offset, and valid_until — the last day
// the row's results hold (domain::StableThrough; today when the input moves
// with the day) — so a new day reads and writes only the projects whose
// rows ran out.
//
// When to recompute (docs/api-schedule.md "Warnings"):
// - RecomputeProject, inside the writing transaction, after anything that
//   moves one project's dates: a plan write, a project edit, a lifecycle move.
// - RecomputeAll after a calendar or threshold change (and after an import
//   that moved many projects' dates).
// - RecomputeStale when the day changes (WarningsStale tells: some row is
//   not current — for other versions, computed for a later day, or today
//   past its valid_until — or a project has no row yet).
//
// Contract
// - WarningContext is what a result depends on besides the stored rows:
//   `today`, the calendar and its version, the thresholds and their
//   version. LoadWarningContext builds it from the database (the cached
//   CurrentCalendar, calendar_meta's version, warning_settings).
// - A project with a plan: ComputeSchedule → EvaluateNodes → EvaluateProject
//   (event nodes carry the project's actual dates, see plan_repo.h). A
//   project without a plan — or whose stored plan no longer schedules, which
//   validation on write prevents — gets its row from the project rules only
//   (EvaluateProject with no plan) and its nodes' computed columns cleared.
// - max_slip: the most working days anything in the plan is late — the
//   largest target slip or negative slack of an unfinished node; 0 when on
//   time (domain::MaxSlip). It orders the warnings list ("most overdue"
//   first) by its value on the list's day.
// - Only rows that differ from the stored ones are written: plan nodes'
//   stored form; a project_warnings row whose results differ, whose
//   versions differ, which is not current today, or whose valid_until is
//   later than the recomputed one (a row that holds longer than it says is
//   kept). A written row is stamped with today (computed_on) and the
//   versions.
// - RecomputeAll and RecomputeStale read the ids of the projects to do
//   first, then those projects, their nodes and links in id-ordered chunks
//   of kRecomputeChunk projects (a range where the ids are dense, the ids
//   themselves where they are sparse) — three ordered queries per chunk, streamed
//   (db::Connection::Stream) by column index into flat vectors holding only
//   what the rules and the comparison need — computes, and writes the
//   changed rows set-based (one UPDATE … FROM (VALUES …) or INSERT … ON
//   CONFLICT per batch of up to 256 rows), all on the caller's connection:
//   run it inside one transaction (db::InTx) so readers see the old warnings
//   or the new ones, never a mix. Its results are RecomputeProject's for
//   every project, and after RecomputeStale on any later day RecomputeAll
//   finds nothing to change (tests/api/recompute_all_test.cc).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "core/work_calendar.h"
#include "domain/schedule.h"
#include "domain/warnings.h"
#include "storage/db.h"
#include "storage/plan_repo.h"
#include "storage/project_repo.h"

namespace zb::storage {

struct WarningContext {
  Date today;
  std::shared_ptr<const WorkCalendar> calendar;
  int64_t calendar_version = 0;
  domain::WarningThresholds thresholds;
  int64_t settings_version = 0;
};

struct WarningSettings {
  domain::WarningThresholds thresholds;
  int64_t version = 1;
  int64_t updated_at = 0;
  std::optional<int64_t> updated_by;
};

StatusOr<WarningSettings> GetWarningSettings(db::Connection& conn);
// Writes the thresholds (checked by the caller with domain::Validate) if
// the row is still at `expected_version`; bumps it. The caller then runs
// RecomputeAll with the new context.
StatusOr<WarningSettings> UpdateWarningSettings(db::Connection& conn, const domain::WarningThresholds& t,
                                                int64_t expected_version, std::optional<int64_t> user_id,
                                                int64_t now_ms);

StatusOr<WarningContext> LoadWarningContext(db::Connection& conn, Date today);

// A project's stored warning (a project_warnings row, migration 0022): day-
// invariant, valid from computed_on through valid_until.
struct StoredWarning {
  std::string colour;  // '' | green | yellow | red
  std::vector<domain::WarningReason> reasons;  // worst first, each in its day-invariant form
  int64_t red_nodes = 0;
  int64_t yellow_nodes = 0;
  // The most working days anything is late on a day: max(max_slip, t0 +
  // max_slip_offset), t0 the day's working-day ordinal (MaxSlipOn).
  int64_t max_slip = 0;
  std::optional<int64_t> max_slip_offset;
  std::string valid_until;  // YYYY-MM-DD
  std::string computed_on;
  int64_t calendar_version = 0, settings_version = 0;
  int64_t MaxSlipOn(Date day, const WorkCalendar& cal) const;
  bool operator==(const StoredWarning& o) const {  // the results, not valid_until and the stamps
    return colour == o.colour && reasons == o.reasons && red_nodes == o.red_nodes &&
           yellow_nodes == o.yellow_nodes && max_slip == o.max_slip && max_slip_offset == o.max_slip_offset;
  }
};
// The reasons column: a JSON array, a kText reason as its string, any other
// as {"k": kind code, "s": subject, "a": fixed, "b": offset}. A reader
// meets only what WarningReasonsJson wrote, or plain strings (rows from
// before migration 0022); anything else is skipped.
std::string WarningReasonsJson(const std::vector<domain::WarningReason>& reasons);
std::vector<domain::WarningReason> WarningReasonsFromJson(std::string_view json);
// The reasons in words for `today` — for the row's last valid day when the
// row is older (a row waiting for the day's RecomputeAll says what it said
// on its last day, never a count past it).
std::vector<std::string> RenderWarningReasons(const std::vector<domain::WarningReason>& reasons,
                                              std::string_view valid_until, Date today, const WorkCalendar& cal);
StatusOr<std::optional<StoredWarning>> GetProjectWarning(db::Connection& conn, int64_t project_id);

// The scheduler's input for a stored plan: nodes in the plan's order,
// links by index. Links naming nodes outside the plan are dropped (the
// database does not allow them). What is known to have happened without a
// recorded date counts as done for scheduling (never shown as an actual
// date): an event node whose stage the project has reached (done by
// `stage_since`, the day it entered its current stage), and every node that
// must precede a done node (done by that node's start).
// `uses_today` (optional) is set when a node was taken as done "today"
// (the project has no stage_since, or one after today): the input moves
// with the day, so the results hold for today only.
domain::ScheduleInput ScheduleInputOf(const Plan& plan, Date today, const domain::ProjectFacts& facts,
                                      std::optional<Date> stage_since, bool* uses_today = nullptr);

// What the engine computes for one project, before anything is written:
// the plan as stored (nullopt without one), each node's results for the day
// and what plan_nodes stores of them (same order; all empty when the plan
// does not schedule), the schedule (targets and problems are not stored),
// and the project's warning.
struct ProjectEvaluation {
  std::optional<Plan> plan;
  bool uses_today = false;  // the input itself moves with the day (see ScheduleInputOf)
  std::vector<PlanNodeComputed> nodes;
  std::vector<PlanNodeStored> stored;
  std::optional<domain::Schedule> schedule;
  StoredWarning warning;
};
// Computes for `ctx` without writing: what a plan read shows, current
// even when the stored rows wait for the day's RecomputeAll.
StatusOr<ProjectEvaluation> EvaluateProjectNow(db::Connection& conn, int64_t project_id, const WarningContext& ctx);

Status RecomputeProject(db::Connection& conn, int64_t project_id, const WarningContext& ctx);
// Whether an edit from `before` to `after` can change the project's
// warning: its planned and actual dates (the stage, which the rules read
// too, moves only by a transition, which recomputes on its own).
bool WarningInputsDiffer(const ProjectData& before, const ProjectData& after);
// The same with the context loaded for `today` (LoadWarningContext): the
// one call a write that moves a project's dates makes in its transaction.
Status RecomputeProject(db::Connection& conn, int64_t project_id, Date today);

inline constexpr int64_t kRecomputeChunk = 2000;
struct RecomputeStats {
  int64_t projects = 0;
  int64_t nodes = 0;
  int64_t nodes_written = 0;     // nodes whose stored form (PlanNodeStored) changed
  int64_t warnings_written = 0;  // project rows inserted or changed
};
// Every project. `chunk`: projects read at a time (tests use small ones).
StatusOr<RecomputeStats> RecomputeAll(db::Connection& conn, const WarningContext& ctx,
                                      int64_t chunk = kRecomputeChunk);
// Only the projects whose row is not current for `ctx` (no row, other
// versions, or today outside computed_on … valid_until): what a new day
// needs. The same results as RecomputeAll when nothing else changed since
// the rows were written — every write that moves a project's dates
// recomputes it in its own transaction.
StatusOr<RecomputeStats> RecomputeStale(db::Connection& conn, const WarningContext& ctx,
                                        int64_t chunk = kRecomputeChunk);
// How far ahead valid_until looks (domain::StableThrough's horizon).
inline constexpr int64_t kValidDaysAhead = 366;

// Whether RecomputeAll has something to do for `ctx` (see the contract).
StatusOr<bool> WarningsStale(db::Connection& conn, const WarningContext& ctx);

}  // namespace zb::storage
