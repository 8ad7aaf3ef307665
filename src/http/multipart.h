// multipart/form-data request bodies (RFC 7578), as browsers send a file
// upload (<input type=file>, FormData): what the import routes read.
//
// Contract
// - MultipartBoundary(content_type): the boundary parameter of a
//   "multipart/form-data; boundary=…" Content-Type (quoted or not; 1–70
//   characters). kUnsupportedMediaType (field "Content-Type") for another
//   media type; kBadRequest for a missing or malformed boundary.
// - ParseMultipart(body, boundary) is strict about the framing and nothing
//   else: lines end in CRLF; a preamble before the first delimiter and an
//   epilogue after the closing one are ignored (RFC 2046); each part has
//   header lines, an empty line, then its content up to CRLF "--" boundary.
//   Every part needs `Content-Disposition: form-data; name="…"` (filename
//   optional, `filename*=UTF-8''…` preferred when both are given; quoted
//   strings may hold "\"" escapes). Header names are case-insensitive; other
//   headers than Content-Disposition and Content-Type are ignored.
//   kBadRequest (field "body") names what is wrong: no opening delimiter, a
//   part without its blank line, a missing closing delimiter, a part
//   without a name, more than 100 parts or a part head over 8 KiB.
// - The parts' content are views into `body`: keep the body alive.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace zb::http {

struct MultipartPart {
  std::string name;          // the form field
  std::string filename;      // "" when the part is not a file
  std::string content_type;  // "" when not given
  std::string_view content;
};

StatusOr<std::string> MultipartBoundary(std::string_view content_type);
StatusOr<std::vector<MultipartPart>> ParseMultipart(std::string_view body, std::string_view boundary);

}  // namespace zb::http
