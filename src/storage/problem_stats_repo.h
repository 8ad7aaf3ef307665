// The ledger's figures aggregated in SQL (docs/api-problems.md § Figures;
// the rules are domain/problem_stats.h's, this computes the same counts
// set-based for 500 000 items).
//
// Contract
// - ProblemStatsByGroup(conn, group, from_where, params, today): over the
//   items `from_where` selects — " FROM problems p … WHERE …" with its
//   placeholders $1… bound by `params`, the list's own FROM and WHERE (the
//   filter and the caller's scope, as storage/problem_repo builds them for
//   ListProblems) — one row per group key with
//   the additive counts of domain::ProblemTally, its resolve_days histogram
//   included. Keys: kUnit the lead unit's id ("" for items not yet
//   assigned), kCategory the category code, kLevel the level code, kMonth
//   "YYYY-MM" of raised_on. Rows come sorted by key; labels are the
//   caller's.
// - One statement: the counts GROUP BY key and resolve_days (of resolved
//   items) — small whatever the ledger's size — over migration 0010's
//   covering index (raised_on first, so a period is one index range).
// - ProblemStatsWholeTree(conn, group, from, to, today): the same rows as
//   ProblemStatsByGroup over every item raised in [from, to] (either end
//   open) — the whole tree, no filter — at a cost that does not grow with
//   the ledger: the whole months inside the period come from migration
//   0012's roll-up (problem_rollup, kept by triggers), overdue as the
//   roll-up's open items with a deadline less those not yet due (a small
//   index range), and the days at either end that are no whole month from
//   ProblemStatsByGroup.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "domain/problem_stats.h"
#include "storage/db.h"

namespace zb::storage {

enum class ProblemStatsGroup { kUnit, kCategory, kLevel, kMonth };

struct ProblemStatsRow {
  std::string key;
  domain::ProblemTally tally;
};

StatusOr<std::vector<ProblemStatsRow>> ProblemStatsByGroup(db::Connection& conn, ProblemStatsGroup group,
                                                           const std::string& from_where, const db::Params& params,
                                                           Date today);

StatusOr<std::vector<ProblemStatsRow>> ProblemStatsWholeTree(db::Connection& conn, ProblemStatsGroup group,
                                                             std::optional<Date> from, std::optional<Date> to,
                                                             Date today);

}  // namespace zb::storage
