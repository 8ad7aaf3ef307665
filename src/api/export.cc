#include "api/export.h"

#include <algorithm>
#include <cctype>

#include "api/audit.h"
#include "core/date.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

// "%E6%93%8D…" for Content-Disposition's filename* (RFC 5987 attr-char kept).
std::string Rfc5987Encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace

Json GivenFilter(const Request& req, std::initializer_list<std::string_view> names) {
  Json f = Json::object();
  for (auto n : names) {
    if (auto v = req.Query(n); v && !v->empty()) f[std::string(n)] = std::string(*v);
  }
  return f;
}

Status RecordExport(ApiContext& ctx, const Request& req, int64_t now, std::string entity_type, Json filter,
                    size_t rows) {
  return db::InTx(*ctx.pool, [&](db::Connection& c) {
    return RecordAudit(c, req, now, "export", entity_type, "",
                       {{"after", {{"filter", std::move(filter)}, {"rows", rows}}}});
  });
}

Response XlsxDownload(std::string bytes, std::string_view zh_name, std::string_view ascii_name, int64_t now_ms) {
  std::string day = LocalDate(now_ms).ToString();
  day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
  std::string zh = std::string(zh_name) + "-" + day + ".xlsx";
  std::string ascii = std::string(ascii_name) + "-" + day + ".xlsx";
  Response r = Response::Text(200, std::move(bytes), kXlsxType);
  r.With("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + Rfc5987Encode(zh));
  r.With("Cache-Control", "no-store");
  return r;
}

}  // namespace zb::api
