// UTF-8 text as the GB18030 (GBK) bytes Excel and WPS save a Chinese CSV in,
// for the import tests.
#pragma once

#include <gtest/gtest.h>
#include <iconv.h>

#include <string>

namespace zb::testing {

inline std::string Gbk(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string in = utf8, out(utf8.size() * 2 + 16, '\0');
  char* src = in.data();
  char* dst = out.data();
  size_t left = in.size(), room = out.size();
  EXPECT_NE(iconv(cd, &src, &left, &dst, &room), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - room);
  return out;
}

}  // namespace zb::testing
