// What other resources need from the enterprise library: the enterprise
// `id` as the caller may see it (their data scope on its unit, the ones they
// created under 仅本人, or only their own when they are bound to one);
// 404 naming `field` otherwise, exactly like a missing one.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "http/auth.h"
#include "storage/db.h"
#include "storage/enterprise_repo.h"

namespace zb::api {

StatusOr<storage::Enterprise> VisibleEnterprise(db::Connection& conn, const http::Principal& p, int64_t id,
                                                std::string_view field = "id");

}  // namespace zb::api
