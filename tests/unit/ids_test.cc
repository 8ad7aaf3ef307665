#include "core/ids.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>
#include <vector>

namespace zb {
namespace {

bool IsLowerHex(std::string_view s) {
  return s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

TEST(NewRequestId, IsSixteenHexCharsAndSafe) {
  std::string id = NewRequestId();
  EXPECT_EQ(id.size(), 16u);
  EXPECT_TRUE(IsLowerHex(id)) << id;
  EXPECT_TRUE(IsSafeId(id));
}

TEST(NewRequestId, UniqueAcrossThreads) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20'000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ids, t] {
      ids[t].reserve(kPerThread);
      for (int i = 0; i < kPerThread; ++i) ids[t].push_back(NewRequestId());
    });
  }
  for (auto& t : threads) t.join();
  std::unordered_set<std::string> all;
  for (const auto& v : ids) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST(NewRequestId, ConsecutiveIdsDoNotLookSequential) {
  std::string a = NewRequestId();
  std::string b = NewRequestId();
  int same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  EXPECT_LT(same, 12) << a << " " << b;
}

TEST(NewRequestId, ForkedChildDoesNotRepeatParent) {
  (void)NewRequestId();  // make sure the parent is seeded before fork
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::string id = NewRequestId();
    ssize_t w = write(fds[1], id.data(), id.size());
    _exit(w == 16 ? 0 : 1);
  }
  close(fds[1]);
  std::string parent = NewRequestId();
  char buf[16];
  ssize_t n = read(fds[0], buf, sizeof(buf));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_EQ(n, 16);
  EXPECT_NE(std::string(buf, 16), parent);
}

TEST(RandomHex, LengthAlphabetAndUniqueness) {
  EXPECT_EQ(RandomHex(0), "");
  EXPECT_EQ(RandomHex(1).size(), 2u);
  std::string token = RandomHex(32);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_TRUE(IsLowerHex(token));
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(RandomHex(16));
  EXPECT_EQ(seen.size(), 1000u);
  // Large requests are filled completely (every hex digit eventually used).
  std::string big = RandomHex(1 << 16);
  EXPECT_EQ(big.size(), size_t{1} << 17);
  for (char c : std::string_view("0123456789abcdef")) {
    EXPECT_NE(big.find(c), std::string::npos) << c;
  }
}

TEST(FillRandom, FillsEveryByte) {
  // A zeroed buffer keeps a zero byte with probability 2^-8 per byte; over
  // 64 tries every position has been non-zero at least once.
  unsigned char seen[64] = {};
  for (int t = 0; t < 64; ++t) {
    unsigned char buf[64] = {};
    FillRandom(buf, sizeof(buf));
    for (size_t i = 0; i < sizeof(buf); ++i) seen[i] |= buf[i];
  }
  for (unsigned char s : seen) EXPECT_NE(s, 0);
}

TEST(IsSafeId, AcceptsTheAlphabetUpToSixtyFour) {
  EXPECT_TRUE(IsSafeId("a"));
  EXPECT_TRUE(IsSafeId("req-2026.11_23-ABCxyz09"));
  EXPECT_TRUE(IsSafeId("f47ac10b-58cc-4372-a567-0e02b2c3d479"));
  EXPECT_TRUE(IsSafeId(std::string(64, 'x')));
  EXPECT_FALSE(IsSafeId(std::string(65, 'x')));
  EXPECT_FALSE(IsSafeId(""));
  for (std::string_view bad : std::initializer_list<std::string_view>{"a b", "a\nb", "a\r\nSet-Cookie: x", "a/b", "a:b", "a\"b", "<script>",
                               "请求", "a%20b", "a\tb", "a+b", "a=b", std::string_view("a\0b", 3)}) {
    EXPECT_FALSE(IsSafeId(bad)) << bad;
  }
}

TEST(ConstantTimeEquals, ComparesBytes) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc123", "abc123"));
  EXPECT_FALSE(ConstantTimeEquals("abc123", "abc124"));
  EXPECT_FALSE(ConstantTimeEquals("abc123", "Abc123"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", ""));
}

}  // namespace
}  // namespace zb
