// 附件: uploaded files (migration 0007: attachments). The row keeps the
// name, type, size, hash, uploader and owner; the bytes live once per
// content under <data_dir>/attachments/ab/cd/<sha256> (ab, cd: the hash's
// first two byte pairs), so the same photo uploaded twice is stored once.
//
// Contract
// - An attachment starts unattached (owner_type ''); AttachToProgress
//   makes a progress entry its owner, AttachToProblemEvent a problem's
//   timeline entry (migration 0009). Only unattached attachments uploaded
//   by that user can be attached (NotFound naming "attachment_ids[i]"
//   otherwise: someone else's upload is as good as missing).
// - GetAttachment reads the row with the project of its owner (through the
//   progress entry) or the problem (through the timeline entry), for the
//   API's visibility check.
// - WriteAttachmentFile writes to a temporary file in the same directory and
//   renames it into place, so a reader never sees half a file; an existing
//   file of that hash is kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/db.h"

namespace zb::storage {

struct Attachment {
  int64_t id = 0;
  std::string sha256;  // lower-case hex
  std::string filename;
  std::string content_type;
  int64_t size = 0;
  std::optional<int64_t> uploaded_by;
  int64_t uploaded_at = 0;
  std::string owner_type;  // '' | node_progress | problem_event
  std::optional<int64_t> owner_id;
  std::optional<int64_t> project_id;  // read: the owner's project
  std::optional<int64_t> problem_id;  // read: the owner's problem (a timeline entry's)
  bool owner_internal = false;        // read: that entry is internal (内部备注)
};

StatusOr<Attachment> CreateAttachment(db::Connection& conn, const Attachment& a);
StatusOr<Attachment> GetAttachment(db::Connection& conn, int64_t id);  // NotFound "id"
StatusOr<std::vector<Attachment>> GetAttachments(db::Connection& conn, const std::vector<int64_t>& ids);
Status AttachToProgress(db::Connection& conn, const std::vector<int64_t>& ids, int64_t progress_id,
                        int64_t user_id);
Status AttachToProblemEvent(db::Connection& conn, const std::vector<int64_t>& ids, int64_t event_id,
                            int64_t user_id);

std::string AttachmentPath(std::string_view data_dir, std::string_view sha256);
Status WriteAttachmentFile(std::string_view data_dir, std::string_view sha256, std::string_view bytes);
StatusOr<std::string> ReadAttachmentFile(std::string_view data_dir, std::string_view sha256);

}  // namespace zb::storage
