// Reading a JSON request body field by field, with errors that name the
// field: a wrong type is 422 validation_failed, an unknown field too (it is
// almost always a typo the client would rather hear about).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/message.h"

namespace zb::api {

// The body must be an object holding only `allowed` keys.
Status CheckObject(const http::Json& body, std::initializer_list<std::string_view> allowed);

// Absent or null leaves *out empty. A value of another type is an error.
Status GetString(const http::Json& body, std::string_view key, std::optional<std::string>* out);
Status GetInt(const http::Json& body, std::string_view key, std::optional<int64_t>* out);
Status GetBool(const http::Json& body, std::string_view key, std::optional<bool>* out);

// A query parameter that must be a positive integer when present.
StatusOr<std::optional<int64_t>> QueryId(const http::Request& req, std::string_view name);
// A 0/1/true/false query flag; `fallback` when absent.
StatusOr<bool> QueryBool(const http::Request& req, std::string_view name, bool fallback);

// page / page_size query parameters: 1-based, 20 by default, page_size
// capped at 1000 (storage::kMaxPageSize); not positive integers → 422.
struct Paging {
  int64_t page = 1;
  int64_t page_size = 20;
};
StatusOr<Paging> QueryPaging(const http::Request& req);

// The record version a client sends for optimistic concurrency: the body's
// "version" or the If-Match header ("3" or "\"3\""). kValidationFailed when
// neither is present or it is not a positive integer.
StatusOr<int64_t> RequiredVersion(const http::Request& req, const http::Json& body);

}  // namespace zb::api
