// Small UTF-8 text helpers shared by validation and error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zb {

// Number of Unicode code points in valid UTF-8.
size_t Utf8Length(std::string_view s);

// User input as quoted in an error message: at most 64 bytes, cut at a UTF-8
// boundary, with "…" when cut.
std::string QuoteForMessage(std::string_view text);

}  // namespace zb
