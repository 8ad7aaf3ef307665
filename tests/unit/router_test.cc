#include "http/router.h"

#include <gtest/gtest.h>

#include "http/static_files.h"

namespace zb::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) -> StatusOr<Response> { return Response::Text(200, name, "text/plain"); };
}

TEST(Router, MatchesParamsAndPrefersLiterals) {
  Router r;
  r.Add("GET", "/api/v1/projects/{id}", {.summary = "one"}, Named("one"));
  r.Add("GET", "/api/v1/projects/export", {.summary = "export"}, Named("export"));
  r.Add("PATCH", "/api/v1/projects/{id}", {.summary = "patch"}, Named("patch"));
  r.Add("GET", "/api/v1/projects/{id}/nodes/{node}", {.summary = "node"}, Named("node"));

  auto m = r.Match("GET", "/api/v1/projects/42");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->route->pattern, "/api/v1/projects/{id}");
  ASSERT_EQ(m->params.size(), 1u);
  EXPECT_EQ(m->params[0].second, "42");

  auto e = r.Match("GET", "/api/v1/projects/export");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->route->pattern, "/api/v1/projects/export");

  auto n = r.Match("GET", "/api/v1/projects/7/nodes/9/");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->params[1].first, "node");
  EXPECT_EQ(n->params[1].second, "9");
}

TEST(Router, WrongMethodIs405WithAllowedMethodsAndUnknownPathIs404) {
  Router r;
  r.Add("GET", "/api/v1/projects/{id}", {.summary = "one"}, Named("one"));
  r.Add("PATCH", "/api/v1/projects/{id}", {.summary = "patch"}, Named("patch"));
  auto m = r.Match("DELETE", "/api/v1/projects/1");
  EXPECT_EQ(m.status().code(), StatusCode::kMethodNotAllowed);
  EXPECT_EQ(m.status().field(), "GET, PATCH");
  EXPECT_EQ(r.Match("GET", "/api/v1/nothing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.Match("GET", "/api/v1/projects/1/extra").status().code(), StatusCode::kNotFound);
}

TEST(Router, OpenApiListsEveryRouteWithPathParameters) {
  Router r;
  r.Add("GET", "/api/v1/projects/{id}/nodes/{node}", {.summary = "节点", .tag = "nodes"}, Named("n"));
  r.Add("POST", "/api/v1/projects", {.summary = "新建", .tag = "projects", .success_status = 201}, Named("c"));
  Json doc = OpenApiDocument(r, "9.9");
  EXPECT_EQ(doc["info"]["version"], "9.9");
  const Json& op = doc["paths"]["/api/v1/projects/{id}/nodes/{node}"]["get"];
  EXPECT_EQ(op["parameters"].size(), 2u);
  EXPECT_EQ(op["operationId"], "get_projects_id_nodes_node");
  EXPECT_TRUE(doc["paths"]["/api/v1/projects"]["post"]["responses"].contains("201"));
}

TEST(Query, PercentDecodingAndPlus) {
  auto q = ParseQuery("stage=%E5%9C%A8%E5%BB%BA&q=a+b&empty=&flag&x=%2B");
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 5u);
  EXPECT_EQ((*q)[0].second, "在建");
  EXPECT_EQ((*q)[1].second, "a b");
  EXPECT_EQ((*q)[2].second, "");
  EXPECT_EQ((*q)[3].first, "flag");
  EXPECT_EQ((*q)[4].second, "+");
  EXPECT_EQ(ParseQuery("a=%E5%9").status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(ParseQuery("a=%zz").status().code(), StatusCode::kBadRequest);
  EXPECT_FALSE(PercentDecode("%", false).has_value());
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
}

TEST(StaticPaths, TraversalGuard) {
  EXPECT_TRUE(IsUnsafePath("/../etc/passwd"));
  EXPECT_TRUE(IsUnsafePath("/assets/../../x"));
  EXPECT_TRUE(IsUnsafePath("/a/./b"));
  EXPECT_TRUE(IsUnsafePath("/a\\..\\b"));
  EXPECT_TRUE(IsUnsafePath(std::string_view("/a\0b", 4)));
  EXPECT_FALSE(IsUnsafePath("/assets/index-abc.js"));
  EXPECT_FALSE(IsUnsafePath("/projects/XM-2024.001"));
  EXPECT_FALSE(IsUnsafePath("/"));
}

TEST(StaticPaths, MimeTypes) {
  EXPECT_EQ(StaticFiles::MimeType("/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::MimeType("/assets/a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::MimeType("/assets/a.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::MimeType("/x.unknown"), "application/octet-stream");
}

TEST(ErrorTable, EveryCodeMapsToItsHttpStatus) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kBadRequest), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kValidationFailed), 422);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(StatusCode::kForbidden), 403);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kMethodNotAllowed), 405);
  EXPECT_EQ(HttpStatusFor(StatusCode::kVersionConflict), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidTransition), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPayloadTooLarge), 413);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnsupportedMediaType), 415);
  EXPECT_EQ(HttpStatusFor(StatusCode::kRateLimited), 429);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
  Response r = Response::Error(NotFound("项目不存在", "id"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Json::parse(r.body), Json::parse(R"({"error":{"code":"not_found","message":"项目不存在","field":"id"}})"));
}

}  // namespace
}  // namespace zb::http
