// plan_per_call.h — a statement PostgreSQL must plan with its values.
//
// The PostgreSQL adapter prepares every statement once per connection and
// runs it by name (storage/postgres/pg_pool.cc). After five runs PostgreSQL
// may switch a prepared statement to a generic plan, chosen without the
// parameters' values: a range over two parameters is then taken to select a
// few rows, whatever it really selects. For the figures of the whole ledger
// that choice is wrong by an order of magnitude (a roll-up's month range
// read through its primary key and sorted, 100–130 ms, where a scan and a
// hash take 20–30 ms; docs/performance.md § 问题台账 at 500 000 items).
//
// A statement whose text begins with kPlanPerCall is never prepared there:
// it runs unnamed, planned each time with the values bound (a few hundred
// microseconds of planning). Meant for the few statements whose best plan
// depends on the values and whose answers are kept (the figures), not for
// the hot paths. SQLite reads it as a comment.
#pragma once

namespace zb::db {

inline constexpr char kPlanPerCall[] = "/* zb:plan-per-call */ ";

}  // namespace zb::db
