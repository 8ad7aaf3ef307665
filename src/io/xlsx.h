// Writing .xlsx files for exports (审计日志, 登录日志, 企业库, the 项目台账)
// and import templates, written by hand (io/zip_writer.h, zlib): sheets with optional title lines
// above a bold header, the title lines and the header frozen, and rows of
// text, integers, China times, plain dates and amounts in 万元.
//
// Contract
// - Title lines (XlsxSheet::title) come first, each merged across the
//   sheet's columns: the first bold, larger and centred (the ledger's
//   "莱山区重点项目台账"), the others plain and left-aligned (the filter and
//   the export time). Then the header row, bold. Everything down to the
//   header stays in view while scrolling (frozen panes).
// - Column widths are XlsxSheet::widths[c] (characters) where given and
//   positive, else follow the content (a CJK character counts as two), the
//   header included, between 8 and 60 characters. Title lines do not count.
// - Date-times are instants (epoch ms) shown in China time (+08:00) as
//   "yyyy-mm-dd hh:mm:ss"; XlsxDate is a calendar day shown "yyyy-mm-dd".
//   Both are real Excel dates (serial numbers with a date format), so they
//   sort and filter in Excel and read back as dates (io/xlsx_reader.h).
// - XlsxWan is an amount of yuan shown in 万元 with the number format
//   "#,##0.00". The cell holds the value yuan / 10000 with all its (at most
//   four) decimals and only displays two, so nothing is lost: read back as
//   Excel reads numbers, to 15 significant digits (ExcelNumberText), and
//   parsed with Money::Parse(…, default_unit = 万元), it gives the same yuan
//   for any amount below 10^15 yuan. (The XML holds the exact decimal,
//   "9999.9999", which reads as the same double as the quotient.)
// - Text is made safe for the file: invalid UTF-8 becomes U+FFFD, control
//   characters other than tab and newlines are dropped, and text longer than
//   Excel's cell limit (32 767 characters) is cut at a character boundary.
//   Text is always a text cell: "=cmd|' /C calc'!A0" stays text, never a
//   formula.
// - Strings are stored inline (t="inlineStr", no shared strings table):
//   XlsxWriter turns each row into XML as it is added and deflates the XML
//   in pieces of ~1 MiB, so a 200 000-row ledger is only ever held
//   compressed (WriteXlsx holds the rows it is given, nothing more). Empty
//   text is no cell at all.
// - The workbook is built in memory; no temporary file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace zb::io {

struct XlsxDateTime {
  int64_t epoch_ms = 0;
};

// A calendar day (计划开工 2026-03-01), shown "yyyy-mm-dd".
struct XlsxDate {
  Date date;
};

// Yuan shown in 万元, "#,##0.00" (see the contract: the stored value is exact).
struct XlsxWan {
  int64_t yuan = 0;
};

// An empty cell, text, an integer, an instant, a day or an amount.
using XlsxCell = std::variant<std::monostate, std::string, int64_t, XlsxDateTime, XlsxDate, XlsxWan>;
using XlsxRow = std::vector<XlsxCell>;

struct XlsxSheet {
  std::string name;                 // 1..31 characters, none of []:*?/\ and not starting or ending with '
  std::vector<std::string> title;   // lines above the header (may be empty)
  std::vector<std::string> header;  // bold; frozen with the title lines
  std::vector<double> widths;       // per column, in characters; missing or <= 0: from the content
  std::vector<XlsxRow> rows;        // a row may be shorter than the header
};

// The bytes of a workbook holding `sheet` / `sheets` (in order). kInternal for
// a bad sheet name (a programming error: names are constants) or when the
// file cannot be written.
StatusOr<std::string> WriteXlsx(const XlsxSheet& sheet);
StatusOr<std::string> WriteXlsxSheets(const std::vector<XlsxSheet>& sheets);

// A number cell's value as Excel shows it in the formula bar: 15
// significant digits, plain decimal notation (no exponent), no trailing
// zeros — "9999.9999" for the double nearest to it, "13812345678".
std::string ExcelNumberText(double value);

// Streaming: sheets one after the other, rows appended one at a time and
// compressed as they come. Widths not given in the
// sheet's head follow the header only (the rows are not known yet).
class XlsxWriter {
 public:
  static StatusOr<std::unique_ptr<XlsxWriter>> Create();
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  // Starts a sheet with head's name, title lines, header and widths, then
  // writes head.rows. Later AddRow calls go to this sheet.
  Status AddSheet(const XlsxSheet& head);
  // Appends a row to the current sheet (kInternal past Excel's 1 048 576 rows).
  Status AddRow(const XlsxRow& row);
  // Closes the workbook and returns its bytes; the writer is spent.
  StatusOr<std::string> Finish();

  struct Impl;

 private:
  explicit XlsxWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace zb::io
