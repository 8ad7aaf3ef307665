// Secret tokens (session cookies, API tokens) and how they are stored: only
// their SHA-256, so a copy of the database does not let anyone sign in.
#pragma once

#include <string>
#include <string_view>

namespace zb::domain {

// 256 random bits as 64 hex characters (kernel CSPRNG).
std::string NewSecretToken();

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace zb::domain
