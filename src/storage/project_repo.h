// The project library in the database: projects with their 包保 (包保领导,
// 责任部门, 包联人员), tags, annual plans and 专班 links, the lifecycle's
// history, and generated codes (migration 0004).
//
// Writes take the whole editable record (ProjectData): the API merges a
// PATCH onto the current record and writes it back under the version
// check, so clearing an optional field is simply writing it empty. The
// stage never changes through UpdateProject — only RecordTransition moves
// it, and records the move in project_stage_events in the same Tx.
//
// Reads take pool.Read(); writes must run inside a Tx (several tables).
// The SQL is the same on SQLite and PostgreSQL. Times are epoch ms; dates
// are 'YYYY-MM-DD' text; money is whole yuan. Input is assumed validated by
// the domain; the database still enforces codes' uniqueness, references
// and the enumerations.
//
// Errors: NotFound("项目不存在", "id"); NotFound naming "org_unit_id",
// "enterprise_id", "leader_user_id", "responsible_unit_id", "liaison_ids"
// or "team_ids" for a missing reference; AlreadyExists (field "code");
// VersionConflict when the expected version is stale.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"

namespace zb::storage {

struct AnnualPlan {
  int64_t year = 0;
  int64_t planned_investment = 0;  // yuan
  bool goal_start = false;         // 年内开工
  bool goal_complete = false;      // 年内竣工
  bool goal_operate = false;       // 年内投产
  bool operator==(const AnnualPlan&) const = default;
};

// Everything a user edits on a project (not its stage, not its history).
struct ProjectData {
  std::string code;  // empty on create: the next XM-<year>-NNNN
  std::string name;
  std::optional<int64_t> enterprise_id;
  int64_t org_unit_id = 0;
  std::string board;     // 产业板块 code, '' unset
  std::string category;  // 项目类别 code, '' unset
  std::string level = "general";
  std::string project_type = "new";
  int64_t total_investment = 0;
  std::string construction_content;
  std::string address;
  std::optional<double> lng, lat;
  std::optional<std::string> planned_signed_on, actual_signed_on, planned_started_on, actual_started_on,
      planned_completed_on, actual_completed_on, planned_operating_on, actual_operating_on;
  std::optional<int64_t> leader_user_id;       // 包保领导
  std::optional<int64_t> responsible_unit_id;  // 责任部门
  std::vector<int64_t> liaison_ids;            // 包联人员, ascending
  std::vector<std::string> tags;               // sorted, distinct
  std::vector<AnnualPlan> plans;               // by year, one per year
  std::vector<int64_t> team_ids;               // 专班, ascending
};

struct Project {
  int64_t id = 0;
  ProjectData data;
  std::string stage = "planning";
  std::optional<std::string> suspended_from;
  std::optional<std::string> stage_since;
  // Read with the row, for display and scope checks.
  std::string org_unit_name;
  std::string org_path;
  std::string enterprise_name;
  std::optional<int64_t> created_by;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct StageEvent {
  int64_t id = 0;
  std::string from_stage;
  std::string to_stage;
  std::string on_date;
  std::string note;
  std::optional<int64_t> user_id;
  int64_t at = 0;
};

// A lifecycle move as the domain planned it (domain::PlanTransition).
struct Transition {
  std::string to_stage;
  std::optional<std::string> suspended_from;  // the new value (set when suspending, cleared otherwise)
  std::string on_date;                        // becomes stage_since and the event's date
  // The actual-date column the move sets ("actual_signed_on", …), if any.
  std::optional<std::string> actual_date_column;
  std::string note;
  std::optional<int64_t> user_id;
};

// Inserts the project at stage 谋划 (planning), version 1, with its lists.
// An empty code takes the next XM-<year of now>-NNNN that is free.
StatusOr<Project> CreateProject(db::Connection& conn, ProjectData data, std::optional<int64_t> created_by,
                                int64_t now_ms);

StatusOr<Project> GetProject(db::Connection& conn, int64_t id);

// Writes `data` (every editable field and list) if the project is still at
// `expected_version`; bumps the version. The code may change (unique).
StatusOr<Project> UpdateProject(db::Connection& conn, int64_t id, int64_t expected_version, ProjectData data,
                                int64_t now_ms);

// Moves the stage if the project is still at `expected_version` and still
// at `from_stage` (the stage the caller planned from), sets the actual date
// column when given, records the event and bumps the version.
StatusOr<Project> RecordTransition(db::Connection& conn, int64_t id, int64_t expected_version,
                                   const std::string& from_stage, const Transition& move, int64_t now_ms);

// The project's moves, oldest first.
StatusOr<std::vector<StageEvent>> ListStageEvents(db::Connection& conn, int64_t project_id);

}  // namespace zb::storage
