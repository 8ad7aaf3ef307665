#include "storage/template_repo.h"

#include <nlohmann/json.hpp>

#include <set>
#include <utility>

#include "domain/schedule.h"

namespace zb::storage {

namespace {

using nlohmann::json;

constexpr char kNotFound[] = "节点模板不存在";

#define ZB_TEMPLATE_SELECT                                                                                     \
  "SELECT id, name, category, description, is_default, nodes, links, version, created_at, updated_at, " \
  "created_by, updated_by FROM node_templates"

std::string NodesJson(const domain::NodeTemplateDef& def) {
  json out = json::array();
  for (const auto& n : def.nodes) {
    out.push_back({{"key", n.key},
                   {"name", n.name},
                   {"duration", n.duration},
                   {"event", std::string(domain::NodeEventCode(n.event))}});
  }
  return out.dump();
}

std::string LinksJson(const domain::NodeTemplateDef& def) {
  json out = json::array();
  for (const auto& l : def.links) out.push_back({{"from", l.from}, {"to", l.to}, {"lag", l.lag}});
  return out.dump();
}

// The stored JSON was written by NodesJson/LinksJson; a damaged row reads as
// an internal error rather than a half template.
StatusOr<NodeTemplate> FromRow(const db::Row& r) {
  NodeTemplate t;
  t.id = r.Int("id");
  t.def.name = r.Text("name");
  t.def.category = r.Text("category");
  t.def.description = r.Text("description");
  t.is_default = r.Bool("is_default");
  t.version = r.Int("version");
  t.created_at = r.Int("created_at");
  t.updated_at = r.Int("updated_at");
  t.created_by = r.OptInt("created_by");
  t.updated_by = r.OptInt("updated_by");
  json nodes = json::parse(r.Text("nodes"), nullptr, /*allow_exceptions=*/false);
  json links = json::parse(r.Text("links"), nullptr, false);
  if (!nodes.is_array() || !links.is_array()) {
    return Internal("节点模板 " + std::to_string(t.id) + " 的节点数据已损坏 (template JSON damaged)");
  }
  for (const json& n : nodes) {
    domain::TemplateNode node;
    node.key = n.value("key", "");
    node.name = n.value("name", "");
    node.duration = n.value("duration", 0);
    node.event = domain::ParseNodeEvent(n.value("event", "")).value_or(domain::NodeEvent::kNone);
    t.def.nodes.push_back(std::move(node));
  }
  for (const json& l : links) t.def.links.push_back({l.value("from", ""), l.value("to", ""), l.value("lag", 0)});
  return t;
}

Status NameTaken(const Status& s, const std::string& name) {
  if (s.code() != StatusCode::kAlreadyExists) return s;
  return AlreadyExists("节点模板名称「" + name + "」已存在 (template name already in use)", "name");
}

// Makes room for a new default of `category` (other than `keep_id`).
Status ClearDefault(db::Connection& conn, const std::string& category, int64_t keep_id) {
  return conn.Exec("UPDATE node_templates SET is_default = 0 WHERE category = $1 AND is_default = 1 AND id <> $2",
                   {category, keep_id});
}

}  // namespace

StatusOr<std::vector<NodeTemplate>> ListNodeTemplates(db::Connection& conn, std::string_view category) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(ZB_TEMPLATE_SELECT " WHERE $1 = '' OR category = $1 "
                                                                  "ORDER BY category, name, id",
                                               {std::string(category)}));
  std::vector<NodeTemplate> out;
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) {
    ZB_ASSIGN_OR_RETURN(auto t, FromRow(row));
    out.push_back(std::move(t));
  }
  return out;
}

StatusOr<NodeTemplate> GetNodeTemplate(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_TEMPLATE_SELECT " WHERE id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  return FromRow(*row);
}

StatusOr<std::optional<NodeTemplate>> DefaultNodeTemplate(db::Connection& conn, std::string_view category) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_TEMPLATE_SELECT " WHERE category = $1 AND is_default = 1",
                                              {std::string(category)}));
  if (!row) return std::optional<NodeTemplate>();
  ZB_ASSIGN_OR_RETURN(auto t, FromRow(*row));
  return std::optional<NodeTemplate>(std::move(t));
}

StatusOr<NodeTemplate> CreateNodeTemplate(db::Connection& conn, const domain::NodeTemplateDef& def, bool is_default,
                                          std::optional<int64_t> user_id, int64_t now_ms) {
  if (is_default) ZB_RETURN_IF_ERROR(ClearDefault(conn, def.category, 0));
  auto row = conn.QueryOne(
      "INSERT INTO node_templates (name, category, description, is_default, nodes, links, version, created_at, "
      "updated_at, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $8, $8) RETURNING id",
      {def.name, def.category, def.description, int64_t{is_default ? 1 : 0}, NodesJson(def), LinksJson(def), now_ms,
       db::Opt(user_id)});
  if (!row.ok()) return NameTaken(row.status(), def.name);
  if (!*row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  return GetNodeTemplate(conn, (*row)->Int("id"));
}

StatusOr<NodeTemplate> UpdateNodeTemplate(db::Connection& conn, int64_t id, int64_t expected_version,
                                          const domain::NodeTemplateDef& def, bool is_default,
                                          std::optional<int64_t> user_id, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(NodeTemplate current, GetNodeTemplate(conn, id));
  if (current.version != expected_version) {
    return VersionConflict("节点模板已被他人修改,请刷新后重试 (version " + std::to_string(expected_version) +
                           " expected, now " + std::to_string(current.version) + ")");
  }
  if (is_default) ZB_RETURN_IF_ERROR(ClearDefault(conn, def.category, id));
  Status s = conn.Exec(
      "UPDATE node_templates SET name = $2, category = $3, description = $4, is_default = $5, nodes = $6, "
      "links = $7, version = version + 1, updated_at = $8, updated_by = $9 WHERE id = $1",
      {id, def.name, def.category, def.description, int64_t{is_default ? 1 : 0}, NodesJson(def), LinksJson(def),
       now_ms, db::Opt(user_id)});
  if (!s.ok()) return NameTaken(s, def.name);
  return GetNodeTemplate(conn, id);
}

Status DeleteNodeTemplate(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("DELETE FROM node_templates WHERE id = $1", {id}));
  if (r.affected == 0) return NotFound(kNotFound, "id");
  return Status();
}

StatusOr<int> SeedBuiltinNodeTemplates(db::Connection& conn, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(std::vector<NodeTemplate> existing, ListNodeTemplates(conn));
  std::set<std::string> names, defaults;
  for (const auto& t : existing) {
    names.insert(t.def.name);
    if (t.is_default) defaults.insert(t.def.category);
  }
  int inserted = 0;
  for (const domain::NodeTemplateDef& def : domain::BuiltinNodeTemplates()) {
    if (names.count(def.name)) continue;
    const bool make_default = defaults.insert(def.category).second;
    ZB_RETURN_IF_ERROR(CreateNodeTemplate(conn, def, make_default, std::nullopt, now_ms).status());
    ++inserted;
  }
  return inserted;
}

#undef ZB_TEMPLATE_SELECT

}  // namespace zb::storage
