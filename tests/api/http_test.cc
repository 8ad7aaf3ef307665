// The HTTP layer as a client meets it: the error envelope everywhere,
// limits, hostile paths, slow and silent clients, request ids, metrics,
// OpenAPI, graceful shutdown.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include <zlib.h>

#include "api/test_server.h"

namespace zb::testing {
namespace {

void ExpectErrorEnvelope(const HttpResult& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos) << r.header("content-type");
  Json j = r.json();
  ASSERT_TRUE(j.contains("error")) << r.body;
  EXPECT_EQ(j["error"]["code"], code) << r.body;
  EXPECT_TRUE(j["error"]["message"].is_string());
  EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
}

TEST(Http, HealthAndReadiness) {
  TestServer s;
  auto h = s.Get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.json()["status"], "ok");
  auto r = s.Get("/readyz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["database"], TestEngine());
}

TEST(Http, EveryResponseCarriesARequestId) {
  TestServer s;
  auto a = s.Get("/healthz");
  auto b = s.Get("/healthz");
  EXPECT_FALSE(a.header("x-request-id").empty());
  EXPECT_NE(a.header("x-request-id"), b.header("x-request-id"));
  // A client's own safe id is kept, so logs can be joined across systems.
  auto c = s.Get("/healthz", {{"X-Request-Id", "gw-12345"}});
  EXPECT_EQ(c.header("x-request-id"), "gw-12345");
  // A hostile one is replaced.
  auto d = s.Get("/healthz", {{"X-Request-Id", "a b<script>"}});
  EXPECT_NE(d.header("x-request-id"), "a b<script>");
  EXPECT_FALSE(d.header("x-request-id").empty());
  // Errors too.
  EXPECT_FALSE(s.Get("/api/v1/nope").header("x-request-id").empty());
}

TEST(Http, SecurityHeadersOnEveryResponse) {
  TestServer s([](app::Config& c) { c.body_limit = 4096; });
  for (const auto& r : {s.Get("/healthz"), s.Get("/api/v1/nope"), s.Get("/api/v1/org-units"),
                        s.Send("POST", "/api/v1/auth/login", std::string(10000, 'x'),
                               {{"Content-Type", "application/json"}})}) {
    EXPECT_NE(r.header("content-security-policy").find("default-src 'self'"), std::string::npos) << r.status;
    EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("x-frame-options"), "DENY");
    EXPECT_EQ(r.header("referrer-policy"), "same-origin");
  }
}

TEST(Http, UnknownRouteAndWrongMethodAnswerJson) {
  TestServer s;
  ExpectErrorEnvelope(s.Get("/api/v1/no-such-thing"), 404, "not_found");
  auto r = s.Send("DELETE", "/api/v1/system/info", "");
  ExpectErrorEnvelope(r, 405, "method_not_allowed");
  EXPECT_EQ(r.header("allow"), "GET");
  // Outside /api, a non-GET to an unknown path is JSON too, never HTML.
  ExpectErrorEnvelope(s.Send("POST", "/whatever", "x", {{"Content-Type", "text/plain"}}), 404, "not_found");
}

TEST(Http, MalformedJsonWrongTypeAndWrongContentType) {
  TestServer s;
  s.SignInAsAdmin();
  auto bad = s.Send("POST", "/api/v1/org-units", "{\"name\": ", {{"Content-Type", "application/json"}});
  ExpectErrorEnvelope(bad, 400, "bad_request");
  EXPECT_EQ(bad.json()["error"]["field"], "body");
  auto type = s.Send("POST", "/api/v1/org-units", "name=x", {{"Content-Type", "application/x-www-form-urlencoded"}});
  ExpectErrorEnvelope(type, 415, "unsupported_media_type");
  auto notobj = s.Send("POST", "/api/v1/org-units", "[1,2]", {{"Content-Type", "application/json"}});
  ExpectErrorEnvelope(notobj, 400, "bad_request");
  std::string deep(10000, '[');
  auto bomb = s.Send("POST", "/api/v1/org-units", deep, {{"Content-Type", "application/json"}});
  ExpectErrorEnvelope(bomb, 400, "bad_request");
  auto wrong = s.SendJson("POST", "/api/v1/org-units", {{"name", 12}, {"code", "A"}, {"kind", "city"}});
  ExpectErrorEnvelope(wrong, 422, "validation_failed");
  EXPECT_EQ(wrong.json()["error"]["field"], "name");
  // Invalid UTF-8 inside a JSON string is malformed JSON.
  auto utf = s.Send("POST", "/api/v1/org-units", "{\"name\":\"\xff\xfe\"}", {{"Content-Type", "application/json"}});
  ExpectErrorEnvelope(utf, 400, "bad_request");
}

TEST(Http, OversizeBodyIs413AndServerKeepsServing) {
  TestServer s([](app::Config& c) { c.body_limit = 64 * 1024; });
  std::string big(200 * 1024, 'x');
  auto r = s.Send("POST", "/api/v1/org-units", big, {{"Content-Type", "application/json"}});
  ExpectErrorEnvelope(r, 413, "payload_too_large");
  // Refused from the Content-Length alone: announcing a huge body is enough.
  RawConnection c(s.port());
  c.Send("POST /api/v1/org-units HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n");
  auto raw = ParseHttpResponse(c.ReadResponse(3000));
  EXPECT_EQ(raw.status, 413);
  EXPECT_EQ(s.Get("/healthz").status, 200);
}

TEST(Http, TraversalPathsAreRefused) {
  TestServer s;
  for (const char* p : {"/../etc/passwd", "/%2e%2e/etc/passwd", "/assets/%2E%2E/%2e%2e/etc/passwd",
                        "/a/./b", "/..%2fetc%2fpasswd", "/a%5c..%5cb"}) {
    auto r = s.Get(p);
    EXPECT_GE(r.status, 400) << p;
    EXPECT_LT(r.status, 500) << p;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << p;
    EXPECT_TRUE(r.json().contains("error")) << p;
  }
  ExpectErrorEnvelope(s.Get("/bad%zzescape"), 400, "bad_request");
}

TEST(Http, HeaderFloodIsRefusedAndServerKeepsServing) {
  TestServer s([](app::Config& c) { c.header_limit = 8 * 1024; });
  RawConnection c(s.port());
  std::string req = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 2000; ++i) req += "X-Flood-" + std::to_string(i) + ": " + std::string(40, 'a') + "\r\n";
  req += "\r\n";
  c.Send(req);  // the server may close before reading it all
  bool closed = false;
  std::string out = c.ReadUntilClose(5000, &closed);
  EXPECT_TRUE(closed);
  if (!out.empty()) {
    EXPECT_EQ(ParseHttpResponse(out).status, 431) << out.substr(0, 200);
  }
  EXPECT_EQ(s.Get("/healthz").status, 200);
}

TEST(Http, SilentClientIsDroppedWithinTheIdleTimeout) {
  TestServer s([](app::Config& c) { c.idle_timeout_ms = 300; c.read_timeout_ms = 500; });
  RawConnection silent(s.port());
  auto start = std::chrono::steady_clock::now();
  bool closed = false;
  silent.ReadUntilClose(5000, &closed);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(closed);
  EXPECT_LT(waited, std::chrono::seconds(3));
  EXPECT_EQ(s.Get("/healthz").status, 200);
}

TEST(Http, SlowlorisIsDroppedWithinTheReadTimeout) {
  TestServer s([](app::Config& c) { c.idle_timeout_ms = 2000; c.read_timeout_ms = 600; });
  RawConnection slow(s.port());
  auto start = std::chrono::steady_clock::now();
  slow.Send("GET /healthz HTTP/1.1\r\n");
  bool closed = false;
  // Keep dribbling a header byte every 100 ms: the read timeout covers the
  // whole request, so it still ends.
  for (int i = 0; i < 40 && !closed; ++i) {
    if (!slow.Send("X")) { closed = true; break; }
    slow.ReadUntilClose(100, &closed);
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  // Meanwhile other clients were served.
  EXPECT_EQ(s.Get("/healthz").status, 200);
}

TEST(Http, KeepAliveServesManyRequestsOnOneConnection) {
  TestServer s;
  RawConnection c(s.port());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto r = ParseHttpResponse(c.ReadResponse(3000));
    ASSERT_EQ(r.status, 200) << i;
  }
  // Two pipelined requests in one write are both answered, in order.
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/nope HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(ParseHttpResponse(c.ReadResponse(3000)).status, 200);
  EXPECT_EQ(ParseHttpResponse(c.ReadResponse(3000)).status, 404);
}

TEST(Http, GarbageRequestLineGets400) {
  TestServer s;
  RawConnection c(s.port());
  c.Send("HELLO\r\n\r\n");
  bool closed = false;
  std::string out = c.ReadUntilClose(3000, &closed);
  EXPECT_EQ(ParseHttpResponse(out).status, 400) << out;
  EXPECT_TRUE(closed);
}

TEST(Http, HandlerExceptionIs500WithEnvelopeNotACrash) {
  TestServer s({}, [](http::Router& r) {
    r.Add("GET", "/test/throw", {.summary = "test", .permission = "public"}, [](http::Request&) -> StatusOr<http::Response> {
      throw std::runtime_error("boom");
    });
  });
  auto r = s.Get("/test/throw");
  ExpectErrorEnvelope(r, 500, "internal");
  EXPECT_EQ(r.body.find("boom"), std::string::npos) << "internal details must not leak";
  EXPECT_EQ(s.Get("/healthz").status, 200);
}

std::string Gunzip(const std::string& in) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return {};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[65536];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

TEST(Http, LargeJsonAnswersAreGzippedForClientsThatAcceptIt) {
  TestServer s({}, [](http::Router& r) {
    r.Add("GET", "/test/rows/{n}", {.summary = "test", .permission = "public"}, [](http::Request& req) -> StatusOr<http::Response> {
      Json rows = Json::array();
      for (int i = 0; i < std::stoi(std::string(req.PathParam("n"))); ++i) rows.push_back({i, "施工许可", "2026-10-16"});
      return http::Response::Json({{"rows", rows}});
    });
  });
  auto plain = s.Get("/test/rows/5000");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.header("content-encoding"), "");
  auto gz = s.Get("/test/rows/5000", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(gz.header("content-encoding"), "gzip");
  EXPECT_EQ(gz.header("vary"), "Accept-Encoding");
  EXPECT_LT(gz.body.size() * 5, plain.body.size());
  EXPECT_EQ(Gunzip(gz.body), plain.body);
  // A small answer, or a client refusing gzip, gets it as it is.
  EXPECT_EQ(s.Get("/test/rows/3", {{"Accept-Encoding", "gzip"}}).header("content-encoding"), "");
  EXPECT_EQ(s.Get("/test/rows/5000", {{"Accept-Encoding", "gzip;q=0"}}).header("content-encoding"), "");
}

TEST(Http, QueryAndPathParametersArePercentDecoded) {
  TestServer s({}, [](http::Router& r) {
    r.Add("GET", "/test/echo/{name}", {.summary = "test", .permission = "public"}, [](http::Request& req) -> StatusOr<http::Response> {
      return http::Response::Json({{"name", req.PathParam("name")},
                                   {"q", req.Query("q").value_or("")},
                                   {"units", req.QueryAll("unit")}});
    });
  });
  auto r = s.Get("/test/echo/%E9%A1%B9%E7%9B%AE?q=%E6%96%87%E5%8F%8C+%E7%BA%BF&unit=1&unit=2");
  ASSERT_EQ(r.status, 200) << r.body;
  Json j = r.json();
  EXPECT_EQ(j["name"], "项目");
  EXPECT_EQ(j["q"], "文双 线");
  EXPECT_EQ(j["units"], Json::array({"1", "2"}));
}

TEST(Http, MetricsCountRequestsByRouteAndStatus) {
  TestServer s;
  for (int i = 0; i < 3; ++i) s.Get("/healthz");
  s.Get("/api/v1/nope");
  auto m = s.Get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(m.body.find("zb_http_requests_total{route=\"/healthz\",status=\"200\"} 3"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("zb_http_requests_total{route=\"unmatched\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(m.body.find("zb_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 3"),
            std::string::npos);
}

TEST(Http, OpenApiMatchesTheRouteTable) {
  TestServer s;
  auto r = s.Get("/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  Json doc = r.json();
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::set<std::pair<std::string, std::string>> from_doc, from_router;
  std::set<std::string> op_ids;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (char& c : m) c = static_cast<char>(std::toupper(c));
      from_doc.emplace(m, path);
      EXPECT_FALSE(op["summary"].get<std::string>().empty()) << m << " " << path;
      EXPECT_TRUE(op_ids.insert(op["operationId"].get<std::string>()).second) << "duplicate operationId";
      // Every {param} in the path is declared.
      size_t pos = 0;
      while ((pos = path.find('{', pos)) != std::string::npos) {
        std::string name = path.substr(pos + 1, path.find('}', pos) - pos - 1);
        bool declared = false;
        for (const auto& p : op.value("parameters", Json::array())) declared |= p["name"] == name && p["in"] == "path";
        EXPECT_TRUE(declared) << path << " " << name;
        ++pos;
      }
    }
  }
  for (const auto& route : s.app().router().routes()) from_router.emplace(route.method, route.pattern);
  EXPECT_EQ(from_doc, from_router);
  EXPECT_TRUE(from_doc.count({"GET", "/api/v1/org-units/{id}"}));
}

TEST(Http, EveryRouteDeclaresWhoMayCallIt) {
  TestServer s;
  Json doc = s.Get("/api/openapi.json").json();
  for (const auto& route : s.app().router().routes()) {
    EXPECT_FALSE(route.doc.permission.empty()) << route.method << " " << route.pattern << " declares no permission";
    std::string m = route.method;
    for (char& c : m) c = static_cast<char>(std::tolower(c));
    EXPECT_EQ(doc["paths"][route.pattern][m].value("x-permission", ""), route.doc.permission) << route.pattern;
  }
}

TEST(Http, GracefulShutdownFinishesTheRequestInFlight) {
  std::atomic<bool> started{false};
  TestServer s({}, [&started](http::Router& r) {
    r.Add("GET", "/test/slow", {.summary = "test", .permission = "public"}, [&started](http::Request&) -> StatusOr<http::Response> {
      started = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
      return http::Response::Json({{"done", true}});
    });
  });
  RawConnection idle(s.port());  // an idle keep-alive client must not hold shutdown up
  RawConnection c(s.port());
  c.Send("GET /test/slow HTTP/1.1\r\nHost: x\r\n\r\n");
  for (int i = 0; i < 1000 && !started; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(started) << "the slow handler never ran";
  auto t0 = std::chrono::steady_clock::now();
  std::thread stopper([&s] { s.Stop(); });
  std::string raw = c.ReadResponse(5000);
  stopper.join();
  auto r = ParseHttpResponse(raw);
  EXPECT_EQ(r.status, 200) << raw;
  EXPECT_EQ(r.json()["done"], true);
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
  // No longer accepting, and the idle client was let go.
  EXPECT_FALSE(CanConnect(s.port()));
  bool closed = false;
  idle.ReadUntilClose(1000, &closed);
  EXPECT_TRUE(closed);
}

TEST(Http, ServesOtherClientsWhileOneHandlerBlocks) {
  TestServer s({}, [](http::Router& r) {
    r.Add("GET", "/test/block", {.summary = "test", .permission = "public"}, [](http::Request&) -> StatusOr<http::Response> {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      return http::Response::Json({{"ok", true}});
    });
  });
  RawConnection blocked(s.port());
  blocked.Send("GET /test/block HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(s.Get("/healthz").status, 200);
  // Handlers run on workers, not on the I/O thread: health did not wait.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1000));
  EXPECT_EQ(ParseHttpResponse(blocked.ReadResponse(5000)).status, 200);
}

}  // namespace
}  // namespace zb::testing
