// The built-in node templates and ValidateTemplate.
#include "domain/node_templates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "real_calendar.h"

namespace zb::domain {
namespace {

using ::testing::HasSubstr;
using zb::testing::D;
using zb::testing::RealCalendar;

const NodeTemplateDef& Builtin(const std::string& category) {
  for (const NodeTemplateDef& t : BuiltinNodeTemplates()) {
    if (t.category == category) return t;
  }
  ADD_FAILURE() << "no template for " << category;
  return BuiltinNodeTemplates().front();
}

// A template as a plan: node i is template node i, links by key.
ScheduleInput AsPlan(const NodeTemplateDef& t, Date today) {
  ScheduleInput in;
  in.today = today;
  std::map<std::string, int> index;
  for (const TemplateNode& n : t.nodes) {
    index[n.key] = static_cast<int>(in.nodes.size());
    in.nodes.push_back({n.name, n.duration, {}, {}, {}});
  }
  for (const TemplateLink& l : t.links) in.links.push_back({index.at(l.from), index.at(l.to), l.lag});
  return in;
}

int IndexOf(const NodeTemplateDef& t, NodeEvent e) {
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    if (t.nodes[i].event == e) return static_cast<int>(i);
  }
  return -1;
}

TEST(NodeTemplates, BuiltinsAreValidOnePerCategory) {
  std::vector<std::string> categories;
  for (const NodeTemplateDef& t : BuiltinNodeTemplates()) {
    EXPECT_TRUE(ValidateTemplate(t).ok()) << t.name << ": " << ValidateTemplate(t).ToString();
    categories.push_back(t.category);
    // Every template marks 开工 and 竣工, so a plan can hang off the project's dates.
    EXPECT_GE(IndexOf(t, NodeEvent::kStarted), 0) << t.name;
    EXPECT_GE(IndexOf(t, NodeEvent::kCompleted), 0) << t.name;
  }
  EXPECT_THAT(categories, ::testing::ElementsAre("manufacturing", "infrastructure", "real_estate", "services"));
}

TEST(NodeTemplates, ManufacturingFollowsTheIssuesChain) {
  const NodeTemplateDef& t = Builtin("manufacturing");
  std::vector<std::string> names;
  for (const TemplateNode& n : t.nodes) names.push_back(n.name);
  for (const char* step : {"签约", "土地摘牌/供地", "用地规划许可", "工程规划许可", "施工图审查", "施工许可", "开工",
                           "主体封顶", "设备安装调试", "竣工验收", "投产"}) {
    EXPECT_THAT(names, ::testing::Contains(step));
  }
  EXPECT_EQ(t.nodes[IndexOf(t, NodeEvent::kSigned)].duration, 0);
  EXPECT_EQ(t.nodes[IndexOf(t, NodeEvent::kOperating)].duration, 0);
}

TEST(NodeTemplates, RealEstateHasLandDeliveryAndResettlement) {
  std::vector<std::string> names;
  for (const TemplateNode& n : Builtin("real_estate").nodes) names.push_back(n.name);
  EXPECT_THAT(names, ::testing::Contains("征收交地"));
  EXPECT_THAT(names, ::testing::Contains(HasSubstr("安置")));
}

// Each template schedules backwards from a 开工 target without problems
// when there is time, and its parallel branches leave slack off the
// critical path.
TEST(NodeTemplates, BuiltinsScheduleBackwardsFromAStartTarget) {
  const WorkCalendar cal = RealCalendar();
  for (const NodeTemplateDef& t : BuiltinNodeTemplates()) {
    ScheduleInput in = AsPlan(t, D("2025-03-03"));
    const int start = IndexOf(t, NodeEvent::kStarted);
    in.nodes[start].target = D("2026-06-30");
    auto s = ComputeSchedule(in, cal);
    ASSERT_TRUE(s.ok()) << t.name << ": " << s.status().ToString();
    EXPECT_TRUE(s->problems.empty()) << t.name;
    EXPECT_TRUE(s->nodes[start].critical);
    int off_path = 0;
    for (size_t i = 0; i < in.nodes.size(); ++i) {
      if (s->nodes[i].slack && !s->nodes[i].critical) ++off_path;
    }
    EXPECT_GT(off_path, 0) << t.name << " has no parallel branch before 开工";
  }
}

NodeTemplateDef Small() {
  return {"小模板", "manufacturing", "",
          {{"permit", "施工许可", 10, {}}, {"start", "开工", 0, NodeEvent::kStarted}, {"build", "主体施工", 100, {}}},
          {{"permit", "start", 0}, {"start", "build", 0}}};
}

TEST(NodeTemplates, ValidateNamesTheField) {
  EXPECT_TRUE(ValidateTemplate(Small()).ok());
  auto field_of = [](const NodeTemplateDef& t) {
    const Status st = ValidateTemplate(t);
    EXPECT_EQ(st.code(), StatusCode::kValidationFailed);
    return st.field();
  };
  NodeTemplateDef t = Small();
  t.name = "";
  EXPECT_EQ(field_of(t), "name");
  t = Small();
  for (int i = 0; i < 41; ++i) t.name += "节";  // 41 characters (123 bytes)
  EXPECT_EQ(field_of(t), "name");
  t.name.resize(40 * 3);  // 40 characters: fine
  EXPECT_TRUE(ValidateTemplate(t).ok());

  t = Small();
  t.nodes.clear();
  EXPECT_EQ(field_of(t), "nodes");
  t = Small();
  t.nodes[1].key = "Start";
  EXPECT_EQ(field_of(t), "nodes[1].key");
  t.nodes[1].key = std::string(33, 'a');
  EXPECT_EQ(field_of(t), "nodes[1].key");
  t.nodes[1].key = "permit";
  EXPECT_EQ(field_of(t), "nodes[1].key");
  EXPECT_THAT(ValidateTemplate(t).message(), HasSubstr("重复"));
  t = Small();
  t.nodes[2].name = "";
  EXPECT_EQ(field_of(t), "nodes[2].name");
  t = Small();
  t.nodes[2].duration = kMaxWorkingDays + 1;
  EXPECT_EQ(field_of(t), "nodes[2].duration");
  t.nodes[2].duration = -1;
  EXPECT_EQ(field_of(t), "nodes[2].duration");
  t = Small();
  t.nodes[2].event = NodeEvent::kStarted;  // 开工 twice
  EXPECT_EQ(field_of(t), "nodes[2].event");

  t = Small();
  t.links[1].to = "nowhere";
  EXPECT_EQ(field_of(t), "links[1].to");
  t.links[1] = {"nowhere", "build", 0};
  EXPECT_EQ(field_of(t), "links[1].from");
  t.links[1] = {"build", "build", 0};
  EXPECT_EQ(field_of(t), "links[1].to");
  t.links[1] = {"permit", "start", 0};
  EXPECT_EQ(field_of(t), "links[1]");  // duplicate
  t.links[1] = {"start", "build", -1};
  EXPECT_EQ(field_of(t), "links[1].lag");
  t.links[1] = {"start", "build", kMaxWorkingDays + 1};
  EXPECT_EQ(field_of(t), "links[1].lag");
}

TEST(NodeTemplates, CycleIsRefusedNamingItsNodesInOrder) {
  NodeTemplateDef t = Small();
  t.links.push_back({"build", "permit", 0});
  const Status st = ValidateTemplate(t);
  EXPECT_EQ(st.field(), "links");
  EXPECT_EQ(st.message(),
            "节点存在循环依赖:施工许可 → 开工 → 主体施工 → 施工许可 (dependency cycle: 施工许可 → 开工 → 主体施工 → 施工许可)");
}

}  // namespace
}  // namespace zb::domain
