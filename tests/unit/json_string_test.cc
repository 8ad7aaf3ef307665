// AppendJsonString (core/text.h): what it writes parses back to the text it
// was given, whatever the text holds, and broken UTF-8 cannot break the
// answer it is part of.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace zb {
namespace {

std::string Literal(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

std::string RoundTrip(std::string_view s) { return nlohmann::json::parse(Literal(s)).get<std::string>(); }

TEST(JsonString, TextComesBackAsItWent) {
  for (std::string_view s : {"", "施工许可", "XM-2026-0001", "a \"quoted\" name", "back\\slash", "line\nbreak\ttab\r",
                             "控制\x01\x1f字符\b\f", "emoji 🏗️ and U+FFFF \xEF\xBF\xBF", "</script>"}) {
    EXPECT_EQ(RoundTrip(s), s) << s;
  }
}

TEST(JsonString, ControlCharactersAreEscapedNotPassedThrough) {
  EXPECT_EQ(Literal("a\x01" "b"), "\"a\\u0001b\"");
  EXPECT_EQ(Literal("\"\\"), "\"\\\"\\\\\"");
}

TEST(JsonString, BrokenUtf8BecomesReplacementCharacters) {
  const std::string replacement = "\xEF\xBF\xBD";
  // A lone continuation byte, a truncated sequence, an overlong '/', a
  // UTF-16 surrogate and a byte that never appears in UTF-8.
  EXPECT_EQ(RoundTrip("a\x80" "b"), "a" + replacement + "b");
  EXPECT_EQ(RoundTrip("中\xE6\x96"), "中" + replacement + replacement);
  EXPECT_EQ(RoundTrip("\xC0\xAF"), replacement + replacement);
  EXPECT_EQ(RoundTrip("\xED\xA0\x80"), replacement + replacement + replacement);
  EXPECT_EQ(RoundTrip("\xFF"), replacement);
}

}  // namespace
}  // namespace zb
