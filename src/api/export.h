// Exports (.xlsx downloads) as every list route makes them: the same
// filters as the list ("what I see is what I export"), at most
// kMaxExportRows rows, the file named in Chinese with the day, and the export
// itself recorded in the audit log with its filter and row count.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "api/api.h"
#include "core/status.h"
#include "http/message.h"
#include "storage/scope_sql.h"

namespace zb::api {

inline constexpr int64_t kMaxExportRows = 50'000;
inline constexpr char kXlsxType[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// Every entry matching a filter, newest first, read a repository page at a
// time. Entries appended while reading push older ones down a page; their
// keys let each be taken once. More than kMaxExportRows is 422.
template <typename Item, typename Page>
StatusOr<std::vector<Item>> CollectForExport(const std::function<StatusOr<Page>(int64_t page)>& fetch,
                                             const std::function<int64_t(const Item&)>& key) {
  std::vector<Item> out;
  std::unordered_set<int64_t> seen;
  for (int64_t page = 1;; ++page) {
    ZB_ASSIGN_OR_RETURN(Page p, fetch(page));
    if (page == 1 && p.total > kMaxExportRows) {
      return ValidationFailed("符合条件的记录有 " + std::to_string(p.total) + " 条,超过单次导出上限 " +
                                  std::to_string(kMaxExportRows) + " 条,请缩小时间范围或增加筛选条件 " +
                              "(too many rows to export; narrow the filter)");
    }
    for (auto& item : p.items) {
      if (seen.insert(key(item)).second) out.push_back(std::move(item));
    }
    if (static_cast<int64_t>(p.items.size()) < storage::kMaxPageSize ||
        static_cast<int64_t>(out.size()) >= kMaxExportRows) {
      break;
    }
  }
  if (static_cast<int64_t>(out.size()) > kMaxExportRows) out.resize(kMaxExportRows);
  return out;
}


// The filter parameters as given, for the export's own audit entry.
http::Json GivenFilter(const http::Request& req, std::initializer_list<std::string_view> names);

// Records action "export" on `entity_type` with the filter and the row count.
Status RecordExport(ApiContext& ctx, const http::Request& req, int64_t now, std::string entity_type,
                    http::Json filter, size_t rows);

// The workbook as a download named "<zh_name>-YYYYMMDD.xlsx" (today in China);
// `ascii_name` for clients that ignore filename*.
http::Response XlsxDownload(std::string bytes, std::string_view zh_name, std::string_view ascii_name,
                            int64_t now_ms);

}  // namespace zb::api
