// Chinese text folding for search: traditional → simplified characters
// (OpenCC) and pinyin initials (GB2312 order).
//
// ToSimplified("東莞開發區") == "东莞开发区". Uses OpenCC's t2s.json from
// /usr/share/opencc (Debian's libopencc-data; ZB_OPENCC_DIR overrides the
// directory), loaded once on first use; text that is already simplified,
// ASCII or anything else passes through unchanged. OpenCC converts phrase by
// phrase, so a fragment converted alone can, rarely, differ from the same
// characters converted inside a longer text. If the configuration cannot be
// loaded, the first call logs one line to stderr naming the file and every
// call throws std::runtime_error — it never quietly returns its input, which
// would make searches silently miss.
//
// PinyinInitials("文双线") == "wsx": the lower-case initial of each Chinese
// character, ASCII letters and digits kept (lower-cased), everything else
// dropped ("A区5号" → "aq5h"). Debian has no pinyin library for C/C++, so
// this uses GB2312's layout: its 3 755 level-1 hanzi (一级字库, the common
// ones) are sorted by pinyin, so the range a character's GB2312 code falls
// in gives its initial. Level-2 hanzi (二级字库, sorted by radical) and
// characters outside GB2312 (traditional forms, rare characters) get no
// initial — except a handful of place-name characters of the region listed
// in chinese.cc (罘 as in 芝罘, 莞, 淄, 菏, 岚, 崂). Polyphones take the
// reading GB2312 filed them under (长 → c, 行 → x). Give it simplified text:
// ToSimplified first.
//
// Both are thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace zb {

std::string ToSimplified(std::string_view utf8);

std::string PinyinInitials(std::string_view utf8);

// How search text and queries are folded, the same way for both:
// ToSimplified, full-width ASCII forms (ＡＢ１２, U+FF01–U+FF5E) to ASCII,
// ASCII letters lower-cased, the ideographic space to a space.
std::string FoldForSearch(std::string_view utf8);

}  // namespace zb
