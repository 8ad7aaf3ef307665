// Reading node lists from a request body, shared by the node templates and
// the plans routes (docs/api-schedule.md): every error names the field as
// the body spells it — "nodes[3].duration", "links[2].to".
//
// A node is {key, name, duration, milestone?, event?} and, in a plan, also
// {id?, target?}. `milestone` may be left out; when given it must agree
// with the duration (milestone ⇔ duration 0; milestone true alone means
// duration 0). `event` is a NodeEvent code or label, "" or null for none.
// The checks the template and the plan share (keys, names, durations,
// events, links, cycles) are domain::ValidateTemplate's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "domain/node_templates.h"
#include "http/message.h"

namespace zb::api {

// `s` with its field put under `prefix`: "duration" → "nodes[3].duration".
Status Under(const Status& s, const std::string& prefix);

struct NodeBody {
  std::optional<int64_t> id;  // plans only: keep this node
  domain::TemplateNode node;  // key may be empty in a plan (one is made up)
  std::optional<Date> target;  // plans only
};

// body["nodes"]: a non-empty array of node objects. `plan` allows id and target.
StatusOr<std::vector<NodeBody>> ReadNodes(const http::Json& body, bool plan);

// A template's links: body["links"], [{from, to, lag}] naming keys.
StatusOr<std::vector<domain::TemplateLink>> ReadTemplateLinks(const http::Json& body);

}  // namespace zb::api
