// Hungarian algorithm and stable-id matching: hand-made cases and brute force on random input.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>

#include "nightly/hungarian.hpp"
#include "nightly/match.hpp"
#include "segmint/error.hpp"

namespace segmint::nightly {
namespace {

// Minimum total cost over all injective maps of the smaller side into the larger, by trying
// every permutation of the larger side.
double brute_force_min(const std::vector<double>& cost, int rows, int cols) {
  int small = std::min(rows, cols), large = std::max(rows, cols);
  std::vector<int> perm(large);
  std::iota(perm.begin(), perm.end(), 0);
  double best = 1e300;
  do {
    double s = 0;
    for (int i = 0; i < small; ++i) {
      s += rows <= cols ? cost[std::size_t(i) * cols + perm[i]]
                        : cost[std::size_t(perm[i]) * cols + i];
    }
    best = std::min(best, s);
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

void expect_valid(const std::vector<int>& a, int rows, int cols) {
  ASSERT_EQ(a.size(), std::size_t(rows));
  std::vector<int> seen(cols, 0);
  int assigned = 0;
  for (int c : a) {
    if (c < 0) continue;
    ASSERT_LT(c, cols);
    EXPECT_EQ(seen[c]++, 0) << "column used twice";
    ++assigned;
  }
  EXPECT_EQ(assigned, std::min(rows, cols));
}

TEST(NightlyHungarian, SquareHandMade) {
  // Greedy (row 0 takes its cheapest column 0) costs 1 + 100 + ... ; optimum is 2 + 2 + 3 = 7.
  std::vector<double> cost = {1, 2, 9,  //
                              2, 100, 9,  //
                              9, 9, 3};
  auto a = hungarian(cost, 3, 3);
  EXPECT_EQ(a, (std::vector<int>{1, 0, 2}));
  EXPECT_DOUBLE_EQ(assignment_cost(cost, 3, a), 7.0);
}

TEST(NightlyHungarian, MoreColumnsThanRows) {
  // 2 old x 3 new: row 0 -> col 2 (1), row 1 -> col 0 (2); col 1 is left over.
  std::vector<double> cost = {5, 6, 1,  //
                              2, 8, 1.5};
  auto a = hungarian(cost, 2, 3);
  EXPECT_EQ(a, (std::vector<int>{2, 0}));
}

TEST(NightlyHungarian, MoreRowsThanColumns) {
  // 3 old x 2 new: the best two rows take the columns; row 1 is left unassigned (-1).
  std::vector<double> cost = {4, 1,  //
                              7, 7,  //
                              2, 5};
  auto a = hungarian(cost, 3, 2);
  EXPECT_EQ(a, (std::vector<int>{1, -1, 0}));
}

TEST(NightlyHungarian, EmptyAndNonFinite) {
  EXPECT_EQ(hungarian({}, 0, 3), std::vector<int>{});
  EXPECT_EQ(hungarian({}, 2, 0), (std::vector<int>{-1, -1}));
  EXPECT_THROW(hungarian({1, 2, 3}, 2, 2), Error);
  EXPECT_THROW(hungarian({1, std::numeric_limits<double>::infinity()}, 1, 2), Error);
}

TEST(NightlyHungarian, MatchesBruteForceOnRandomMatrices) {
  std::random_device rd;  // fresh input every run; the seed is printed on failure
  unsigned seed = rd();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dim(1, 6);
  std::uniform_real_distribution<double> val(0.0, 10.0);
  std::uniform_int_distribution<int> small(0, 3);  // integer costs: many ties
  for (int trial = 0; trial < 300; ++trial) {
    int rows = dim(rng), cols = dim(rng);
    std::vector<double> cost(std::size_t(rows) * cols);
    bool ties = trial % 2;
    for (auto& c : cost) c = ties ? small(rng) : val(rng);
    auto a = hungarian(cost, rows, cols);
    expect_valid(a, rows, cols);
    EXPECT_NEAR(assignment_cost(cost, cols, a), brute_force_min(cost, rows, cols), 1e-9)
        << "seed " << seed << " trial " << trial << " " << rows << "x" << cols;
  }
}

TEST(NightlyMatch, KeepsIdsUnderPermutationAndSmallDrift) {
  PreviousSegments prev;
  prev.centroids = {0, 0, 10, 0, 0, 10};  // 3 x 2
  prev.ids = {4, 7, 9};
  prev.names = {"a", "b", "c"};
  // Same groups, shuffled and slightly moved.
  std::vector<float> now = {0.1f, 10, 0, 0.2f, 10, 0.1f};
  auto m = match_segments(prev, now, 3, 2, 1.0, 10);
  EXPECT_EQ(m.ids, (std::vector<int>{9, 4, 7}));
  EXPECT_EQ(m.matched_old, (std::vector<int>{2, 0, 1}));
  EXPECT_TRUE(m.vanished_ids.empty());
  EXPECT_EQ(m.next_id, 10);
  EXPECT_NEAR(m.distance[1], 0.2, 1e-6);
}

TEST(NightlyMatch, FarSegmentIsNewAndOldOneVanishes) {
  PreviousSegments prev;
  prev.centroids = {0, 0, 10, 0};
  prev.ids = {0, 1};
  // Row 0 ~ old 0; row 1 is 50 away from old 1: new id, old 1 vanished; row 2 extra: new id.
  std::vector<float> now = {0, 0.5f, 60, 0, -20, -20};
  auto m = match_segments(prev, now, 3, 2, 1.0, 5);
  EXPECT_EQ(m.ids, (std::vector<int>{0, 5, 6}));
  EXPECT_EQ(m.vanished_ids, (std::vector<int>{1}));
  EXPECT_EQ(m.next_id, 7);
}

TEST(NightlyMatch, FewerSegmentsTonight) {
  PreviousSegments prev;
  prev.centroids = {0, 0, 10, 0, 0, 10};
  prev.ids = {0, 1, 2};
  std::vector<float> now = {0, 9.9f};
  auto m = match_segments(prev, now, 1, 2, 1.0, 3);
  EXPECT_EQ(m.ids, (std::vector<int>{2}));
  EXPECT_EQ(m.vanished_ids, (std::vector<int>{0, 1}));
  EXPECT_EQ(m.next_id, 3);
}

TEST(NightlyMatch, FreshIdsNeverReuseOldOnes) {
  PreviousSegments prev;
  prev.centroids = {0, 0};
  prev.ids = {12};  // an id above a stale counter must still not be handed out again
  auto m = match_segments(prev, {100, 100}, 1, 2, 1.0, 3);
  EXPECT_EQ(m.ids, (std::vector<int>{13}));
  EXPECT_EQ(m.next_id, 14);
  auto first = initial_ids(3);
  EXPECT_EQ(first.ids, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(first.next_id, 3);
}

}  // namespace
}  // namespace segmint::nightly
