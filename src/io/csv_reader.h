// Reading .csv files for imports, into the same rows as the xlsx reader
// (table.h): every cell is kText or kEmpty.
//
// Contract
// - Encoding: a UTF-8 BOM, or bytes that are valid UTF-8, mean UTF-8;
//   anything else is read as GB18030 (a superset of GBK, what Excel and WPS
//   save as "CSV" on a Chinese Windows) and converted to UTF-8 with iconv.
//   Bytes that are neither are kValidationFailed naming the line:
//   "CSV 第 3 行含无法识别的字节 0xFF … (line 3: …)".
// - RFC 4180: fields separated by commas, records by CRLF, LF or a lone CR;
//   a field starting with '"' is quoted: it may hold commas and line breaks,
//   and "" inside it is one '"'. Leniency as in Excel: a quote inside an
//   unquoted field is literal, text after a closing quote is appended.
//   A quote left open at the end of the file is kValidationFailed naming the
//   line it opened on (otherwise the rest of the file would silently become
//   one cell).
// - Row::number counts records (blank ones too), which is the row Excel shows
//   when it opens the file. At most 16 384 columns per record.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "io/table.h"

namespace zb::io {

enum class TextEncoding { kUtf8, kGb18030 };

// The bytes as UTF-8 (BOM dropped), and which encoding they were in.
StatusOr<std::string> CsvToUtf8(std::string_view bytes, TextEncoding* detected = nullptr);

// Parses UTF-8 CSV text, calling `sink` for each non-blank record.
Status ParseCsv(std::string_view text, const RowSink& sink);

// CsvToUtf8 then ParseCsv.
Status ReadCsv(std::string_view bytes, const RowSink& sink, TextEncoding* detected = nullptr);

}  // namespace zb::io
