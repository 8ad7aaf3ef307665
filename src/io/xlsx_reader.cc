#include "io/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>

namespace zb::io {
namespace {

constexpr char kNsSeparator = '|';       // expat joins "namespace|local"
constexpr int kChunk = 64 * 1024;        // bytes inflated and parsed at a time
constexpr int kMaxColumns = 16384;       // Excel's limit: XFD
constexpr int64_t kMaxRows = 1048576;    // Excel's limit

Status NotXlsx(std::string_view hint = {}) {
  std::string message = "不是有效的 xlsx 文件 (not an xlsx file)";
  if (!hint.empty()) message += std::string(": ") + std::string(hint);
  return ValidationFailed(std::move(message));
}

Status Corrupt(std::string_view part, std::string_view detail) {
  return ValidationFailed("xlsx 文件已损坏 (corrupt xlsx): " + std::string(part) + ": " + std::string(detail));
}

Status TooLarge(std::string_view what) {
  return Status(StatusCode::kPayloadTooLarge,
                "xlsx 文件解压后过大 (xlsx inflates beyond the limit): " + std::string(what));
}

// An old .xls and an encrypted .xlsx are both OLE compound files.
bool IsOleFile(std::string_view head) { return head.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"); }
constexpr std::string_view kOleHint = "这是旧版 .xls 或加密的工作簿，请在 Excel 中另存为 .xlsx 并取消密码 (an .xls or encrypted workbook)";

std::string_view LocalName(const char* name) {
  std::string_view s(name);
  size_t sep = s.rfind(kNsSeparator);
  return sep == std::string_view::npos ? s : s.substr(sep + 1);
}

const char* Attr(const char** attrs, std::string_view local) {
  for (; *attrs; attrs += 2) {
    if (LocalName(attrs[0]) == local) return attrs[1];
  }
  return nullptr;
}

// "AB" of "AB12" → 27 (0-based), -1 when malformed or beyond XFD.
int ParseColumn(std::string_view ref) {
  int col = 0;
  size_t i = 0;
  for (; i < ref.size() && i < 4; ++i) {
    char c = ref[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    col = col * 26 + (c - 'A' + 1);
  }
  if (i == 0 || col > kMaxColumns) return -1;
  return col - 1;
}

std::string ColumnName(int col) {
  std::string name;
  for (int n = col + 1; n > 0; n = (n - 1) / 26) name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  return name;
}

template <typename T>
bool ParseWhole(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

void AppendUtf8(std::string& out, unsigned cp) {
  if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// OOXML strings escape characters XML cannot carry as _xHHHH_ (Excel writes
// "_x000D_" for the CR of a CRLF inside a cell); "_x005F_" is a literal "_".
void DecodeXEscapes(std::string& s) {
  if (s.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned cp = 0;
    if (s[i] == '_' && i + 7 <= s.size() && s[i + 1] == 'x' && s[i + 6] == '_' &&
        std::from_chars(s.data() + i + 2, s.data() + i + 6, cp, 16).ptr == s.data() + i + 6) {
      AppendUtf8(out, cp);
      i += 7;
    } else {
      out += s[i++];
    }
  }
  s = std::move(out);
}

// Built-in number formats that show a date or time: 14–22 and 45–47
// everywhere, 27–36 and 50–58 in East Asian locales (Chinese Excel and WPS
// store "yyyy年m月d日" as id 31 without writing the format into styles.xml).
bool IsDateFormatId(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

// A custom format shows a date or time when it has y/m/d/h/s outside quoted
// text, escapes and [brackets] — except [h], [mm], [ss] (elapsed time).
bool IsDateFormatCode(std::string_view code) {
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') {
      i = code.find('"', i + 1);
      if (i == std::string_view::npos) return false;
    } else if (c == '[') {
      size_t end = code.find(']', i + 1);
      if (end == std::string_view::npos) return false;
      std::string_view inner = code.substr(i + 1, end - i - 1);
      if (!inner.empty() && inner.find_first_not_of("hHmMsS") == std::string_view::npos) return true;
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or padding)
    } else if (std::string_view("yYmMdDhHsS").find(c) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// Excel's serial day number → date and seconds since midnight, rounded to the
// second. The 1900 system counts 1900-02-29, which never existed (Lotus's
// bug, serial 60): below serial 61 days count from 1899-12-31, so serial 1 is
// 1900-01-01 and 60 lands on 1900-03-01 like 61.
bool SerialToDate(double serial, bool date1904, Date& date, int32_t& seconds) {
  if (!(serial >= 0) || serial > 2958466) return false;  // also NaN
  int64_t total = std::llround(serial * 86400);
  int64_t days = total / 86400;
  seconds = static_cast<int32_t>(total % 86400);
  Date base = date1904 ? *Date::FromYmd(1904, 1, 1) : days < 61 ? *Date::FromYmd(1899, 12, 31) : *Date::FromYmd(1899, 12, 30);
  if (base.ToDays() + days > Date::MaxDate().ToDays()) return false;
  date = base.AddDays(days);
  return true;
}

std::string DateText(Date date, int32_t seconds) {
  std::string text = date.ToString();
  if (seconds != 0) {
    char buf[32];
    snprintf(buf, sizeof buf, " %02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    text += buf;
  }
  return text;
}

// "a/b/../c.xml" → "a/c.xml"; targets in .rels are relative to `dir`
// unless they start with "/".
std::string ResolveTarget(std::string_view dir, std::string_view target) {
  std::string joined = target.starts_with('/') ? std::string(target.substr(1)) : std::string(dir) + std::string(target);
  std::vector<std::string_view> parts;
  std::string_view rest = joined;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
  }
  std::string out;
  for (std::string_view p : parts) out += (out.empty() ? "" : "/") + std::string(p);
  return out;
}

// ---- SAX over expat ----------------------------------------------------------

// Element names arrive without their namespace (some writers prefix them,
// "x:row"). Fail() stops the parse; the parse then returns that Status.
class SaxHandler {
 public:
  virtual ~SaxHandler() = default;
  virtual void Start(std::string_view name, const char** attrs) = 0;
  virtual void End(std::string_view name) {}
  virtual void Text(std::string_view text) {}

  void Fail(Status status) {
    if (error_.ok()) error_ = std::move(status);
    XML_StopParser(parser_, XML_FALSE);
  }
  const Status& error() const { return error_; }
  void Attach(XML_Parser parser) { parser_ = parser; }

 private:
  XML_Parser parser_ = nullptr;
  Status error_;
};

void XMLCALL OnStart(void* h, const XML_Char* name, const XML_Char** attrs) {
  auto* handler = static_cast<SaxHandler*>(h);
  if (handler->error().ok()) handler->Start(LocalName(name), attrs);
}
void XMLCALL OnEnd(void* h, const XML_Char* name) {
  auto* handler = static_cast<SaxHandler*>(h);
  if (handler->error().ok()) handler->End(LocalName(name));
}
void XMLCALL OnText(void* h, const XML_Char* s, int len) {
  auto* handler = static_cast<SaxHandler*>(h);
  if (handler->error().ok()) handler->Text(std::string_view(s, static_cast<size_t>(len)));
}
void XMLCALL OnDoctype(void* h, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<SaxHandler*>(h)->Fail(ValidationFailed("xlsx 文件含有 DOCTYPE，已拒绝 (DOCTYPE refused)"));
}

// ---- the parts -----------------------------------------------------------------

struct Relationship {
  std::string id, type, target;
};

class RelsHandler : public SaxHandler {
 public:
  std::vector<Relationship> rels;
  void Start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return;
    const char* mode = Attr(attrs, "TargetMode");
    if (mode && std::string_view(mode) == "External") return;
    const char* id = Attr(attrs, "Id");
    const char* type = Attr(attrs, "Type");
    const char* target = Attr(attrs, "Target");
    if (id && type && target) rels.push_back({id, type, target});
  }
};

class WorkbookHandler : public SaxHandler {
 public:
  struct Sheet {
    std::string name, rel_id;
  };
  std::vector<Sheet> sheets;
  bool date1904 = false;
  void Start(std::string_view name, const char** attrs) override {
    if (name == "workbookPr") {
      const char* v = Attr(attrs, "date1904");
      date1904 = v && (std::string_view(v) == "1" || std::string_view(v) == "true");
    } else if (name == "sheet") {
      const char* sheet_name = Attr(attrs, "name");
      const char* id = Attr(attrs, "id");  // r:id
      if (sheet_name && id) sheets.push_back({sheet_name, id});
    }
  }
};

class StylesHandler : public SaxHandler {
 public:
  std::map<int, std::string> custom_formats;  // numFmtId → formatCode
  std::vector<int> xf_formats;                // cellXfs, in order: numFmtId
  void Start(std::string_view name, const char** attrs) override {
    if (name == "numFmt") {
      const char* id = Attr(attrs, "numFmtId");
      const char* code = Attr(attrs, "formatCode");
      int n;
      if (id && code && ParseWhole(std::string_view(id), n)) custom_formats[n] = code;
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      const char* id = Attr(attrs, "numFmtId");
      int n = 0;
      if (!id || !ParseWhole(std::string_view(id), n)) n = 0;
      xf_formats.push_back(n);
    }
  }
  void End(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }

 private:
  bool in_cell_xfs_ = false;
};

// <si> holds <t> or rich-text runs <r><t>; <rPh> phonetic guides are not text.
class SharedStringsHandler : public SaxHandler {
 public:
  std::vector<std::string> strings;
  void Start(std::string_view name, const char**) override {
    if (name == "si") current_.clear();
    else if (name == "rPh") in_phonetic_ = true;
    else if (name == "t" && !in_phonetic_) in_text_ = true;
  }
  void End(std::string_view name) override {
    if (name == "t") {
      in_text_ = false;
    } else if (name == "rPh") {
      in_phonetic_ = false;
    } else if (name == "si") {
      DecodeXEscapes(current_);
      strings.push_back(std::move(current_));
      current_.clear();
    }
  }
  void Text(std::string_view text) override {
    if (in_text_) current_.append(text);
  }

 private:
  std::string current_;
  bool in_text_ = false, in_phonetic_ = false;
};

}  // namespace

// ---- the reader ------------------------------------------------------------------

struct XlsxReader::Impl {
  std::string bytes;  // Open(bytes): the zip lives here, libzip reads it in place
  zip_t* zip = nullptr;
  XlsxLimits limits;
  uint64_t inflated = 0;
  bool date1904 = false;
  std::vector<std::string> sheet_names;
  std::vector<std::string> sheet_parts;
  std::vector<bool> date_styles;  // by cellXfs index (a cell's s attribute)
  std::vector<std::string> shared_strings;

  ~Impl() {
    if (zip) zip_discard(zip);
  }

  bool Has(const std::string& part) const { return zip_name_locate(zip, part.c_str(), ZIP_FL_NOCASE) >= 0; }

  // Streams `part` through `handler`, inflating kChunk bytes at a time into
  // expat's own buffer.
  Status Parse(const std::string& part, SaxHandler& handler) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip, part.c_str(), ZIP_FL_NOCASE, &st) != 0) return Corrupt(part, "缺少此部分 (missing part)");
    if ((st.valid & ZIP_STAT_SIZE) && st.size > limits.max_part_bytes) return TooLarge(part);
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen(zip, part.c_str(), ZIP_FL_NOCASE), zip_fclose);
    if (!file) return Corrupt(part, zip_strerror(zip));
    std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreateNS(nullptr, kNsSeparator),
                                                                   XML_ParserFree);
    if (!parser) return Internal("XML 解析器创建失败 (out of memory)");
    XML_Parser p = parser.get();
    handler.Attach(p);
    XML_SetUserData(p, &handler);
    XML_SetElementHandler(p, OnStart, OnEnd);
    XML_SetCharacterDataHandler(p, OnText);
    XML_SetStartDoctypeDeclHandler(p, OnDoctype);
    uint64_t part_bytes = 0;
    for (;;) {
      void* buf = XML_GetBuffer(p, kChunk);
      if (!buf) return Internal("XML 解析缓冲区分配失败 (out of memory)");
      zip_int64_t n = zip_fread(file.get(), buf, kChunk);
      if (n < 0) return Corrupt(part, zip_file_strerror(file.get()));
      part_bytes += static_cast<uint64_t>(n);
      inflated += static_cast<uint64_t>(n);
      if (part_bytes > limits.max_part_bytes) return TooLarge(part);
      if (inflated > limits.max_total_bytes) return TooLarge("全部内容 (all parts)");
      if (XML_ParseBuffer(p, static_cast<int>(n), n == 0) != XML_STATUS_OK) {
        if (!handler.error().ok()) return handler.error();
        return Corrupt(part, "第 " + std::to_string(XML_GetCurrentLineNumber(p)) + " 行 (line): " +
                                 XML_ErrorString(XML_GetErrorCode(p)));
      }
      if (n == 0) return handler.error();
    }
  }

  Status Load() {
    const std::string workbook = "xl/workbook.xml";
    if (!Has(workbook)) return NotXlsx("缺少 xl/workbook.xml (no workbook)");
    WorkbookHandler book;
    ZB_RETURN_IF_ERROR(Parse(workbook, book));
    date1904 = book.date1904;
    RelsHandler rels;
    ZB_RETURN_IF_ERROR(Parse("xl/_rels/workbook.xml.rels", rels));

    auto find_rel = [&](std::string_view id) -> const Relationship* {
      for (const auto& r : rels.rels) {
        if (r.id == id) return &r;
      }
      return nullptr;
    };
    // The styles and shared strings parts, by relationship type, else by
    // their usual names.
    auto part_of_type = [&](std::string_view suffix, std::string fallback) {
      for (const auto& r : rels.rels) {
        if (std::string_view(r.type).ends_with(suffix)) return ResolveTarget("xl/", r.target);
      }
      return fallback;
    };

    for (const auto& sheet : book.sheets) {
      const Relationship* rel = find_rel(sheet.rel_id);
      if (!rel) return Corrupt(workbook, "工作表 " + sheet.name + " 没有对应的部分 (sheet without a part)");
      if (!std::string_view(rel->type).ends_with("/worksheet")) continue;  // chart or dialog sheets
      sheet_names.push_back(sheet.name);
      sheet_parts.push_back(ResolveTarget("xl/", rel->target));
    }

    std::string styles_part = part_of_type("/styles", "xl/styles.xml");
    if (Has(styles_part)) {
      StylesHandler styles;
      ZB_RETURN_IF_ERROR(Parse(styles_part, styles));
      for (int id : styles.xf_formats) {
        auto custom = styles.custom_formats.find(id);
        date_styles.push_back(custom != styles.custom_formats.end() ? IsDateFormatCode(custom->second)
                                                                    : IsDateFormatId(id));
      }
    }
    std::string strings_part = part_of_type("/sharedStrings", "xl/sharedStrings.xml");
    if (Has(strings_part)) {
      SharedStringsHandler strings;
      ZB_RETURN_IF_ERROR(Parse(strings_part, strings));
      shared_strings = std::move(strings.strings);
    }
    return Status::Ok();
  }
};

namespace {

// <sheetData><row r="3"><c r="B3" t="s" s="1"><v>0</v></c>…</row></sheetData>
class SheetHandler : public SaxHandler {
 public:
  SheetHandler(const XlsxReader::Impl& book, const std::string& part, const RowSink& sink)
      : book_(book), part_(part), sink_(sink) {}

  void Start(std::string_view name, const char** attrs) override {
    if (name == "row") {
      const char* r = Attr(attrs, "r");
      int64_t number = row_.number + 1;
      if (r && (!ParseWhole(std::string_view(r), number) || number < 1 || number > kMaxRows)) {
        return Fail(Corrupt(part_, std::string("行号无效 (bad row number): ") + r));
      }
      row_.number = number;
      row_.cells.clear();
      column_ = -1;
    } else if (name == "c") {
      const char* r = Attr(attrs, "r");
      int column = r ? ParseColumn(r) : column_ + 1;
      if (column < 0 || column >= kMaxColumns) {
        return Fail(Corrupt(part_, std::string("单元格位置无效 (bad cell reference): ") + (r ? r : "")));
      }
      column_ = column;
      const char* t = Attr(attrs, "t");
      type_ = t ? t : "n";
      const char* s = Attr(attrs, "s");
      size_t style = 0;
      date_style_ = s && ParseWhole(std::string_view(s), style) && style < book_.date_styles.size() &&
                    book_.date_styles[style];
      value_.clear();
    } else if (name == "v") {
      in_value_ = true;
    } else if (name == "is") {
      in_inline_ = true;
    } else if (name == "rPh") {
      in_phonetic_ = true;
    } else if (name == "t" && in_inline_ && !in_phonetic_) {
      in_value_ = true;
    }
  }

  void End(std::string_view name) override {
    if (name == "v" || name == "t") {
      in_value_ = false;
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "rPh") {
      in_phonetic_ = false;
    } else if (name == "c") {
      FinishCell();
    } else if (name == "row") {
      if (row_.cells.empty()) return;  // blank rows are not delivered
      Status status = sink_(row_);
      if (!status.ok()) Fail(std::move(status));
    }
  }

  void Text(std::string_view text) override {
    if (in_value_) value_.append(text);
  }

 private:
  void FinishCell() {
    if (value_.empty()) return;
    Cell cell;
    if (type_ == "s") {
      size_t index = 0;
      if (!ParseWhole(std::string_view(value_), index) || index >= book_.shared_strings.size()) {
        return Fail(Corrupt(part_, Where() + " 的共享字符串编号无效 (bad shared string index)"));
      }
      if (book_.shared_strings[index].empty()) return;
      cell.kind = CellKind::kText;
      cell.text = book_.shared_strings[index];
    } else if (type_ == "inlineStr" || type_ == "str") {
      cell.kind = CellKind::kText;
      cell.text = std::move(value_);
      DecodeXEscapes(cell.text);
    } else if (type_ == "b") {
      cell.kind = CellKind::kBoolean;
      cell.number = value_ == "1" || value_ == "true" ? 1 : 0;
      cell.text = cell.number ? "TRUE" : "FALSE";
    } else if (type_ == "e") {
      cell.kind = CellKind::kError;
      cell.text = std::move(value_);
    } else if (type_ == "d") {
      // ISO 8601 (strict OOXML): "2026-11-23" or "2026-11-23T08:30:00".
      auto date = Date::Parse(std::string_view(value_).substr(0, 10));
      int h = 0, m = 0, s = 0;
      if (!date.ok() || (value_.size() > 10 && sscanf(value_.c_str() + 10, "T%d:%d:%d", &h, &m, &s) < 2)) {
        return Fail(Corrupt(part_, Where() + " 的日期无效 (bad date): " + value_));
      }
      cell.kind = CellKind::kDate;
      cell.date = *date;
      cell.seconds = h * 3600 + m * 60 + s;
      cell.number = static_cast<double>(DaysBetween(*Date::FromYmd(1899, 12, 30), *date)) + cell.seconds / 86400.0;
      cell.text = DateText(cell.date, cell.seconds);
    } else {
      if (!ParseWhole(std::string_view(value_), cell.number) || !std::isfinite(cell.number)) {
        return Fail(Corrupt(part_, Where() + " 的数值无效 (bad number): " + value_));
      }
      if (date_style_ && SerialToDate(cell.number, book_.date1904, cell.date, cell.seconds)) {
        cell.kind = CellKind::kDate;
        cell.text = DateText(cell.date, cell.seconds);
      } else {
        cell.kind = CellKind::kNumber;
        cell.text = std::move(value_);
      }
    }
    if (row_.cells.size() <= static_cast<size_t>(column_)) row_.cells.resize(column_ + 1);
    row_.cells[column_] = std::move(cell);
  }

  std::string Where() const {
    return "单元格 (cell) " + ColumnName(column_) + std::to_string(row_.number);
  }

  const XlsxReader::Impl& book_;
  const std::string& part_;
  const RowSink& sink_;
  Row row_;
  int column_ = -1;
  std::string type_;
  bool date_style_ = false;
  std::string value_;
  bool in_value_ = false, in_inline_ = false, in_phonetic_ = false;
};

}  // namespace

XlsxReader::XlsxReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxReader::~XlsxReader() = default;

StatusOr<std::unique_ptr<XlsxReader>> XlsxReader::Open(std::string bytes, XlsxLimits limits) {
  if (IsOleFile(bytes)) return NotXlsx(kOleHint);
  auto impl = std::make_unique<Impl>();
  impl->bytes = std::move(bytes);
  impl->limits = limits;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(impl->bytes.data(), impl->bytes.size(), 0, &error);
  if (!source) return Internal("zip 缓冲区创建失败 (out of memory)");
  impl->zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  zip_error_fini(&error);
  if (!impl->zip) {
    zip_source_free(source);
    return NotXlsx();
  }
  ZB_RETURN_IF_ERROR(impl->Load());
  return std::unique_ptr<XlsxReader>(new XlsxReader(std::move(impl)));
}

StatusOr<std::unique_ptr<XlsxReader>> XlsxReader::OpenFile(const std::string& path, XlsxLimits limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("无法读取文件 (cannot read file): " + path);
  char head[8] = {};
  in.read(head, sizeof head);
  if (IsOleFile(std::string_view(head, static_cast<size_t>(in.gcount())))) return NotXlsx(kOleHint);
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  int error = 0;
  impl->zip = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (!impl->zip) return NotXlsx();
  ZB_RETURN_IF_ERROR(impl->Load());
  return std::unique_ptr<XlsxReader>(new XlsxReader(std::move(impl)));
}

const std::vector<std::string>& XlsxReader::SheetNames() const { return impl_->sheet_names; }

Status XlsxReader::ReadSheet(std::string_view name, const RowSink& sink) {
  for (size_t i = 0; i < impl_->sheet_names.size(); ++i) {
    if (impl_->sheet_names[i] == name) return ReadSheet(i, sink);
  }
  return ValidationFailed("工作表不存在 (no such sheet): " + std::string(name));
}

Status XlsxReader::ReadSheet(size_t index, const RowSink& sink) {
  if (index >= impl_->sheet_parts.size()) {
    return ValidationFailed("工作表不存在 (no such sheet): 第 " + std::to_string(index + 1) + " 个 (sheet #" +
                            std::to_string(index + 1) + ")");
  }
  SheetHandler handler(*impl_, impl_->sheet_parts[index], sink);
  return impl_->Parse(impl_->sheet_parts[index], handler);
}

}  // namespace zb::io
