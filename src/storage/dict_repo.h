// Configurable dictionaries in the database: table dict_items (migration
// 0003). Each item is (dict_type, code, label): records store the code,
// people see and type the label. Types: industry 行业, board 产业板块,
// category 项目类别.
//
// Reads take pool.Read(), writes a Tx (each write is one statement). The
// SQL is the same on SQLite and PostgreSQL. Times are epoch milliseconds
// supplied by the caller. Input is assumed validated (type known, code and
// label non-empty); the database enforces (type, code) and (type, label)
// uniqueness.
//
// Errors: NotFound("字典项不存在", "id"); AlreadyExists (field "code" or
// "label") for a duplicate within the type; VersionConflict when stale.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"

namespace zb::storage {

struct DictItem {
  int64_t id = 0;
  std::string dict_type;
  std::string code;
  std::string label;
  int64_t sort_order = 0;
  bool active = true;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct NewDictItem {
  std::string dict_type;
  std::string code;
  std::string label;
  int64_t sort_order = 0;
};

struct DictItemChanges {
  std::optional<std::string> label;
  std::optional<int64_t> sort_order;
  std::optional<bool> active;
};

StatusOr<DictItem> CreateDictItem(db::Connection& conn, const NewDictItem& in, int64_t now_ms);

StatusOr<DictItem> GetDictItem(db::Connection& conn, int64_t id);

// The items of one type (all types when empty), inactive ones only when
// asked; ordered by type, sort_order, id.
StatusOr<std::vector<DictItem>> ListDictItems(db::Connection& conn, const std::string& dict_type,
                                              bool include_inactive);

// Applies `changes` if the item is still at `expected_version`. The code
// never changes: records refer to it.
StatusOr<DictItem> UpdateDictItem(db::Connection& conn, int64_t id, int64_t expected_version,
                                  const DictItemChanges& changes, int64_t now_ms);

}  // namespace zb::storage
