// What other resources need from the enterprise library: the enterprise
// `id` as the caller may see it (their data scope on its unit, the ones they
// created under 仅本人, or only their own when they are bound to one);
// 404 naming `field` otherwise, exactly like a missing one. And the one
// check of an enterprise's fields, shared by the API (POST/PATCH) and the
// importer (api/ledger.h), so a row is refused for exactly the reasons a
// form would be.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/auth.h"
#include "http/message.h"
#include "storage/db.h"
#include "storage/enterprise_repo.h"

namespace zb::api {

StatusOr<storage::Enterprise> VisibleEnterprise(db::Connection& conn, const http::Principal& p, int64_t id,
                                                std::string_view field = "id");

// Normalises `e` in place (text trimmed, the credit code normalised, tags
// trimmed and deduplicated) and checks every rule for `p` writing it
// (docs/api-projects.md "Enterprises"): name 1–100 characters, credit code
// per GB 32100 (the wrong check character named), address ≤ 200, legal
// representative ≤ 30, at most 20 contacts each with a name and a phone of
// digits, spaces and - +, at most 20 tags of 1–20 characters, the industry an
// active 行业 code or '', the unit one `p` sees (404). With `before` (an
// edit), a reference that did not change is not checked again: a retired
// industry or a unit outside a 仅本人 user's units stays. Errors name the
// JSON field ("credit_code", "contacts[1].phone"). The credit code's
// uniqueness is the database's (AlreadyExists).
Status CheckEnterprise(db::Connection& conn, const http::Principal& p, storage::NewEnterprise& e,
                       const storage::Enterprise* before = nullptr);

// The editable fields of an enterprise, and all of them as changes (an edit
// merged onto the record is written back whole).
storage::NewEnterprise EnterpriseRecord(const storage::Enterprise& e);
storage::EnterpriseChanges ChangesFor(const storage::NewEnterprise& e);

// The enterprise as the API shows it (and as audit entries record it).
http::Json EnterpriseJson(const storage::Enterprise& e, const std::string& industry_label);

}  // namespace zb::api
