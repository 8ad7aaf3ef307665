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
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "domain/warnings.h"
#include "storage/db.h"
#include "storage/list_cache.h"
#include "storage/scope_sql.h"

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
  std::string leader_name;            // the 包保领导's display name, '' when none
  std::string responsible_unit_name;  // '' when none
  std::string responsible_unit_path;  // for scope checks; '' when none
  std::vector<std::string> liaison_names;  // parallel to data.liaison_ids
  std::vector<std::string> team_names;     // parallel to data.team_ids
  // 预警, as the warning engine stored it (storage/warning_store.h): '' when
  // not judged (no plan and no office rule applies, or not computed yet).
  std::string warning_colour;
  // Worst first, day-invariant: storage::RenderWarningReasons says them for
  // a day (with warning_valid_until, the row's last valid day).
  std::vector<domain::WarningReason> warning_reasons;
  std::string warning_valid_until;
  int64_t warning_red_nodes = 0, warning_yellow_nodes = 0;
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
// Writes only what differs from the stored record — the columns that
// changed, each list only if it changed, the search text only if the name,
// code, enterprise or construction content did — and nothing at all when
// nothing differs (the record comes back as it is, version unchanged).
StatusOr<Project> UpdateProject(db::Connection& conn, int64_t id, int64_t expected_version, ProjectData data,
                                int64_t now_ms);
// The same over `current`, the record as the caller read it (at
// current.version, e.g. through another connection of the same snapshot):
// saves reading it again. VersionConflict if the project has moved on.
StatusOr<Project> UpdateProject(db::Connection& conn, const Project& current, ProjectData data, int64_t now_ms);

// Moves the stage if the project is still at `expected_version` and still
// at `from_stage` (the stage the caller planned from), sets the actual date
// column when given, records the event and bumps the version.
StatusOr<Project> RecordTransition(db::Connection& conn, int64_t id, int64_t expected_version,
                                   const std::string& from_stage, const Transition& move, int64_t now_ms);

// The project's moves, oldest first.
StatusOr<std::vector<StageEvent>> ListStageEvents(db::Connection& conn, int64_t project_id);

// ---- lists, facets and search (docs/api-projects.md "List filters") --------

struct DateRangeFilter {
  std::string column;  // one of the eight date columns ("planned_started_on", …); others are refused
  std::optional<std::string> from, to;  // inclusive 'YYYY-MM-DD'
};

// Sort keys are whitelisted (anything else is refused, naming "sort").
// Text sorts by code point on both engines; stage sorts in lifecycle order
// (谋划 … 投产, 停缓建, 终止) and level highest first (国家 … 一般); dates
// never set sort last in either direction. Ties are broken by id, in the
// direction of the last key.
struct SortKey {
  std::string column;  // code, name, total_investment, stage, level, org_unit_name, planned_started_on,
                       // actual_started_on, planned_completed_on, updated_at, created_at,
                       // warning (red first, then the most working days late; unjudged last)
  bool descending = false;
};
// Whether `column` is one of the sort keys above.
bool IsProjectSortColumn(std::string_view column);

// 开工 / 复工 / 开复工 in ProjectFilter::start_year Y, as domain::ClassifyStart
// defines them, from the stored record and its project_stage_events:
//   开工 (started): actual_started_on falls in Y — whatever the type or what
//     happened later.
//   复工 (resumed): not 开工; project_type 续建 (continuing); actual_started_on
//     before Y or never recorded; and 在建 at some time in Y, which is
//       (a) the stage it was in on 1 January of Y was 在建: the from_stage of
//           its first move dated on or after Y-01-01, or — no such move —
//           its current stage (if entered by the end of Y or undated), or
//       (b) a move into 在建 dated in Y (e.g. resumed from 停缓建).
//     Leaving 在建 during Y still counts (it was 在建 before leaving): (a).
//     Moves are dated in order (domain::PlanTransition), so "first by id"
//     is "first by date".
//   开复工: either. With start_year 0 nothing counts.
enum class StartKindFilter { kStarted, kResumed, kStartedOrResumed };

struct ProjectFilter {
  // The reader's data scope, matched on the project's unit OR its 责任部门;
  // self_user_id matches created_by, leader_user_id or a 包联人员.
  std::optional<ScopeFilterSql> scope;
  std::optional<int64_t> only_enterprise_id;   // an enterprise user: that enterprise's projects only
  std::optional<std::string> org_path_prefix;  // 属地 in this subtree ("/1/5/")
  std::vector<std::string> stages, levels, categories, boards, types;  // codes; OR within each
  std::optional<int64_t> leader_user_id, responsible_unit_id, enterprise_id, team_id;
  std::optional<std::string> tag;
  std::optional<int64_t> year;  // has an annual plan for this year
  std::optional<int64_t> min_investment, max_investment;
  std::vector<DateRangeFilter> date_ranges;
  // 预警 colours: red, yellow, green, none (not judged); OR.
  std::vector<std::string> warnings;
  std::optional<StartKindFilter> start_kind;  // with start_year: 开工 / 复工 / 开复工 (domain::ClassifyStart)
  int64_t start_year = 0;
  // Keyword: folded (FoldForSearch), split at blanks; every term must occur
  // as a substring of the project's search text (ProjectSearchText). ''
  // matches all.
  std::string q;
  std::vector<SortKey> sort;  // empty: updated_at descending; id breaks ties
  // The day the "warning" sort ranks by (most working days late that day
  // first: StoredWarning::MaxSlipOn); nullopt: the part that does not move.
  std::optional<Date> today;
  int64_t page = 1;
  int64_t page_size = kDefaultPageSize;
  bool with_facets = true;
};

struct FacetCount {
  std::string value;  // the code, or the org unit id as text
  std::string label;  // the org unit's name for org_unit facets; '' otherwise
  int64_t count = 0;
};

struct ProjectFacets {
  // Each facet is counted under the filter WITHOUT its own dimension, so the
  // other values of a dimension the user has already picked stay clickable.
  std::vector<FacetCount> stage, level, category, org_unit;  // by count descending, then value
  std::vector<FacetCount> warning;  // red, yellow, green, none — in that order, zeros kept
};

struct ProjectCounts {
  int64_t total_investment = 0;  // sum over the filtered set, yuan
  int64_t started = 0, resumed = 0, started_or_resumed = 0;  // in ProjectFilter::start_year
};

struct ProjectPage {
  std::vector<Project> items;  // with liaison_ids, tags, plans and team_ids filled
  int64_t total = 0;
  ProjectFacets facets;   // empty unless with_facets
  ProjectCounts counts;   // empty unless with_facets
};

// The page of `filter` (storage::LimitOffset paging) with its total and,
// with_facets, the facets and counts. The total, facets and counts are
// cached in the process per filter (not per page or sort) and dropped by
// any committed write that could change them, from any process (migration
// 0005's project_list_version).
StatusOr<ProjectPage> ListProjects(db::Connection& conn, const ProjectFilter& filter);

// A keyword search whose filter has only the keyword, the five faceted
// dimensions and a data scope of units (the list's search box) reads its
// matches once and takes the facets, the counts and a page ordered by
// updated_at or total_investment from a table of every project's facet
// values held in memory per data version and 开复工 year. Any other filter
// or order runs in SQL; both give the same answer
// (tests/api/keyword_memory_test.cc).
//
// The table is built by WarmKeywordTable (three scans of ~100 000 rows:
// 0.1–0.2 s, longer than a search in SQL). A search that finds no table for
// the current version hands its year to the scheduler, if one is set, and
// runs in SQL — the server's keyword thread (app/app.h) keeps that year's
// table current from then on; without a scheduler (the CLI, tests) the
// search builds the table itself. Set once before serving, cleared (an empty
// function) before the scheduler's owner goes.
using KeywordTableScheduler = std::function<void(int64_t start_year)>;
void SetKeywordTableScheduler(KeywordTableScheduler schedule);
Status WarmKeywordTable(db::Connection& conn, int64_t start_year);

// Everything in `filter` that decides ListProjects' answer (scope, filters,
// keyword, sort, page, facets), as a cache key; equal keys, equal pages at
// one ListVersion (storage/list_cache.h).
std::string ProjectPageKey(const ProjectFilter& filter);

// The ids of every project matching `filter` in its sort order (page,
// page_size and with_facets are ignored): for callers that read their own
// narrow columns, e.g. the portfolio Gantt's 10 000 rows.
StatusOr<std::vector<int64_t>> MatchingProjectIds(db::Connection& conn, const ProjectFilter& filter);

// What ForEachProject reads besides each row, its names and its lists:
// the 预警 (warning_colour, _reasons, _red_nodes, _yellow_nodes) unless the
// caller shows none — the 台账 export: about a tenth of a whole-table walk.
struct WalkParts {
  bool warnings = true;
};

// Every project matching `filter` (page, page_size and with_facets are
// ignored) in the filter's sort order, lists filled as in ListProjects, one
// at a time; stops at and returns the first error `fn` returns. Streams in
// chunks (the ordered ids once, then rows ~1000 at a time), so a
// 100 000-project 台账 export costs no OFFSET paging. A walk over a good
// part of the table (more than 1 000 projects and a quarter of the ids)
// reads each list table, and the names the rows join, ONCE up front and
// holds them for the walk (a few tens of MB at 100 000 projects) instead of
// seeking every project's lists chunk by chunk; a smaller one seeks.
Status ForEachProject(db::Connection& conn, const ProjectFilter& filter,
                      const std::function<Status(const Project&)>& fn, WalkParts parts = {});

// The project with this code, if any (imports' upsert).
StatusOr<std::optional<Project>> FindProjectByCode(db::Connection& conn, const std::string& code);

// ---- search text (migration 0005) ---------------------------------------------

// FoldForSearch(name + code + enterprise name + construction content),
// blank-separated, then PinyinInitials of the simplified name: what `q`
// terms are matched against.
std::string ProjectSearchText(std::string_view name, std::string_view code, std::string_view enterprise_name,
                              std::string_view construction_content);

// CreateProject and UpdateProject keep a project's search text; an
// enterprise's name is part of its projects' text, so UpdateEnterprise
// calls this when the name changes (in its Tx).
Status RefreshEnterpriseProjectsSearch(db::Connection& conn, int64_t enterprise_id);

// Writes the search text of every project that has none or only the plain
// copy migration 0005 backfilled (SQL cannot simplify nor spell pinyin);
// returns how many. `zhuanban migrate` and `zhuanban init` run it after
// migrating; cheap when there is nothing to do. A bulk loader that wrote
// rows without their text passes the first id it wrote: only ids from
// there are looked at. Inside a Tx.
StatusOr<int64_t> RebuildProjectSearch(db::Connection& conn, int64_t from_id = 0);

}  // namespace zb::storage
