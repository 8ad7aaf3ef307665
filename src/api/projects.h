// Shared by the projects routes and the 项目台账 export: the list's query
// parameters as a repository filter, and how a project reads as JSON.
#pragma once

#include "core/status.h"
#include "http/auth.h"
#include "http/message.h"
#include "http/router.h"
#include "storage/db.h"
#include "storage/project_repo.h"

namespace zb::api {

// GET /api/v1/projects's parameters (docs/api-projects.md "List filters")
// as a filter with the caller's data scope applied. 422 naming the
// parameter for a bad value; 404 (org_unit_id) for a unit the caller does
// not see. Paging and sort are read too; the export ignores paging.
// The query parameters ParseProjectFilter reads, for the OpenAPI document.
std::vector<http::QueryParamDoc> ProjectFilterDocs();

// The 预警 colours named by query parameter `name` (red 红, yellow 黄,
// green 绿, none 无; repeated or comma-separated), as codes.
StatusOr<std::vector<std::string>> WarningFilterValues(const http::Request& req, std::string_view name);

StatusOr<storage::ProjectFilter> ParseProjectFilter(const http::Request& req, db::Connection& conn,
                                                    const http::Principal& p, int64_t now_ms);

}  // namespace zb::api
