#include "domain/project.h"

#include <cstdio>

namespace zb::domain {

namespace {

// Position on the main line 谋划 … 投产, or -1 for 停缓建 / 终止.
int MainLineIndex(ProjectStage s) {
  switch (s) {
    case ProjectStage::kPlanning: return 0;
    case ProjectStage::kNegotiating: return 1;
    case ProjectStage::kSigned: return 2;
    case ProjectStage::kPreparing: return 3;
    case ProjectStage::kBuilding: return 4;
    case ProjectStage::kCompleted: return 5;
    case ProjectStage::kOperating: return 6;
    case ProjectStage::kSuspended:
    case ProjectStage::kTerminated: return -1;
  }
  return -1;
}

bool IsFinal(ProjectStage s) { return s == ProjectStage::kOperating || s == ProjectStage::kTerminated; }

bool CanSuspendFrom(ProjectStage s) { return s == ProjectStage::kPreparing || s == ProjectStage::kBuilding; }

std::string Join(const std::vector<ProjectStage>& stages, bool zh) {
  std::string out;
  for (ProjectStage s : stages) {
    if (!out.empty()) out += zh ? "、" : ", ";
    out += zh ? ProjectStageLabel(s) : ProjectStageCode(s);
  }
  return out;
}

}  // namespace

const std::vector<ProjectStageDef>& ProjectStages() {
  static const std::vector<ProjectStageDef> kStages = {
      {ProjectStage::kPlanning, "planning", "谋划", "Planning"},
      {ProjectStage::kNegotiating, "negotiating", "在谈", "Negotiating"},
      {ProjectStage::kSigned, "signed", "签约", "Signed"},
      {ProjectStage::kPreparing, "preparing", "前期", "Preparatory work"},
      {ProjectStage::kBuilding, "under_construction", "在建", "Under construction"},
      {ProjectStage::kCompleted, "completed", "竣工", "Completed"},
      {ProjectStage::kOperating, "operating", "投产", "In operation"},
      {ProjectStage::kSuspended, "suspended", "停缓建", "Suspended"},
      {ProjectStage::kTerminated, "terminated", "终止", "Terminated"},
  };
  return kStages;
}

static const ProjectStageDef& StageDef(ProjectStage stage) {
  for (const auto& d : ProjectStages()) {
    if (d.stage == stage) return d;
  }
  return ProjectStages().front();
}

std::string_view ProjectStageCode(ProjectStage stage) { return StageDef(stage).code; }
std::string_view ProjectStageLabel(ProjectStage stage) { return StageDef(stage).label; }
std::string_view ProjectStageLabelEn(ProjectStage stage) { return StageDef(stage).label_en; }

std::optional<ProjectStage> ParseProjectStage(std::string_view s) {
  for (const auto& d : ProjectStages()) {
    if (s == d.code || s == d.label) return d.stage;
  }
  return std::nullopt;
}

std::string_view ActualDateField(ActualDate which) {
  switch (which) {
    case ActualDate::kSigned: return "actual_signed_on";
    case ActualDate::kStarted: return "actual_started_on";
    case ActualDate::kCompleted: return "actual_completed_on";
    case ActualDate::kOperating: return "actual_operating_on";
  }
  return "";
}

std::vector<ProjectStage> AllowedTransitions(const ProjectLifecycleState& state) {
  std::vector<ProjectStage> out;
  if (IsFinal(state.stage)) return out;
  if (state.stage == ProjectStage::kSuspended) {
    if (state.suspended_from && CanSuspendFrom(*state.suspended_from)) out.push_back(*state.suspended_from);
    out.push_back(ProjectStage::kTerminated);
    return out;
  }
  int here = MainLineIndex(state.stage);
  for (const auto& d : ProjectStages()) {
    int there = MainLineIndex(d.stage);
    if (there > here) out.push_back(d.stage);
  }
  if (CanSuspendFrom(state.stage)) out.push_back(ProjectStage::kSuspended);
  out.push_back(ProjectStage::kTerminated);
  return out;
}

StatusOr<TransitionEffect> PlanTransition(const ProjectLifecycleState& state, ProjectStage to, Date on) {
  std::vector<ProjectStage> allowed = AllowedTransitions(state);
  bool ok = false;
  for (ProjectStage s : allowed) ok = ok || s == to;
  if (!ok) {
    std::string from_zh(ProjectStageLabel(state.stage));
    std::string from_en(ProjectStageCode(state.stage));
    if (allowed.empty()) {
      return InvalidTransition("「" + from_zh + "」是最终状态,不能再变更 (" + from_en +
                                   " is final; no further changes are allowed)",
                               "to");
    }
    return InvalidTransition("不能从「" + from_zh + "」变更为「" + std::string(ProjectStageLabel(to)) +
                                 "」,可变更为:" + Join(allowed, true) + " (cannot move from " + from_en + " to " +
                                 std::string(ProjectStageCode(to)) + "; allowed: " + Join(allowed, false) + ")",
                             "to");
  }
  if (state.stage_since && on < *state.stage_since) {
    return ValidationFailed("变更日期不能早于进入「" + std::string(ProjectStageLabel(state.stage)) + "」的日期 " +
                                state.stage_since->ToString() + " (date must not be before " +
                                state.stage_since->ToString() + ", when the current stage began)",
                            "date");
  }

  TransitionEffect effect{.to = to, .on = on};
  if (to == ProjectStage::kSuspended) effect.suspended_from = state.stage;
  // Resuming from 停缓建 returns to a stage already reached: no date to set.
  if (state.stage != ProjectStage::kSuspended) {
    switch (to) {
      case ProjectStage::kSigned: effect.sets = ActualDate::kSigned; break;
      case ProjectStage::kBuilding: effect.sets = ActualDate::kStarted; break;
      case ProjectStage::kCompleted: effect.sets = ActualDate::kCompleted; break;
      case ProjectStage::kOperating: effect.sets = ActualDate::kOperating; break;
      default: break;
    }
  }
  return effect;
}

// ---- project types -----------------------------------------------------------

const std::vector<ProjectTypeDef>& ProjectTypes() {
  static const std::vector<ProjectTypeDef> kTypes = {
      {ProjectType::kNew, "new", "新建", "New"},
      {ProjectType::kContinuing, "continuing", "续建", "Continuing"},
      {ProjectType::kExpansion, "expansion", "扩建", "Expansion"},
      {ProjectType::kRenovation, "renovation", "技改", "Technical renovation"},
  };
  return kTypes;
}

const std::vector<ProjectLevelDef>& ProjectLevels() {
  static const std::vector<ProjectLevelDef> kLevels = {
      {"national", "国家重点", "National key"},
      {"provincial", "省重点", "Provincial key"},
      {"municipal", "市重点", "Municipal key"},
      {"county", "区县重点", "District key"},
      {"general", "一般", "General"},
  };
  return kLevels;
}

std::optional<std::string_view> ParseProjectLevel(std::string_view code_or_label) {
  for (const auto& d : ProjectLevels()) {
    if (d.code == code_or_label || d.label == code_or_label) return d.code;
  }
  return std::nullopt;
}

std::string_view ProjectLevelLabel(std::string_view code) {
  for (const auto& d : ProjectLevels()) {
    if (d.code == code) return d.label;
  }
  return code;
}

static const ProjectTypeDef& TypeDef(ProjectType type) {
  for (const auto& d : ProjectTypes()) {
    if (d.type == type) return d;
  }
  return ProjectTypes().front();
}

std::string_view ProjectTypeCode(ProjectType type) { return TypeDef(type).code; }
std::string_view ProjectTypeLabel(ProjectType type) { return TypeDef(type).label; }

std::optional<ProjectType> ParseProjectType(std::string_view s) {
  for (const auto& d : ProjectTypes()) {
    if (s == d.code || s == d.label) return d.type;
  }
  return std::nullopt;
}

// ---- 开复工 ------------------------------------------------------------------

StartKind ClassifyStart(ProjectType type, std::optional<Date> started_at, int year, bool building_in_year) {
  if (started_at && started_at->year() == year) return StartKind::kStarted;
  bool started_earlier = !started_at || started_at->year() < year;
  if (type == ProjectType::kContinuing && started_earlier && building_in_year) return StartKind::kResumed;
  return StartKind::kNone;
}

// ---- project codes -----------------------------------------------------------

std::string FormatProjectCode(int year, int64_t seq) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "XM-%d-%04lld", year, static_cast<long long>(seq));
  return buf;
}

std::optional<int64_t> ProjectCodeSequence(std::string_view code, int year) {
  std::string prefix = "XM-" + std::to_string(year) + "-";
  if (!code.starts_with(prefix)) return std::nullopt;
  std::string_view digits = code.substr(prefix.size());
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  int64_t seq = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    seq = seq * 10 + (c - '0');
  }
  return seq;
}

bool IsValidProjectCode(std::string_view code) {
  size_t chars = 0;
  for (size_t i = 0; i < code.size();) {
    auto c = static_cast<unsigned char>(code[i]);
    bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (alnum || ((c == '-' || c == '_' || c == '.') && i > 0)) {
      ++i;
    } else if ((c >> 4) == 0xE && i + 2 < code.size()) {
      // Three-byte UTF-8: accept only U+4E00..U+9FFF.
      auto c1 = static_cast<unsigned char>(code[i + 1]);
      auto c2 = static_cast<unsigned char>(code[i + 2]);
      if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80) return false;
      uint32_t cp = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
      if (cp < 0x4E00 || cp > 0x9FFF) return false;
      i += 3;
    } else {
      return false;
    }
    if (++chars > kMaxProjectCodeChars) return false;
  }
  return chars >= 1;
}

}  // namespace zb::domain
