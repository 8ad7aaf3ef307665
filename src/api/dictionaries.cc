// /api/v1/dict-items — the configurable dictionaries (行业, 产业板块,
// 项目类别): everyone signed in reads them (forms and filters need the
// labels), dict:write edits them. Codes never change once created: records
// refer to them; an item no longer wanted is retired (active = false).
#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/dictionaries.h"
#include "storage/dict_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

Json ToJson(const storage::DictItem& d) {
  return {{"id", d.id},
          {"dict_type", d.dict_type},
          {"code", d.code},
          {"label", d.label},
          {"sort_order", d.sort_order},
          {"active", d.active},
          {"version", d.version},
          {"created_at", FormatRfc3339(d.created_at)},
          {"updated_at", FormatRfc3339(d.updated_at)}};
}

Json ItemSchema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"dict_type", {{"type", "string"}, {"enum", {"industry", "board", "category"}}}},
            {"code", {{"type", "string"}}},
            {"label", {{"type", "string"}}},
            {"sort_order", {{"type", "integer"}}},
            {"active", {{"type", "boolean"}}},
            {"version", {{"type", "integer"}}},
            {"created_at", {{"type", "string"}, {"format", "date-time"}}},
            {"updated_at", {{"type", "string"}, {"format", "date-time"}}}}}};
}

// A dictionary code: 1–32 of [A-Za-z0-9_-], as records and imports carry it.
Status CheckCode(const std::string& code) {
  bool ok = !code.empty() && code.size() <= 32;
  for (char c : code) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
  }
  if (!ok) return ValidationFailed("编码应为 1–32 位字母、数字、下划线或连字符 (code: [A-Za-z0-9_-]{1,32})", "code");
  return Status::Ok();
}

StatusOr<std::string> CheckType(const std::string& type) {
  if (domain::IsKnownDictType(type)) return type;
  return ValidationFailed("字典类型应为 industry(行业)、board(产业板块)或 category(项目类别) (unknown dict_type)",
                          "dict_type");
}

// 409 naming which of code/label is taken. Both are unique per type, so the
// storage error names the pair of columns; the label's pair says "label".
Status Taken(const Status& s, const std::string& code, const std::string& label) {
  if (s.message().find("label") != std::string::npos) return AlreadyExists("名称「" + label + "」已在该字典中 (label already in use)", "label");
  return AlreadyExists("编码 " + code + " 已在该字典中 (code already in use)", "code");
}

}  // namespace

void RegisterDictionaryRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kTag = "dictionaries";

  router.Add("GET", "/api/v1/dict-items",
             {.summary = "数据字典:行业、产业板块、项目类别 (dictionary items)",
              .tag = kTag,
              .permission = std::string(http::kAuthenticated),
              .query = {{.name = "type", .description = "industry | board | category;不填为全部"},
                        {.name = "include_inactive", .type = "boolean", .description = "包含已停用项"}},
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"items", {{"type", "array"}, {"items", ItemSchema()}}},
                                    {"total", {{"type", "integer"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               std::string type(req.Query("type").value_or(""));
               if (!type.empty()) ZB_RETURN_IF_ERROR(CheckType(type).status());
               ZB_ASSIGN_OR_RETURN(bool inactive, QueryBool(req, "include_inactive", false));
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto items, storage::ListDictItems(*conn, type, inactive));
               Json out = Json::array();
               for (const auto& d : items) out.push_back(ToJson(d));
               size_t n = items.size();
               return Response::Json({{"items", std::move(out)}, {"total", n}, {"page", 1}, {"page_size", n}});
             });

  router.Add("POST", "/api/v1/dict-items",
             {.summary = "新增字典项 (add a dictionary item)",
              .tag = kTag,
              .permission = "dict:write",
              .request_schema = {{"type", "object"},
                                 {"additionalProperties", false},
                                 {"required", {"dict_type", "code", "label"}},
                                 {"properties",
                                  {{"dict_type", {{"type", "string"}}},
                                   {"code", {{"type", "string"}, {"maxLength", 32}}},
                                   {"label", {{"type", "string"}, {"maxLength", 50}}},
                                   {"sort_order", {{"type", "integer"}}}}}},
              .response_schema = ItemSchema(),
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"dict_type", "code", "label", "sort_order"}));
               std::optional<std::string> type, code, label;
               std::optional<int64_t> sort;
               ZB_RETURN_IF_ERROR(GetString(body, "dict_type", &type));
               ZB_RETURN_IF_ERROR(GetString(body, "code", &code));
               ZB_RETURN_IF_ERROR(GetString(body, "label", &label));
               ZB_RETURN_IF_ERROR(GetInt(body, "sort_order", &sort));
               if (!type) return ValidationFailed("请选择字典类型 (dict_type is required)", "dict_type");
               ZB_RETURN_IF_ERROR(CheckType(*type).status());
               if (!code) return ValidationFailed("请填写编码 (code is required)", "code");
               ZB_RETURN_IF_ERROR(CheckCode(*code));
               if (!label) return ValidationFailed("请填写名称 (label is required)", "label");
               ZB_RETURN_IF_ERROR(ValidateLine(*label, "label", "名称", 50, false));
               storage::DictItem created;
               int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(created, storage::CreateDictItem(c,
                                                                      {.dict_type = *type,
                                                                       .code = *code,
                                                                       .label = *label,
                                                                       .sort_order = sort.value_or(0)},
                                                                      now));
                 return RecordAudit(c, req, now, "create", "dict_item", std::to_string(created.id),
                                    ChangedFields(nullptr, ToJson(created)));
               });
               if (s.code() == StatusCode::kAlreadyExists) return Taken(s, *code, *label);
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(201, ToJson(created));
             });

  router.Add("PATCH", "/api/v1/dict-items/{id}",
             {.summary = "修改字典项名称、排序或停用,需带版本号 (relabel, reorder or retire an item)",
              .tag = kTag,
              .permission = "dict:write",
              .request_schema = {{"type", "object"},
                                 {"additionalProperties", false},
                                 {"properties",
                                  {{"label", {{"type", "string"}, {"maxLength", 50}}},
                                   {"sort_order", {{"type", "integer"}}},
                                   {"active", {{"type", "boolean"}}},
                                   {"version", {{"type", "integer"}, {"description", "or the If-Match header"}}}}}},
              .response_schema = ItemSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"label", "sort_order", "active", "version"}));
               storage::DictItemChanges ch;
               ZB_RETURN_IF_ERROR(GetString(body, "label", &ch.label));
               if (ch.label) ZB_RETURN_IF_ERROR(ValidateLine(*ch.label, "label", "名称", 50, false));
               ZB_RETURN_IF_ERROR(GetInt(body, "sort_order", &ch.sort_order));
               ZB_RETURN_IF_ERROR(GetBool(body, "active", &ch.active));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               storage::DictItem before, updated;
               int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(before, storage::GetDictItem(c, id));
                 ZB_ASSIGN_OR_RETURN(updated, storage::UpdateDictItem(c, id, version, ch, now));
                 return RecordAudit(c, req, now, "update", "dict_item", std::to_string(id),
                                    ChangedFields(ToJson(before), ToJson(updated)));
               });
               if (s.code() == StatusCode::kVersionConflict) {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(auto current, storage::GetDictItem(*conn, id));
                 return Response::Error(VersionConflict("该字典项已被他人修改,请刷新后再改 (changed by someone else)"),
                                        {{"current", ToJson(current)}});
               }
               if (s.code() == StatusCode::kAlreadyExists) return Taken(s, before.code, ch.label.value_or(""));
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(ToJson(updated));
             });
}

}  // namespace zb::api
