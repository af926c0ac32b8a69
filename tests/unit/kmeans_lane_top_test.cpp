// The assignment kernel's block minimum (kmeans/assign_kernel.hpp, compiled here for the
// baseline vector type): a tree of merges must give the minimum, the second smallest value and
// the first minimum's index that offering the values one centroid at a time gives, on every
// lane, with ties everywhere (a tie makes the second smallest equal to the minimum).
#include <gtest/gtest.h>

#include <random>

// The vector types' ABI note (the kernel's own files pass -Wno-psabi).
#pragma GCC diagnostic ignored "-Wpsabi"
#include "kmeans/assign_kernel.hpp"

namespace segmint::kmeans {
namespace {

// Sixteen lanes drawn from `levels` values (few levels: ties in most lanes).
v16f random_lanes(std::mt19937_64& gen, int levels) {
  float v[kTile];
  for (float& f : v) f = static_cast<float>(gen() % levels) - 1.5f;
  return load16(v);
}

template <int NC>
void expect_tree_is_ordered(std::mt19937_64& gen, int levels, int c0) {
  v16f acc[NC];
  for (v16f& a : acc) a = random_lanes(gen, levels);
  LaneTop ordered, tree;
  for (int q = 0; q < NC; ++q) ordered.offer(acc[q], c0 + q);
  tree.merge(block_top<0, NC>(acc, c0));
  for (int r = 0; r < kTile; ++r) {
    SCOPED_TRACE(::testing::Message() << "NC=" << NC << " lane " << r << " levels " << levels);
    EXPECT_EQ(tree.m[r], ordered.m[r]);
    EXPECT_EQ(tree.m2[r], ordered.m2[r]);
    EXPECT_EQ(tree.im[r], ordered.im[r]);
  }
}

TEST(KMeansLaneTop, TreeOfMergesIsTheOrderedOffers) {
  std::mt19937_64 gen(11);
  for (int levels : {2, 3, 5, 1000})
    for (int rep = 0; rep < 50; ++rep) {
      expect_tree_is_ordered<1>(gen, levels, 7);
      expect_tree_is_ordered<2>(gen, levels, 0);
      expect_tree_is_ordered<3>(gen, levels, 3);
      expect_tree_is_ordered<6>(gen, levels, 12);
      expect_tree_is_ordered<8>(gen, levels, 0);
      expect_tree_is_ordered<16>(gen, levels, 16);
    }
}

TEST(KMeansLaneTop, MergingBlocksIsOfferingTheirValuesInOrder) {
  std::mt19937_64 gen(5);
  for (int rep = 0; rep < 200; ++rep) {
    v16f acc[12];
    for (v16f& a : acc) a = random_lanes(gen, 4);
    LaneTop ordered, blocks;
    for (int q = 0; q < 12; ++q) ordered.offer(acc[q], q);
    blocks.merge(block_top<0, 5>(acc, 0));  // blocks of 5, 4 and 3 in order
    blocks.merge(block_top<5, 4>(acc, 0));
    blocks.merge(block_top<9, 3>(acc, 0));
    for (int r = 0; r < kTile; ++r) {
      ASSERT_EQ(blocks.m[r], ordered.m[r]) << "lane " << r;
      ASSERT_EQ(blocks.m2[r], ordered.m2[r]) << "lane " << r;
      ASSERT_EQ(blocks.im[r], ordered.im[r]) << "lane " << r;
    }
  }
}

}  // namespace
}  // namespace segmint::kmeans
