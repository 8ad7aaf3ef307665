// Status and StatusOr<T>: errors are values.
//
// A Status is OK (a null pointer, free to copy) or carries a code, a
// human-readable message (Chinese first, as users read it) and optionally the
// name of the input field it concerns. One table in http/ maps codes to HTTP
// statuses and the JSON error envelope; nothing else decides that.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace zb {

enum class StatusCode {
  kOk = 0,
  kBadRequest,            // 400 bad_request: malformed syntax (JSON, query)
  kValidationFailed,      // 422 validation_failed: well-formed but invalid
  kUnauthenticated,       // 401
  kForbidden,             // 403
  kNotFound,              // 404
  kMethodNotAllowed,      // 405
  kVersionConflict,       // 409 version_conflict: stale optimistic version
  kAlreadyExists,         // 409 already_exists: unique violation
  kInvalidTransition,     // 409 invalid_transition: state machine refusal
  kConflict,              // 409 conflict: other integrity conflicts (FK, in use)
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kRateLimited,           // 429
  kUnavailable,           // 503 unavailable: e.g. database unreachable
  kInternal,              // 500
};

// The stable wire name of a code ("not_found"), as listed in API.md.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message, std::string field = {});
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&& other) noexcept {
    if (this != &other) rep_ = std::move(other.rep_);
    return *this;
  }

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  const std::string& message() const;
  const std::string& field() const;

  // "not_found: 项目不存在 [field=id]", for logs and test failures.
  std::string ToString() const;

  bool operator==(const Status& o) const {
    return code() == o.code() && message() == o.message() && field() == o.field();
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::string field;
  };
  std::unique_ptr<Rep> rep_;
};

// Shorthands, named for the HTTP-facing codes.
Status BadRequest(std::string message, std::string field = {});
Status ValidationFailed(std::string message, std::string field = {});
Status Unauthenticated(std::string message);
Status Forbidden(std::string message);
Status NotFound(std::string message, std::string field = {});
Status AlreadyExists(std::string message, std::string field = {});
Status VersionConflict(std::string message);
Status InvalidTransition(std::string message, std::string field = {});
Status Conflict(std::string message, std::string field = {});
Status Unavailable(std::string message);
Status Internal(std::string message);

// Holds either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const T& value) : v_(value) {}         // NOLINT: implicit by design
  StatusOr(T&& value) : v_(std::move(value)) {}   // NOLINT
  StatusOr(Status status) : v_(std::move(status)) {  // NOLINT
    if (std::get<Status>(v_).ok()) v_ = Status(StatusCode::kInternal, "StatusOr built from OK status");
  }
  template <typename U,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, T> &&
                                        !std::is_same_v<std::decay_t<U>, Status> &&
                                        !std::is_same_v<std::decay_t<U>, StatusOr<T>>>>
  StatusOr(U&& value) : v_(T(std::forward<U>(value))) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace zb

// Early-return helpers. ZB_ASSIGN_OR_RETURN(auto x, Expr()) declares x.
#define ZB_RETURN_IF_ERROR(expr)                 \
  do {                                           \
    ::zb::Status zb_status_ = (expr);            \
    if (!zb_status_.ok()) return zb_status_;     \
  } while (0)

#define ZB_CONCAT_INNER_(a, b) a##b
#define ZB_CONCAT_(a, b) ZB_CONCAT_INNER_(a, b)
#define ZB_ASSIGN_OR_RETURN(lhs, expr) \
  ZB_ASSIGN_OR_RETURN_IMPL_(ZB_CONCAT_(zb_statusor_, __LINE__), lhs, expr)
#define ZB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
