#include "http/message.h"

#include <strings.h>

#include <algorithm>
#include <charconv>

namespace zb::http {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Depth of the most nested array/object, ignoring brackets inside strings.
// Guards the parser and the destructor against "[[[[…" bombs.
size_t JsonDepth(std::string_view s) {
  size_t depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}

constexpr size_t kMaxJsonDepth = 64;

}  // namespace

std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

StatusOr<Params> ParseQuery(std::string_view query) {
  Params out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string_view k = part.substr(0, eq);
    std::string_view v = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    auto dk = PercentDecode(k, true);
    auto dv = PercentDecode(v, true);
    if (!dk || !dv) {
      return BadRequest("查询参数的百分号编码不正确 (malformed percent-encoding in query)",
                        dk ? *dk : std::string(k));
    }
    out.emplace_back(std::move(*dk), std::move(*dv));
  }
  return out;
}

StatusOr<Request> Request::From(BeastRequest&& msg, std::string remote_ip) {
  Request r;
  r.msg_ = std::move(msg);
  r.remote_ip_ = std::move(remote_ip);
  std::string_view target = r.msg_.target();
  if (target.empty() || target[0] != '/') {
    return BadRequest("请求路径必须以 / 开头 (request target must be an absolute path)", "path");
  }
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  auto path = PercentDecode(raw_path, false);
  if (!path) return BadRequest("路径的百分号编码不正确 (malformed percent-encoding in path)", "path");
  if (path->find('\0') != std::string::npos) {
    return BadRequest("路径含有非法字符 (path contains a NUL byte)", "path");
  }
  r.path_ = std::move(*path);
  if (q != std::string_view::npos) {
    ZB_ASSIGN_OR_RETURN(r.query_, ParseQuery(target.substr(q + 1)));
  }
  return r;
}

std::string_view Request::Header(std::string_view name) const {
  auto it = msg_.find(name);
  return it == msg_.end() ? std::string_view() : it->value();
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const auto& [k, v] : query_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> Request::QueryAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : query_) {
    if (k == name) out.emplace_back(v);
  }
  return out;
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [k, v] : path_params_) {
    if (k == name) return v;
  }
  return {};
}

StatusOr<int64_t> Request::PathId(std::string_view name) const {
  std::string_view s = PathParam(name);
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || id <= 0) {
    return NotFound("记录不存在 (no record with this id)", std::string(name));
  }
  return id;
}

StatusOr<Json> Request::JsonBody() const {
  std::string_view ct = Header("Content-Type");
  std::string_view media = ct.substr(0, ct.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  bool json_type = media.size() == 16 && strncasecmp(media.data(), "application/json", 16) == 0;
  if (!json_type) {
    return Status(StatusCode::kUnsupportedMediaType,
                  "请求体必须是 application/json (Content-Type must be application/json)",
                  "Content-Type");
  }
  const std::string& b = body();
  if (b.empty()) return BadRequest("请求体为空 (request body is empty)", "body");
  if (JsonDepth(b) > kMaxJsonDepth) {
    return BadRequest("JSON 嵌套层数过多 (JSON nested deeper than 64 levels)", "body");
  }
  Json j = Json::parse(b, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Re-parse with exceptions only on the error path, for the byte offset.
    try {
      auto unused = Json::parse(b);
      (void)unused;
    } catch (const Json::parse_error& e) {
      return BadRequest("请求体不是合法的 JSON,第 " + std::to_string(e.byte) +
                            " 字节附近有误 (malformed JSON near byte " + std::to_string(e.byte) + ")",
                        "body");
    }
    return BadRequest("请求体不是合法的 JSON (malformed JSON)", "body");
  }
  return j;
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kBadRequest: return 400;
    case StatusCode::kValidationFailed: return 422;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kForbidden: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kMethodNotAllowed: return 405;
    case StatusCode::kVersionConflict:
    case StatusCode::kAlreadyExists:
    case StatusCode::kInvalidTransition:
    case StatusCode::kConflict: return 409;
    case StatusCode::kPayloadTooLarge: return 413;
    case StatusCode::kUnsupportedMediaType: return 415;
    case StatusCode::kRateLimited: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

Response Response::Json(int status, const http::Json& value) {
  Response r;
  r.status = status;
  r.body = value.dump(-1, ' ', false, http::Json::error_handler_t::replace);
  return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Response::Error(const Status& s, const http::Json& extra) {
  http::Json err = {{"code", StatusCodeName(s.code())}, {"message", s.message()}};
  if (!s.field().empty()) err["field"] = s.field();
  http::Json body = extra.is_object() ? extra : http::Json::object();
  body["error"] = std::move(err);
  return Json(HttpStatusFor(s.code()), body);
}

}  // namespace zb::http
