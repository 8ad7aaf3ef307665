// Request and Response as handlers see them.
//
// A Request owns the parsed Beast message (no header copies on the hot path)
// plus what the server derived from it: the percent-decoded path, the decoded
// query parameters, the route's path parameters, the request id and the peer
// address. A Response is a plain value that the session serialises.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "http/auth.h"

namespace zb::http {

using Json = nlohmann::json;
using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using Params = std::vector<std::pair<std::string, std::string>>;

class Request {
 public:
  Request() = default;
  // Parses the target of `msg`. Fails (kBadRequest) on a malformed
  // percent-encoding or a path that is not absolute.
  static StatusOr<Request> From(BeastRequest&& msg, std::string remote_ip);

  const BeastRequest& msg() const { return msg_; }
  std::string_view method() const { return msg_.method_string(); }
  boost::beast::http::verb verb() const { return msg_.method(); }
  std::string_view target() const { return msg_.target(); }
  const std::string& path() const { return path_; }      // decoded, no query
  const std::string& body() const { return msg_.body(); }
  std::string_view Header(std::string_view name) const;  // "" when absent

  // Query parameters, decoded ('+' is a space). First value wins in Query().
  const Params& query() const { return query_; }
  std::optional<std::string_view> Query(std::string_view name) const;
  // Every value of a repeated parameter (?unit=1&unit=2).
  std::vector<std::string_view> QueryAll(std::string_view name) const;

  // Path parameters filled in by the router ({id} → "12").
  std::string_view PathParam(std::string_view name) const;
  void SetPathParams(Params p) { path_params_ = std::move(p); }
  // A path parameter that must be a positive integer id; kNotFound otherwise
  // (an id that cannot exist names no record).
  StatusOr<int64_t> PathId(std::string_view name = "id") const;

  // The JSON body. kUnsupportedMediaType unless Content-Type is
  // application/json; kBadRequest for an empty, malformed or too deeply
  // nested document, with the byte offset in the message.
  StatusOr<Json> JsonBody() const;

  const std::string& request_id() const { return request_id_; }
  void set_request_id(std::string id) { request_id_ = std::move(id); }
  const std::string& remote_ip() const { return remote_ip_; }
  // The matched route's pattern ("/api/v1/org-units/{id}"), for metrics.
  std::string_view route() const { return route_; }
  void set_route(std::string_view r) { route_ = r; }

  // The authenticated caller; null on public routes.
  const Principal* principal() const { return principal_.get(); }
  void set_principal(std::shared_ptr<const Principal> p) { principal_ = std::move(p); }

 private:
  BeastRequest msg_;
  std::string path_;
  Params query_;
  Params path_params_;
  std::string request_id_;
  std::string remote_ip_;
  std::string_view route_ = "unmatched";
  std::shared_ptr<const Principal> principal_;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  Params headers;  // extra headers (Location, ETag, …)

  static Response Json(int status, const http::Json& value);
  static Response Json(const http::Json& value) { return Json(200, value); }
  static Response Text(int status, std::string body, std::string content_type);
  static Response NoContent();
  // The one error envelope: {"error":{"code","message","field"}}, plus the
  // members of `extra` beside "error" (e.g. "current" on a version conflict).
  static Response Error(const Status& status, const http::Json& extra = nullptr);
  Response& With(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// The one table from StatusCode to HTTP status.
int HttpStatusFor(StatusCode code);

// Percent-decodes `in`. plus_is_space for query components. nullopt on a
// malformed escape.
std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);
// Parses "a=1&b=x%20y" into pairs.
StatusOr<Params> ParseQuery(std::string_view query);

}  // namespace zb::http
