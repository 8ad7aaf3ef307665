// Writing a zip archive in memory, for the xlsx writer (io/xlsx.h): members
// one after the other, each deflated as its bytes come (zlib, level 1:
// an export's sheet XML is large and very repetitive; level 1 costs a
// fraction of the default level's time for a file ~15 % larger).
//
// Contract
// - Begin(name) starts a member, Write appends to it (any number of times,
//   compressed as it comes: only the compressed bytes are kept), End closes
//   it and fills its local header's CRC-32 and sizes in place (the archive
//   is in memory, so no data descriptor is needed). Finish writes the
//   central directory and returns the archive; the writer is spent.
// - Names are ASCII paths ("xl/worksheets/sheet1.xml"). No zip64: a member
//   or the archive past 4 GiB is kInternal (an export never comes near).
#pragma once

#include <zlib.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace zb::io {

class ZipWriter {
 public:
  ZipWriter();
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  Status Begin(std::string name);
  Status Write(std::string_view data);
  Status End();
  StatusOr<std::string> Finish();

  // A whole member at once.
  Status Add(std::string name, std::string_view data);

 private:
  struct Entry {
    std::string name;
    uint32_t crc = 0;
    uint64_t compressed = 0, size = 0, offset = 0;
  };
  Status Deflate(std::string_view data, int flush);

  std::string out_;
  std::vector<Entry> entries_;
  z_stream z_{};
  bool open_ = false;  // a member is being written
  bool ready_ = false;  // z_ set up and Finish not yet called
};

}  // namespace zb::io
