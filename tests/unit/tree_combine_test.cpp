// detail::tree_combine, the order in which a heavy user's block combines its chunk partials:
// chunk order is kept (a non-commutative combine gives the sequential result) for every count.
#include "segmint/detail/tree_combine.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace segmint::detail {
namespace {

TEST(TreeCombine, KeepsChunkOrderForEveryCount) {
  const auto concat = [](const std::string& a, const std::string& b) { return a + b; };
  for (int n = 1; n <= 130; ++n) {
    std::vector<std::string> parts;
    std::string sequential;
    for (int i = 0; i < n; ++i) {
      parts.push_back(std::to_string(i) + ",");
      sequential += parts.back();
    }
    EXPECT_EQ(tree_combine(parts.data(), n, concat), sequential) << n;
  }
}

TEST(TreeCombine, LevelsTouchDisjointSlots) {
  // A level's writers (i) and readers (i + stride) never meet, so a block needs one barrier
  // per level and no more.
  const int n = 128;
  for (int stride = 1; stride < n; stride *= 2) {
    std::vector<int> touched(n, 0);
    std::vector<int> parts(n, 1);
    const auto count = [&](int a, int b) { return a + b; };
    for (int i = 0; i < n; ++i) {
      const int before = parts[i];
      tree_step(parts.data(), n, stride, i, count);
      if (parts[i] != before) {
        touched[i] += 1;
        touched[i + stride] += 1;
      }
    }
    for (int i = 0; i < n; ++i) EXPECT_LE(touched[i], 1) << stride << " " << i;
  }
}

}  // namespace
}  // namespace segmint::detail
