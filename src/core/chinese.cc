#include "core/chinese.h"

#include <iconv.h>
#include <opencc/opencc.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace zb {

namespace {

// ---- traditional → simplified ---------------------------------------------------

// OpenCC's C API documents every call but opencc_error() as thread-safe,
// so one converter serves all threads without a lock.
struct Converter {
  opencc_t handle = reinterpret_cast<opencc_t>(-1);
  std::string error;  // set when the configuration did not load
};

const Converter& T2s() {
  static const Converter* converter = [] {
    auto* c = new Converter();  // lives for the process
    const char* dir = std::getenv("ZB_OPENCC_DIR");
    const std::string config = std::string(dir && *dir ? dir : "/usr/share/opencc") + "/t2s.json";
    c->handle = opencc_open(config.c_str());
    if (c->handle == reinterpret_cast<opencc_t>(-1)) {
      const char* why = opencc_error();
      c->error = "繁简转换配置无法加载 (cannot load the OpenCC configuration " + config +
                 "): " + (why ? why : "unknown error") + "; install libopencc-data or set ZB_OPENCC_DIR";
      std::fprintf(stderr, "zhuanban: %s\n", c->error.c_str());
    }
    return c;
  }();
  return *converter;
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// ---- pinyin initials ------------------------------------------------------------

// The first GB2312 code of each initial's run in level 1 (B0A1–D7F9), in
// pinyin order; i, u and v start no syllable. Level 1 ends at 0xD7F9 (座).
struct InitialRun {
  unsigned code;
  char initial;
};
constexpr InitialRun kRuns[] = {
    {0xB0A1, 'a'}, {0xB0C5, 'b'}, {0xB2C1, 'c'}, {0xB4EE, 'd'}, {0xB6EA, 'e'}, {0xB7A2, 'f'},
    {0xB8C1, 'g'}, {0xB9FE, 'h'}, {0xBBF7, 'j'}, {0xBFA6, 'k'}, {0xC0AC, 'l'}, {0xC2E8, 'm'},
    {0xC4C3, 'n'}, {0xC5B6, 'o'}, {0xC5BE, 'p'}, {0xC6DA, 'q'}, {0xC8BB, 'r'}, {0xC8F6, 's'},
    {0xCBFA, 't'}, {0xCDDA, 'w'}, {0xCEF4, 'x'}, {0xD1B9, 'y'}, {0xD4D1, 'z'}};
constexpr unsigned kLevel1End = 0xD7F9;

// Level-2 characters of the region's place names (芝罘区, 东莞, 淄博, 菏泽,
// 岚山, 崂山), which would otherwise get no initial.
constexpr std::pair<char32_t, char> kPlaceNameInitials[] = {
    {U'罘', 'f'}, {U'莞', 'g'}, {U'淄', 'z'}, {U'菏', 'h'}, {U'岚', 'l'}, {U'崂', 'l'}};

constexpr char32_t kFirstHan = 0x4E00, kLastHan = 0x9FFF;  // CJK Unified Ideographs

std::string EncodeUtf8(char32_t cp) {
  std::string out;
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
  return out;
}

// The initial of every CJK Unified Ideograph (0: none), built once with
// iconv: ~21 000 conversions, a few milliseconds.
using InitialTable = std::array<char, kLastHan - kFirstHan + 1>;

const InitialTable& Initials() {
  static const InitialTable* table = [] {
    auto* t = new InitialTable();
    t->fill(0);
    iconv_t cd = iconv_open("GB2312", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
      // glibc always has GB2312; without it every hanzi gets no initial.
      std::fprintf(stderr, "zhuanban: iconv UTF-8 → GB2312 unavailable: pinyin initials disabled\n");
      return t;
    }
    for (char32_t cp = kFirstHan; cp <= kLastHan; ++cp) {
      std::string in = EncodeUtf8(cp);
      char out[8];
      char* inp = in.data();
      size_t inleft = in.size();
      char* outp = out;
      size_t outleft = sizeof out;
      iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset the shift state
      if (iconv(cd, &inp, &inleft, &outp, &outleft) == static_cast<size_t>(-1) || outp - out != 2) continue;
      const unsigned code = (static_cast<unsigned char>(out[0]) << 8) | static_cast<unsigned char>(out[1]);
      if (code < kRuns[0].code || code > kLevel1End) continue;
      char initial = 0;
      for (const InitialRun& run : kRuns) {
        if (code >= run.code) initial = run.initial;
      }
      (*t)[cp - kFirstHan] = initial;
    }
    iconv_close(cd);
    for (auto [cp, initial] : kPlaceNameInitials) {
      if ((*t)[cp - kFirstHan] == 0) (*t)[cp - kFirstHan] = initial;
    }
    return t;
  }();
  return *table;
}

// Decodes one UTF-8 sequence at s[i]; advances i. Malformed bytes decode as
// U+FFFD, one byte at a time.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  const int extra = (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
  if (extra < 0 || i + extra >= s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += extra + 1;
  return cp;
}

}  // namespace

std::string ToSimplified(std::string_view utf8) {
  if (IsAscii(utf8)) return std::string(utf8);  // nothing to convert, and no dictionary needed
  const Converter& c = T2s();
  if (!c.error.empty()) throw std::runtime_error(c.error);
  const std::string input(utf8);  // NUL-terminated for the C API
  char* out = opencc_convert_utf8(c.handle, input.c_str(), input.size());
  if (out == nullptr) throw std::runtime_error("繁简转换失败 (OpenCC conversion failed)");
  std::string result(out);
  opencc_convert_utf8_free(out);
  return result;
}

std::string PinyinInitials(std::string_view utf8) {
  const InitialTable& table = Initials();
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    const char32_t cp = NextCodePoint(utf8, i);
    if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z')) {
      out += static_cast<char>(cp);
    } else if (cp >= 'A' && cp <= 'Z') {
      out += static_cast<char>(cp - 'A' + 'a');
    } else if (cp >= kFirstHan && cp <= kLastHan && table[cp - kFirstHan] != 0) {
      out += table[cp - kFirstHan];
    }
  }
  return out;
}

std::string FoldForSearch(std::string_view utf8) {
  const std::string simplified = ToSimplified(utf8);
  std::string out;
  out.reserve(simplified.size());
  for (size_t i = 0; i < simplified.size();) {
    const size_t start = i;
    char32_t cp = NextCodePoint(simplified, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFF01 - 0x21;  // full-width forms → ASCII
    if (cp == 0x3000) cp = ' ';
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else {
      out.append(simplified, start, i - start);  // as it was (keeps malformed bytes unchanged)
    }
  }
  return out;
}

}  // namespace zb
