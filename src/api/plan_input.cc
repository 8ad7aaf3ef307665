#include "api/plan_input.h"

#include "api/json_input.h"
#include "domain/schedule.h"

namespace zb::api {

using http::Json;

Status Under(const Status& s, const std::string& prefix) {
  if (s.ok()) return s;
  return Status(s.code(), s.message(), s.field().empty() ? prefix : prefix + "." + s.field());
}

namespace {

Status NotAnArray(const std::string& field) {
  return ValidationFailed("字段 " + field + " 应为数组 (" + field + " must be an array)", field);
}

StatusOr<NodeBody> ReadNode(const Json& j, bool plan) {
  if (!j.is_object()) return ValidationFailed("节点应为 JSON 对象 (a node must be an object)", "");
  if (plan) {
    ZB_RETURN_IF_ERROR(CheckObject(j, {"id", "key", "name", "duration", "milestone", "event", "target"}));
  } else {
    ZB_RETURN_IF_ERROR(CheckObject(j, {"key", "name", "duration", "milestone", "event"}));
  }
  NodeBody out;
  std::optional<std::string> key, name, event, target;
  std::optional<int64_t> duration;
  std::optional<bool> milestone;
  if (plan) ZB_RETURN_IF_ERROR(GetInt(j, "id", &out.id));
  ZB_RETURN_IF_ERROR(GetString(j, "key", &key));
  ZB_RETURN_IF_ERROR(GetString(j, "name", &name));
  ZB_RETURN_IF_ERROR(GetInt(j, "duration", &duration));
  ZB_RETURN_IF_ERROR(GetBool(j, "milestone", &milestone));
  ZB_RETURN_IF_ERROR(GetString(j, "event", &event));
  if (plan) ZB_RETURN_IF_ERROR(GetString(j, "target", &target));
  if (!plan && !key) return ValidationFailed("请填写节点标识 (key is required)", "key");
  if (!name) return ValidationFailed("请填写节点名称 (name is required)", "name");
  if (!duration) {
    if (!milestone || !*milestone) return ValidationFailed("请填写工期(工作日)(duration is required)", "duration");
    duration = 0;
  }
  if (*duration < 0 || *duration > domain::kMaxWorkingDays) {
    return ValidationFailed("工期应为 0–" + std::to_string(domain::kMaxWorkingDays) + " 个工作日 (duration out of range)",
                            "duration");
  }
  if (milestone && *milestone != (*duration == 0)) {
    return ValidationFailed("里程碑节点的工期为 0,工期为 0 的节点即里程碑 (milestone ⇔ duration 0)", "milestone");
  }
  out.node.key = key.value_or("");
  out.node.name = *name;
  out.node.duration = static_cast<int>(*duration);
  auto parsed = domain::ParseNodeEvent(event.value_or(""));
  if (!parsed) {
    return ValidationFailed("节点事件应为 signed/started/completed/operating 之一 (unknown event)", "event");
  }
  out.node.event = *parsed;
  if (target && !target->empty()) {
    auto d = Date::Parse(*target, "target");
    if (!d.ok()) return ValidationFailed("目标日期应为 YYYY-MM-DD 格式的真实日期 (target is not a date)", "target");
    out.target = *d;
  }
  return out;
}

}  // namespace

StatusOr<std::vector<NodeBody>> ReadNodes(const Json& body, bool plan) {
  auto it = body.find("nodes");
  if (it == body.end() || it->is_null()) return ValidationFailed("请填写节点列表 (nodes is required)", "nodes");
  if (!it->is_array()) return NotAnArray("nodes");
  if (it->empty()) return ValidationFailed("至少需要一个节点 (at least one node)", "nodes");
  if (it->size() > static_cast<size_t>(domain::kMaxTemplateNodes)) {
    return ValidationFailed("节点不能超过 " + std::to_string(domain::kMaxTemplateNodes) + " 个 (too many nodes)",
                            "nodes");
  }
  std::vector<NodeBody> out;
  out.reserve(it->size());
  for (size_t i = 0; i < it->size(); ++i) {
    auto node = ReadNode((*it)[i], plan);
    if (!node.ok()) return Under(node.status(), "nodes[" + std::to_string(i) + "]");
    out.push_back(std::move(*node));
  }
  return out;
}

StatusOr<std::vector<domain::TemplateLink>> ReadTemplateLinks(const Json& body) {
  std::vector<domain::TemplateLink> out;
  auto it = body.find("links");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return NotAnArray("links");
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& j = (*it)[i];
    const std::string prefix = "links[" + std::to_string(i) + "]";
    Status s = CheckObject(j, {"from", "to", "lag"});
    if (!j.is_object()) s = ValidationFailed("连接应为 JSON 对象 (a link must be an object)", "");
    std::optional<std::string> from, to;
    std::optional<int64_t> lag;
    if (s.ok()) s = GetString(j, "from", &from);
    if (s.ok()) s = GetString(j, "to", &to);
    if (s.ok()) s = GetInt(j, "lag", &lag);
    if (s.ok() && !from) s = ValidationFailed("请填写前置节点 (from is required)", "from");
    if (s.ok() && !to) s = ValidationFailed("请填写后续节点 (to is required)", "to");
    if (s.ok() && lag && (*lag < 0 || *lag > domain::kMaxWorkingDays)) {
      s = ValidationFailed("间隔应为 0–" + std::to_string(domain::kMaxWorkingDays) + " 个工作日 (lag out of range)",
                           "lag");
    }
    if (!s.ok()) return Under(s, prefix);
    out.push_back({*from, *to, static_cast<int>(lag.value_or(0))});
  }
  return out;
}

}  // namespace zb::api
