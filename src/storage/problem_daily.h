// The ledger's daily job (docs/api-problems.md, the paragraph after
// § Notifications): `serve` runs it when the China-time date changes and at
// start-up, `zhuanban problems daily [--date D]` by hand (app/problem_jobs.h).
//
// Contract — RunProblemDaily(conn, cal, today, now), in the caller's
// transaction, over the open items (not 已办结/已销号) with a deadline:
// - due soon: the deadline is after today and no later than the next working
//   day (so on Friday for a Monday deadline; a missed run catches up the
//   next day) → problem.due_soon to the lead unit's active users, once per
//   item and deadline (due_soon_notified_on remembers the deadline told);
// - overdue: the deadline is before today → problem.overdue to the lead and
//   the coordinating units' active users (one notice per user), once per
//   item and deadline (overdue_notified_on);
// - automatic escalation: with settings auto_escalate_days = N > 0, an item
//   overdue by k·N working days (domain::OverdueDays) for k = 1, 2, … is
//   escalated one level per k, as the system, through
//   storage::EscalateAsSystem (the timeline entry and the problem.escalated
//   notices a manual escalation writes; no audit entry) with the reason
//   "逾期 M 个工作日,自动提级"; auto_escalated_count remembers k, and an
//   item with no higher level counts as done for that k — also when its
//   tree later gains a level: the steps that fell due before the run that
//   first sees the new tree count as taken, so it escalates at its next
//   step, not at once. The count starts again at 0 once the item is no
//   longer overdue (an extension, 办结).
// Set-based SQL: a run over the whole ledger reads the open items by
// (status, deadline); running it twice the same day changes nothing. The
// day's escalations are decided in C++ (the calendar's arithmetic, the unit
// tree) and written a few statements for all of them, not one action each.
// At 500 000 items (docs/performance.md) a run reads only what changes that
// day: the "already told" checks are index-only (migration 0010), and each
// overdue item keeps the day its next escalation step falls due
// (next_escalation_on: the day it is told, then the (k+1)·N-th working day
// after its deadline), so the candidates are that day's. A date gone stale
// (resolved, deadline moved) is dropped when it comes; an item with no
// higher level keeps none, from the day it is escalated to the top (most
// overdue items end there: no write per item every N days). The dates hold
// for one N, one calendar version and one unit tree
// (problem_daily_state.escalation_basis): when any changes, every item told
// overdue is looked at again that day. The due-soon and overdue items are
// read by id first and then written by id (PostgreSQL misestimates them
// inside one statement; migration 0015's partial index serves the read).
#pragma once

#include <cstdint>

#include "core/date.h"
#include "core/status.h"
#include "core/work_calendar.h"
#include "storage/db.h"

namespace zb::storage {

struct ProblemDailyReport {
  int64_t due_soon = 0;   // items told "due soon" this run
  int64_t overdue = 0;    // items told "overdue" this run
  int64_t escalated = 0;  // items escalated automatically this run
  int64_t notices = 0;    // notification rows written for the two above
};

StatusOr<ProblemDailyReport> RunProblemDaily(db::Connection& conn, const WorkCalendar& cal, Date today, int64_t now);

}  // namespace zb::storage
