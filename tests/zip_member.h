// Reading one member of a zip file (an .xlsx) in a test, with Python's
// zipfile, which checks the member's CRC: "" when the member is missing or
// the archive is broken. Shared by the unit and API tests.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

namespace zb::testing {

inline std::string ZipMember(const std::string& bytes, const std::string& member) {
  char path[] = "/tmp/zb-zip-test-XXXXXX";
  int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  std::ofstream(path, std::ios::binary) << bytes;
  ::close(fd);
  std::string cmd = std::string("python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); ") +
                    "sys.stdout.buffer.write(z.read(sys.argv[2]))' " + path + " '" + member + "' 2>/dev/null";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = ::pclose(p);
  ::unlink(path);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? out : "";
}

// The first sheet's XML and the shared strings: wherever a writer put the text.
inline std::string XlsxSheetText(const std::string& bytes) {
  return ZipMember(bytes, "xl/worksheets/sheet1.xml") + ZipMember(bytes, "xl/sharedStrings.xml");
}

}  // namespace zb::testing
