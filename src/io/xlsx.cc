#include "io/xlsx.h"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include "core/date.h"
#include "core/money.h"

namespace zb::io {

namespace {

constexpr size_t kMaxCellChars = 32'767;  // Excel's limit per cell
constexpr double kMinWidth = 8, kMaxWidth = 60;

// Decodes one UTF-8 sequence at s[*i]; advances *i. U+FFFD for an invalid
// or truncated sequence (one byte consumed), so any input decodes.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(*i);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 1) return s[(*i)++];
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = c & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) {
    if ((b(*i + k) & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(*i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid too.
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    ++*i;
    return 0xFFFD;
  }
  *i += len;
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Text as the file may hold it (see the contract), and its display width:
// the widest line, East Asian characters counting two columns.
struct CleanText {
  std::string text;
  double width = 0;
};

CleanText Clean(std::string_view in) {
  CleanText out;
  out.text.reserve(in.size());
  size_t chars = 0;
  double line = 0;
  for (size_t i = 0; i < in.size() && chars < kMaxCellChars;) {
    char32_t cp = NextCodePoint(in, &i);
    // XML 1.0 allows no other C0 controls; U+FFFE/U+FFFF are not characters.
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) continue;
    AppendUtf8(out.text, cp);
    ++chars;
    if (cp == '\n') {
      line = 0;
      continue;
    }
    line += cp >= 0x1100 ? 2 : 1;
    out.width = std::max(out.width, line);
  }
  return out;
}

// The instant as the wall-clock time in China that Excel stores.
lxw_datetime ChinaTime(int64_t epoch_ms) {
  Date d = LocalDate(epoch_ms);
  int64_t in_day = epoch_ms - StartOfDayMs(d);
  return {d.year(), d.month(), d.day(), static_cast<int>(in_day / 3'600'000), static_cast<int>(in_day / 60'000 % 60),
          static_cast<double>(in_day % 60'000) / 1000.0};
}

// A private temporary file, removed when this goes out of scope.
class TempFile {
 public:
  TempFile() {
    std::error_code ec;
    std::string dir = std::filesystem::temp_directory_path(ec).string();
    if (ec || dir.empty()) dir = "/tmp";
    path_ = dir + "/zb-export-XXXXXX.xlsx";
    int fd = ::mkstemps(path_.data(), 5);  // created 0600, name unique
    if (fd < 0) {
      path_.clear();
    } else {
      ::close(fd);
    }
  }
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Display width of the amount as "#,##0.00" shows it.
double WanWidth(int64_t yuan) {
  std::string s = FormatWan(Money::FromYuan(yuan), 2);
  size_t digits = s.find('.') - (s[0] == '-' ? 1 : 0);
  return static_cast<double>(s.size() + (digits - 1) / 3);
}

// The width a cell's content needs (text already cleaned into `text`).
double CellWidth(const XlsxCell& cell, const std::string& text) {
  if (std::holds_alternative<std::string>(cell)) return Clean(text).width;
  if (const auto* n = std::get_if<int64_t>(&cell)) return static_cast<double>(std::to_string(*n).size());
  if (std::holds_alternative<XlsxDateTime>(cell)) return 19;  // yyyy-mm-dd hh:mm:ss
  if (std::holds_alternative<XlsxDate>(cell)) return 10;      // yyyy-mm-dd
  if (const auto* w = std::get_if<XlsxWan>(&cell)) return WanWidth(w->yuan);
  return 0;
}

}  // namespace

struct XlsxWriter::Impl {
  TempFile file;
  lxw_workbook* wb = nullptr;
  lxw_format* bold = nullptr;
  lxw_format* title = nullptr;
  lxw_format* subtitle = nullptr;
  lxw_format* when = nullptr;
  lxw_format* day = nullptr;
  lxw_format* wan = nullptr;
  lxw_worksheet* ws = nullptr;
  uint32_t next_row = 0;
  lxw_error err = LXW_NO_ERROR;

  ~Impl() {
    if (wb) workbook_close(wb);  // frees it; the file is removed with `file`
  }
  void Keep(lxw_error e) {
    if (err == LXW_NO_ERROR) err = e;
  }
  Status Error(const char* what) const {
    return Internal(std::string(what) + ": " + lxw_strerror(err));
  }

  void WriteCell(lxw_row_t row, lxw_col_t col, const XlsxCell& cell) {
    if (const auto* s = std::get_if<std::string>(&cell)) {
      // Empty strings are written as nothing: Excel shows a blank either way.
      // worksheet_write_string never makes a formula, whatever the text.
      CleanText t = Clean(*s);
      if (!t.text.empty()) Keep(worksheet_write_string(ws, row, col, t.text.c_str(), nullptr));
    } else if (const auto* n = std::get_if<int64_t>(&cell)) {
      Keep(worksheet_write_number(ws, row, col, static_cast<double>(*n), nullptr));
    } else if (const auto* t = std::get_if<XlsxDateTime>(&cell)) {
      lxw_datetime dt = ChinaTime(t->epoch_ms);
      Keep(worksheet_write_datetime(ws, row, col, &dt, when));
    } else if (const auto* d = std::get_if<XlsxDate>(&cell)) {
      lxw_datetime dt = {d->date.year(), d->date.month(), d->date.day(), 0, 0, 0};
      Keep(worksheet_write_datetime(ws, row, col, &dt, day));
    } else if (const auto* w = std::get_if<XlsxWan>(&cell)) {
      // The exact quotient: IEEE division is correctly rounded, and printing
      // 16 significant digits gives back the decimal (see the contract).
      Keep(worksheet_write_number(ws, row, col, static_cast<double>(w->yuan) / 10'000.0, wan));
    }
  }
};

XlsxWriter::XlsxWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxWriter::~XlsxWriter() = default;

StatusOr<std::unique_ptr<XlsxWriter>> XlsxWriter::Create() {
  auto impl = std::make_unique<Impl>();
  if (impl->file.path().empty()) return Internal("无法创建导出临时文件 (cannot create a temporary file)");
  lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = nullptr, .use_zip64 = LXW_FALSE};
  impl->wb = workbook_new_opt(impl->file.path().c_str(), &options);
  if (!impl->wb) return Internal("无法创建导出文件 (cannot create the workbook)");
  impl->bold = workbook_add_format(impl->wb);
  format_set_bold(impl->bold);
  impl->title = workbook_add_format(impl->wb);
  format_set_bold(impl->title);
  format_set_font_size(impl->title, 16);
  format_set_align(impl->title, LXW_ALIGN_CENTER);
  format_set_align(impl->title, LXW_ALIGN_VERTICAL_CENTER);
  impl->subtitle = workbook_add_format(impl->wb);
  format_set_align(impl->subtitle, LXW_ALIGN_LEFT);
  format_set_align(impl->subtitle, LXW_ALIGN_VERTICAL_CENTER);
  impl->when = workbook_add_format(impl->wb);
  format_set_num_format(impl->when, "yyyy-mm-dd hh:mm:ss");
  impl->day = workbook_add_format(impl->wb);
  format_set_num_format(impl->day, "yyyy-mm-dd");
  impl->wan = workbook_add_format(impl->wb);
  format_set_num_format(impl->wan, "#,##0.00");
  return std::unique_ptr<XlsxWriter>(new XlsxWriter(std::move(impl)));
}

Status XlsxWriter::AddSheet(const XlsxSheet& head) {
  Impl& m = *impl_;
  if (!m.wb) return Internal("导出文件已关闭 (the workbook is closed)");
  if (head.header.size() > LXW_COL_MAX) return Internal("导出列数超出 Excel 上限 (too many columns)");
  if (workbook_validate_sheet_name(m.wb, head.name.c_str()) != LXW_NO_ERROR) {
    return Internal("工作表名称无效 (invalid sheet name): " + head.name);
  }
  m.ws = workbook_add_worksheet(m.wb, head.name.c_str());
  if (!m.ws) return Internal("无法添加工作表 (cannot add a sheet): " + head.name);
  m.next_row = 0;

  size_t columns = std::max(head.header.size(), head.widths.size());
  for (const auto& row : head.rows) columns = std::max(columns, row.size());
  for (size_t c = 0; c < columns; ++c) {
    double w = c < head.widths.size() ? head.widths[c] : 0;
    if (w <= 0) {
      if (c < head.header.size()) w = Clean(head.header[c]).width;
      for (const auto& row : head.rows) {
        if (c < row.size()) {
          const auto* s = std::get_if<std::string>(&row[c]);
          w = std::max(w, CellWidth(row[c], s ? *s : std::string()));
        }
      }
      w = std::clamp(w + 2, kMinWidth, kMaxWidth);
    }
    m.Keep(worksheet_set_column(m.ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w, nullptr));
  }

  // Title lines, each merged across the columns (one column: just the cell).
  const auto last_col = static_cast<lxw_col_t>(columns > 0 ? columns - 1 : 0);
  for (size_t i = 0; i < head.title.size(); ++i) {
    auto row = static_cast<lxw_row_t>(m.next_row++);
    lxw_format* f = i == 0 ? m.title : m.subtitle;
    m.Keep(worksheet_set_row(m.ws, row, i == 0 ? 30 : 18, nullptr));
    std::string text = Clean(head.title[i]).text;
    if (last_col > 0) {
      m.Keep(worksheet_merge_range(m.ws, row, 0, row, last_col, text.c_str(), f));
    } else {
      m.Keep(worksheet_write_string(m.ws, row, 0, text.c_str(), f));
    }
  }
  for (size_t c = 0; c < head.header.size(); ++c) {
    m.Keep(worksheet_write_string(m.ws, static_cast<lxw_row_t>(m.next_row), static_cast<lxw_col_t>(c),
                                  Clean(head.header[c]).text.c_str(), m.bold));
  }
  ++m.next_row;
  worksheet_freeze_panes(m.ws, static_cast<lxw_row_t>(m.next_row), 0);
  for (const auto& row : head.rows) ZB_RETURN_IF_ERROR(AddRow(row));
  return m.err == LXW_NO_ERROR ? Status::Ok() : m.Error("写入导出文件失败 (cannot write the workbook)");
}

Status XlsxWriter::AddRow(const XlsxRow& row) {
  Impl& m = *impl_;
  if (!m.ws) return Internal("没有工作表 (AddSheet first)");
  if (m.next_row >= LXW_ROW_MAX) return Internal("导出行数超出 Excel 上限 (too many rows for one sheet)");
  auto r = static_cast<lxw_row_t>(m.next_row++);
  for (size_t c = 0; c < row.size() && c < LXW_COL_MAX; ++c) m.WriteCell(r, static_cast<lxw_col_t>(c), row[c]);
  return m.err == LXW_NO_ERROR ? Status::Ok() : m.Error("写入导出文件失败 (cannot write the workbook)");
}

StatusOr<std::string> XlsxWriter::Finish() {
  Impl& m = *impl_;
  if (!m.wb) return Internal("导出文件已关闭 (the workbook is closed)");
  // workbook_close frees the workbook whatever happens; call it exactly once.
  m.Keep(workbook_close(m.wb));
  m.wb = nullptr;
  m.ws = nullptr;
  if (m.err != LXW_NO_ERROR) return m.Error("写入导出文件失败 (cannot write the workbook)");
  std::ifstream in(m.file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return Internal("无法读回导出文件 (cannot read the workbook back)");
  return bytes;
}

StatusOr<std::string> WriteXlsxSheets(const std::vector<XlsxSheet>& sheets) {
  ZB_ASSIGN_OR_RETURN(auto writer, XlsxWriter::Create());
  for (const auto& sheet : sheets) {
    if (sheet.rows.size() + sheet.title.size() + 1 > LXW_ROW_MAX) {
      return Internal("导出行数超出 Excel 上限 (too many rows for one sheet)");
    }
    ZB_RETURN_IF_ERROR(writer->AddSheet(sheet));
  }
  return writer->Finish();
}

std::string ExcelNumberText(double value) {
  if (!std::isfinite(value)) return "0";
  if (value == 0) return "0";
  // Digits after the point so that 15 significant digits are printed.
  int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  int decimals = std::clamp(14 - magnitude, 0, 330);
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

StatusOr<std::string> WriteXlsx(const XlsxSheet& sheet) { return WriteXlsxSheets({sheet}); }

}  // namespace zb::io
