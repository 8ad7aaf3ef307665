// 问题台账 in the database (migration 0009: problems, problem_co_units,
// problem_events, problem_extensions, problem_supervisions, problem_agenda,
// problem_settings, problem_sla). Contract: docs/api-problems.md; the rules
// are domain/problem.h's, the caller (api/problems.cc) decides with them.
//
// Contract
// - CreateProblem: a new item, pending, with a generated code (WT-<year of
//   raised_on>-00001), its unit's path, and the coordinating unit = the
//   item unit's level unit (domain::LevelUnit) with its level; one timeline
//   entry "create" owning the attachments (AttachToProblemEvent).
// - GetProblem reads one item with every name and its co-units; NotFound
//   ("id") when missing. GetProblemDetail adds 延期, 督办单 and 联席会议.
// - UpdateProblem: title, description, category, urgency with a version
//   check (VersionConflict when stale, NotFound when missing).
// - ApplyProblemAction writes one action in the caller's transaction: the
//   row (version check unless expected_version is 0 — the system), the
//   timeline entry, its attachments, the side table of the action
//   (extension, 督办单, agenda) and the notifications of the contract's
//   table (the actor is not told). Returns the event id.
// - EscalateAsSystem: the daily job's escalations of a day, set-based, by
//   the same rule as the manual one (domain::PlanAction), as the system
//   (user NULL); an item the rule refuses is skipped.
// - ListProblemEvents: the timeline, oldest first; `for_enterprise` drops
//   internal entries and blanks the comments of assign, extend_decide and
//   escalate. Attachments per entry.
// - ListProblems: the filters, scope, sort and paging of the contract, the
//   facets (status, category, level, source) each counted without its own
//   filter.
// - Settings: one row plus the per-category SLA; PutProblemSettings with a
//   version check replaces the SLA map whole.
// - problem_data_version (read through storage/ledger_versions.h): bumped
//   by triggers at every committed write to the items, their co-units, the
//   settings or the names they show.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/status.h"
#include "domain/problem.h"
#include "storage/db.h"
#include "storage/list_cache.h"
#include "storage/project_repo.h"  // FacetCount
#include "storage/scope_sql.h"

namespace zb::storage {

struct ProblemInput {
  std::string title;
  std::string description;
  std::string category;
  std::optional<int64_t> enterprise_id;
  std::optional<int64_t> project_id;
  std::string source = "other";
  std::string urgency = "normal";
  std::string raised_on;  // YYYY-MM-DD
  std::optional<int64_t> raised_by;
  int64_t org_unit_id = 0;  // the project's, else the enterprise's (the caller decides)
  std::vector<int64_t> attachment_ids;
};

struct UnitRef {
  int64_t id = 0;
  std::string name;
  std::string path;
};

struct Problem {
  int64_t id = 0;
  std::string code, title, description, category, category_label;
  std::optional<int64_t> enterprise_id;
  std::string enterprise_name;
  std::optional<int64_t> project_id;
  std::string project_code, project_name;
  std::string source, urgency;
  std::optional<int64_t> raised_by;
  std::string raised_by_name, raised_on;
  int64_t org_unit_id = 0;
  std::string org_unit_name, org_unit_path;
  int64_t coord_unit_id = 0;
  std::string coord_unit_name, coord_unit_path, level;
  std::optional<int64_t> lead_unit_id;
  std::string lead_unit_name;
  std::optional<std::string> lead_unit_path;
  std::vector<UnitRef> co_units;
  std::optional<int64_t> handler_id;
  std::string handler_name;
  std::string status;
  std::optional<std::string> assigned_on, deadline, original_deadline, resolved_on, closed_on;
  std::string result;
  std::optional<int64_t> resolve_days;
  bool on_spot = false, escalated = false, supervised = false, on_agenda = false, extension_pending = false;
  int64_t escalation_count = 0, reopen_count = 0;
  std::optional<std::string> satisfaction, rated_on;
  int64_t version = 0, created_at = 0, updated_at = 0;
};

struct ProblemExtension {
  int64_t id = 0;
  std::optional<std::string> old_deadline;
  std::string new_deadline, reason, status;  // pending | granted | refused
  std::optional<int64_t> requested_by;
  std::string requested_by_name;
  int64_t requested_at = 0;
  std::optional<int64_t> decided_by;
  std::string decided_by_name, decision_note;
  std::optional<int64_t> decided_at;
};

struct ProblemSupervision {
  int64_t id = 0;
  std::string instruction;
  std::optional<std::string> respond_by;
  std::optional<int64_t> issued_by;
  std::string issued_by_name;
  int64_t issued_at = 0;
  std::string response;
  std::optional<int64_t> responded_by;
  std::string responded_by_name;
  std::optional<int64_t> responded_at;
};

struct ProblemAgendaItem {
  int64_t id = 0;
  std::optional<std::string> meeting_on;
  std::string comment;
  std::optional<int64_t> submitted_by;
  std::string submitted_by_name;
  int64_t submitted_at = 0;
  std::string decision;
  std::vector<int64_t> bound_unit_ids;
  std::optional<int64_t> decided_by;
  std::optional<int64_t> decided_at;
};

struct ProblemDetail {
  Problem problem;
  std::optional<std::string> requested_deadline;  // the pending extension's
  std::vector<ProblemExtension> extensions;
  std::vector<ProblemSupervision> supervisions;
  std::vector<ProblemAgendaItem> agenda;
};

StatusOr<int64_t> CreateProblem(db::Connection& conn, const ProblemInput& in, int64_t now);
StatusOr<Problem> GetProblem(db::Connection& conn, int64_t id);
// An item of an imported ledger (api/problem_io.cc): created like
// CreateProblem (code, unit path, coordinating unit and level) but in the
// file's state — the workflow's fields as given and the co-units — with ONE
// timeline entry "import" (导入台账) by in.raised_by at `now`, instead of
// "create". No notifications.
struct ImportedState {
  std::string status = "pending";
  std::optional<int64_t> lead_unit_id;
  std::vector<int64_t> co_unit_ids;
  std::optional<std::string> assigned_on, deadline, resolved_on, closed_on, satisfaction, rated_on;
  std::optional<int64_t> resolve_days;
  std::string result;
};
StatusOr<int64_t> CreateImportedProblem(db::Connection& conn, const ProblemInput& in, const ImportedState& state,
                                        int64_t now);
// What an import changes on an existing item: title, category, source,
// urgency, enterprise, project and the item's unit (its path follows);
// version check as UpdateProblem's.
Status UpdateImportedProblem(db::Connection& conn, int64_t id, int64_t expected_version, const ProblemInput& in,
                             int64_t now);
// The item with this code (WT-2026-00001), nullopt when none.
StatusOr<std::optional<Problem>> FindProblemByCode(db::Connection& conn, const std::string& code);

StatusOr<ProblemDetail> GetProblemDetail(db::Connection& conn, int64_t id);

struct ProblemEdit {
  std::optional<std::string> title, description, category, urgency;
};
Status UpdateProblem(db::Connection& conn, int64_t id, int64_t expected_version, const ProblemEdit& edit,
                     int64_t now);

// The unit and its ancestors, the unit first (for domain::LevelUnit /
// EscalationTarget).
StatusOr<std::vector<domain::UnitKind>> UnitChain(db::Connection& conn, int64_t unit_id);

// One action, decided by domain::PlanAction. The text fields are the body's.
struct ProblemActionWrite {
  int64_t problem_id = 0;
  int64_t expected_version = 0;      // 0: the system, no check
  std::optional<int64_t> user_id;    // nullopt: the system
  domain::ProblemAction action = domain::ProblemAction::kComment;
  domain::ProblemChange change;
  std::optional<int64_t> lead_unit_id;      // assign
  std::vector<int64_t> co_unit_ids;         // assign (replaces)
  std::optional<int64_t> handler_id;        // assign
  std::optional<int64_t> escalate_to;       // escalate: the new coordinating unit
  std::string comment;                      // the timeline's text (comment, reason, result, …)
  bool internal = false;
  std::string result;                       // resolve, on_spot
  std::optional<std::string> new_deadline;  // extend
  bool grant = false;                       // extend_decide
  std::string instruction;                  // supervise
  std::optional<std::string> respond_by;    // supervise
  std::optional<std::string> meeting_on;    // agenda
  std::vector<int64_t> bound_unit_ids;      // agenda_decide
  std::vector<int64_t> attachment_ids;
  nlohmann::json data = nlohmann::json::object();  // the timeline's structured part
  int64_t now = 0;
};
StatusOr<int64_t> ApplyProblemAction(db::Connection& conn, const ProblemActionWrite& w);

// The daily job's automatic escalations, all of a day's at once: each item
// by the manual rule (domain::PlanAction) as the system (user NULL), written
// as ApplyProblemAction writes an escalation — the row (coordinating unit,
// its path and level, escalated, escalation_count, version, updated_at), the
// timeline entry (data {from_unit_id, to_unit_id, automatic}) and the
// problem.escalated notices to the new coordinating unit's and the lead
// unit's active users — but a few statements for the whole set instead of a
// dozen per item. An item the rule refuses (no higher level) is skipped.
// Returns how many were escalated.
struct SystemEscalation {
  int64_t problem_id = 0;
  std::string reason;  // the timeline's and the notices' text
};
StatusOr<int64_t> EscalateAsSystem(db::Connection& conn, const std::vector<SystemEscalation>& items, Date today,
                                   int64_t now);

struct ProblemEvent {
  int64_t id = 0;
  int64_t at = 0;
  std::optional<int64_t> user_id;
  std::string user_name, action, from_status, to_status, comment;
  bool internal = false;
  nlohmann::json data;
  struct File {
    int64_t id = 0;
    std::string filename, content_type;
    int64_t size = 0;
  };
  std::vector<File> attachments;
};
StatusOr<std::vector<ProblemEvent>> ListProblemEvents(db::Connection& conn, int64_t problem_id, bool for_enterprise);

// Who may see which items (docs/api-problems.md § Scope).
struct ProblemScope {
  ScopeFilterSql units;                  // all / subtrees / units / self
  std::optional<int64_t> enterprise_id;  // an enterprise user: only these, whatever `units` says
};
bool ProblemInScope(const ProblemScope& scope, const Problem& p);

struct ProblemFilter {
  std::vector<std::string> statuses;
  std::optional<std::string> category, source, urgency, level, satisfaction;
  std::optional<std::string> org_unit_path, lead_unit_path;  // + subtree
  std::optional<int64_t> enterprise_id, project_id;
  std::optional<bool> overdue, escalated, supervised, on_agenda, on_spot;
  std::optional<std::string> raised_from, raised_to;
  std::optional<int64_t> mine_handler;  // handler_id = this user
  std::optional<int64_t> mine_unit;     // lead unit or a co-unit = this unit
  std::string q;
  std::string sort = "-raised_on";  // IsProblemSortKey, '-' = descending
  bool operator==(const ProblemFilter&) const = default;
};
bool IsProblemSortKey(std::string_view key);
// "<column> IN ('pending', …)": the open statuses (domain::IsOpen) as SQL.
std::string OpenStatusSql(std::string_view column);  // raised_on, deadline, status, urgency, overdue_days, code, updated_at

struct ProblemPage {
  std::vector<Problem> items;
  int64_t total = 0;
  std::map<std::string, std::vector<FacetCount>> facets;  // status, category, level, source
};
StatusOr<ProblemPage> ListProblems(db::Connection& conn, const ProblemScope& scope, const ProblemFilter& filter,
                                   Date today, int64_t page, int64_t page_size, bool facets);
// The list's " FROM problems p … WHERE …" (scope and filter, no ORDER BY)
// with its placeholders appended to `params`, for the figures
// (storage/problem_stats_repo.h) to aggregate the very items the list shows.
std::string ProblemFromWhere(const ProblemScope& scope, const ProblemFilter& filter, Date today, db::Dialect dialect,
                             db::Params* params);
// The filtered ids in order, no paging (the export; at most `limit`).
StatusOr<std::vector<Problem>> ListAllProblems(db::Connection& conn, const ProblemScope& scope,
                                               const ProblemFilter& filter, Date today, int64_t limit);

struct ProblemSettings {
  std::map<std::string, int64_t> sla_days;  // category → working days
  int64_t default_sla_days = 10;
  int64_t auto_escalate_days = 5;
  int64_t version = 0;
};
StatusOr<ProblemSettings> GetProblemSettings(db::Connection& conn);
Status PutProblemSettings(db::Connection& conn, const ProblemSettings& s, int64_t expected_version,
                          std::optional<int64_t> user_id, int64_t now);
int64_t SlaDaysFor(const ProblemSettings& s, const std::string& category);

}  // namespace zb::storage
