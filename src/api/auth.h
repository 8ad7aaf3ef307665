// Sign-in: the session/token Authenticator the Service consults on every
// non-public route, and the security settings it and /api/v1/auth use.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "domain/password.h"
#include "domain/sign_in.h"
#include "http/auth.h"
#include "storage/db.h"

namespace zb::api {

struct SecurityConfig {
  domain::SessionPolicy session;
  domain::LockoutPolicy lockout;
  domain::PasswordPolicy password;
  bool cookie_secure = false;  // add "Secure" to the session cookie (behind TLS)
};

inline constexpr std::string_view kSessionCookie = "zb_session";

// The value of cookie `name` in a Cookie header, or "".
std::string_view CookieValue(std::string_view cookie_header, std::string_view name);

// A user as sign-in needs them: the Principal (roles → sorted union of
// permissions, the org unit's path, the password-change obligation) and, for
// /auth/login and /auth/me, role names, the unit's name and when the
// password was set. kUnauthenticated for a disabled account.
struct UserIdentity {
  std::shared_ptr<http::Principal> principal;
  std::vector<std::pair<std::string, std::string>> roles;  // code, name
  std::string org_unit_name;
  int64_t password_changed_at = 0;
};
StatusOr<UserIdentity> LoadIdentity(db::Connection& conn, int64_t user_id, int64_t now_ms,
                                    const SecurityConfig& security);

// Cookie sessions (zb_session, stored as SHA-256) with idle and absolute
// timeouts; a valid session's last_seen is written at most once a minute.
// Integrations send "Authorization: Bearer <token>" instead (api_tokens,
// stored as SHA-256): the token's permissions intersected with its owner's,
// no CSRF, refused once revoked or expired or the owner is disabled.
class SessionAuthenticator final : public http::Authenticator {
 public:
  SessionAuthenticator(db::Pool& pool, const Clock& clock, const SecurityConfig& security)
      : pool_(pool), clock_(clock), security_(security) {}
  StatusOr<std::shared_ptr<const http::Principal>> Authenticate(const http::Request& req) override;

 private:
  StatusOr<std::shared_ptr<const http::Principal>> AuthenticateToken(std::string_view token);
  db::Pool& pool_;
  const Clock& clock_;
  const SecurityConfig& security_;
};

}  // namespace zb::api
