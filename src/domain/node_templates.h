// Node templates 节点模板: the built-in plans a project starts from, and the
// rules every template (built-in or edited) obeys. Pure data and checks; the
// plans helper seeds BuiltinNodeTemplates() into the database (`zhuanban
// init`) and stores edited copies.
//
// Contract
// - A template is a small network: nodes with a stable `key`, a name, a
//   duration in working days (0 = milestone) and the lifecycle event it
//   marks (NodeEvent, see domain/schedule.h); finish-to-start links between
//   keys with a lag in working days. The durations are typical working days
//   for a district project in Shandong; a plan made from a template is
//   edited freely afterwards.
// - BuiltinNodeTemplates(): one template per category code of the 项目类别
//   dictionary it serves — "manufacturing" 工业/制造业, "infrastructure"
//   基础设施, "real_estate" 房地产及棚改 (with 征收交地 and 安置), "services"
//   服务业 — in that order, each valid under ValidateTemplate. Procedures
//   that run in parallel in practice are parallel branches (环评/能评 beside
//   the 规划 permits, 招标 beside 施工图审查, …).
// - ValidateTemplate(t) returns OK or kValidationFailed naming the field
//   (the API's body shape: "name", "nodes", "nodes[3].key",
//   "nodes[3].duration", "links[2].to", "links", …), message Chinese first
//   with English in parentheses:
//   * name 1–40 characters (Unicode code points, not bytes), category
//     non-empty (the API checks it against the dictionary);
//   * 1–kMaxTemplateNodes nodes; keys `[a-z0-9_]{1,32}` and unique; names
//     1–40 characters;
//   * durations 0..kMaxWorkingDays; `milestone` is not stored: a node is a
//     milestone exactly when its duration is 0 — but an event node other
//     than kNone may have any duration (签约 is usually a milestone);
//   * each NodeEvent other than kNone at most once;
//   * links name existing keys, no self-link, lags 0..kMaxWorkingDays, no
//     duplicate link (from, to), and no cycle: the message names the nodes
//     in order, as ComputeSchedule does ("节点存在循环依赖:a → b → a …").
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "domain/schedule.h"

namespace zb::domain {

inline constexpr int kMaxTemplateNodes = 200;

struct TemplateNode {
  std::string key, name;
  int duration = 0;  // working days; 0 = milestone
  NodeEvent event = NodeEvent::kNone;
};

struct TemplateLink {
  std::string from, to;  // keys
  int lag = 0;           // working days
};

struct NodeTemplateDef {
  std::string name, category, description;
  std::vector<TemplateNode> nodes;
  std::vector<TemplateLink> links;
};

const std::vector<NodeTemplateDef>& BuiltinNodeTemplates();

Status ValidateTemplate(const NodeTemplateDef& t);

}  // namespace zb::domain
