#include "http/static_files.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace zb::http {

namespace fs = std::filesystem;

bool IsUnsafePath(std::string_view p) {
  if (p.find('\\') != std::string_view::npos || p.find('\0') != std::string_view::npos) return true;
  for (std::string_view seg : SplitPath(p)) {
    if (seg == "." || seg == "..") return true;
  }
  return false;
}

std::string_view StaticFiles::MimeType(std::string_view path) {
  size_t dot = path.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json; charset=utf-8"},
      {"map", "application/json; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"txt", "text/plain; charset=utf-8"},
      {"xml", "application/xml"},
      {"webmanifest", "application/manifest+json"},
      {"wasm", "application/wasm"},
  };
  for (const auto& [e, t] : kTypes) {
    if (e == ext) return t;
  }
  return "application/octet-stream";
}

std::string Gzip(std::string_view in, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&zs, in.size()) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

namespace {

std::string Fnv1a64Hex(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("\"{:016x}-{:x}\"", h, s.size());
}

bool IsTextType(std::string_view mime) {
  return mime.starts_with("text/") || mime.starts_with("application/json") || mime == "image/svg+xml" ||
         mime == "application/xml" || mime == "application/manifest+json";
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  // Good enough: "gzip" present and not explicitly refused with q=0.
  size_t pos = accept_encoding.find("gzip");
  if (pos == std::string_view::npos) return false;
  std::string_view rest = accept_encoding.substr(pos + 4);
  size_t comma = rest.find(',');
  std::string_view params = rest.substr(0, comma);
  return params.find("q=0") == std::string_view::npos || params.find("q=0.") != std::string_view::npos;
}

StaticFiles::StaticFiles(const std::string& root) : root_(root) {
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) {
    if (!root.empty()) spdlog::warn("web root {} not found; the web app will not be served", root);
    return;
  }
  for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    File f;
    f.body = ss.str();
    std::string rel = "/" + fs::relative(it->path(), root, ec).generic_string();
    f.mime = std::string(MimeType(rel));
    f.etag = Fnv1a64Hex(f.body);
    if (rel == "/index.html") {
      f.cache_control = "no-cache";
    } else if (rel.starts_with("/assets/")) {
      f.cache_control = "public, max-age=31536000, immutable";  // content-hashed names
    } else {
      f.cache_control = "public, max-age=3600";
    }
    if (IsTextType(f.mime) && f.body.size() > 512) {
      std::string gz = Gzip(f.body, 9);
      if (!gz.empty() && gz.size() < f.body.size()) f.gzipped = std::move(gz);
    }
    files_.emplace(std::move(rel), std::move(f));
  }
  spdlog::info("web app: {} files from {}", files_.size(), root);
}

const StaticFiles::File* StaticFiles::Lookup(const std::string& path) const {
  auto it = files_.find(path == "/" ? std::string("/index.html") : path);
  return it == files_.end() ? nullptr : &it->second;
}

Response StaticFiles::Serve(const Request& req) const {
  const std::string& path = req.path();
  if (IsUnsafePath(path)) {
    return Response::Error(BadRequest("路径不合法 (path must not contain '.' or '..' segments)", "path"));
  }
  const File* f = Lookup(path);
  if (f == nullptr) {
    std::string_view last = path.substr(path.rfind('/') + 1);
    bool looks_like_file = last.find('.') != std::string_view::npos;
    bool wants_html = req.Header("Accept").find("text/html") != std::string_view::npos;
    if (!path.starts_with("/assets/") && (wants_html || !looks_like_file)) f = Lookup("/index.html");
  }
  if (f == nullptr) {
    if (!loaded()) {
      return Response::Error(NotFound("网页应用尚未构建 (web app not built: run `make web`)", "path"));
    }
    return Response::Error(NotFound("文件不存在 (no such file): " + path, "path"));
  }
  Response r;
  r.content_type = f->mime;
  r.With("ETag", f->etag).With("Cache-Control", f->cache_control);
  if (!f->gzipped.empty()) r.With("Vary", "Accept-Encoding");
  std::string_view inm = req.Header("If-None-Match");
  if (!inm.empty() && inm.find(f->etag) != std::string_view::npos) {
    r.status = 304;
    return r;
  }
  if (!f->gzipped.empty() && AcceptsGzip(req.Header("Accept-Encoding"))) {
    r.body = f->gzipped;
    r.With("Content-Encoding", "gzip");
  } else {
    r.body = f->body;
  }
  return r;
}

}  // namespace zb::http
