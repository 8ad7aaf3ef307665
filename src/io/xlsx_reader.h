// Reading .xlsx workbooks for imports (项目库, 企业库), over libzip and
// expat: Debian has no xlsx reader library.
//
// Contract
// - Open takes the file's bytes (kept by the reader, not copied) or a path.
//   It reads the workbook's sheet list, date system (date1904), styles and
//   shared strings; sheets are read later, one row at a time (table.h), by
//   streaming the sheet's XML through expat: a sheet is never held whole,
//   only the shared strings table is.
// - SheetNames(): the worksheets in workbook order (hidden ones included,
//   chart sheets not).
// - Cells: shared strings (rich-text runs joined, phonetic guides dropped),
//   inline strings and formula text results are kText; numbers are kNumber
//   with the text exactly as stored, so an 18-digit 统一社会信用代码 or phone
//   number stored as a number keeps its digits as far as the file has them;
//   booleans, errors; a number whose style is a date or time format
//   (built-in ids 14–22, 45–47 and the East Asian date ids 27–36 and 50–58
//   that Chinese Excel and WPS use, or a custom format with y/m/d/h/s outside
//   quotes and brackets) is kDate: serials in the 1900 system, with Excel's
//   fictitious 1900-02-29 (serial 60) read as 1900-03-01, or the 1904 system
//   when the workbook says so; rounded to the second.
// - Cell positions come from the r attributes ("AB12"); cells and rows
//   without one follow the previous one.
// - Errors are kValidationFailed (the file is user input) and name the
//   problem: "不是有效的 xlsx 文件 (not an xlsx file)" (with a hint for an old
//   .xls or encrypted workbook), "工作表不存在: X (no such sheet)", or
//   "xlsx 文件已损坏: <part> …" with the part name and, for XML, the line.
//   A part inflating beyond XlsxLimits::max_part_bytes or the reader inflating
//   more than XlsxLimits::max_total_bytes in all is kPayloadTooLarge (zip bombs).
// - Documents with a DOCTYPE are refused (no entity tricks in a workbook).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "io/table.h"

namespace zb::io {

// Caps on inflated bytes, against zip bombs.
struct XlsxLimits {
  uint64_t max_part_bytes = 512ull << 20;    // one XML part, uncompressed
  uint64_t max_total_bytes = 1024ull << 20;  // everything one reader inflates
};

class XlsxReader {
 public:
  static StatusOr<std::unique_ptr<XlsxReader>> Open(std::string bytes, XlsxLimits limits = {});
  static StatusOr<std::unique_ptr<XlsxReader>> OpenFile(const std::string& path, XlsxLimits limits = {});

  ~XlsxReader();
  XlsxReader(const XlsxReader&) = delete;
  XlsxReader& operator=(const XlsxReader&) = delete;

  const std::vector<std::string>& SheetNames() const;
  // Calls `sink` for each non-blank row of the named sheet, in file order.
  Status ReadSheet(std::string_view name, const RowSink& sink);
  // The same by position in SheetNames().
  Status ReadSheet(size_t index, const RowSink& sink);

  struct Impl;

 private:
  explicit XlsxReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace zb::io
