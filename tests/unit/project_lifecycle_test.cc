#include "domain/project.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace zb::domain {
namespace {

using S = ProjectStage;

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

// Columns, in this order.
const S kAll[] = {S::kPlanning,  S::kNegotiating, S::kSigned,    S::kPreparing, S::kBuilding,
                  S::kCompleted, S::kOperating,   S::kSuspended, S::kTerminated};

struct Row {
  ProjectLifecycleState from;
  const char* name;
  int allowed[9];  // 1 = legal move to kAll[i]
};

// The lifecycle, written out by hand (not derived from the code under test).
//                                                         谋 谈 签 前 建 竣 产 停 终
const Row kTable[] = {
    {{S::kPlanning}, "谋划", /*                       */ {0, 1, 1, 1, 1, 1, 1, 0, 1}},
    {{S::kNegotiating}, "在谈", /*                    */ {0, 0, 1, 1, 1, 1, 1, 0, 1}},
    {{S::kSigned}, "签约", /*                         */ {0, 0, 0, 1, 1, 1, 1, 0, 1}},
    {{S::kPreparing}, "前期", /*                      */ {0, 0, 0, 0, 1, 1, 1, 1, 1}},
    {{S::kBuilding}, "在建", /*                       */ {0, 0, 0, 0, 0, 1, 1, 1, 1}},
    {{S::kCompleted}, "竣工", /*                      */ {0, 0, 0, 0, 0, 0, 1, 0, 1}},
    {{S::kOperating}, "投产", /*                      */ {0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {{S::kSuspended, S::kPreparing}, "停缓建(前期)", /* */ {0, 0, 0, 1, 0, 0, 0, 0, 1}},
    {{S::kSuspended, S::kBuilding}, "停缓建(在建)", /* */ {0, 0, 0, 0, 1, 0, 0, 0, 1}},
    {{S::kSuspended}, "停缓建(来源缺失)", /*          */ {0, 0, 0, 0, 0, 0, 0, 0, 1}},
    {{S::kTerminated}, "终止", /*                     */ {0, 0, 0, 0, 0, 0, 0, 0, 0}},
};

TEST(ProjectLifecycle, EveryOrderedPairMatchesTheTable) {
  for (const Row& row : kTable) {
    std::vector<S> expected_allowed;
    for (int i = 0; i < 9; ++i) {
      S to = kAll[i];
      auto r = PlanTransition(row.from, to, D(2026, 3, 1));
      if (row.allowed[i]) {
        expected_allowed.push_back(to);
        EXPECT_TRUE(r.ok()) << row.name << " → " << ProjectStageLabel(to) << ": " << r.status().ToString();
      } else {
        ASSERT_FALSE(r.ok()) << row.name << " → " << ProjectStageLabel(to);
        EXPECT_EQ(r.status().code(), StatusCode::kInvalidTransition);
        EXPECT_EQ(r.status().field(), "to");
      }
    }
    EXPECT_EQ(AllowedTransitions(row.from), expected_allowed) << row.name;
  }
}

TEST(ProjectLifecycle, RefusalNamesTheAllowedTargets) {
  auto r = PlanTransition({S::kNegotiating}, S::kPlanning, D(2026, 3, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "不能从「在谈」变更为「谋划」,可变更为:签约、前期、在建、竣工、投产、终止 "
            "(cannot move from negotiating to planning; allowed: signed, preparing, under_construction, "
            "completed, operating, terminated)");

  r = PlanTransition({S::kSuspended, S::kBuilding}, S::kCompleted, D(2026, 3, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "不能从「停缓建」变更为「竣工」,可变更为:在建、终止 "
            "(cannot move from suspended to completed; allowed: under_construction, terminated)");

  r = PlanTransition({S::kOperating}, S::kTerminated, D(2026, 3, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "「投产」是最终状态,不能再变更 (operating is final; no further changes are allowed)");
  r = PlanTransition({S::kTerminated}, S::kPlanning, D(2026, 3, 1));
  EXPECT_EQ(r.status().message(),
            "「终止」是最终状态,不能再变更 (terminated is final; no further changes are allowed)");
}

TEST(ProjectLifecycle, MovesSetTheMatchingActualDate) {
  struct Case {
    S from, to;
    std::optional<ActualDate> sets;
  };
  const Case cases[] = {
      {S::kPlanning, S::kNegotiating, std::nullopt},
      {S::kNegotiating, S::kSigned, ActualDate::kSigned},
      {S::kSigned, S::kPreparing, std::nullopt},
      {S::kPreparing, S::kBuilding, ActualDate::kStarted},
      {S::kBuilding, S::kCompleted, ActualDate::kCompleted},
      {S::kCompleted, S::kOperating, ActualDate::kOperating},
      // A skip sets only the target's date.
      {S::kNegotiating, S::kBuilding, ActualDate::kStarted},
      {S::kPlanning, S::kOperating, ActualDate::kOperating},
      {S::kBuilding, S::kSuspended, std::nullopt},
      {S::kCompleted, S::kTerminated, std::nullopt},
  };
  for (const Case& c : cases) {
    auto r = PlanTransition({c.from}, c.to, D(2026, 4, 2));
    ASSERT_TRUE(r.ok()) << ProjectStageLabel(c.from) << " → " << ProjectStageLabel(c.to);
    EXPECT_EQ(r->to, c.to);
    EXPECT_EQ(r->on, D(2026, 4, 2));
    EXPECT_EQ(r->sets, c.sets) << ProjectStageLabel(c.from) << " → " << ProjectStageLabel(c.to);
  }
  EXPECT_EQ(ActualDateField(ActualDate::kSigned), "actual_signed_on");
  EXPECT_EQ(ActualDateField(ActualDate::kStarted), "actual_started_on");
  EXPECT_EQ(ActualDateField(ActualDate::kCompleted), "actual_completed_on");
  EXPECT_EQ(ActualDateField(ActualDate::kOperating), "actual_operating_on");
}

TEST(ProjectLifecycle, SuspendAndResumeRoundTrip) {
  for (S origin : {S::kPreparing, S::kBuilding}) {
    ProjectLifecycleState state{origin, std::nullopt, D(2026, 3, 1)};
    auto down = PlanTransition(state, S::kSuspended, D(2026, 6, 1));
    ASSERT_TRUE(down.ok());
    EXPECT_EQ(down->suspended_from, origin);
    EXPECT_FALSE(down->sets.has_value());

    // What the caller stores after the move.
    state = {down->to, down->suspended_from, down->on};
    EXPECT_EQ(AllowedTransitions(state), (std::vector<S>{origin, S::kTerminated}));
    auto up = PlanTransition(state, origin, D(2026, 9, 1));
    ASSERT_TRUE(up.ok());
    EXPECT_EQ(up->to, origin);
    EXPECT_FALSE(up->suspended_from.has_value());  // cleared
    EXPECT_FALSE(up->sets.has_value());            // resuming is not a new 开工
  }
}

TEST(ProjectLifecycle, DateMayNotPrecedeTheCurrentStage) {
  ProjectLifecycleState state{S::kSigned, std::nullopt, D(2026, 5, 10)};
  auto r = PlanTransition(state, S::kBuilding, D(2026, 5, 9));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kValidationFailed);
  EXPECT_EQ(r.status().field(), "date");
  EXPECT_EQ(r.status().message(),
            "变更日期不能早于进入「签约」的日期 2026-05-10 (date must not be before 2026-05-10, when the current "
            "stage began)");
  EXPECT_TRUE(PlanTransition(state, S::kBuilding, D(2026, 5, 10)).ok());  // same day is fine
  state.stage_since.reset();                                               // unknown: not checked
  EXPECT_TRUE(PlanTransition(state, S::kBuilding, D(2020, 1, 1)).ok());
  // An illegal move is reported as such even when its date is also wrong.
  state.stage_since = D(2026, 5, 10);
  EXPECT_EQ(PlanTransition(state, S::kPlanning, D(2026, 5, 9)).status().code(), StatusCode::kInvalidTransition);
}

TEST(ProjectLifecycle, StageCodesAndLabels) {
  EXPECT_EQ(ProjectStages().size(), 9u);
  const char* codes[] = {"planning",  "negotiating", "signed",    "preparing", "under_construction",
                         "completed", "operating",   "suspended", "terminated"};
  const char* labels[] = {"谋划", "在谈", "签约", "前期", "在建", "竣工", "投产", "停缓建", "终止"};
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(ProjectStageCode(kAll[i]), codes[i]);
    EXPECT_EQ(ProjectStageLabel(kAll[i]), labels[i]);
    EXPECT_EQ(ParseProjectStage(codes[i]), kAll[i]);
    EXPECT_EQ(ParseProjectStage(labels[i]), kAll[i]);
    EXPECT_FALSE(ProjectStageLabelEn(kAll[i]).empty());
  }
  EXPECT_FALSE(ParseProjectStage("building").has_value());
  EXPECT_FALSE(ParseProjectStage("投产/达效").has_value());
  EXPECT_FALSE(ParseProjectStage("").has_value());
}

TEST(ProjectType, CodesAndLabels) {
  EXPECT_EQ(ParseProjectType("续建"), ProjectType::kContinuing);
  EXPECT_EQ(ParseProjectType("continuing"), ProjectType::kContinuing);
  EXPECT_EQ(ParseProjectType("技改"), ProjectType::kRenovation);
  EXPECT_EQ(ParseProjectType("扩建"), ProjectType::kExpansion);
  EXPECT_EQ(ParseProjectType("new"), ProjectType::kNew);
  EXPECT_FALSE(ParseProjectType("改建").has_value());
  EXPECT_EQ(ProjectTypeCode(ProjectType::kRenovation), "renovation");
  EXPECT_EQ(ProjectTypeLabel(ProjectType::kNew), "新建");
  EXPECT_EQ(ProjectTypes().size(), 4u);
}

TEST(StartClassification, StartedAndResumedIn2026) {
  using T = ProjectType;
  using K = StartKind;
  // Actual start in the year: 开工, whatever the type and the rest of the year.
  EXPECT_EQ(ClassifyStart(T::kNew, D(2026, 3, 15), 2026, true), K::kStarted);
  EXPECT_EQ(ClassifyStart(T::kRenovation, D(2026, 12, 31), 2026, false), K::kStarted);
  EXPECT_EQ(ClassifyStart(T::kContinuing, D(2026, 1, 1), 2026, true), K::kStarted);
  // 续建, started earlier, building at some time in the year: 复工.
  EXPECT_EQ(ClassifyStart(T::kContinuing, D(2024, 8, 1), 2026, true), K::kResumed);
  EXPECT_EQ(ClassifyStart(T::kContinuing, std::nullopt, 2026, true), K::kResumed);
  // … but not when it never built that year (still 停缓建, or finished before).
  EXPECT_EQ(ClassifyStart(T::kContinuing, D(2024, 8, 1), 2026, false), K::kNone);
  // Other types started earlier are not 复工 (re-file them as 续建).
  EXPECT_EQ(ClassifyStart(T::kNew, D(2025, 10, 1), 2026, true), K::kNone);
  EXPECT_EQ(ClassifyStart(T::kExpansion, D(2025, 10, 1), 2026, true), K::kNone);
  // Not started, or started only after the year.
  EXPECT_EQ(ClassifyStart(T::kNew, std::nullopt, 2026, false), K::kNone);
  EXPECT_EQ(ClassifyStart(T::kNew, D(2027, 1, 1), 2026, false), K::kNone);
  EXPECT_EQ(ClassifyStart(T::kContinuing, D(2027, 1, 1), 2026, true), K::kNone);
  // The year before: the 2025 start counts in 2025 only.
  EXPECT_EQ(ClassifyStart(T::kNew, D(2025, 10, 1), 2025, true), K::kStarted);
}

TEST(ProjectCode, FormatAndReadBack) {
  EXPECT_EQ(FormatProjectCode(2026, 1), "XM-2026-0001");
  EXPECT_EQ(FormatProjectCode(2026, 9999), "XM-2026-9999");
  EXPECT_EQ(FormatProjectCode(2026, 12345), "XM-2026-12345");
  EXPECT_EQ(ProjectCodeSequence("XM-2026-0042", 2026), 42);
  EXPECT_EQ(ProjectCodeSequence("XM-2026-12345", 2026), 12345);
  EXPECT_FALSE(ProjectCodeSequence("XM-2025-0042", 2026).has_value());
  EXPECT_FALSE(ProjectCodeSequence("XM-2026-", 2026).has_value());
  EXPECT_FALSE(ProjectCodeSequence("XM-2026-00a1", 2026).has_value());
  EXPECT_FALSE(ProjectCodeSequence("XM-2026-0042-1", 2026).has_value());
  EXPECT_FALSE(ProjectCodeSequence("xm-2026-0042", 2026).has_value());
  EXPECT_FALSE(ProjectCodeSequence("XM-2026-1234567890123456789", 2026).has_value());  // 19 digits
}

TEST(ProjectCode, UserEditedCodes) {
  EXPECT_TRUE(IsValidProjectCode("XM-2026-0001"));
  EXPECT_TRUE(IsValidProjectCode("2020-370602-47-01-012345"));  // 在线审批监管平台 style
  EXPECT_TRUE(IsValidProjectCode("高新区-2026_03.1"));
  EXPECT_TRUE(IsValidProjectCode("A"));
  EXPECT_TRUE(IsValidProjectCode(std::string(32, '7')));
  EXPECT_FALSE(IsValidProjectCode(std::string(33, '7')));
  EXPECT_TRUE(IsValidProjectCode("项目项目项目项目项目项目项目项目项目项目项目项目项目项目项目项目"));  // 32 characters
  EXPECT_FALSE(IsValidProjectCode("项目项目项目项目项目项目项目项目项目项目项目项目项目项目项目项目项"));
  EXPECT_FALSE(IsValidProjectCode(""));
  EXPECT_FALSE(IsValidProjectCode("XM 2026"));
  EXPECT_FALSE(IsValidProjectCode("XM\u30002026"));  // ideographic space
  EXPECT_FALSE(IsValidProjectCode("XM/2026"));
  EXPECT_FALSE(IsValidProjectCode("XM\\2026"));
  EXPECT_FALSE(IsValidProjectCode("XM#1"));
  EXPECT_FALSE(IsValidProjectCode("XM\t1"));
  EXPECT_FALSE(IsValidProjectCode("-XM"));
  EXPECT_FALSE(IsValidProjectCode(".hidden"));
  EXPECT_FALSE(IsValidProjectCode("XM－2026"));  // full-width hyphen
  EXPECT_FALSE(IsValidProjectCode("\xE4\xB8"));   // truncated UTF-8
}

TEST(ProjectLevels, CodesAndLabelsParseAndMatchTheDatabaseCheck) {
  // The codes are projects.level's CHECK list in migration 0004.
  std::vector<std::string_view> codes;
  for (const auto& d : ProjectLevels()) codes.push_back(d.code);
  EXPECT_EQ(codes, (std::vector<std::string_view>{"national", "provincial", "municipal", "county", "general"}));
  EXPECT_EQ(ParseProjectLevel("省重点"), std::optional<std::string_view>("provincial"));
  EXPECT_EQ(ParseProjectLevel("general"), std::optional<std::string_view>("general"));
  EXPECT_FALSE(ParseProjectLevel("省级").has_value());
}

}  // namespace
}  // namespace zb::domain
