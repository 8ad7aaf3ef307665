// 节点计划 in the database (migration 0007: project_plans, plan_nodes,
// plan_links, node_progress): one plan per project, its nodes and
// finish-to-start links, and the progress entries (进度填报).
//
// Contract
// - Reads (GetPlan, LoadPlans) give the nodes by (sort, id) and the links
//   by (from, to). An event node (签约/开工/竣工/投产) reads with the
//   project's actual date for that event when the project has one (set by
//   the lifecycle transitions): actual_finish — and actual_start too for a
//   milestone — are that date; otherwise its own recorded dates.
// - Every write of a plan goes through TouchPlan first: it checks the
//   expected version (VersionConflict naming the current one; NotFound
//   "no_plan" without a plan) and bumps it. The API then writes what
//   changed and recomputes the warning (storage/warning_store.h) in the
//   same transaction.
// - WritePlanNodes replaces the node list: a node with an id (which must be
//   one of this plan's: NotFound naming "nodes[i].id") is updated in place
//   and keeps its progress and actual dates, a node without one is
//   inserted, nodes not listed are deleted with their progress. The links
//   are replaced wholesale; they name nodes by index into the list.
// - The computed columns (latest_start, latest_finish, the forecast in its
//   day-invariant form forecast_{start,finish}_{fixed,offset} — migration
//   0021, domain::DayInvariantDate — and colour) are read here and written
//   only by the warning engine (storage/warning_store.h), batched, for the
//   rows whose stored form changed. Besides the engine's own comparison
//   only the Gantt reads them (storage/gantt_repo.h, rendering the forecast
//   for its day); the plan API computes the day's dates, slack, critical
//   path and reasons afresh (storage::EvaluateProjectNow).
// - Writes belong in the caller's transaction. Dates are 'YYYY-MM-DD',
//   times epoch ms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "domain/project.h"
#include "domain/schedule.h"
#include "storage/db.h"

namespace zb::storage {

// What the warning engine computes for a node for one day, as the plan API
// shows it (not stored as such: see PlanNodeStored).
struct PlanNodeComputed {
  std::optional<Date> latest_start, latest_finish, forecast_start, forecast_finish;
  std::optional<int64_t> slack;
  bool critical = false;
  std::string colour;  // '' | green | yellow | red
  std::string reason;
  bool operator==(const PlanNodeComputed&) const = default;
};

// What plan_nodes stores of it (the computed columns): the latest dates,
// the forecast in its day-invariant form (both parts unset when the plan
// does not schedule), the colour. Compared field by field to decide whether
// the row needs writing; a new day changes it only where a colour changes.
struct PlanNodeStored {
  std::optional<Date> latest_start, latest_finish;
  domain::DayInvariantDate forecast_start, forecast_finish;
  std::string colour;
  bool operator==(const PlanNodeStored&) const = default;
};

struct PlanNode {
  int64_t id = 0;
  std::string key;
  std::string name;
  int duration = 0;  // working days; 0 = milestone
  domain::NodeEvent event = domain::NodeEvent::kNone;
  std::optional<Date> target;
  std::optional<Date> actual_start, actual_finish;  // see the contract for event nodes
  int sort = 0;
  PlanNodeStored stored;  // the computed columns as last written
};

struct PlanLink {
  int64_t from = 0;  // node ids
  int64_t to = 0;
  int lag = 0;
};

struct Plan {
  int64_t project_id = 0;
  std::optional<int64_t> template_id;
  std::string template_name;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<PlanNode> nodes;
  std::vector<PlanLink> links;
};

// A node as a plan write gives it. Actual dates are not written here (only
// progress entries set them).
struct PlanNodeInput {
  std::optional<int64_t> id;  // keep this node; nullopt = new
  std::string key;
  std::string name;
  int duration = 0;
  domain::NodeEvent event = domain::NodeEvent::kNone;
  std::optional<Date> target;
};

struct PlanLinkInput {
  int from = 0;  // indexes into the node list
  int to = 0;
  int lag = 0;
};

StatusOr<std::optional<Plan>> GetPlan(db::Connection& conn, int64_t project_id);
// The plans of the projects with ids in [first, last], by project id.
StatusOr<std::vector<Plan>> LoadPlans(db::Connection& conn, int64_t first_project_id, int64_t last_project_id);

// A new plan at version 1 (AlreadyExists, field "project_id", when the
// project has one), with its nodes in list order and its links.
Status CreatePlan(db::Connection& conn, int64_t project_id, std::optional<int64_t> template_id,
                  const std::string& template_name, const std::vector<PlanNodeInput>& nodes,
                  const std::vector<PlanLinkInput>& links, std::optional<int64_t> user_id, int64_t now_ms);

// See the contract; returns the new version. Without an expected version
// (a progress entry appends; it does not edit what others may be editing)
// the version is bumped whatever it is.
StatusOr<int64_t> TouchPlan(db::Connection& conn, int64_t project_id, std::optional<int64_t> expected_version,
                            std::optional<int64_t> user_id, int64_t now_ms);

Status WritePlanNodes(db::Connection& conn, int64_t project_id, const std::vector<PlanNodeInput>& nodes,
                      const std::vector<PlanLinkInput>& links);

// Name, duration and target of one node of the plan (NotFound "node_id").
Status UpdatePlanNode(db::Connection& conn, int64_t project_id, int64_t node_id, const std::string& name,
                      int duration, std::optional<Date> target);

// Deletes the plan, its nodes, links and progress (NotFound "no_plan").
Status DeletePlan(db::Connection& conn, int64_t project_id);

struct NodeProgress {
  int64_t id = 0;
  int64_t node_id = 0;
  int64_t project_id = 0;
  std::optional<Date> started_on, finished_on;  // the node's dates as of this entry
  std::string note;
  std::vector<int64_t> attachment_ids;
  std::optional<int64_t> user_id;
  std::string user_name;  // read only
  int64_t at = 0;
};

// Appends the entry and sets the node's actual dates to its started_on /
// finished_on. Returns the entry's id.
StatusOr<int64_t> AddNodeProgress(db::Connection& conn, const NodeProgress& entry);
// The node's entries, newest first.
StatusOr<std::vector<NodeProgress>> ListNodeProgress(db::Connection& conn, int64_t node_id);

// "YYYY-MM-DD" text ↔ Date helpers the plan and warning stores share.
std::optional<Date> OptDate(const db::Row& row, std::string_view column);
std::optional<Date> OptDate(const db::RowView& row, size_t column);
db::Value DateValue(const std::optional<Date>& d);

// Which of the project's actual dates an event node reads (nullopt for a
// plain node), and how it reads it (see the contract): the plan reads here
// and the warning engine's bulk read (storage/warning_store.h) share these.
std::optional<domain::ActualDate> EventActualDate(domain::NodeEvent e);
void ApplyEventDate(const std::optional<Date>& project_date, int duration, std::optional<Date>& actual_start,
                    std::optional<Date>& actual_finish);

}  // namespace zb::storage
