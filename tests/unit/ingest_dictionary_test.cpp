// UserDictionary: dense indices in first-seen order, exact strings, growth, sorted order.
#include <gtest/gtest.h>

#include <string>

#include "segmint/dictionary.hpp"

namespace segmint {

TEST(UserDictionary, DenseIndicesInFirstSeenOrder) {
  UserDictionary d;
  EXPECT_EQ(d.intern("b"), 0u);
  EXPECT_EQ(d.intern("a"), 1u);
  EXPECT_EQ(d.intern("b"), 0u);
  EXPECT_EQ(d.intern(""), 2u);
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(d.id(1), "a");
  EXPECT_EQ(d.find("a"), 1);
  EXPECT_EQ(d.find("c"), -1);
}

TEST(UserDictionary, FindOnEmptyDictionary) {
  UserDictionary d;
  EXPECT_EQ(d.find("x"), -1);
  EXPECT_TRUE(d.sorted_order().empty());
}

TEST(UserDictionary, KeepsLargeNumericIdsExactly) {
  UserDictionary d;
  // 2^63 + 1 is not representable as a double: ids must stay strings.
  d.intern("9223372036854775809");
  d.intern("9223372036854775808");
  EXPECT_EQ(d.size(), 2u);
  EXPECT_EQ(d.id(0), "9223372036854775809");
}

TEST(UserDictionary, SurvivesGrowthWithManyIds) {
  UserDictionary d;
  const int n = 200000;
  for (int i = 0; i < n; ++i) ASSERT_EQ(d.intern("user" + std::to_string(i)), std::uint32_t(i));
  for (int i = 0; i < n; i += 997) EXPECT_EQ(d.find("user" + std::to_string(i)), i);
  for (int i = 0; i < n; i += 1009) EXPECT_EQ(d.intern("user" + std::to_string(i)), std::uint32_t(i));
  EXPECT_EQ(d.size(), std::size_t(n));
  EXPECT_EQ(d.find("user" + std::to_string(n)), -1);
}

TEST(UserDictionary, SortedOrderIsBytewise) {
  UserDictionary d;
  for (const char* s : {"b", "10", "a", "9", "B"}) d.intern(s);
  // Bytewise: "10" < "9" < "B" < "a" < "b".
  std::vector<std::uint32_t> want = {1, 3, 4, 2, 0};
  EXPECT_EQ(d.sorted_order(), want);
}

}  // namespace segmint
