#include "http/router.h"

#include <cstdlib>
#include <iostream>
#include <map>
#include <set>

namespace zb::http {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

namespace {
bool IsParam(std::string_view seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }
}  // namespace

void Router::Add(std::string method, std::string pattern, RouteDoc doc, Handler handler) {
  for (const Route& r : routes_) {
    if (r.method == method && r.pattern == pattern) {
      std::cerr << "duplicate route " << method << " " << pattern << "\n";
      std::abort();
    }
  }
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  for (std::string_view s : SplitPath(r.pattern)) r.segments.emplace_back(s);
  r.handler = std::move(handler);
  r.doc = std::move(doc);
  Node* node = &root_;
  for (const std::string& seg : r.segments) {
    std::unique_ptr<Node>& next = IsParam(seg) ? node->param : node->literals[seg];
    if (!next) next = std::make_unique<Node>();
    node = next.get();
  }
  node->routes.push_back(routes_.size());
  routes_.push_back(std::move(r));
}

void Router::Collect(const Node& node, const std::vector<std::string_view>& parts, size_t depth,
                     std::vector<const Node*>* out) const {
  if (depth == parts.size()) {
    if (!node.routes.empty()) out->push_back(&node);
    return;
  }
  auto it = node.literals.find(parts[depth]);
  if (it != node.literals.end()) Collect(*it->second, parts, depth + 1, out);
  if (node.param) Collect(*node.param, parts, depth + 1, out);
}

StatusOr<RouteMatch> Router::Match(std::string_view method, std::string_view path) const {
  std::vector<std::string_view> parts = SplitPath(path);
  std::vector<const Node*> nodes;
  Collect(root_, parts, 0, &nodes);
  for (const Node* n : nodes) {
    for (size_t i : n->routes) {
      const Route& r = routes_[i];
      if (r.method != method) continue;
      RouteMatch m;
      m.route = &r;
      for (size_t k = 0; k < parts.size(); ++k) {
        const std::string& seg = r.segments[k];
        if (IsParam(seg)) m.params.emplace_back(seg.substr(1, seg.size() - 2), std::string(parts[k]));
      }
      return m;
    }
  }
  if (!nodes.empty()) {
    return Status(StatusCode::kMethodNotAllowed, "此路径不支持 " + std::string(method) + " 方法 (method not allowed)",
                  AllowedMethods(path));
  }
  return NotFound("接口不存在 (no such route): " + std::string(path), "path");
}

std::string Router::AllowedMethods(std::string_view path) const {
  std::vector<const Node*> nodes;
  Collect(root_, SplitPath(path), 0, &nodes);
  std::set<std::string> methods;
  for (const Node* n : nodes) {
    for (size_t i : n->routes) methods.insert(routes_[i].method);
  }
  std::string out;
  for (const auto& m : methods) {
    if (!out.empty()) out += ", ";
    out += m;
  }
  return out;
}

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string OperationId(const Route& r) {
  std::string id = Lower(r.method);
  for (const std::string& seg : r.segments) {
    if (seg == "api" || seg == "v1") continue;
    id += '_';
    for (char c : seg) {
      if (c == '{' || c == '}') continue;
      id += (c == '-' || c == '.') ? '_' : c;
    }
  }
  return id;
}

Json ErrorSchema() {
  return {{"type", "object"},
          {"required", {"error"}},
          {"properties",
           {{"error",
             {{"type", "object"},
              {"required", {"code", "message"}},
              {"properties",
               {{"code", {{"type", "string"}}},
                {"message", {{"type", "string"}}},
                {"field", {{"type", "string"}}}}}}}}}};
}

}  // namespace

Json OpenApiDocument(const Router& router, std::string_view version) {
  Json paths = Json::object();
  std::set<std::string> tags;
  for (const Route& r : router.routes()) {
    Json op;
    op["operationId"] = OperationId(r);
    op["summary"] = r.doc.summary;
    if (!r.doc.permission.empty()) op["x-permission"] = r.doc.permission;
    if (!r.doc.tag.empty()) {
      op["tags"] = {r.doc.tag};
      tags.insert(r.doc.tag);
    }
    Json params = Json::array();
    for (const std::string& seg : r.segments) {
      if (!IsParam(seg)) continue;
      params.push_back({{"name", seg.substr(1, seg.size() - 2)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
    }
    for (const QueryParamDoc& q : r.doc.query) {
      params.push_back({{"name", q.name},
                        {"in", "query"},
                        {"required", q.required},
                        {"description", q.description},
                        {"schema", {{"type", q.type}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (!r.doc.request_schema.is_null()) {
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", r.doc.request_schema}}}}}};
    }
    Json ok = {{"description", "OK"}};
    if (r.doc.success_status != 204) {
      Json schema = r.doc.response_schema.is_null() ? Json{{"type", "object"}} : r.doc.response_schema;
      ok["content"] = {{r.doc.success_content_type, {{"schema", schema}}}};
    }
    op["responses"] = {{std::to_string(r.doc.success_status), ok},
                       {"default",
                        {{"description", "错误 (error envelope)"},
                         {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}};
    paths[r.pattern][Lower(r.method)] = std::move(op);
  }
  Json tag_list = Json::array();
  for (const auto& t : tags) tag_list.push_back({{"name", t}});
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "zhuanban 专班 · 重点项目服务平台 API"},
            {"version", std::string(version)},
            {"description", "JSON over HTTP. Conventions: snake_case fields, money in integer yuan, "
                            "dates YYYY-MM-DD, errors {\"error\":{\"code\",\"message\",\"field\"}}."}}},
          {"servers", {{{"url", "/"}}}},
          {"tags", tag_list},
          {"paths", paths},
          {"components", {{"schemas", {{"Error", ErrorSchema()}}}}}};
}

}  // namespace zb::http
