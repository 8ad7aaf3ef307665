// The built web app, served from memory.
//
// At construction every regular file under the root is read once, its ETag
// computed and, for text types over 512 bytes, a gzip copy made. Requests are
// then answered without touching the disk. Paths with ".." or "." segments,
// backslashes or NUL are refused (400) before lookup. GETs for paths that are
// not files fall back to index.html (the SPA's client-side routes), except
// under /assets/ and for non-HTML requests of paths that look like files.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/message.h"
#include "http/router.h"

namespace zb::http {

class StaticFiles {
 public:
  // Loads `root` (a built web/dist). A missing root yields an empty set whose
  // every answer is a JSON 404 explaining the web app is not built.
  explicit StaticFiles(const std::string& root);

  bool loaded() const { return !files_.empty(); }
  size_t file_count() const { return files_.size(); }

  // Answers a GET or HEAD for `req.path()`.
  Response Serve(const Request& req) const;

  static std::string_view MimeType(std::string_view path);

 private:
  struct File {
    std::string body;
    std::string gzipped;  // empty when not worth it
    std::string etag;
    std::string mime;
    std::string cache_control;
  };
  const File* Lookup(const std::string& path) const;
  std::unordered_map<std::string, File> files_;  // key: "/assets/x.js"
  std::string root_;
};

// Path-traversal guard: true for a decoded path with a "." or ".." segment,
// a backslash or a NUL byte.
bool IsUnsafePath(std::string_view decoded_path);

// gzip (RFC 1952) of `in` at the given level.
std::string Gzip(std::string_view in, int level = 6);

// Whether an Accept-Encoding header accepts gzip (present, not q=0).
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace zb::http
