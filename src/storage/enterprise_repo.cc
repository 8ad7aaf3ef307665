#include "storage/enterprise_repo.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "storage/project_repo.h"

namespace zb::storage {

namespace {

// Reads join the enterprise's org unit for its name and path.
#define ZB_ENTERPRISE_SELECT                                                                                 \
  "SELECT e.id, e.name, e.credit_code, e.industry, e.org_unit_id, e.address, e.legal_representative, "      \
  "e.above_scale, e.created_by, e.version, e.created_at, e.updated_at, o.name AS org_unit_name, "           \
  "o.path AS org_path FROM enterprises e JOIN org_units o ON o.id = e.org_unit_id"

constexpr char kNotFound[] = "企业不存在";

Enterprise FromRow(const db::Row& r) {
  Enterprise e;
  e.id = r.Int("id");
  e.name = r.Text("name");
  e.credit_code = r.Text("credit_code");
  e.industry = r.Text("industry");
  e.org_unit_id = r.Int("org_unit_id");
  e.address = r.Text("address");
  e.legal_representative = r.Text("legal_representative");
  e.above_scale = r.Bool("above_scale");
  e.created_by = r.OptInt("created_by");
  e.version = r.Int("version");
  e.created_at = r.Int("created_at");
  e.updated_at = r.Int("updated_at");
  e.org_unit_name = r.Text("org_unit_name");
  e.org_path = r.Text("org_path");
  return e;
}

// Contacts and tags of every enterprise in `list`, in two queries.
Status AttachLists(db::Connection& conn, std::vector<Enterprise>& list) {
  if (list.empty()) return Status();
  std::map<int64_t, Enterprise*> by_id;
  std::vector<int64_t> ids;
  for (Enterprise& e : list) {
    by_id[e.id] = &e;
    ids.push_back(e.id);
  }
  db::Params params;
  const std::string in = InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(db::Result contacts,
                      conn.Query("SELECT enterprise_id, name, title, phone FROM enterprise_contacts "
                                 "WHERE enterprise_id IN (" + in + ") ORDER BY enterprise_id, position",
                                 params));
  for (const db::Row& r : contacts.rows) {
    by_id[r.Int("enterprise_id")]->contacts.push_back({r.Text("name"), r.Text("title"), r.Text("phone")});
  }
  ZB_ASSIGN_OR_RETURN(db::Result tags, conn.Query("SELECT enterprise_id, tag FROM enterprise_tags "
                                                  "WHERE enterprise_id IN (" + in + ") ORDER BY enterprise_id, tag",
                                                  params));
  for (const db::Row& r : tags.rows) by_id[r.Int("enterprise_id")]->tags.push_back(r.Text("tag"));
  return Status();
}

Status SetContacts(db::Connection& conn, int64_t id, const std::vector<EnterpriseContact>& contacts) {
  ZB_RETURN_IF_ERROR(conn.Exec("DELETE FROM enterprise_contacts WHERE enterprise_id = $1", {id}));
  int64_t position = 0;
  for (const auto& c : contacts) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO enterprise_contacts (enterprise_id, position, name, title, phone) "
                                 "VALUES ($1, $2, $3, $4, $5)",
                                 {id, ++position, c.name, c.title, c.phone}));
  }
  return Status();
}

Status SetTags(db::Connection& conn, int64_t id, std::vector<std::string> tags) {
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  ZB_RETURN_IF_ERROR(conn.Exec("DELETE FROM enterprise_tags WHERE enterprise_id = $1", {id}));
  for (const auto& t : tags) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO enterprise_tags (enterprise_id, tag) VALUES ($1, $2)", {id, t}));
  }
  return Status();
}

// Explains why a versioned UPDATE matched no row.
Status StaleOrMissing(db::Connection& conn, int64_t id, int64_t expected_version) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT version FROM enterprises WHERE id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  return VersionConflict("企业信息已被他人修改,请刷新后重试 (version " + std::to_string(expected_version) +
                         " expected, now " + std::to_string(row->Int("version")) + ")");
}

}  // namespace

StatusOr<Enterprise> CreateEnterprise(db::Connection& conn, const NewEnterprise& in, int64_t now_ms) {
  ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "org_units", {in.org_unit_id}, "org_unit_id", "组织机构"));
  ZB_ASSIGN_OR_RETURN(
      auto row,
      conn.QueryOne("INSERT INTO enterprises (name, credit_code, industry, org_unit_id, address, "
                    "legal_representative, above_scale, created_by, version, created_at, updated_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id",
                    {in.name, in.credit_code, in.industry, in.org_unit_id, in.address, in.legal_representative,
                     int64_t{in.above_scale ? 1 : 0}, db::Opt(in.created_by), now_ms}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  const int64_t id = row->Int("id");
  ZB_RETURN_IF_ERROR(SetContacts(conn, id, in.contacts));
  ZB_RETURN_IF_ERROR(SetTags(conn, id, in.tags));
  return GetEnterprise(conn, id);
}

StatusOr<Enterprise> GetEnterprise(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_ENTERPRISE_SELECT " WHERE e.id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  std::vector<Enterprise> one{FromRow(*row)};
  ZB_RETURN_IF_ERROR(AttachLists(conn, one));
  return std::move(one.front());
}

StatusOr<std::optional<Enterprise>> FindEnterpriseByCreditCode(db::Connection& conn, const std::string& credit_code) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT id FROM enterprises WHERE credit_code = $1", {credit_code}));
  if (!row) return std::optional<Enterprise>();
  ZB_ASSIGN_OR_RETURN(Enterprise e, GetEnterprise(conn, row->Int("id")));
  return std::optional<Enterprise>(std::move(e));
}

StatusOr<std::vector<EnterpriseCode>> ListEnterpriseCodes(db::Connection& conn) {
  std::vector<EnterpriseCode> out;
  ZB_RETURN_IF_ERROR(conn.Stream("SELECT e.id, e.name, e.credit_code FROM enterprises e JOIN org_units o "
                                 "ON o.id = e.org_unit_id ORDER BY e.id",
                                 {}, [&](const db::RowView& r) {
                                   out.push_back({r.Int(0), std::string(r.Text(1)), std::string(r.Text(2))});
                                   return Status();
                                 }));
  return out;
}

StatusOr<EnterprisePage> ListEnterprises(db::Connection& conn, const EnterpriseFilter& filter) {
  db::Params params;
  std::string where = " WHERE 1=1";
  if (filter.scope) where += " AND " + ScopeWhere(*filter.scope, "o.path", "o.id", "e.created_by", &params);
  if (filter.only_id) AndWhere(where, params, "e.id = ?", *filter.only_id);
  if (filter.org_path_prefix) AndWhere(where, params, "o.path LIKE ? || '%'", *filter.org_path_prefix);
  if (!filter.keyword.empty()) {
    std::string kw;
    for (char c : filter.keyword) kw += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    params.push_back("%" + EscapeLike(kw) + "%");
    const std::string p = "$" + std::to_string(params.size());
    // Credit codes are stored upper-case; names are matched as typed, with
    // ASCII letters in either case.
    where += " AND (UPPER(e.name) LIKE " + p + " ESCAPE '\\' OR e.credit_code LIKE " + p + " ESCAPE '\\')";
  }
  if (filter.industry) AndWhere(where, params, "e.industry = ?", *filter.industry);
  if (filter.above_scale) AndWhere(where, params, "e.above_scale = ?", int64_t{*filter.above_scale ? 1 : 0});
  if (filter.tag) {
    AndWhere(where, params, "EXISTS (SELECT 1 FROM enterprise_tags t WHERE t.enterprise_id = e.id AND t.tag = ?)",
             *filter.tag);
  }
  EnterprisePage page;
  ZB_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*) AS n FROM enterprises e JOIN org_units o "
                                                "ON o.id = e.org_unit_id" + where,
                                                params));
  page.total = count ? count->Int("n") : 0;
  const std::string limit = LimitOffset(filter.page, filter.page_size, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(ZB_ENTERPRISE_SELECT + where + " ORDER BY e.id" + limit, params));
  page.items.reserve(r.rows.size());
  for (const db::Row& row : r.rows) page.items.push_back(FromRow(row));
  ZB_RETURN_IF_ERROR(AttachLists(conn, page.items));
  return page;
}

StatusOr<Enterprise> UpdateEnterprise(db::Connection& conn, int64_t id, int64_t expected_version,
                                      const EnterpriseChanges& changes, int64_t now_ms) {
  if (changes.org_unit_id) {
    ZB_RETURN_IF_ERROR(CheckIdsExist(conn, "org_units", {*changes.org_unit_id}, "org_unit_id", "组织机构"));
  }
  ZB_ASSIGN_OR_RETURN(
      auto row,
      conn.QueryOne("UPDATE enterprises SET name = COALESCE($3, name), credit_code = COALESCE($4, credit_code), "
                    "industry = COALESCE($5, industry), org_unit_id = COALESCE($6, org_unit_id), "
                    "address = COALESCE($7, address), legal_representative = COALESCE($8, legal_representative), "
                    "above_scale = COALESCE($9, above_scale), version = version + 1, updated_at = $10 "
                    "WHERE id = $1 AND version = $2 RETURNING id",
                    {id, expected_version, db::Opt(changes.name), db::Opt(changes.credit_code),
                     db::Opt(changes.industry), db::Opt(changes.org_unit_id), db::Opt(changes.address),
                     db::Opt(changes.legal_representative), db::OptBool(changes.above_scale), now_ms}));
  if (!row) return StaleOrMissing(conn, id, expected_version);
  // The name is part of the enterprise's projects' search text.
  if (changes.name) ZB_RETURN_IF_ERROR(RefreshEnterpriseProjectsSearch(conn, id));
  if (changes.contacts) ZB_RETURN_IF_ERROR(SetContacts(conn, id, *changes.contacts));
  if (changes.tags) ZB_RETURN_IF_ERROR(SetTags(conn, id, *changes.tags));
  return GetEnterprise(conn, id);
}

#undef ZB_ENTERPRISE_SELECT

}  // namespace zb::storage
