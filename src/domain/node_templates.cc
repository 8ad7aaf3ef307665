#include "domain/node_templates.h"

#include <set>
#include <unordered_map>
#include <utility>

#include "core/text.h"

namespace zb::domain {
namespace {

constexpr NodeEvent kSigned = NodeEvent::kSigned;
constexpr NodeEvent kStarted = NodeEvent::kStarted;
constexpr NodeEvent kCompleted = NodeEvent::kCompleted;
constexpr NodeEvent kOperating = NodeEvent::kOperating;

// Durations are working days (about 21 a month) typical of a district
// project once the 专班 pushes it: 并联审批 where procedures run side by side.
std::vector<NodeTemplateDef> MakeBuiltins() {
  std::vector<NodeTemplateDef> t;
  t.push_back({
      "工业/制造业项目标准节点", "manufacturing",
      "签约落地到投产:供地与规划许可为主线,环评、能评、施工招标并联办理",
      {
          {"signing", "签约", 0, kSigned},
          {"land", "土地摘牌/供地", 45, {}},
          {"land_planning", "用地规划许可", 10, {}},
          {"eia", "环评批复", 30, {}},
          {"energy", "能评(节能审查)", 20, {}},
          {"project_planning", "工程规划许可", 15, {}},
          {"drawing_review", "施工图审查", 20, {}},
          {"tendering", "施工招标", 25, {}},
          {"permit", "施工许可", 10, {}},
          {"start", "开工", 0, kStarted},
          {"topping_out", "主体封顶", 120, {}},
          {"equipment", "设备安装调试", 60, {}},
          {"acceptance", "竣工验收", 20, kCompleted},
          {"operating", "投产", 0, kOperating},
      },
      {
          {"signing", "land", 0},
          {"land", "land_planning", 0},
          {"signing", "eia", 0},
          {"signing", "energy", 0},
          {"land_planning", "project_planning", 0},
          {"project_planning", "drawing_review", 0},
          {"project_planning", "tendering", 0},
          {"drawing_review", "permit", 0},
          {"tendering", "permit", 0},
          {"eia", "permit", 0},
          {"energy", "permit", 0},
          {"permit", "start", 0},
          {"start", "topping_out", 0},
          {"topping_out", "equipment", 0},
          {"equipment", "acceptance", 0},
          {"acceptance", "operating", 10},  // 试生产
      },
  });
  t.push_back({
      "基础设施项目标准节点", "infrastructure",
      "立项到交付使用:可研、初设、施工图与招标,环评与规划许可并联",
      {
          {"site", "用地预审与选址意见", 20, {}},
          {"approval", "立项/可研批复", 30, {}},
          {"eia", "环评批复", 25, {}},
          {"preliminary", "初步设计及概算批复", 30, {}},
          {"land_planning", "用地规划许可", 10, {}},
          {"project_planning", "工程规划许可", 15, {}},
          {"drawings", "施工图设计及审查", 40, {}},
          {"tendering", "施工招标", 25, {}},
          {"permit", "施工许可", 10, {}},
          {"start", "开工", 0, kStarted},
          {"main_works", "主体工程施工", 160, {}},
          {"ancillary", "附属及配套工程", 40, {}},
          {"acceptance", "竣工验收", 20, kCompleted},
          {"handover", "交付使用", 0, kOperating},
      },
      {
          {"site", "approval", 0},
          {"site", "eia", 0},
          {"approval", "preliminary", 0},
          {"approval", "land_planning", 0},
          {"preliminary", "drawings", 0},
          {"preliminary", "tendering", 0},
          {"preliminary", "project_planning", 0},
          {"land_planning", "project_planning", 0},
          {"drawings", "permit", 0},
          {"tendering", "permit", 0},
          {"project_planning", "permit", 0},
          {"eia", "permit", 0},
          {"permit", "start", 0},
          {"start", "main_works", 0},
          {"main_works", "ancillary", 0},
          {"ancillary", "acceptance", 0},
          {"acceptance", "handover", 0},
      },
  });
  t.push_back({
      "房地产及棚改项目标准节点", "real_estate",
      "征收交地、土地出让到回迁安置:过渡安置与交地并行,规划方案与招标并联",
      {
          {"expropriation", "房屋征收补偿", 60, {}},
          {"temporary_housing", "过渡安置", 20, {}},
          {"land_delivery", "征收交地", 20, {}},
          {"land_transfer", "土地出让", 30, kSigned},
          {"scheme", "规划方案审查", 20, {}},
          {"land_planning", "用地规划许可", 10, {}},
          {"project_planning", "工程规划许可", 15, {}},
          {"drawing_review", "施工图审查", 20, {}},
          {"tendering", "施工招标", 20, {}},
          {"permit", "施工许可", 10, {}},
          {"start", "开工", 0, kStarted},
          {"topping_out", "主体封顶", 150, {}},
          {"finishing", "装饰装修及配套", 80, {}},
          {"acceptance", "竣工验收备案", 20, kCompleted},
          {"resettlement", "回迁安置", 40, kOperating},
      },
      {
          {"expropriation", "temporary_housing", 0},
          {"expropriation", "land_delivery", 0},
          {"land_delivery", "land_transfer", 0},
          {"land_transfer", "land_planning", 0},
          {"land_transfer", "scheme", 0},
          {"land_planning", "project_planning", 0},
          {"scheme", "project_planning", 0},
          {"project_planning", "drawing_review", 0},
          {"scheme", "tendering", 0},
          {"drawing_review", "permit", 0},
          {"tendering", "permit", 0},
          {"permit", "start", 0},
          {"start", "topping_out", 0},
          {"topping_out", "finishing", 0},
          {"finishing", "acceptance", 0},
          {"acceptance", "resettlement", 0},
      },
  });
  t.push_back({
      "服务业项目标准节点", "services",
      "签约到开业运营:备案与供地并行,消防设计审查随施工图",
      {
          {"signing", "签约", 0, kSigned},
          {"registration", "项目备案", 5, {}},
          {"land", "土地供应/场地租赁", 30, {}},
          {"planning", "规划许可", 20, {}},
          {"design", "施工图设计及审查", 30, {}},
          {"fire_design", "消防设计审查", 15, {}},
          {"permit", "施工许可", 10, {}},
          {"start", "开工", 0, kStarted},
          {"construction", "主体施工", 100, {}},
          {"fitout", "装修及设备安装", 50, {}},
          {"acceptance", "竣工验收(含消防验收)", 15, kCompleted},
          {"opening", "开业运营", 0, kOperating},
      },
      {
          {"signing", "registration", 0},
          {"signing", "land", 0},
          {"land", "planning", 0},
          {"planning", "design", 0},
          {"design", "fire_design", 0},
          {"registration", "permit", 0},
          {"fire_design", "permit", 0},
          {"permit", "start", 0},
          {"start", "construction", 0},
          {"construction", "fitout", 0},
          {"fitout", "acceptance", 0},
          {"acceptance", "opening", 10},  // 招聘与试营业
      },
  });
  return t;
}

bool IsKey(std::string_view key) {
  if (key.empty() || key.size() > 32) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

Status CheckWorkingDays(int value, const std::string& field, const std::string& what) {
  if (value >= 0 && value <= kMaxWorkingDays) return Status::Ok();
  const std::string max = std::to_string(kMaxWorkingDays);
  return ValidationFailed(what + "应为 0–" + max + " 个工作日 (must be 0.." + max + " working days)", field);
}

}  // namespace

const std::vector<NodeTemplateDef>& BuiltinNodeTemplates() {
  static const std::vector<NodeTemplateDef> kTemplates = MakeBuiltins();
  return kTemplates;
}

Status ValidateTemplate(const NodeTemplateDef& t) {
  std::string line = t.name;
  ZB_RETURN_IF_ERROR(ValidateLine(line, "name", "模板名称", 40, false));
  if (t.category.empty()) return ValidationFailed("请选择项目类别 (category is required)", "category");
  if (t.nodes.empty() || t.nodes.size() > static_cast<size_t>(kMaxTemplateNodes)) {
    return ValidationFailed("模板应有 1–" + std::to_string(kMaxTemplateNodes) + " 个节点 (a template has 1.." +
                                std::to_string(kMaxTemplateNodes) + " nodes)",
                            "nodes");
  }
  std::unordered_map<std::string_view, int> index;
  std::set<NodeEvent> events;
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    const TemplateNode& node = t.nodes[i];
    const std::string field = "nodes[" + std::to_string(i) + "]";
    if (!IsKey(node.key)) {
      return ValidationFailed("节点标识 " + QuoteForMessage(node.key) +
                                  " 应为 1–32 位小写字母、数字或下划线 (key must match [a-z0-9_]{1,32})",
                              field + ".key");
    }
    if (!index.emplace(node.key, static_cast<int>(i)).second) {
      return ValidationFailed("节点标识 " + node.key + " 重复 (duplicate key)", field + ".key");
    }
    line = node.name;
    ZB_RETURN_IF_ERROR(ValidateLine(line, field + ".name", "节点名称", 40, false));
    ZB_RETURN_IF_ERROR(CheckWorkingDays(node.duration, field + ".duration", node.name + " 的工期"));
    if (node.event != NodeEvent::kNone && !events.insert(node.event).second) {
      return ValidationFailed("「" + std::string(NodeEventLabel(node.event)) +
                                  "」事件只能标在一个节点上 (each event marks at most one node)",
                              field + ".event");
    }
  }
  std::vector<ScheduleLink> links;
  std::set<std::pair<int, int>> seen;
  for (size_t i = 0; i < t.links.size(); ++i) {
    const TemplateLink& l = t.links[i];
    const std::string field = "links[" + std::to_string(i) + "]";
    auto from = index.find(l.from), to = index.find(l.to);
    if (from == index.end()) {
      return ValidationFailed("依赖关系引用了不存在的节点 " + QuoteForMessage(l.from) + " (unknown key)",
                              field + ".from");
    }
    if (to == index.end()) {
      return ValidationFailed("依赖关系引用了不存在的节点 " + QuoteForMessage(l.to) + " (unknown key)", field + ".to");
    }
    const std::string& name = t.nodes[from->second].name;
    if (from->second == to->second) {
      return ValidationFailed(name + " 不能依赖自身 (a node cannot depend on itself)", field + ".to");
    }
    if (!seen.emplace(from->second, to->second).second) {
      return ValidationFailed(name + " → " + t.nodes[to->second].name + " 的依赖关系重复 (duplicate link)", field);
    }
    ZB_RETURN_IF_ERROR(CheckWorkingDays(l.lag, field + ".lag", name + " → " + t.nodes[to->second].name + " 的间隔"));
    links.push_back({from->second, to->second, l.lag});
  }
  if (const std::vector<int> cycle = FindCycle(static_cast<int>(t.nodes.size()), links); !cycle.empty()) {
    std::vector<std::string_view> names;
    for (int v : cycle) names.push_back(t.nodes[v].name);
    return ValidationFailed(CycleMessage(names), "links");
  }
  return Status::Ok();
}

}  // namespace zb::domain
