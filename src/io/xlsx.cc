#include "io/xlsx.h"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include "core/date.h"

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

}  // namespace

StatusOr<std::string> WriteXlsx(const XlsxSheet& sheet) {
  if (sheet.rows.size() + 1 > LXW_ROW_MAX) return Internal("导出行数超出 Excel 上限 (too many rows for one sheet)");
  if (sheet.header.size() > LXW_COL_MAX) return Internal("导出列数超出 Excel 上限 (too many columns)");
  TempFile file;
  if (file.path().empty()) return Internal("无法创建导出临时文件 (cannot create a temporary file)");

  // Clean every text first: the widths must be set before the rows are
  // written in constant-memory mode.
  size_t columns = sheet.header.size();
  for (const auto& row : sheet.rows) columns = std::max(columns, row.size());
  std::vector<double> widths(columns, 0);
  std::vector<std::string> header;
  for (size_t c = 0; c < sheet.header.size(); ++c) {
    CleanText t = Clean(sheet.header[c]);
    widths[c] = t.width;
    header.push_back(std::move(t.text));
  }
  std::vector<std::vector<std::string>> texts(sheet.rows.size());
  for (size_t r = 0; r < sheet.rows.size(); ++r) {
    const XlsxRow& row = sheet.rows[r];
    texts[r].resize(row.size());
    for (size_t c = 0; c < row.size(); ++c) {
      double w = 0;
      if (const auto* s = std::get_if<std::string>(&row[c])) {
        CleanText t = Clean(*s);
        w = t.width;
        texts[r][c] = std::move(t.text);
      } else if (const auto* n = std::get_if<int64_t>(&row[c])) {
        w = static_cast<double>(std::to_string(*n).size());
      } else if (std::holds_alternative<XlsxDateTime>(row[c])) {
        w = 19;  // yyyy-mm-dd hh:mm:ss
      }
      widths[c] = std::max(widths[c], w);
    }
  }

  lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = nullptr, .use_zip64 = LXW_FALSE};
  lxw_workbook* wb = workbook_new_opt(file.path().c_str(), &options);
  if (!wb) return Internal("无法创建导出文件 (cannot create the workbook)");
  // workbook_close frees the workbook whatever happens; call it exactly once.
  auto close = [&wb]() {
    lxw_error err = workbook_close(wb);
    wb = nullptr;
    return err;
  };
  if (workbook_validate_sheet_name(wb, sheet.name.c_str()) != LXW_NO_ERROR) {
    close();
    return Internal("工作表名称无效 (invalid sheet name): " + sheet.name);
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* when = workbook_add_format(wb);
  format_set_num_format(when, "yyyy-mm-dd hh:mm:ss");

  for (size_t c = 0; c < columns; ++c) {
    double w = std::clamp(widths[c] + 2, kMinWidth, kMaxWidth);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w, nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);

  lxw_error err = LXW_NO_ERROR;
  auto keep = [&err](lxw_error e) {
    if (err == LXW_NO_ERROR) err = e;
  };
  for (size_t c = 0; c < header.size(); ++c) {
    keep(worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].c_str(), bold));
  }
  for (size_t r = 0; r < sheet.rows.size(); ++r) {
    auto row = static_cast<lxw_row_t>(r + 1);
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      auto col = static_cast<lxw_col_t>(c);
      const XlsxCell& cell = sheet.rows[r][c];
      if (std::holds_alternative<std::string>(cell)) {
        // Empty strings are written as nothing: Excel shows a blank either way.
        if (!texts[r][c].empty()) keep(worksheet_write_string(ws, row, col, texts[r][c].c_str(), nullptr));
      } else if (const auto* n = std::get_if<int64_t>(&cell)) {
        keep(worksheet_write_number(ws, row, col, static_cast<double>(*n), nullptr));
      } else if (const auto* t = std::get_if<XlsxDateTime>(&cell)) {
        lxw_datetime dt = ChinaTime(t->epoch_ms);
        keep(worksheet_write_datetime(ws, row, col, &dt, when));
      }
    }
  }
  keep(close());
  if (err != LXW_NO_ERROR) {
    return Internal(std::string("写入导出文件失败 (cannot write the workbook): ") + lxw_strerror(err));
  }

  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return Internal("无法读回导出文件 (cannot read the workbook back)");
  return bytes;
}

}  // namespace zb::io
