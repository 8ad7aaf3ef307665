// Router: method + path pattern → handler, with the documentation that
// /api/openapi.json is generated from. Patterns are literal segments and
// {name} parameters: "/api/v1/org-units/{id}". Literal segments win over
// parameters when both match (the earlier segment decides). Patterns live in
// a trie of segments, so a match costs the path's depth, not the number of
// routes. The table is built once at start-up and read concurrently
// afterwards without locks.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace zb::http {

using Handler = std::function<StatusOr<Response>(Request&)>;

struct QueryParamDoc {
  std::string name;
  std::string type = "string";  // OpenAPI scalar type: string, integer, boolean, number
  std::string description;
  bool required = false;
};

// What OpenAPI needs to know about a route. Schemas are OpenAPI JSON objects.
struct RouteDoc {
  std::string summary;                 // one line, Chinese first
  std::string tag;                     // resource group
  // What the caller needs (http/auth.h): "public", "authenticated" or a
  // permission string. Empty is a programming error the authorization
  // matrix test reports for every /api route.
  std::string permission;
  // Reachable while the user must change their password (profile, password
  // change, sign-out).
  bool allow_before_password_change = false;
  std::vector<QueryParamDoc> query;
  Json request_schema;                 // null: no body
  Json response_schema;                // null: documented as a generic object
  int success_status = 200;
  std::string success_content_type = "application/json";
};

struct Route {
  std::string method;   // "GET", "POST", …
  std::string pattern;  // as registered
  std::vector<std::string> segments;  // "{id}" kept verbatim
  Handler handler;
  RouteDoc doc;
};

struct RouteMatch {
  const Route* route = nullptr;
  Params params;
};

class Router {
 public:
  // Registers a route. Aborts on a duplicate (method, pattern): a programming error.
  void Add(std::string method, std::string pattern, RouteDoc doc, Handler handler);

  // kNotFound when no pattern matches the path; kMethodNotAllowed (with the
  // allowed methods, comma-separated, in the message's field) when the path
  // matches but not the method.
  StatusOr<RouteMatch> Match(std::string_view method, std::string_view path) const;

  // Methods registered for a path ("GET, PATCH"), for the Allow header.
  std::string AllowedMethods(std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Node {
    std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
    std::unique_ptr<Node> param;
    std::vector<size_t> routes;  // indexes into routes_ ending here
  };
  // Terminal nodes matching `parts`, most literal first.
  void Collect(const Node& node, const std::vector<std::string_view>& parts, size_t depth,
               std::vector<const Node*>* out) const;
  std::vector<Route> routes_;
  Node root_;
};

// Splits "/a/b/" into {"a","b"}; empty segments are dropped.
std::vector<std::string_view> SplitPath(std::string_view path);

// The OpenAPI 3.0 document for every route in the table.
Json OpenApiDocument(const Router& router, std::string_view version);

}  // namespace zb::http
