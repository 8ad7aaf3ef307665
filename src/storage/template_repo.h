// 节点模板 in the database (migration 0007: node_templates). A template is
// read and written whole: its nodes and links are stored as JSON text
// ([{key, name, duration, event}], [{from, to, lag}] by key) in the row.
//
// Contract
// - Input is assumed checked by domain::ValidateTemplate (the API's job);
//   the repository only stores and reads back.
// - One template per category is the default (is_default): writing a
//   template with is_default = true clears the flag on the category's other
//   templates in the same call; the database refuses two defaults anyway.
// - SeedBuiltinNodeTemplates inserts each of domain::BuiltinNodeTemplates()
//   whose name is not taken yet, the default of its category when the
//   category has none; running it twice adds nothing.
// - Writes belong in the caller's transaction. Times are epoch ms.
//
// Errors: NotFound("节点模板不存在", "id"); AlreadyExists (field "name") for a
// name another template has; VersionConflict when the expected version is
// stale.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/node_templates.h"
#include "storage/db.h"

namespace zb::storage {

struct NodeTemplate {
  int64_t id = 0;
  domain::NodeTemplateDef def;
  bool is_default = false;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> created_by, updated_by;
};

// By category, then name; `category` '' = all.
StatusOr<std::vector<NodeTemplate>> ListNodeTemplates(db::Connection& conn, std::string_view category = "");
StatusOr<NodeTemplate> GetNodeTemplate(db::Connection& conn, int64_t id);
// The category's default template, if it has one.
StatusOr<std::optional<NodeTemplate>> DefaultNodeTemplate(db::Connection& conn, std::string_view category);

StatusOr<NodeTemplate> CreateNodeTemplate(db::Connection& conn, const domain::NodeTemplateDef& def, bool is_default,
                                          std::optional<int64_t> user_id, int64_t now_ms);
StatusOr<NodeTemplate> UpdateNodeTemplate(db::Connection& conn, int64_t id, int64_t expected_version,
                                          const domain::NodeTemplateDef& def, bool is_default,
                                          std::optional<int64_t> user_id, int64_t now_ms);
// Plans made from it keep their nodes (project_plans.template_id is set null).
Status DeleteNodeTemplate(db::Connection& conn, int64_t id);

// See the contract; returns how many templates it inserted.
StatusOr<int> SeedBuiltinNodeTemplates(db::Connection& conn, int64_t now_ms);

}  // namespace zb::storage
