#include "core/status.h"

namespace zb {

namespace {
const std::string& EmptyString() {
  static const std::string kEmpty;
  return kEmpty;
}
}  // namespace

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kBadRequest: return "bad_request";
    case StatusCode::kValidationFailed: return "validation_failed";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kForbidden: return "forbidden";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kMethodNotAllowed: return "method_not_allowed";
    case StatusCode::kVersionConflict: return "version_conflict";
    case StatusCode::kAlreadyExists: return "already_exists";
    case StatusCode::kInvalidTransition: return "invalid_transition";
    case StatusCode::kConflict: return "conflict";
    case StatusCode::kPayloadTooLarge: return "payload_too_large";
    case StatusCode::kUnsupportedMediaType: return "unsupported_media_type";
    case StatusCode::kRateLimited: return "rate_limited";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kInternal: return "internal";
  }
  return "internal";
}

Status::Status(StatusCode code, std::string message, std::string field) {
  if (code != StatusCode::kOk) {
    rep_ = std::make_unique<Rep>(Rep{code, std::move(message), std::move(field)});
  }
}

Status::Status(const Status& other)
    : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
  return *this;
}

const std::string& Status::message() const { return rep_ ? rep_->message : EmptyString(); }
const std::string& Status::field() const { return rep_ ? rep_->field : EmptyString(); }

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s(StatusCodeName(rep_->code));
  s += ": ";
  s += rep_->message;
  if (!rep_->field.empty()) s += " [field=" + rep_->field + "]";
  return s;
}

Status BadRequest(std::string m, std::string f) { return {StatusCode::kBadRequest, std::move(m), std::move(f)}; }
Status ValidationFailed(std::string m, std::string f) { return {StatusCode::kValidationFailed, std::move(m), std::move(f)}; }
Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
Status Forbidden(std::string m) { return {StatusCode::kForbidden, std::move(m)}; }
Status NotFound(std::string m, std::string f) { return {StatusCode::kNotFound, std::move(m), std::move(f)}; }
Status AlreadyExists(std::string m, std::string f) { return {StatusCode::kAlreadyExists, std::move(m), std::move(f)}; }
Status VersionConflict(std::string m) { return {StatusCode::kVersionConflict, std::move(m)}; }
Status InvalidTransition(std::string m, std::string f) { return {StatusCode::kInvalidTransition, std::move(m), std::move(f)}; }
Status Conflict(std::string m, std::string f) { return {StatusCode::kConflict, std::move(m), std::move(f)}; }
Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

}  // namespace zb
