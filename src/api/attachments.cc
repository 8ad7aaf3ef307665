// /api/v1/attachments — 附件: photos and documents for progress entries and
// problems' timeline entries. Upload with node:progress or problem:write
// (multipart field `file`, ≤ 10 MiB, the type told by the content's magic
// bytes, not the name); download by the uploader, by anyone who sees the
// project the attachment belongs to, or by anyone who sees the problem
// whose timeline entry owns it (an enterprise user: not an internal
// entry's) — everyone else gets the 404 a missing one gets. Contract:
// docs/api-schedule.md "Attachments", docs/api-problems.md.
#include <cctype>
#include <string>
#include <string_view>

#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "api/problems.h"
#include "api/project_input.h"
#include "api/scope.h"
#include "domain/token.h"
#include "http/multipart.h"
#include "storage/attachment_repo.h"
#include "storage/project_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr char kTag[] = "attachments";
constexpr size_t kMaxAttachmentBytes = 10 * 1024 * 1024;

// The content type from the first bytes; "" for a type we do not take.
// .xlsx and .docx are both zip files: told apart by their parts' names
// (xl/… or word/…), which the zip's local headers carry in plain text.
std::string SniffContentType(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts("\x89PNG\r\n\x1A\n")) return "image/png";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (starts("RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP") return "image/webp";
  if (starts("%PDF-")) return "application/pdf";
  if (starts(std::string_view("PK\x03\x04", 4)) && b.find("[Content_Types].xml") != std::string_view::npos) {
    if (b.find("word/") != std::string_view::npos) {
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    }
    if (b.find("xl/") != std::string_view::npos) {
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
  }
  return "";
}

// The name as shown and offered back: no directories, no control
// characters, at most 200 bytes (cut at a UTF-8 boundary).
std::string CleanFilename(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F && c != '"') out += c;
  }
  if (out.size() > 200) {
    size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out.empty() ? "附件" : out;
}

// Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 name.
std::string ContentDisposition(const std::string& filename, bool inline_view) {
  std::string ascii, encoded;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : filename) {
    ascii += (c < 0x80 && c != '\\') ? static_cast<char>(c) : '_';
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return std::string(inline_view ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" +
         encoded;
}

Json ToJson(const storage::Attachment& a) {
  return {{"id", a.id},
          {"filename", a.filename},
          {"content_type", a.content_type},
          {"size", a.size},
          {"sha256", a.sha256},
          {"uploaded_at", FormatRfc3339(a.uploaded_at)}};
}

// The uploaded file part: exactly one, named `file`.
StatusOr<http::MultipartPart> FilePart(const Request& req) {
  std::string_view type = req.Header("Content-Type");
  std::string lower(type.substr(0, type.find(';')));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != "multipart/form-data") {
    return Status(StatusCode::kUnsupportedMediaType,
                  "请以 multipart/form-data 上传,文件放在 file 字段 (upload as multipart/form-data, field file)",
                  "Content-Type");
  }
  ZB_ASSIGN_OR_RETURN(std::string boundary, http::MultipartBoundary(type));
  ZB_ASSIGN_OR_RETURN(auto parts, http::ParseMultipart(req.body(), boundary));
  std::optional<http::MultipartPart> file;
  for (auto& part : parts) {
    if (part.name != "file") {
      return ValidationFailed("未知的表单字段 " + part.name + ",文件应放在 file 字段 (unknown form field)", part.name);
    }
    if (file) return ValidationFailed("一次只能上传一个文件 (one file at a time)", "file");
    file = part;
  }
  if (!file) return ValidationFailed("请上传文件:表单字段 file (no file field)", "file");
  if (file->content.empty()) return ValidationFailed("上传的文件是空的 (the file is empty)", "file");
  return *file;
}

}  // namespace

void RegisterAttachmentRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("POST", "/api/v1/attachments",
             {.summary = "上传附件(≤ 10 MiB;jpeg/png/webp/gif/pdf/xlsx/docx,按内容识别),填报进度或办理问题时引用 "
                         "(upload a file for a progress entry or a problem's action)",
              .tag = kTag,
              // node:progress or problem:write, checked below (a route names one permission)
              .permission = "authenticated",
              .request_schema = {{"type", "object"},
                                 {"description", "multipart/form-data,字段 file"},
                                 {"properties", {{"file", {{"type", "string"}, {"format", "binary"}}}}}},
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"id", {{"type", "integer"}}},
                                    {"filename", {{"type", "string"}}},
                                    {"content_type", {{"type", "string"}}},
                                    {"size", {{"type", "integer"}}},
                                    {"sha256", {{"type", "string"}}},
                                    {"uploaded_at", {{"type", "string"}, {"format", "date-time"}}}}}},
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               if (!req.principal()->Has("node:progress") && !req.principal()->Has("problem:write")) {
                 return Forbidden("没有权限:node:progress 或 problem:write (permission required)");
               }
               ZB_ASSIGN_OR_RETURN(http::MultipartPart part, FilePart(req));
               if (part.content.size() > kMaxAttachmentBytes) {
                 return Status(StatusCode::kPayloadTooLarge, "附件不能超过 10 MiB (the file is over 10 MiB)", "file");
               }
               std::string type = SniffContentType(part.content);
               if (type.empty()) {
                 return Status(StatusCode::kUnsupportedMediaType,
                               "只能上传 jpeg、png、webp、gif 图片或 pdf、xlsx、docx 文件 (unsupported file type)", "file");
               }
               storage::Attachment a{.sha256 = domain::Sha256Hex(part.content),
                                     .filename = CleanFilename(part.filename),
                                     .content_type = type,
                                     .size = static_cast<int64_t>(part.content.size()),
                                     .uploaded_by = req.principal()->user_id,
                                     .uploaded_at = ctx.clock->NowMs()};
               // The file first: a row never names bytes that are not there
               // (a file without a row is harmless and reused by the next upload).
               ZB_RETURN_IF_ERROR(storage::WriteAttachmentFile(ctx.data_dir, a.sha256, part.content));
               Json out;
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto created, storage::CreateAttachment(c, a));
                 out = ToJson(created);
                 return RecordAudit(c, req, a.uploaded_at, "attachment.upload", "attachment",
                                    std::to_string(created.id), ChangedFields(nullptr, out));
               }));
               Response r = Response::Json(201, out);
               r.With("Location", "/api/v1/attachments/" + std::to_string(out["id"].get<int64_t>()));
               return r;
             });

  router.Add("GET", "/api/v1/attachments/{id}",
             {.summary = "下载附件:上传者或能看到所属项目的用户 (download; the uploader or who sees the project)",
              .tag = kTag,
              .permission = "authenticated",
              .success_content_type = "application/octet-stream"},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               auto a = storage::GetAttachment(*conn, id);
               if (a.status().code() == StatusCode::kNotFound) return NotVisible("附件", "attachment");
               ZB_RETURN_IF_ERROR(a.status());
               bool visible = a->uploaded_by && *a->uploaded_by == p.user_id;
               if (!visible && a->project_id && p.Has("project:read")) {
                 auto project = storage::GetProject(*conn, *a->project_id);
                 visible = project.ok() && ProjectVisible(p, *project);
               }
               if (!visible && a->problem_id && p.Has("problem:read") && !(p.enterprise_id && a->owner_internal)) {
                 auto problem = storage::GetProblem(*conn, *a->problem_id);
                 visible = problem.ok() && ProblemVisible(p, *problem);
               }
               if (!visible) return NotVisible("附件", "attachment");
               ZB_ASSIGN_OR_RETURN(std::string bytes, storage::ReadAttachmentFile(ctx.data_dir, a->sha256));
               const bool inline_view = a->content_type.starts_with("image/") || a->content_type == "application/pdf";
               Response r = Response::Text(200, std::move(bytes), a->content_type);
               r.With("Content-Disposition", ContentDisposition(a->filename, inline_view));
               r.With("X-Content-Type-Options", "nosniff");
               r.With("Cache-Control", "private, max-age=3600");
               return r;
             });
}

}  // namespace zb::api
