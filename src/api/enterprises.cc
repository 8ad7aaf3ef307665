// /api/v1/enterprises — the enterprise library (企业库): list, read, create,
// edit. Every read goes through the caller's data scope on the enterprise's
// unit (仅本人: the ones they created); a user bound to an enterprise (企业)
// sees that enterprise only. Out of scope answers 404 like a missing one.
#include "api/enterprises.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "api/api.h"
#include "api/audit.h"
#include "api/export.h"
#include "api/json_input.h"
#include "api/ledger.h"
#include "api/scope.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/credit_code.h"
#include "storage/dict_repo.h"
#include "storage/enterprise_repo.h"
#include "storage/org_unit_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr size_t kMaxContacts = 20;
constexpr size_t kMaxTags = 20;

}  // namespace

Json EnterpriseJson(const storage::Enterprise& e, const std::string& industry_label) {
  Json contacts = Json::array();
  for (const auto& c : e.contacts) contacts.push_back({{"name", c.name}, {"title", c.title}, {"phone", c.phone}});
  return {{"id", e.id},
          {"name", e.name},
          {"credit_code", e.credit_code},
          {"industry", e.industry},
          {"industry_label", industry_label},
          {"org_unit_id", e.org_unit_id},
          {"org_unit_name", e.org_unit_name},
          {"address", e.address},
          {"legal_representative", e.legal_representative},
          {"above_scale", e.above_scale},
          {"contacts", contacts},
          {"tags", e.tags},
          {"version", e.version},
          {"created_at", FormatRfc3339(e.created_at)},
          {"updated_at", FormatRfc3339(e.updated_at)}};
}

namespace {

Json ToJson(const storage::Enterprise& e, const std::string& industry_label) { return EnterpriseJson(e, industry_label); }

// Industry code → label, all items (retired ones keep naming old records).
StatusOr<std::map<std::string, std::string>> IndustryLabels(db::Connection& conn) {
  ZB_ASSIGN_OR_RETURN(auto items, storage::ListDictItems(conn, "industry", /*include_inactive=*/true));
  std::map<std::string, std::string> out;
  for (const auto& d : items) out[d.code] = d.label;
  return out;
}

// The label of an industry code; "" when the code is unset or unknown.
std::string LabelOf(const std::map<std::string, std::string>& labels, const std::string& code) {
  auto it = labels.find(code);
  return it == labels.end() ? "" : it->second;
}

StatusOr<Json> Render(db::Connection& conn, const storage::Enterprise& e) {
  ZB_ASSIGN_OR_RETURN(auto labels, IndustryLabels(conn));
  return ToJson(e, LabelOf(labels, e.industry));
}

Json EnterpriseSchema() {
  Json contact = {{"type", "object"},
                  {"properties",
                   {{"name", {{"type", "string"}}}, {"title", {{"type", "string"}}}, {"phone", {{"type", "string"}}}}}};
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"name", {{"type", "string"}}},
            {"credit_code", {{"type", "string"}, {"description", "统一社会信用代码 (GB 32100-2015)"}}},
            {"industry", {{"type", "string"}}},
            {"industry_label", {{"type", "string"}}},
            {"org_unit_id", {{"type", "integer"}}},
            {"org_unit_name", {{"type", "string"}}},
            {"address", {{"type", "string"}}},
            {"legal_representative", {{"type", "string"}}},
            {"above_scale", {{"type", "boolean"}, {"description", "规上企业"}}},
            {"contacts", {{"type", "array"}, {"items", contact}}},
            {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"version", {{"type", "integer"}}},
            {"created_at", {{"type", "string"}, {"format", "date-time"}}},
            {"updated_at", {{"type", "string"}, {"format", "date-time"}}}}}};
}

Json InputSchema(bool creating) {
  Json props = EnterpriseSchema()["properties"];
  for (const char* k : {"id", "industry_label", "org_unit_name", "version", "created_at", "updated_at"}) props.erase(k);
  Json s = {{"type", "object"}, {"additionalProperties", false}};
  if (creating) {
    s["required"] = {"name", "credit_code", "org_unit_id"};
  } else {
    props["version"] = {{"type", "integer"}, {"description", "or the If-Match header"}};
  }
  s["properties"] = props;
  return s;
}

// The body's fields as given (types checked, the errors name the field);
// the rules are CheckEnterprise's, on the whole record.
struct EnterpriseInput {
  std::optional<std::string> name, credit_code, industry, address, legal_representative;
  std::optional<int64_t> org_unit_id;
  std::optional<bool> above_scale;
  std::optional<std::vector<storage::EnterpriseContact>> contacts;
  std::optional<std::vector<std::string>> tags;
};

Status ReadContacts(const Json& body, std::optional<std::vector<storage::EnterpriseContact>>* out) {
  auto it = body.find("contacts");
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return ValidationFailed("联系人应为列表 (contacts must be an array)", "contacts");
  if (it->size() > kMaxContacts) return ValidationFailed("联系人最多 20 个 (at most 20 contacts)", "contacts");
  std::vector<storage::EnterpriseContact> list;
  for (const Json& c : *it) {
    const std::string field = "contacts[" + std::to_string(list.size()) + "]";
    if (!c.is_object()) return ValidationFailed("联系人应为对象 (a contact must be an object)", field);
    ZB_RETURN_IF_ERROR(CheckObject(c, {"name", "title", "phone"}));
    std::optional<std::string> name, title, phone;
    ZB_RETURN_IF_ERROR(GetString(c, "name", &name));
    ZB_RETURN_IF_ERROR(GetString(c, "title", &title));
    ZB_RETURN_IF_ERROR(GetString(c, "phone", &phone));
    list.push_back({name.value_or(""), title.value_or(""), phone.value_or("")});
  }
  *out = std::move(list);
  return Status::Ok();
}

Status ReadTags(const Json& body, std::optional<std::vector<std::string>>* out) {
  auto it = body.find("tags");
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return ValidationFailed("标签应为列表 (tags must be an array)", "tags");
  std::vector<std::string> tags;
  for (const Json& t : *it) {
    if (!t.is_string()) return ValidationFailed("标签应为文字 (a tag must be a string)", "tags");
    tags.push_back(t.get<std::string>());
  }
  *out = std::move(tags);
  return Status::Ok();
}

Status ReadInput(const Json& body, bool creating, EnterpriseInput* in) {
  ZB_RETURN_IF_ERROR(GetString(body, "name", &in->name));
  ZB_RETURN_IF_ERROR(GetString(body, "credit_code", &in->credit_code));
  ZB_RETURN_IF_ERROR(GetString(body, "industry", &in->industry));
  ZB_RETURN_IF_ERROR(GetInt(body, "org_unit_id", &in->org_unit_id));
  ZB_RETURN_IF_ERROR(GetString(body, "address", &in->address));
  ZB_RETURN_IF_ERROR(GetString(body, "legal_representative", &in->legal_representative));
  ZB_RETURN_IF_ERROR(GetBool(body, "above_scale", &in->above_scale));
  ZB_RETURN_IF_ERROR(ReadContacts(body, &in->contacts));
  ZB_RETURN_IF_ERROR(ReadTags(body, &in->tags));
  if (creating) {
    if (!in->name) return ValidationFailed("请填写企业名称 (name is required)", "name");
    if (!in->credit_code) return ValidationFailed("请填写统一社会信用代码 (credit_code is required)", "credit_code");
    if (!in->org_unit_id) return ValidationFailed("请选择所属单位 (org_unit_id is required)", "org_unit_id");
  }
  return Status::Ok();
}

// The input laid over `record` (the current enterprise, or defaults).
void Apply(EnterpriseInput in, storage::NewEnterprise& record) {
  if (in.name) record.name = std::move(*in.name);
  if (in.credit_code) record.credit_code = std::move(*in.credit_code);
  if (in.industry) record.industry = std::move(*in.industry);
  if (in.org_unit_id) record.org_unit_id = *in.org_unit_id;
  if (in.address) record.address = std::move(*in.address);
  if (in.legal_representative) record.legal_representative = std::move(*in.legal_representative);
  if (in.above_scale) record.above_scale = *in.above_scale;
  if (in.contacts) record.contacts = std::move(*in.contacts);
  if (in.tags) record.tags = std::move(*in.tags);
}

bool Visible(const http::Principal& p, const storage::Enterprise& e) {
  if (p.enterprise_id) return e.id == *p.enterprise_id;
  return InScope(p, e.org_unit_id, e.org_path, e.created_by && *e.created_by == p.user_id);
}

// An industry must be an active 行业 item ('' clears it).
Status CheckIndustry(db::Connection& conn, const std::string& code) {
  if (code.empty()) return Status::Ok();
  ZB_ASSIGN_OR_RETURN(auto items, storage::ListDictItems(conn, "industry", /*include_inactive=*/false));
  for (const auto& d : items) {
    if (d.code == code) return Status::Ok();
  }
  return ValidationFailed("行业编码 " + QuoteForMessage(code) + " 不在行业字典中 (unknown industry)", "industry");
}

Status Duplicate(const std::string& code) {
  return AlreadyExists("统一社会信用代码 " + code + " 已登记为其他企业 (credit code already registered)", "credit_code");
}

// The list's filters from the query, within the caller's scope (an
// enterprise user: their own enterprise only). Shared by the list and the
// export, so what is shown is what is exported.
StatusOr<storage::EnterpriseFilter> ListFilter(db::Connection& conn, const Request& req) {
  const http::Principal& p = *req.principal();
  storage::EnterpriseFilter f{.scope = ScopeSql(p)};
  if (p.enterprise_id) {
    f.scope.reset();
    f.only_id = *p.enterprise_id;
  }
  std::string keyword(req.Query("keyword").value_or(""));
  ZB_RETURN_IF_ERROR(ValidateLine(keyword, "keyword", "关键词", 100, true));
  f.keyword = keyword;
  if (auto v = req.Query("industry"); v && !v->empty()) f.industry = std::string(*v);
  if (auto v = req.Query("tag"); v && !v->empty()) f.tag = std::string(*v);
  if (req.Query("above_scale")) {
    ZB_ASSIGN_OR_RETURN(bool above, QueryBool(req, "above_scale", false));
    f.above_scale = above;
  }
  ZB_ASSIGN_OR_RETURN(auto unit_id, QueryId(req, "org_unit_id"));
  if (unit_id) {
    ZB_ASSIGN_OR_RETURN(auto unit, VisibleUnit(conn, p, *unit_id, "org_unit_id"));
    f.org_path_prefix = unit.path;
  }
  return f;
}

std::vector<http::QueryParamDoc> FilterDocs() {
  return {{.name = "keyword", .description = "企业名称或统一社会信用代码的一部分"},
          {.name = "org_unit_id", .type = "integer", .description = "此单位及其下级"},
          {.name = "industry", .description = "行业编码"},
          {.name = "above_scale", .type = "boolean", .description = "规上企业"},
          {.name = "tag", .description = "标签"}};
}

}  // namespace

Status CheckEnterprise(db::Connection& conn, const http::Principal& p, storage::NewEnterprise& e,
                       const storage::Enterprise* before) {
  ZB_RETURN_IF_ERROR(ValidateLine(e.name, "name", "企业名称", 100, false));
  e.credit_code = domain::NormalizeCreditCode(e.credit_code);
  ZB_RETURN_IF_ERROR(domain::ValidateCreditCode(e.credit_code));
  ZB_RETURN_IF_ERROR(ValidateLine(e.address, "address", "地址", 200, true));
  ZB_RETURN_IF_ERROR(ValidateLine(e.legal_representative, "legal_representative", "法定代表人", 30, true));
  if (e.contacts.size() > kMaxContacts) return ValidationFailed("联系人最多 20 个 (at most 20 contacts)", "contacts");
  for (size_t i = 0; i < e.contacts.size(); ++i) {
    auto& contact = e.contacts[i];
    const std::string field = "contacts[" + std::to_string(i) + "]";
    ZB_RETURN_IF_ERROR(ValidateLine(contact.name, field + ".name", "联系人姓名", 30, false));
    ZB_RETURN_IF_ERROR(ValidateLine(contact.title, field + ".title", "职务", 30, true));
    ZB_RETURN_IF_ERROR(ValidateLine(contact.phone, field + ".phone", "电话", 30, true));
    bool phone_ok = std::all_of(contact.phone.begin(), contact.phone.end(), [](char ch) {
      return (ch >= '0' && ch <= '9') || ch == '-' || ch == '+' || ch == ' ';
    });
    if (!phone_ok) return ValidationFailed("电话只能包含数字、空格和 - + (phone: digits, spaces, - and +)", field + ".phone");
  }
  std::vector<std::string> tags;
  for (std::string tag : e.tags) {
    ZB_RETURN_IF_ERROR(ValidateLine(tag, "tags", "标签", 20, false));
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
  }
  if (tags.size() > kMaxTags) return ValidationFailed("标签最多 20 个 (at most 20 tags)", "tags");
  e.tags = std::move(tags);
  // References: only what changed (an edit keeps a retired industry, or a
  // unit a 仅本人 user cannot place records in, that the record already has).
  if (!before || before->org_unit_id != e.org_unit_id) {
    ZB_RETURN_IF_ERROR(VisibleUnit(conn, p, e.org_unit_id, "org_unit_id").status());
  }
  if (!before || before->industry != e.industry) ZB_RETURN_IF_ERROR(CheckIndustry(conn, e.industry));
  return Status::Ok();
}

storage::NewEnterprise EnterpriseRecord(const storage::Enterprise& e) {
  return {.name = e.name,
          .credit_code = e.credit_code,
          .industry = e.industry,
          .org_unit_id = e.org_unit_id,
          .address = e.address,
          .legal_representative = e.legal_representative,
          .above_scale = e.above_scale,
          .created_by = e.created_by,
          .contacts = e.contacts,
          .tags = e.tags};
}

storage::EnterpriseChanges ChangesFor(const storage::NewEnterprise& e) {
  return {.name = e.name,
          .credit_code = e.credit_code,
          .industry = e.industry,
          .org_unit_id = e.org_unit_id,
          .address = e.address,
          .legal_representative = e.legal_representative,
          .above_scale = e.above_scale,
          .contacts = e.contacts,
          .tags = e.tags};
}

StatusOr<storage::Enterprise> VisibleEnterprise(db::Connection& conn, const http::Principal& p, int64_t id,
                                                std::string_view field) {
  auto e = storage::GetEnterprise(conn, id);
  if (e.status().code() == StatusCode::kNotFound || (e.ok() && !Visible(p, *e))) {
    return NotVisible("企业", "enterprise", field);
  }
  return e;
}

void RegisterEnterpriseRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kTag = "enterprises";

  router.Add("GET", "/api/v1/enterprises",
             {.summary = "企业库列表 (enterprises in your data scope)",
              .tag = kTag,
              .permission = "enterprise:read",
              .query = [] {
                auto q = FilterDocs();
                q.push_back({.name = "page", .type = "integer"});
                q.push_back({.name = "page_size", .type = "integer", .description = "默认 20,最多 1000"});
                return q;
              }(),
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"items", {{"type", "array"}, {"items", EnterpriseSchema()}}},
                                    {"total", {{"type", "integer"}}},
                                    {"page", {{"type", "integer"}}},
                                    {"page_size", {{"type", "integer"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Paging paging, QueryPaging(req));
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(storage::EnterpriseFilter f, ListFilter(*conn, req));
               f.page = paging.page;
               f.page_size = paging.page_size;
               ZB_ASSIGN_OR_RETURN(auto page, storage::ListEnterprises(*conn, f));
               ZB_ASSIGN_OR_RETURN(auto labels, IndustryLabels(*conn));
               Json items = Json::array();
               for (const auto& e : page.items) items.push_back(ToJson(e, LabelOf(labels, e.industry)));
               return Response::Json({{"items", std::move(items)},
                                      {"total", page.total},
                                      {"page", paging.page},
                                      {"page_size", paging.page_size}});
             });

  router.Add("GET", "/api/v1/enterprises/export",
             {.summary = "导出企业库 .xlsx,筛选条件与列表相同,至多 5 万家;导出记入操作日志 (export the enterprises)",
              .tag = kTag,
              .permission = "enterprise:read",
              .query = FilterDocs(),
              .success_content_type = kXlsxType},
             [&ctx](Request& req) -> StatusOr<Response> {
               // The filter line of the sheet names what was asked for, in Chinese.
               static const std::map<std::string, std::string> kNames = {
                   {"keyword", "关键词"}, {"org_unit_id", "属地"}, {"industry", "行业"},
                   {"above_scale", "规上企业"}, {"tag", "标签"}};
               Json given = GivenFilter(req, {"keyword", "org_unit_id", "industry", "above_scale", "tag"});
               std::vector<storage::Enterprise> firms;
               std::string bytes;
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(storage::EnterpriseFilter f, ListFilter(*conn, req));
                 f.page_size = storage::kMaxPageSize;
                 ZB_ASSIGN_OR_RETURN(firms, (CollectForExport<storage::Enterprise, storage::EnterprisePage>(
                                                [&](int64_t page) {
                                                  f.page = page;
                                                  return storage::ListEnterprises(*conn, f);
                                                },
                                                [](const storage::Enterprise& e) { return e.id; })));
                 ZB_ASSIGN_OR_RETURN(auto labels, IndustryLabels(*conn));
                 std::string filter_text;
                 for (const auto& [k, v] : given.items()) {
                   std::string value = v.get<std::string>();
                   if (k == "org_unit_id") {
                     if (auto u = storage::GetOrgUnit(*conn, std::atoll(value.c_str())); u.ok()) value = u->name;
                   }
                   if (k == "industry" && !LabelOf(labels, value).empty()) value = LabelOf(labels, value);
                   filter_text += (filter_text.empty() ? "" : "; ") + kNames.at(k) + "=" + value;
                 }
                 ZB_ASSIGN_OR_RETURN(bytes, ExportEnterprises(*conn, firms, filter_text, ctx.clock->NowMs()));
               }
               int64_t now = ctx.clock->NowMs();
               ZB_RETURN_IF_ERROR(RecordExport(ctx, req, now, "enterprise", given, firms.size()));
               return XlsxDownload(std::move(bytes), "企业库", "enterprises", now);
             });

  router.Add("GET", "/api/v1/enterprises/{id}",
             {.summary = "企业详情 (one enterprise)",
              .tag = kTag,
              .permission = "enterprise:read",
              .response_schema = EnterpriseSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto e, VisibleEnterprise(*conn, *req.principal(), id));
               ZB_ASSIGN_OR_RETURN(Json out, Render(*conn, e));
               return Response::Json(out);
             });

  router.Add("POST", "/api/v1/enterprises",
             {.summary = "新增企业 (register an enterprise)",
              .tag = kTag,
              .permission = "enterprise:write",
              .request_schema = InputSchema(true),
              .response_schema = EnterpriseSchema(),
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"name", "credit_code", "industry", "org_unit_id", "address",
                                                     "legal_representative", "above_scale", "contacts", "tags"}));
               EnterpriseInput in;
               ZB_RETURN_IF_ERROR(ReadInput(body, /*creating=*/true, &in));
               const http::Principal& p = *req.principal();
               storage::NewEnterprise row{.created_by = p.user_id};
               Apply(std::move(in), row);
               Json out;
               int64_t id = 0;
               int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_RETURN_IF_ERROR(CheckEnterprise(c, p, row));
                 ZB_ASSIGN_OR_RETURN(auto created, storage::CreateEnterprise(c, row, now));
                 id = created.id;
                 ZB_ASSIGN_OR_RETURN(out, Render(c, created));
                 return RecordAudit(c, req, now, "create", "enterprise", std::to_string(id), ChangedFields(nullptr, out));
               });
               if (s.code() == StatusCode::kAlreadyExists) return Duplicate(row.credit_code);
               ZB_RETURN_IF_ERROR(s);
               Response r = Response::Json(201, out);
               r.With("Location", "/api/v1/enterprises/" + std::to_string(id));
               return r;
             });

  router.Add("PATCH", "/api/v1/enterprises/{id}",
             {.summary = "修改企业信息,需带版本号 (update an enterprise; optimistic version)",
              .tag = kTag,
              .permission = "enterprise:write",
              .request_schema = InputSchema(false),
              .response_schema = EnterpriseSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               const http::Principal& p = *req.principal();
               {
                 // Out of scope is 404 whatever the body says.
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_RETURN_IF_ERROR(VisibleEnterprise(*conn, p, id).status());
               }
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"name", "credit_code", "industry", "org_unit_id", "address",
                                                     "legal_representative", "above_scale", "contacts", "tags",
                                                     "version"}));
               EnterpriseInput in;
               ZB_RETURN_IF_ERROR(ReadInput(body, /*creating=*/false, &in));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               Json out;
               std::string credit_code;
               int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto before, VisibleEnterprise(c, p, id));
                 storage::NewEnterprise record = EnterpriseRecord(before);
                 Apply(std::move(in), record);
                 ZB_RETURN_IF_ERROR(CheckEnterprise(c, p, record, &before));
                 credit_code = record.credit_code;
                 ZB_ASSIGN_OR_RETURN(auto labels, IndustryLabels(c));
                 Json before_json = ToJson(before, LabelOf(labels, before.industry));
                 ZB_ASSIGN_OR_RETURN(auto updated, storage::UpdateEnterprise(c, id, version, ChangesFor(record), now));
                 out = ToJson(updated, LabelOf(labels, updated.industry));
                 return RecordAudit(c, req, now, "update", "enterprise", std::to_string(id),
                                    ChangedFields(before_json, out));
               });
               if (s.code() == StatusCode::kVersionConflict) {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(auto current, storage::GetEnterprise(*conn, id));
                 ZB_ASSIGN_OR_RETURN(Json current_json, Render(*conn, current));
                 return Response::Error(VersionConflict("该企业信息已被他人修改(当前版本 " +
                                                        std::to_string(current.version) +
                                                        "),请刷新后再改 (changed by someone else)"),
                                        {{"current", current_json}});
               }
               if (s.code() == StatusCode::kAlreadyExists) return Duplicate(credit_code);
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(out);
             });
}

}  // namespace zb::api
