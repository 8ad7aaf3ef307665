#include "io/xlsx.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "core/date.h"
#include "core/money.h"
#include "io/zip_writer.h"

namespace zb::io {

namespace {

constexpr size_t kMaxCellChars = 32'767;  // Excel's limit per cell
constexpr size_t kMaxRows = 1'048'576, kMaxColumns = 16'384;
constexpr double kMinWidth = 8, kMaxWidth = 60;
constexpr size_t kFlushBytes = 1 << 20;  // sheet XML handed to deflate in pieces of this size
constexpr int64_t kExcelDay1970 = 25'569;  // 1970-01-01 as an Excel serial (1900 date system)

// Style indexes into styles.xml's cellXfs (kStyles below).
enum Style { kPlain = 0, kBold, kTitle, kSubtitle, kDateTime, kDay, kWan };

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

// Calls f(code point, its bytes) for each character of `in` the file may
// hold (see the contract): invalid UTF-8 becomes U+FFFD, C0 controls other
// than tab and newlines and U+FFFE/U+FFFF are dropped, and no more than
// Excel's 32 767 characters pass.
template <typename F>
void ForEachSafeChar(std::string_view in, F&& f) {
  size_t kept = 0;
  for (size_t i = 0; i < in.size() && kept < kMaxCellChars;) {
    size_t start = i;
    char32_t cp = static_cast<unsigned char>(in[i]) < 0x80 ? static_cast<char32_t>(in[i++]) : NextCodePoint(in, &i);
    // XML 1.0 allows no other C0 controls; U+FFFE/U+FFFF are not characters.
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) continue;
    ++kept;
    f(cp, in.substr(start, i - start));
  }
}

// Appends the safe text XML-escaped (attribute-safe too). Runs of
// characters kept as they are are copied at once.
void AppendText(std::string& out, std::string_view in) {
  std::string_view run;
  ForEachSafeChar(in, [&](char32_t cp, std::string_view bytes) {
    const char* escaped = cp == '&' ? "&amp;" : cp == '<' ? "&lt;" : cp == '>' ? "&gt;" : cp == '"' ? "&quot;" : nullptr;
    if (!escaped && cp != 0xFFFD && run.data() + run.size() == bytes.data()) {
      run = std::string_view(run.data(), run.size() + bytes.size());
      return;
    }
    out += run;
    run = {};
    if (escaped) {
      out += escaped;
    } else if (cp == 0xFFFD) {
      AppendUtf8(out, cp);  // also stands for invalid bytes
    } else {
      run = bytes;
    }
  });
  out += run;
}

// The display width of the safe text: its widest line, East Asian
// characters counting two columns.
double TextWidth(std::string_view in) {
  double width = 0, line = 0;
  ForEachSafeChar(in, [&](char32_t cp, std::string_view) {
    line = cp == '\n' ? 0 : line + (cp >= 0x1100 ? 2 : 1);
    width = std::max(width, line);
  });
  return width;
}

// Display width of the amount as "#,##0.00" shows it.
double WanWidth(int64_t yuan) {
  std::string s = FormatWan(Money::FromYuan(yuan), 2);
  size_t digits = s.find('.') - (s[0] == '-' ? 1 : 0);
  return static_cast<double>(s.size() + (digits - 1) / 3);
}

// The width a cell's content needs.
double CellWidth(const XlsxCell& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) return TextWidth(*s);
  if (const auto* n = std::get_if<int64_t>(&cell)) return static_cast<double>(std::to_string(*n).size());
  if (std::holds_alternative<XlsxDateTime>(cell)) return 19;  // yyyy-mm-dd hh:mm:ss
  if (std::holds_alternative<XlsxDate>(cell)) return 10;      // yyyy-mm-dd
  if (const auto* w = std::get_if<XlsxWan>(&cell)) return WanWidth(w->yuan);
  return 0;
}

// Excel's stored column width for a width in characters: Calibri 11's
// digit is 7 pixels and a column has 5 pixels of padding, in 1/256ths (what
// Excel itself writes, "8.7109375" for 8).
double StoredWidth(double chars) {
  double pixels = std::floor(chars * 7 + 0.5) + 5;
  return std::floor(pixels / 7 * 256) / 256;
}

// "A", "B", … "Z", "AA", … for a 0-based column.
std::string ColumnName(size_t c) {
  std::string name;
  for (size_t n = c + 1; n > 0; n = (n - 1) / 26) name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  return name;
}

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// The shortest text that reads back as the same double.
void AppendDouble(std::string& out, double v) {
  char buf[32];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// yuan / 10 000 as its exact decimal ("12345.6789", "-0.5", "3"): the
// double it reads as is the correctly rounded quotient.
void AppendWan(std::string& out, int64_t yuan) {
  if (yuan < 0) out += '-';
  uint64_t abs = yuan < 0 ? 0 - static_cast<uint64_t>(yuan) : static_cast<uint64_t>(yuan);
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, abs / 10'000).ptr);
  uint64_t frac = abs % 10'000;
  if (frac == 0) return;
  char digits[5] = {'.', static_cast<char>('0' + frac / 1000), static_cast<char>('0' + frac / 100 % 10),
                    static_cast<char>('0' + frac / 10 % 10), static_cast<char>('0' + frac % 10)};
  size_t n = 5;
  while (digits[n - 1] == '0') --n;
  out.append(digits, n);
}

// A sheet name Excel accepts: 1..31 characters, none of []:*?/\, not
// beginning or ending with an apostrophe.
bool ValidSheetName(const std::string& name) {
  size_t chars = 0;
  for (unsigned char c : name) chars += (c & 0xC0) != 0x80;
  return chars >= 1 && chars <= 31 && name.find_first_of("[]:*?/\\") == std::string::npos &&
         name.front() != '\'' && name.back() != '\'';
}

bool SameSheetName(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) ==
                                                std::tolower(static_cast<unsigned char>(y)); });
}

constexpr std::string_view kXmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// Fonts: Calibri 11; bold; bold 16 (the title). cellXfs in the order of Style.
constexpr std::string_view kStyles =
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd hh:mm:ss\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"yyyy-mm-dd\"/></numFmts>"
    "<fonts count=\"3\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
    "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
    "<font><b/><sz val=\"16\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
    "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
    "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
    "<cellXfs count=\"7\">"
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
    "<xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\">"
    "<alignment horizontal=\"center\" vertical=\"center\"/></xf>"
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\">"
    "<alignment horizontal=\"left\" vertical=\"center\"/></xf>"
    "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"4\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
    "</cellXfs>"
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
    "</styleSheet>";

// Runs the zip's work in order on a second thread once a sheet grows past
// its first piece, so deflating overlaps making the rows (and, for an
// export, reading them); small workbooks never start the thread. At most
// kQueued pieces wait, which bounds the memory.
class Worker {
 public:
  ~Worker() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  void Start() {
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  }

  // Runs `job` now (no thread) or queues it behind the earlier ones. Either
  // way the first failure is kept and returned from here on.
  Status Run(std::function<Status()> job) {
    if (!thread_.joinable()) {
      if (failed_.ok()) failed_ = job();
      return failed_;
    }
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return queue_.size() < kQueued; });
    queue_.push_back(std::move(job));
    changed_.notify_all();
    return failed_;
  }

  // Waits until every queued job has run; the first failure.
  Status Drain() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return queue_.empty() && !busy_; });
    return failed_;
  }

 private:
  static constexpr size_t kQueued = 4;

  void Loop() {
    std::unique_lock lock(mu_);
    while (true) {
      changed_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;  // only the destructor stops it: what is left is not wanted
      std::function<Status()> job = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      bool skip = !failed_.ok();
      lock.unlock();
      Status s = skip ? Status::Ok() : job();
      lock.lock();
      if (failed_.ok()) failed_ = s;
      busy_ = false;
      changed_.notify_all();
    }
  }

  std::thread thread_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::function<Status()>> queue_;
  bool busy_ = false, stop_ = false;
  Status failed_;
};

}  // namespace

struct XlsxWriter::Impl {
  ZipWriter zip;
  Worker worker;  // declared after zip: stopped before the zip goes
  std::vector<std::string> sheet_names;
  std::vector<std::string> columns;  // column letters, as far as used
  std::string xml;                   // the current sheet's XML not yet deflated
  std::string merges;                // the current sheet's <mergeCell>s, written after its rows
  size_t next_row = 0;               // 0-based
  bool in_sheet = false;
  bool spent = false;

  const std::string& Column(size_t c) {
    while (columns.size() <= c) columns.push_back(ColumnName(columns.size()));
    return columns[c];
  }

  // `<c r="B7"`, then the style when not plain.
  void OpenCell(size_t c, Style style) {
    xml += "<c r=\"";
    xml += Column(c);
    AppendInt(xml, static_cast<int64_t>(next_row + 1));
    xml += '"';
    if (style != kPlain) {
      xml += " s=\"";
      AppendInt(xml, style);
      xml += '"';
    }
  }

  void NumberCell(size_t c, Style style, auto append_value) {
    OpenCell(c, style);
    xml += "><v>";
    append_value();
    xml += "</v></c>";
  }

  // Text as an inline string; nothing at all when it is empty once made safe.
  void TextCell(size_t c, Style style, std::string_view text) {
    const size_t at = xml.size();
    OpenCell(c, style);
    xml += " t=\"inlineStr\"><is><t>";
    const size_t text_at = xml.size();
    AppendText(xml, text);
    if (xml.size() == text_at) {
      xml.resize(at);
      return;
    }
    // Leading or trailing blanks are kept only when the XML says so.
    auto blank = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; };
    if (blank(xml[text_at]) || blank(xml.back())) xml.insert(text_at - 1, " xml:space=\"preserve\"");
    xml += "</t></is></c>";
  }

  void WriteCell(size_t c, const XlsxCell& cell) {
    if (const auto* s = std::get_if<std::string>(&cell)) {
      TextCell(c, kPlain, *s);  // never a formula, whatever the text
    } else if (const auto* n = std::get_if<int64_t>(&cell)) {
      NumberCell(c, kPlain, [&] { AppendInt(xml, *n); });
    } else if (const auto* t = std::get_if<XlsxDateTime>(&cell)) {
      // The wall-clock time in China as a serial: days plus the fraction.
      Date d = LocalDate(t->epoch_ms);
      double in_day = static_cast<double>(t->epoch_ms - StartOfDayMs(d)) / static_cast<double>(kMsPerDay);
      NumberCell(c, kDateTime, [&] { AppendDouble(xml, static_cast<double>(d.ToDays() + kExcelDay1970) + in_day); });
    } else if (const auto* d = std::get_if<XlsxDate>(&cell)) {
      NumberCell(c, kDay, [&] { AppendInt(xml, d->date.ToDays() + kExcelDay1970); });
    } else if (const auto* w = std::get_if<XlsxWan>(&cell)) {
      NumberCell(c, kWan, [&] { AppendWan(xml, w->yuan); });
    }
  }

  // Hands the XML so far to deflate: on the worker once a sheet is big.
  Status Flush(bool more_to_come) {
    if (more_to_come) worker.Start();
    Status s = worker.Run([this, piece = std::move(xml)] { return zip.Write(piece); });
    xml.clear();
    if (more_to_come) xml.reserve(kFlushBytes + (64 << 10));
    return s;
  }

  // Closes the current sheet: its rows, merged title lines, the part.
  Status EndSheet() {
    if (!in_sheet) return Status::Ok();
    in_sheet = false;
    xml += "</sheetData>";
    xml += merges;
    xml += "</worksheet>";
    ZB_RETURN_IF_ERROR(Flush(false));
    return worker.Run([this] { return zip.End(); });
  }
};

XlsxWriter::XlsxWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxWriter::~XlsxWriter() = default;

StatusOr<std::unique_ptr<XlsxWriter>> XlsxWriter::Create() {
  return std::unique_ptr<XlsxWriter>(new XlsxWriter(std::make_unique<Impl>()));
}

Status XlsxWriter::AddSheet(const XlsxSheet& head) {
  Impl& m = *impl_;
  if (m.spent) return Internal("导出文件已关闭 (the workbook is closed)");
  if (head.header.size() > kMaxColumns) return Internal("导出列数超出 Excel 上限 (too many columns)");
  if (!ValidSheetName(head.name) ||
      std::any_of(m.sheet_names.begin(), m.sheet_names.end(),
                  [&](const std::string& n) { return SameSheetName(n, head.name); })) {
    return Internal("工作表名称无效 (invalid sheet name): " + head.name);
  }
  if (head.rows.size() + head.title.size() + 1 > kMaxRows) {
    return Internal("导出行数超出 Excel 上限 (too many rows for one sheet)");
  }
  ZB_RETURN_IF_ERROR(m.EndSheet());
  m.sheet_names.push_back(head.name);
  ZB_RETURN_IF_ERROR(m.worker.Run(
      [&m, name = "xl/worksheets/sheet" + std::to_string(m.sheet_names.size()) + ".xml"] { return m.zip.Begin(name); }));
  m.in_sheet = true;
  m.next_row = 0;
  m.merges.clear();

  size_t columns = std::max(head.header.size(), head.widths.size());
  for (const auto& row : head.rows) columns = std::max(columns, std::min(row.size(), kMaxColumns));
  const size_t frozen = head.title.size() + 1;  // title lines and the header stay in view

  m.xml += kXmlHead;
  m.xml += "<worksheet xmlns=\"";
  m.xml += kMainNs;
  m.xml += "\" xmlns:r=\"";
  m.xml += kRelNs;
  m.xml += "\"><sheetViews><sheetView";
  if (m.sheet_names.size() == 1) m.xml += " tabSelected=\"1\"";
  m.xml += " workbookViewId=\"0\"><pane ySplit=\"" + std::to_string(frozen) + "\" topLeftCell=\"A" +
           std::to_string(frozen + 1) +
           "\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView></sheetViews>"
           "<sheetFormatPr defaultRowHeight=\"15\"/>";
  if (columns > 0) {
    m.xml += "<cols>";
    for (size_t c = 0; c < columns; ++c) {
      double w = c < head.widths.size() ? head.widths[c] : 0;
      if (w <= 0) {
        if (c < head.header.size()) w = TextWidth(head.header[c]);
        for (const auto& row : head.rows) {
          if (c < row.size()) w = std::max(w, CellWidth(row[c]));
        }
        w = std::clamp(w + 2, kMinWidth, kMaxWidth);
      }
      std::string n = std::to_string(c + 1);
      m.xml += "<col min=\"" + n + "\" max=\"" + n + "\" width=\"";
      AppendDouble(m.xml, StoredWidth(w));
      m.xml += "\" customWidth=\"1\"/>";
    }
    m.xml += "</cols>";
  }
  m.xml += "<sheetData>";

  // Title lines, each merged across the columns (one column: just the cell).
  const size_t last = columns > 0 ? columns - 1 : 0;
  for (size_t i = 0; i < head.title.size(); ++i, ++m.next_row) {
    Style style = i == 0 ? kTitle : kSubtitle;
    m.xml += "<row r=\"" + std::to_string(m.next_row + 1) + "\" ht=\"" + (i == 0 ? "30" : "18") +
             "\" customHeight=\"1\">";
    m.TextCell(0, style, head.title[i]);
    for (size_t c = 1; c <= last; ++c) {
      m.OpenCell(c, style);
      m.xml += "/>";
    }
    m.xml += "</row>";
    if (last > 0) {
      std::string r = std::to_string(m.next_row + 1);
      m.merges += "<mergeCell ref=\"A" + r + ":" + m.Column(last) + r + "\"/>";
    }
  }
  if (!m.merges.empty()) m.merges = "<mergeCells count=\"" + std::to_string(head.title.size()) + "\">" + m.merges + "</mergeCells>";
  m.xml += "<row r=\"" + std::to_string(m.next_row + 1) + "\">";
  for (size_t c = 0; c < head.header.size(); ++c) m.TextCell(c, kBold, head.header[c]);
  m.xml += "</row>";
  ++m.next_row;
  for (const auto& row : head.rows) ZB_RETURN_IF_ERROR(AddRow(row));
  return Status::Ok();
}

Status XlsxWriter::AddRow(const XlsxRow& row) {
  Impl& m = *impl_;
  if (!m.in_sheet) return Internal("没有工作表 (AddSheet first)");
  if (m.next_row >= kMaxRows) return Internal("导出行数超出 Excel 上限 (too many rows for one sheet)");
  m.xml += "<row r=\"";
  AppendInt(m.xml, static_cast<int64_t>(m.next_row + 1));
  m.xml += "\">";
  for (size_t c = 0; c < row.size() && c < kMaxColumns; ++c) m.WriteCell(c, row[c]);
  m.xml += "</row>";
  ++m.next_row;
  return m.xml.size() >= kFlushBytes ? m.Flush(true) : Status::Ok();
}

StatusOr<std::string> XlsxWriter::Finish() {
  Impl& m = *impl_;
  if (m.spent) return Internal("导出文件已关闭 (the workbook is closed)");
  m.spent = true;
  ZB_RETURN_IF_ERROR(m.EndSheet());
  ZB_RETURN_IF_ERROR(m.worker.Drain());  // the zip is this thread's again
  const size_t n = m.sheet_names.size();
  std::string types = std::string(kXmlHead) +
                      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                      "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                      "<Override PartName=\"/xl/workbook.xml\" "
                      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                      "<Override PartName=\"/xl/styles.xml\" "
                      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>";
  std::string book = std::string(kXmlHead) + "<workbook xmlns=\"" + std::string(kMainNs) + "\" xmlns:r=\"" +
                     std::string(kRelNs) + "\"><bookViews><workbookView/></bookViews><sheets>";
  std::string rels = std::string(kXmlHead) +
                     "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  for (size_t i = 1; i <= n; ++i) {
    std::string id = std::to_string(i);
    types += "<Override PartName=\"/xl/worksheets/sheet" + id +
             ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>";
    book += "<sheet name=\"";
    AppendText(book, m.sheet_names[i - 1]);
    book += "\" sheetId=\"" + id + "\" r:id=\"rId" + id + "\"/>";
    rels += "<Relationship Id=\"rId" + id + "\" Type=\"" + std::string(kRelNs) +
            "/worksheet\" Target=\"worksheets/sheet" + id + ".xml\"/>";
  }
  types += "</Types>";
  book += "</sheets></workbook>";
  rels += "<Relationship Id=\"rId" + std::to_string(n + 1) + "\" Type=\"" + std::string(kRelNs) +
          "/styles\" Target=\"styles.xml\"/></Relationships>";
  ZB_RETURN_IF_ERROR(m.zip.Add("[Content_Types].xml", types));
  ZB_RETURN_IF_ERROR(m.zip.Add("_rels/.rels", std::string(kXmlHead) +
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"" + std::string(kRelNs) + "/officeDocument\" Target=\"xl/workbook.xml\"/>"
      "</Relationships>"));
  ZB_RETURN_IF_ERROR(m.zip.Add("xl/workbook.xml", book));
  ZB_RETURN_IF_ERROR(m.zip.Add("xl/_rels/workbook.xml.rels", rels));
  ZB_RETURN_IF_ERROR(m.zip.Add("xl/styles.xml", std::string(kXmlHead) + std::string(kStyles)));
  return m.zip.Finish();
}

StatusOr<std::string> WriteXlsxSheets(const std::vector<XlsxSheet>& sheets) {
  ZB_ASSIGN_OR_RETURN(auto writer, XlsxWriter::Create());
  for (const auto& sheet : sheets) ZB_RETURN_IF_ERROR(writer->AddSheet(sheet));
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
