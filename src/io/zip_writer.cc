#include "io/zip_writer.h"

#include <limits>

namespace zb::io {

namespace {

constexpr uint64_t kMax32 = std::numeric_limits<uint32_t>::max();
constexpr uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01: the same bytes for the same content
constexpr size_t kOutStep = 256 << 10;                 // room added to the output per deflate call

void Put16(std::string& s, uint16_t v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>(v >> 8);
}

void Put32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
}

void Patch32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

Status TooLarge() { return Internal("导出文件超过 4 GiB (the archive is too large)"); }

}  // namespace

ZipWriter::ZipWriter() {
  // Raw deflate (negative window bits: zip has its own headers), level 1.
  ready_ = deflateInit2(&z_, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}

ZipWriter::~ZipWriter() {
  if (ready_) deflateEnd(&z_);
}

Status ZipWriter::Begin(std::string name) {
  if (!ready_ || open_) return Internal("zip: Begin out of order");
  if (out_.size() > kMax32) return TooLarge();
  deflateReset(&z_);
  entries_.push_back({.name = std::move(name), .crc = static_cast<uint32_t>(crc32(0, nullptr, 0)),
                      .offset = out_.size()});
  const std::string& n = entries_.back().name;
  Put32(out_, 0x04034b50);  // local file header
  Put16(out_, 20);          // version needed: 2.0 (deflate)
  Put16(out_, 0);           // flags
  Put16(out_, 8);           // deflate
  Put16(out_, 0);           // time
  Put16(out_, kDosDate);
  Put32(out_, 0);  // CRC-32, compressed and uncompressed sizes: patched by End
  Put32(out_, 0);
  Put32(out_, 0);
  Put16(out_, static_cast<uint16_t>(n.size()));
  Put16(out_, 0);  // extra field
  out_ += n;
  open_ = true;
  return Status::Ok();
}

Status ZipWriter::Deflate(std::string_view data, int flush) {
  z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z_.avail_in = static_cast<uInt>(data.size());
  do {
    size_t used = out_.size();
    out_.resize(used + kOutStep);
    z_.next_out = reinterpret_cast<Bytef*>(out_.data() + used);
    z_.avail_out = static_cast<uInt>(kOutStep);
    int rc = deflate(&z_, flush);
    out_.resize(used + kOutStep - z_.avail_out);
    if (rc == Z_STREAM_ERROR) return Internal("zip: deflate failed");
    if (flush == Z_FINISH && rc == Z_STREAM_END) break;
  } while (z_.avail_in > 0 || z_.avail_out == 0);
  return Status::Ok();
}

Status ZipWriter::Write(std::string_view data) {
  if (!open_) return Internal("zip: Write outside a member");
  Entry& e = entries_.back();
  // zlib counts in uInt; an export hands at most a few MiB at a time.
  for (size_t at = 0; at < data.size(); at += 1u << 30) {
    std::string_view piece = data.substr(at, 1u << 30);
    e.crc = static_cast<uint32_t>(crc32(e.crc, reinterpret_cast<const Bytef*>(piece.data()),
                                        static_cast<uInt>(piece.size())));
    e.size += piece.size();
    ZB_RETURN_IF_ERROR(Deflate(piece, Z_NO_FLUSH));
  }
  return e.size > kMax32 ? TooLarge() : Status::Ok();
}

Status ZipWriter::End() {
  if (!open_) return Internal("zip: End outside a member");
  ZB_RETURN_IF_ERROR(Deflate({}, Z_FINISH));
  open_ = false;
  Entry& e = entries_.back();
  size_t data_at = e.offset + 30 + e.name.size();
  e.compressed = out_.size() - data_at;
  if (e.compressed > kMax32 || e.size > kMax32) return TooLarge();
  Patch32(out_, e.offset + 14, e.crc);
  Patch32(out_, e.offset + 18, static_cast<uint32_t>(e.compressed));
  Patch32(out_, e.offset + 22, static_cast<uint32_t>(e.size));
  return Status::Ok();
}

Status ZipWriter::Add(std::string name, std::string_view data) {
  ZB_RETURN_IF_ERROR(Begin(std::move(name)));
  ZB_RETURN_IF_ERROR(Write(data));
  return End();
}

StatusOr<std::string> ZipWriter::Finish() {
  if (!ready_ || open_) return Internal("zip: Finish out of order");
  ready_ = false;
  deflateEnd(&z_);
  const uint64_t directory_at = out_.size();
  if (directory_at > kMax32 || entries_.size() > 0xFFFF) return TooLarge();
  for (const Entry& e : entries_) {
    Put32(out_, 0x02014b50);  // central directory header
    Put16(out_, 20);          // made by: 2.0
    Put16(out_, 20);          // needed: 2.0
    Put16(out_, 0);           // flags
    Put16(out_, 8);           // deflate
    Put16(out_, 0);
    Put16(out_, kDosDate);
    Put32(out_, e.crc);
    Put32(out_, static_cast<uint32_t>(e.compressed));
    Put32(out_, static_cast<uint32_t>(e.size));
    Put16(out_, static_cast<uint16_t>(e.name.size()));
    Put16(out_, 0);  // extra
    Put16(out_, 0);  // comment
    Put16(out_, 0);  // disk
    Put16(out_, 0);  // internal attributes
    Put32(out_, 0);  // external attributes
    Put32(out_, static_cast<uint32_t>(e.offset));
    out_ += e.name;
  }
  const uint64_t directory_size = out_.size() - directory_at;
  Put32(out_, 0x06054b50);  // end of central directory
  Put16(out_, 0);
  Put16(out_, 0);
  Put16(out_, static_cast<uint16_t>(entries_.size()));
  Put16(out_, static_cast<uint16_t>(entries_.size()));
  Put32(out_, static_cast<uint32_t>(directory_size));
  Put32(out_, static_cast<uint32_t>(directory_at));
  Put16(out_, 0);  // comment
  return std::move(out_);
}

}  // namespace zb::io
