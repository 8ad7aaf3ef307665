#include "http/multipart.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include "http/message.h"

namespace zb::http {

namespace {

constexpr size_t kMaxParts = 100;
constexpr size_t kMaxHeadBytes = 8 * 1024;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "type/subtype; a=1; b=\"x;y\"" → the lower-case type and the parameters
// (names lower-case, quoted values unquoted). nullopt on an unclosed quote.
struct HeaderValue {
  std::string value;
  std::vector<std::pair<std::string, std::string>> params;
  const std::string* Param(std::string_view name) const {
    for (const auto& [k, v] : params) {
      if (k == name) return &v;
    }
    return nullptr;
  }
};

std::optional<HeaderValue> ParseHeaderValue(std::string_view s) {
  HeaderValue out;
  size_t semi = s.find(';');
  out.value = Lower(Trim(s.substr(0, semi)));
  size_t i = semi == std::string_view::npos ? s.size() : semi + 1;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ';')) ++i;
    if (i >= s.size()) break;
    size_t eq = s.find('=', i);
    size_t next_semi = s.find(';', i);
    if (eq == std::string_view::npos || (next_semi != std::string_view::npos && next_semi < eq)) {
      // A bare token without a value: skip it.
      i = next_semi == std::string_view::npos ? s.size() : next_semi + 1;
      continue;
    }
    std::string name = Lower(Trim(s.substr(i, eq - i)));
    i = eq + 1;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char c = s[i++];
        if (c == '\\' && i < s.size()) {
          value += s[i++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) return std::nullopt;
      size_t end = s.find(';', i);
      i = end == std::string_view::npos ? s.size() : end + 1;
    } else {
      size_t end = s.find(';', i);
      value = std::string(Trim(s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i)));
      i = end == std::string_view::npos ? s.size() : end + 1;
    }
    out.params.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

Status Malformed(const std::string& what) {
  return BadRequest("multipart/form-data 格式错误: " + what + " (malformed multipart body)", "body");
}

// One part's head (the lines before the blank line).
Status ReadPartHead(std::string_view head, MultipartPart* part) {
  bool named = false;
  size_t i = 0;
  while (i < head.size()) {
    size_t eol = head.find("\r\n", i);
    std::string_view line = head.substr(i, eol == std::string_view::npos ? std::string_view::npos : eol - i);
    i = eol == std::string_view::npos ? head.size() : eol + 2;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("分段头缺少冒号 (part header without ':')");
    std::string name = Lower(Trim(line.substr(0, colon)));
    auto value = ParseHeaderValue(line.substr(colon + 1));
    if (!value) return Malformed("分段头引号未闭合 (unclosed quote in a part header)");
    if (name == "content-disposition") {
      if (value->value != "form-data") return Malformed("分段不是 form-data (part is not form-data)");
      if (const auto* n = value->Param("name")) {
        part->name = *n;
        named = true;
      }
      if (const auto* f = value->Param("filename")) part->filename = *f;
      if (const auto* f = value->Param("filename*")) {
        // RFC 5987: charset'language'percent-encoded
        std::string_view v = *f;
        size_t q = v.find('\'');
        size_t q2 = q == std::string_view::npos ? q : v.find('\'', q + 1);
        if (q2 != std::string_view::npos && Lower(v.substr(0, q)) == "utf-8") {
          if (auto decoded = PercentDecode(v.substr(q2 + 1), false)) part->filename = *decoded;
        }
      }
    } else if (name == "content-type") {
      part->content_type = value->value;
    }
  }
  if (!named || part->name.empty()) return Malformed("分段缺少字段名 (part without a name)");
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> MultipartBoundary(std::string_view content_type) {
  auto v = ParseHeaderValue(content_type);
  if (!v || v->value != "multipart/form-data") {
    return Status(StatusCode::kUnsupportedMediaType,
                  "请求体应为 multipart/form-data (Content-Type must be multipart/form-data)", "Content-Type");
  }
  const std::string* b = v->Param("boundary");
  if (!b || b->empty() || b->size() > 70) {
    return BadRequest("multipart/form-data 缺少有效的 boundary (missing or bad boundary)", "Content-Type");
  }
  return *b;
}

StatusOr<std::vector<MultipartPart>> ParseMultipart(std::string_view body, std::string_view boundary) {
  if (boundary.empty()) return Malformed("boundary 为空 (empty boundary)");
  const std::string dash = "--" + std::string(boundary);
  const std::string delimiter = "\r\n" + dash;
  // The first delimiter: at the very start, or after a preamble line.
  size_t at;
  if (body.substr(0, dash.size()) == dash) {
    at = dash.size();
  } else {
    size_t found = body.find(delimiter);
    if (found == std::string_view::npos) return Malformed("找不到分段分隔符 (no opening boundary)");
    at = found + delimiter.size();
  }
  std::vector<MultipartPart> parts;
  for (;;) {
    // After a delimiter: "--" closes, else optional blanks then CRLF.
    if (body.substr(at, 2) == "--") return parts;
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
    if (body.substr(at, 2) != "\r\n") return Malformed("分隔符后应换行 (CRLF expected after the boundary)");
    at += 2;
    if (parts.size() == kMaxParts) return Malformed("分段超过 100 个 (more than 100 parts)");
    size_t head_end = body.find("\r\n\r\n", at);
    // A part with no header lines starts directly with its blank line.
    bool no_headers = body.substr(at, 2) == "\r\n";
    if (!no_headers && (head_end == std::string_view::npos || body.find(delimiter, at) < head_end)) {
      return Malformed("分段头未结束 (part header without its blank line)");
    }
    std::string_view head = no_headers ? std::string_view() : body.substr(at, head_end - at);
    if (head.size() > kMaxHeadBytes) return Malformed("分段头过长 (part header too long)");
    size_t content_at = no_headers ? at + 2 : head_end + 4;
    MultipartPart part;
    ZB_RETURN_IF_ERROR(ReadPartHead(head, &part));
    size_t next = body.find(delimiter, content_at);
    if (next == std::string_view::npos) return Malformed("缺少结束分隔符 (missing closing boundary)");
    part.content = body.substr(content_at, next - content_at);
    parts.push_back(std::move(part));
    at = next + delimiter.size();
  }
}

}  // namespace zb::http
