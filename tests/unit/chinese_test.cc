#include "core/chinese.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace zb {
namespace {

TEST(ToSimplified, TraditionalBecomesSimplified) {
  EXPECT_EQ(ToSimplified("東莞"), "东莞");
  EXPECT_EQ(ToSimplified("開發區"), "开发区");
  EXPECT_EQ(ToSimplified("煙臺經濟技術開發區年產5萬噸項目"), "烟台经济技术开发区年产5万吨项目");
}

TEST(ToSimplified, SimplifiedAsciiAndMixedPassThrough) {
  EXPECT_EQ(ToSimplified("莱山区文双线道路工程"), "莱山区文双线道路工程");
  EXPECT_EQ(ToSimplified("XM-2026-0001"), "XM-2026-0001");
  EXPECT_EQ(ToSimplified(""), "");
  EXPECT_EQ(ToSimplified("A區5號樓"), "A区5号楼");
}

TEST(ToSimplified, SafeFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> results(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&results, i] {
      for (int k = 0; k < 200; ++k) results[i] = ToSimplified("臺灣開發區");
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r, "台湾开发区");
}

// Without its dictionary the conversion says so (stderr, then an exception
// on every call) instead of returning the text unconverted. Run in a fresh
// process: the configuration is loaded once per process.
TEST(ToSimplifiedDeathTest, MissingConfigurationFailsLoudly) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("ZB_OPENCC_DIR", "/nonexistent/opencc", 1);
        try {
          ToSimplified("東莞");
        } catch (const std::runtime_error& e) {
          std::fprintf(stderr, "threw: %s\n", e.what());
          std::exit(3);
        }
        std::exit(0);
      },
      ::testing::ExitedWithCode(3), "cannot load the OpenCC configuration /nonexistent/opencc/t2s.json");
}

TEST(PinyinInitials, CommonCharacters) {
  EXPECT_EQ(PinyinInitials("莱山区"), "lsq");
  EXPECT_EQ(PinyinInitials("文双线"), "wsx");
  EXPECT_EQ(PinyinInitials("烟台开发区"), "ytkfq");
  EXPECT_EQ(PinyinInitials("新材料产业园"), "xclcyy");
}

TEST(PinyinInitials, EveryInitialsBoundary) {
  // The first and last level-1 character of a few runs: 啊 a, 芭 b, 座 z (the
  // last of level 1), 昔 x, 压 y, 匝 z.
  EXPECT_EQ(PinyinInitials("啊芭擦搭蛾发噶哈击喀垃妈拿哦啪期然撒塌挖昔压匝座"), "abcdefghjklmnopqrstwxyzz");
}

TEST(PinyinInitials, AsciiKeptLowerCasedOthersDropped) {
  EXPECT_EQ(PinyinInitials("A区5号"), "aq5h");
  EXPECT_EQ(PinyinInitials("（一期）项目-2026"), "yqxm2026");
  EXPECT_EQ(PinyinInitials(""), "");
}

TEST(PinyinInitials, LevelTwoCharactersOnlyFromThePlaceNameList) {
  EXPECT_EQ(PinyinInitials("芝罘区"), "zfq");  // 罘: level 2, listed
  EXPECT_EQ(PinyinInitials("东莞"), "dg");     // 莞: level 2, listed
  EXPECT_EQ(PinyinInitials("龘"), "");         // outside GB2312: no initial
  // Traditional characters are not in GB2312: simplify first.
  EXPECT_EQ(PinyinInitials("雙線"), "");
  EXPECT_EQ(PinyinInitials(ToSimplified("文雙線")), "wsx");
}

TEST(FoldForSearch, SimplifiesWidensAndLowers) {
  EXPECT_EQ(FoldForSearch("XM-2026-0001 東莞"), "xm-2026-0001 东莞");
  EXPECT_EQ(FoldForSearch("ＡＢＣ１２３"), "abc123");
  EXPECT_EQ(FoldForSearch("光伏\u3000项目"), "光伏 项目");
}

}  // namespace
}  // namespace zb
