// Projects 项目库: the lifecycle state machine, project types, 开复工
// classification and project codes. Pure rules; the API stores the results.
//
// Lifecycle 全周期
//
//   谋划 → 在谈 → 签约 → 前期 → 在建 → 竣工 → 投产        (the main line)
//                          └──┴─→ 停缓建 ─→ back to where it was
//   any non-final stage ─→ 终止
//
//   stage        code                zh      en
//   kPlanning    planning            谋划    Planning
//   kNegotiating negotiating         在谈    Negotiating
//   kSigned      signed              签约    Signed
//   kPreparing   preparing           前期    Preparatory work
//   kBuilding    under_construction  在建    Under construction
//   kCompleted   completed           竣工    Completed
//   kOperating   operating           投产    In operation
//   kSuspended   suspended           停缓建  Suspended
//   kTerminated  terminated          终止    Terminated
//
// Contract
// - ProjectStageCode / ProjectStageLabel / ProjectStageLabelEn give the wire
//   code and labels; ParseProjectStage accepts the code or the zh label
//   ("under_construction" or "在建") and returns nullopt for anything else.
//   ProjectStages() lists them in the order above (the main line first).
// - AllowedTransitions(state), in that same order:
//   * a main-line stage may move to ANY LATER main-line stage. Skipping is
//     allowed because offices do record a project going 签约 → 在建 when the
//     前期 work was quick, or entering the library already 在建. Moving
//     backwards along the main line is never allowed.
//   * 前期 and 在建 may also move to 停缓建.
//   * 停缓建 may move only back to the stage it left (state.suspended_from,
//     which the caller stores) — or to 终止. If suspended_from is missing or
//     not 前期/在建 (a damaged row), only 终止 is offered.
//   * every non-final stage may move to 终止.
//   * 投产 and 终止 are final: nothing is allowed from them (a project that
//     has gone into operation is not "terminated" afterwards; it is done).
//   * a stage never moves to itself.
// - PlanTransition(state, to, on) checks one move and says what to record:
//   * an illegal move is kInvalidTransition (HTTP 409) with field "to" and
//     the message "不能从「在谈」变更为「竣工」,可变更为:签约、前期、在建、终止
//     (cannot move from negotiating to completed; allowed: signed, …)";
//     from a final stage "「投产」是最终状态,不能再变更 (operating is final …)".
//   * `on` earlier than state.stage_since (the date of the move that entered
//     the current stage, if the caller knows it) is kValidationFailed with
//     field "date": moves are recorded in order. Dates in the future are the
//     caller's check (it has the clock).
//   * On success, TransitionEffect says: the new stage; which actual date to
//     set to `on` — 签约 sets the actual 签约 date, 在建 the actual 开工,
//     竣工 and 投产 theirs (ActualDateField names each), and every other target
//     (including resuming from 停缓建, which does not restart the project)
//     sets none; and the new suspended_from — the stage left when moving to
//     停缓建, nullopt otherwise. A forward skip sets only the target's date:
//     the skipped stages' dates are unknown and are not invented.
// - Project types 项目类型: new 新建, continuing 续建, expansion 扩建,
//   renovation 技改, with the same Code/Label/Parse helpers.
// - ClassifyStart(type, started_at, year, building_in_year): how a project
//   counts in year `year`'s 开复工 figures ("续建项目抓复工、新建项目抓开工").
//   * kStarted 开工: the actual start date (started_at, set by the move to
//     在建) falls in `year` — whatever the type, and whatever happened later
//     (a project started in March and suspended in June still started).
//   * kResumed 复工: a 续建 project that started before `year` (or whose
//     start date was never recorded — 续建 means it began in an earlier
//     year) and was under construction at some time in `year`:
//     building_in_year is true when it entered the year 在建 or reached 在建
//     during it (e.g. resumed from 停缓建). The caller derives it from the
//     transition history. A 续建 project restarting after the winter break
//     is simply 在建 on 1 January, so it counts.
//   * kNone otherwise — including a 新建/扩建/技改 project that started in an
//     earlier year: offices re-file such a project as 续建 in the next year's
//     plan, and its type is what makes it count as 复工.
//   开复工 is kStarted + kResumed.
// - Project codes: FormatProjectCode(2026, 1) == "XM-2026-0001" (at least
//   four sequence digits, more when needed: "XM-2026-12345").
//   ProjectCodeSequence(code, year) reads the sequence back from a code of
//   exactly that form ("XM-2026-" then 1–18 digits), nullopt otherwise, so
//   the caller can find the next free number. Codes are editable;
//   IsValidProjectCode accepts 1–32 characters, each an ASCII letter, digit,
//   '-', '_', '.', or a CJK ideograph (U+4E00–U+9FFF), starting with a letter,
//   digit or ideograph — no spaces, slashes or other punctuation, so a code
//   is safe in a URL, a file name and an Excel cell. Surrounding blanks are
//   the caller's to trim (ValidateLine) before asking.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace zb::domain {

enum class ProjectStage {
  kPlanning,
  kNegotiating,
  kSigned,
  kPreparing,
  kBuilding,
  kCompleted,
  kOperating,
  kSuspended,
  kTerminated,
};

struct ProjectStageDef {
  ProjectStage stage;
  std::string_view code;   // stable wire code
  std::string_view label;  // zh-CN
  std::string_view label_en;
};

const std::vector<ProjectStageDef>& ProjectStages();
std::string_view ProjectStageCode(ProjectStage stage);
std::string_view ProjectStageLabel(ProjectStage stage);
std::string_view ProjectStageLabelEn(ProjectStage stage);
std::optional<ProjectStage> ParseProjectStage(std::string_view code_or_label);

// What the caller stores about a project's lifecycle.
struct ProjectLifecycleState {
  ProjectStage stage = ProjectStage::kPlanning;
  std::optional<ProjectStage> suspended_from;  // set while kSuspended
  std::optional<Date> stage_since;             // date of the move into `stage`
};

// The actual-date columns a move sets.
enum class ActualDate { kSigned, kStarted, kCompleted, kOperating };
// The field (and projects column) each sets: "actual_signed_on",
// "actual_started_on", "actual_completed_on", "actual_operating_on".
std::string_view ActualDateField(ActualDate which);

struct TransitionEffect {
  ProjectStage to = ProjectStage::kPlanning;
  Date on;
  std::optional<ActualDate> sets;              // set this actual date to `on`
  std::optional<ProjectStage> suspended_from;  // the new value to store
};

std::vector<ProjectStage> AllowedTransitions(const ProjectLifecycleState& state);
StatusOr<TransitionEffect> PlanTransition(const ProjectLifecycleState& state, ProjectStage to, Date on);

// ---- project types -----------------------------------------------------------

enum class ProjectType { kNew, kContinuing, kExpansion, kRenovation };

struct ProjectTypeDef {
  ProjectType type;
  std::string_view code;
  std::string_view label;
  std::string_view label_en;
};

const std::vector<ProjectTypeDef>& ProjectTypes();
std::string_view ProjectTypeCode(ProjectType type);
std::string_view ProjectTypeLabel(ProjectType type);
std::optional<ProjectType> ParseProjectType(std::string_view code_or_label);

// ---- project levels ----------------------------------------------------------

// 项目级别: which government lists the project is on. The codes are the
// projects.level values (migration 0004).
struct ProjectLevelDef {
  std::string_view code;
  std::string_view label;  // zh-CN
  std::string_view label_en;
};

// 国家重点, 省重点, 市重点, 区县重点, 一般 — highest first.
const std::vector<ProjectLevelDef>& ProjectLevels();
// The code for a code or a zh label ("省重点" → "provincial"), if any.
std::optional<std::string_view> ParseProjectLevel(std::string_view code_or_label);
// The zh label of a level code; the code itself when unknown.
std::string_view ProjectLevelLabel(std::string_view code);

// ---- 开复工 ------------------------------------------------------------------

enum class StartKind { kNone, kStarted /* 开工 */, kResumed /* 复工 */ };

StartKind ClassifyStart(ProjectType type, std::optional<Date> started_at, int year, bool building_in_year);

// ---- project codes -----------------------------------------------------------

inline constexpr size_t kMaxProjectCodeChars = 32;

std::string FormatProjectCode(int year, int64_t seq);
std::optional<int64_t> ProjectCodeSequence(std::string_view code, int year);
bool IsValidProjectCode(std::string_view code);

}  // namespace zb::domain
