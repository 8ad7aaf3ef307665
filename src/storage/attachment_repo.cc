#include "storage/attachment_repo.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <system_error>

#include "storage/scope_sql.h"

namespace zb::storage {

namespace {

namespace fs = std::filesystem;

#define ZB_ATTACHMENT_SELECT                                                                              \
  "SELECT a.id, a.sha256, a.filename, a.content_type, a.size, a.uploaded_by, a.uploaded_at, a.owner_type, " \
  "a.owner_id, g.project_id, pe.problem_id, pe.internal AS owner_internal FROM attachments a "             \
  "LEFT JOIN node_progress g ON a.owner_type = 'node_progress' AND g.id = a.owner_id "                    \
  "LEFT JOIN problem_events pe ON a.owner_type = 'problem_event' AND pe.id = a.owner_id"

Attachment FromRow(const db::Row& r) {
  Attachment a;
  a.id = r.Int("id");
  a.sha256 = r.Text("sha256");
  a.filename = r.Text("filename");
  a.content_type = r.Text("content_type");
  a.size = r.Int("size");
  a.uploaded_by = r.OptInt("uploaded_by");
  a.uploaded_at = r.Int("uploaded_at");
  a.owner_type = r.Text("owner_type");
  a.owner_id = r.OptInt("owner_id");
  a.project_id = r.OptInt("project_id");
  a.problem_id = r.OptInt("problem_id");
  a.owner_internal = r.Int("owner_internal") != 0;
  return a;
}

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

StatusOr<Attachment> CreateAttachment(db::Connection& conn, const Attachment& a) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO attachments (sha256, filename, content_type, size, "
                                              "uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                                              {a.sha256, a.filename, a.content_type, a.size, db::Opt(a.uploaded_by),
                                               a.uploaded_at}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  return GetAttachment(conn, row->Int("id"));
}

StatusOr<Attachment> GetAttachment(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_ATTACHMENT_SELECT " WHERE a.id = $1", {id}));
  if (!row) return NotFound("附件不存在", "id");
  return FromRow(*row);
}

StatusOr<std::vector<Attachment>> GetAttachments(db::Connection& conn, const std::vector<int64_t>& ids) {
  std::vector<Attachment> out;
  if (ids.empty()) return out;
  db::Params params;
  const std::string in = InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(ZB_ATTACHMENT_SELECT " WHERE a.id IN (" + in + ") ORDER BY a.id", params));
  for (const db::Row& row : r.rows) out.push_back(FromRow(row));
  return out;
}

namespace {

// Makes (owner_type, owner_id) the owner of the user's unattached uploads.
Status Attach(db::Connection& conn, const std::vector<int64_t>& ids, const char* owner_type, int64_t owner_id,
              int64_t user_id) {
  for (size_t i = 0; i < ids.size(); ++i) {
    ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE attachments SET owner_type = $4, owner_id = $2 "
                                                 "WHERE id = $1 AND owner_type = '' AND uploaded_by = $3",
                                                 {ids[i], owner_id, user_id, std::string(owner_type)}));
    if (r.affected == 0) {
      return NotFound("附件 " + std::to_string(ids[i]) + " 不存在或已被使用 (attachment missing or already attached)",
                      "attachment_ids[" + std::to_string(i) + "]");
    }
  }
  return Status();
}

}  // namespace

Status AttachToProgress(db::Connection& conn, const std::vector<int64_t>& ids, int64_t progress_id,
                        int64_t user_id) {
  return Attach(conn, ids, "node_progress", progress_id, user_id);
}

Status AttachToProblemEvent(db::Connection& conn, const std::vector<int64_t>& ids, int64_t event_id,
                            int64_t user_id) {
  return Attach(conn, ids, "problem_event", event_id, user_id);
}

std::string AttachmentPath(std::string_view data_dir, std::string_view sha256) {
  return (fs::path(data_dir) / "attachments" / std::string(sha256.substr(0, 2)) / std::string(sha256.substr(2, 2)) /
          std::string(sha256))
      .string();
}

Status WriteAttachmentFile(std::string_view data_dir, std::string_view sha256, std::string_view bytes) {
  if (!IsHex64(sha256)) return Internal("附件哈希无效 (bad sha256)");
  const fs::path path = AttachmentPath(data_dir, sha256);
  std::error_code ec;
  if (fs::exists(path, ec)) return Status();  // same content, stored already
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Internal("无法创建附件目录 " + path.parent_path().string() + ": " + ec.message());
  const fs::path tmp = path.string() + ".tmp" + std::to_string(std::random_device{}());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      return Internal("无法写入附件文件 " + tmp.string());
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Internal("无法保存附件文件 " + path.string());
  }
  return Status();
}

StatusOr<std::string> ReadAttachmentFile(std::string_view data_dir, std::string_view sha256) {
  if (!IsHex64(sha256)) return Internal("附件哈希无效 (bad sha256)");
  std::ifstream in(AttachmentPath(data_dir, sha256), std::ios::binary);
  if (!in) return Internal("附件文件缺失 (attachment file missing: " + std::string(sha256) + ")");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

#undef ZB_ATTACHMENT_SELECT

}  // namespace zb::storage
