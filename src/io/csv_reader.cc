#include "io/csv_reader.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace zb::io {
namespace {

constexpr size_t kMaxColumns = 16384;  // as in Excel
constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Offset of the first byte that is not part of valid UTF-8 (no overlongs,
// surrogates or code points above U+10FFFF), or npos.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < lo || second > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

Status UndecodableByte(std::string_view bytes, size_t at) {
  size_t line = 1 + static_cast<size_t>(std::count(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(at), '\n'));
  char hex[8];
  snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(bytes[at]));
  return ValidationFailed("CSV 第 " + std::to_string(line) + " 行含无法识别的字节 " + hex +
                          "，请另存为 UTF-8 或 GBK 编码 (line " + std::to_string(line) + ": byte " + hex +
                          " is neither UTF-8 nor GBK)");
}

// GB18030 → UTF-8; on failure, `failed_at` is the offset of the first byte
// iconv could not convert.
StatusOr<std::string> Gb18030ToUtf8(std::string_view bytes, size_t& failed_at) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) return Internal("iconv 不支持 GB18030 (iconv lacks GB18030)");
  std::unique_ptr<void, int (*)(iconv_t)> closer(cd, iconv_close);
  std::string out(bytes.size() + bytes.size() / 2 + 16, '\0');  // two GBK bytes become three UTF-8 bytes
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* o = out.data();
  size_t out_left = out.size();
  while (in_left > 0) {
    if (iconv(cd, &in, &in_left, &o, &out_left) != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      size_t used = static_cast<size_t>(o - out.data());
      out.resize(out.size() * 2);
      o = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    failed_at = static_cast<size_t>(in - bytes.data());  // EILSEQ, or EINVAL: cut off at the end
    return ValidationFailed("not GB18030");
  }
  out.resize(static_cast<size_t>(o - out.data()));
  return out;
}

}  // namespace

StatusOr<std::string> CsvToUtf8(std::string_view bytes, TextEncoding* detected) {
  if (detected) *detected = TextEncoding::kUtf8;
  if (bytes.starts_with(kBom)) {
    size_t bad = FirstInvalidUtf8(bytes.substr(kBom.size()));
    if (bad != std::string_view::npos) return UndecodableByte(bytes, bad + kBom.size());
    return std::string(bytes.substr(kBom.size()));
  }
  size_t bad_utf8 = FirstInvalidUtf8(bytes);
  if (bad_utf8 == std::string_view::npos) return std::string(bytes);
  size_t bad_gb = 0;
  auto converted = Gb18030ToUtf8(bytes, bad_gb);
  if (!converted.ok()) {
    if (converted.status().code() == StatusCode::kInternal) return converted.status();
    // Neither: the encoding that got further is most likely the file's, so
    // its failure is the byte to show.
    return UndecodableByte(bytes, std::max(bad_utf8, bad_gb));
  }
  if (detected) *detected = TextEncoding::kGb18030;
  return converted;
}

Status ParseCsv(std::string_view text, const RowSink& sink) {
  Row row;
  row.number = 1;
  size_t column = 0;
  std::string field;
  size_t line = 1;  // physical line, for the open-quote message
  size_t i = 0;
  const size_t n = text.size();
  for (;;) {
    field.clear();
    if (i < n && text[i] == '"') {
      size_t opened = line;
      ++i;
      for (;;) {
        if (i >= n) {
          return ValidationFailed("CSV 第 " + std::to_string(opened) + " 行的引号没有闭合 (line " +
                                  std::to_string(opened) + ": unterminated quote)");
        }
        char c = text[i++];
        if (c == '"') {
          if (i < n && text[i] == '"') {
            field += '"';
            ++i;
            continue;
          }
          break;
        }
        if (c == '\r' && i < n && text[i] == '\n') continue;  // CRLF inside a cell becomes LF, as Excel stores it
        if (c == '\n' || c == '\r') ++line;
        field += c;
      }
    }
    size_t start = i;
    while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') ++i;
    field.append(text.substr(start, i - start));

    if (column >= kMaxColumns) {
      return ValidationFailed("CSV 第 " + std::to_string(row.number) + " 行超过 16384 列 (record " +
                              std::to_string(row.number) + ": more than 16384 columns)");
    }
    if (!field.empty()) {
      row.cells.resize(column + 1);
      row.cells[column].kind = CellKind::kText;
      row.cells[column].text = field;
    }
    ++column;
    if (i < n && text[i] == ',') {
      ++i;
      continue;
    }

    // End of the record: a line break or the end of the text.
    if (!row.cells.empty()) ZB_RETURN_IF_ERROR(sink(row));
    if (i >= n) return Status::Ok();
    i += (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
    ++line;
    if (i >= n) return Status::Ok();  // a final line break does not start an empty record
    ++row.number;
    row.cells.clear();
    column = 0;
  }
}

Status ReadCsv(std::string_view bytes, const RowSink& sink, TextEncoding* detected) {
  ZB_ASSIGN_OR_RETURN(std::string text, CsvToUtf8(bytes, detected));
  return ParseCsv(text, sink);
}

}  // namespace zb::io
