// Who is calling, and the hook that decides it.
//
// Every route declares in its RouteDoc the permission it needs:
//   kPublic          anyone (sign-in, health, the OpenAPI document)
//   kAuthenticated   any signed-in user (their own profile, password change)
//   "org:read", …    a permission string from domain/permissions.h
// Service asks the Authenticator for the Principal of every non-public
// request: no or invalid credentials → 401; a cookie session without the
// right X-CSRF-Token on an unsafe method → 403; a user who must change their
// password may reach only routes marked allow_before_password_change → 403;
// a missing permission → 403. Handlers then read req.principal().
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/data_scope.h"

namespace zb::http {

inline constexpr std::string_view kPublic = "public";
inline constexpr std::string_view kAuthenticated = "authenticated";

struct Principal {
  int64_t user_id = 0;
  std::string login;
  std::string display_name;
  int64_t org_unit_id = 0;
  std::string org_path;                 // "/1/5/12/"
  std::optional<int64_t> enterprise_id; // enterprise users only
  std::vector<std::string> permissions; // sorted, unique
  domain::ScopeFilter scope;            // union of the roles' data scopes (normalised)
  bool via_token = false;               // Authorization: Bearer (no CSRF)
  bool must_change_password = false;
  std::string session_id_hash;          // cookie sessions
  std::string csrf_token;               // cookie sessions

  bool Has(std::string_view permission) const;
};

class Request;

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The caller of `req`; kUnauthenticated when it carries no valid
  // credentials (the message says why: expired, revoked, …).
  virtual StatusOr<std::shared_ptr<const Principal>> Authenticate(const Request& req) = 0;
};

}  // namespace zb::http
