// Writing .xlsx files for exports (审计日志, 登录日志, later the project
// ledgers): one sheet with a bold, frozen header row and rows of text,
// integer or date-time cells, over libxlsxwriter.
//
// Contract
// - Column widths follow the content (a CJK character counts as two), the
//   header included, between 8 and 60 characters.
// - Date-times are instants (epoch ms) shown in China time (+08:00) as
//   "yyyy-mm-dd hh:mm:ss" and stored as real Excel date-times, so they sort
//   and filter in Excel.
// - Text is made safe for the file: invalid UTF-8 becomes U+FFFD, control
//   characters other than tab and newlines are dropped, and text longer than
//   Excel's cell limit (32 767 characters) is cut at a character boundary.
// - Strings are stored inline (constant-memory mode), so a 50 000-row export
//   does not hold the sheet in memory twice.
// - The workbook goes through a private temporary file (mkstemp in the
//   system temp directory, removed before returning): Debian 12's
//   libxlsxwriter (1.1.4) cannot write to memory.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"

namespace zb::io {

struct XlsxDateTime {
  int64_t epoch_ms = 0;
};

// An empty cell, text, an integer or an instant.
using XlsxCell = std::variant<std::monostate, std::string, int64_t, XlsxDateTime>;
using XlsxRow = std::vector<XlsxCell>;

struct XlsxSheet {
  std::string name;                 // 1..31 characters, none of []:*?/\ and not starting or ending with '
  std::vector<std::string> header;  // the first row, bold and frozen
  std::vector<XlsxRow> rows;        // a row may be shorter than the header
};

// The bytes of a workbook holding `sheet`. kInternal for a bad sheet name
// (a programming error: names are constants) or when the file cannot be
// written.
StatusOr<std::string> WriteXlsx(const XlsxSheet& sheet);

}  // namespace zb::io
