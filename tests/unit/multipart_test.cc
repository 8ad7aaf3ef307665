// http/multipart: the file uploads of the import routes, as browsers and
// curl frame them, and the framing errors named.
#include "http/multipart.h"

#include <gtest/gtest.h>

#include <string>

namespace zb::http {
namespace {

TEST(Multipart, BoundaryComesFromTheContentType) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk"),
            "----WebKitFormBoundary7MA4YWxk");
  EXPECT_EQ(*MultipartBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\""), "a b;c");
  EXPECT_EQ(MultipartBoundary("application/json").status().code(), StatusCode::kUnsupportedMediaType);
  EXPECT_EQ(MultipartBoundary("multipart/form-data").status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=").status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')).status().code(),
            StatusCode::kBadRequest);
}

TEST(Multipart, ReadsFieldsAndAFileWithBinaryContent) {
  std::string content = std::string("PK\x03\x04", 4) + std::string("\0\r\n--x\r\n", 8) + "end";
  std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"dry_run\"\r\n"
      "\r\n"
      "true\r\n"
      "--XyZ\r\n"
      "content-disposition: form-data; name=\"file\"; filename=\"ledger.xlsx\"; "
      "filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E5%8F%B0%E8%B4%A6.xlsx\r\n"
      "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
      "X-Other: ignored\r\n"
      "\r\n" +
      content +
      "\r\n"
      "--XyZ--\r\n"
      "epilogue";
  auto parts = ParseMultipart(body, "XyZ");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "dry_run");
  EXPECT_EQ((*parts)[0].filename, "");
  EXPECT_EQ((*parts)[0].content, "true");
  EXPECT_EQ((*parts)[1].name, "file");
  EXPECT_EQ((*parts)[1].filename, "项目台账.xlsx") << "filename* wins";
  EXPECT_EQ((*parts)[1].content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ((*parts)[1].content, content) << "NULs, CRLFs and near-boundaries kept";
}

TEST(Multipart, APreambleAndQuotedNamesAreFine) {
  std::string body =
      "this is a preamble\r\n"
      "--b\r\n"
      "Content-Disposition: form-data; name=\"fi\\\"le\"; filename=\"a;b.csv\"\r\n"
      "\r\n"
      "项目名称\r\n文双线\r\n"
      "--b--";
  auto parts = ParseMultipart(body, "b");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "fi\"le");
  EXPECT_EQ((*parts)[0].filename, "a;b.csv");
  EXPECT_EQ((*parts)[0].content, "项目名称\r\n文双线");
}

TEST(Multipart, BrokenFramingIsABadRequestSayingWhat) {
  auto error = [](const std::string& body) {
    auto r = ParseMultipart(body, "b");
    EXPECT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().code(), StatusCode::kBadRequest);
    EXPECT_EQ(r.status().field(), "body");
    return r.status().message();
  };
  EXPECT_NE(error("no delimiter at all").find("no opening boundary"), std::string::npos);
  EXPECT_NE(error("--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc").find("missing closing"),
            std::string::npos);
  EXPECT_NE(error("--b\r\nContent-Disposition: form-data; name=\"f\"\r\nabc\r\n--b--").find("blank line"),
            std::string::npos);
  EXPECT_NE(error("--b\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--b--").find("without a name"),
            std::string::npos);
  EXPECT_NE(error("--b\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nabc\r\n--b--").find("not form-data"),
            std::string::npos);
  EXPECT_NE(error("--b\nContent-Disposition: form-data; name=\"f\"\n\nabc\n--b--").find("CRLF"), std::string::npos)
      << "bare LF line ends";
  EXPECT_NE(error("--b\r\nContent-Disposition: form-data; name=\"f\r\n\r\nx\r\n--b--").find("unclosed quote"),
            std::string::npos);
  std::string many;
  for (int i = 0; i < 101; ++i) many += "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  EXPECT_NE(error(many + "--b--").find("100"), std::string::npos);
}

}  // namespace
}  // namespace zb::http
