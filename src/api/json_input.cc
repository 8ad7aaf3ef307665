#include "api/json_input.h"

#include <algorithm>
#include <charconv>

#include "storage/scope_sql.h"

namespace zb::api {

namespace {
Status TypeError(std::string_view key, std::string_view want) {
  return ValidationFailed("字段 " + std::string(key) + " 应为" + std::string(want) + " (" + std::string(key) +
                              " has the wrong type)",
                          std::string(key));
}

std::optional<int64_t> ParsePositive(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}
}  // namespace

Status CheckObject(const http::Json& body, std::initializer_list<std::string_view> allowed) {
  if (!body.is_object()) return BadRequest("请求体应为 JSON 对象 (body must be a JSON object)", "body");
  for (const auto& [k, v] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      return ValidationFailed("未知字段 " + k + " (unknown field)", k);
    }
  }
  return Status::Ok();
}

Status GetString(const http::Json& body, std::string_view key, std::optional<std::string>* out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return TypeError(key, "字符串");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status GetInt(const http::Json& body, std::string_view key, std::optional<int64_t>* out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (it->is_number_unsigned()) {
    uint64_t u = it->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return TypeError(key, "不超过 9223372036854775807 的整数");
    *out = static_cast<int64_t>(u);
    return Status::Ok();
  }
  if (!it->is_number_integer()) return TypeError(key, "整数");
  *out = it->get<int64_t>();
  return Status::Ok();
}

Status GetBool(const http::Json& body, std::string_view key, std::optional<bool>* out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_boolean()) return TypeError(key, "布尔值 true/false");
  *out = it->get<bool>();
  return Status::Ok();
}

StatusOr<std::optional<int64_t>> QueryId(const http::Request& req, std::string_view name) {
  auto v = req.Query(name);
  if (!v || v->empty()) return std::optional<int64_t>();
  auto id = ParsePositive(*v);
  if (!id) return ValidationFailed("参数 " + std::string(name) + " 应为正整数", std::string(name));
  return std::optional<int64_t>(*id);
}

StatusOr<bool> QueryBool(const http::Request& req, std::string_view name, bool fallback) {
  auto v = req.Query(name);
  if (!v || v->empty()) return fallback;
  if (*v == "1" || *v == "true") return true;
  if (*v == "0" || *v == "false") return false;
  return ValidationFailed("参数 " + std::string(name) + " 应为 true 或 false", std::string(name));
}

StatusOr<int64_t> RequiredVersion(const http::Request& req, const http::Json& body) {
  std::optional<int64_t> v;
  ZB_RETURN_IF_ERROR(GetInt(body, "version", &v));
  if (!v) {
    std::string_view m = req.Header("If-Match");
    if (m.size() >= 2 && m.front() == '"' && m.back() == '"') m = m.substr(1, m.size() - 2);
    if (!m.empty()) {
      auto parsed = ParsePositive(m);
      if (!parsed) return ValidationFailed("If-Match 应为记录的版本号", "version");
      v = parsed;
    }
  }
  if (!v) return ValidationFailed("缺少版本号 version (或 If-Match 头),用于防止覆盖他人的修改", "version");
  if (*v <= 0) return ValidationFailed("版本号应为正整数", "version");
  return *v;
}

StatusOr<Paging> QueryPaging(const http::Request& req) {
  Paging p{.page = 1, .page_size = storage::kDefaultPageSize};
  ZB_ASSIGN_OR_RETURN(auto page, QueryId(req, "page"));
  ZB_ASSIGN_OR_RETURN(auto size, QueryId(req, "page_size"));
  if (page) p.page = *page;
  if (size) p.page_size = std::min(*size, storage::kMaxPageSize);
  return p;
}

}  // namespace zb::api
