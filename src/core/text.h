// Small UTF-8 text helpers shared by validation and error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace zb {

// Number of Unicode code points in valid UTF-8.
size_t Utf8Length(std::string_view s);

// User input as quoted in an error message: at most 64 bytes, cut at a UTF-8
// boundary, with "…" when cut.
std::string QuoteForMessage(std::string_view text);

// Rules shared by every single-line text field: surrounding blanks (ASCII and
// U+3000) trimmed in place, 1..max_chars Unicode characters (0 allowed with
// allow_empty), no control characters. kValidationFailed names `field`;
// `label` is the field's Chinese name in the message.
// Appends `s` as a JSON string literal (quotes included), for answers
// written straight into a buffer instead of through a JSON tree. Escapes
// what RFC 8259 requires; invalid UTF-8 becomes U+FFFD, as the JSON
// library's dump does with its replace handler.
void AppendJsonString(std::string& out, std::string_view s);

Status ValidateLine(std::string& value, std::string_view field, std::string_view label, size_t max_chars,
                    bool allow_empty);

}  // namespace zb
