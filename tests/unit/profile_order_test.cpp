// Segment ids: size descending, then centroid lexicographic; labels follow; profile arithmetic.
#include <gtest/gtest.h>

#include <cmath>

#include "profile/profile.hpp"
#include "profile/segment_order.hpp"

namespace segmint::pipeline {
namespace {

TEST(ProfileOrder, LargestFirstThenCentroidOrder) {
  KMeansResult r;
  // old 0: size 1, old 1: size 2 centroid (5,0), old 2: size 2 centroid (1,9)
  r.centroids = {0, 0, 5, 0, 1, 9};
  r.labels = {1, 2, 0, 2, 1};
  std::vector<int> new_id = order_segments(r, 3, 2);
  // sizes tie for old 1 and old 2; (1,9) < (5,0) lexicographically, so old 2 becomes 0.
  EXPECT_EQ(new_id, (std::vector<int>{2, 1, 0}));
  EXPECT_EQ(r.labels, (std::vector<std::int32_t>{1, 0, 2, 0, 1}));
  EXPECT_EQ(r.centroids, (std::vector<float>{1, 9, 5, 0, 0, 0}));
}

TEST(ProfileOrder, IdenticalClustersInAnyOrderGetTheSameIds) {
  KMeansResult a, b;
  a.centroids = {3, 3, 1, 1};
  a.labels = {0, 1, 0, 1};
  b.centroids = {1, 1, 3, 3};
  b.labels = {1, 0, 1, 0};
  order_segments(a, 2, 2);
  order_segments(b, 2, 2);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.centroids, b.centroids);
  EXPECT_EQ(a.centroids, (std::vector<float>{1, 1, 3, 3}));
}

TEST(ProfileOrder, SegmentSizesCountLabels) {
  EXPECT_EQ(segment_sizes({0, 2, 2, 2}, 3), (std::vector<std::int64_t>{1, 0, 3}));
}

TEST(ProfileStats, MeansSharesAndZScores) {
  FeatureMatrix raw;
  raw.rows = 4;
  raw.cols = 2;
  raw.names = {"a", "b"};
  raw.values = {1, 5, 3, 5, 5, 5, 7, 5};  // column b is constant
  Profiles p = compute_profiles(raw, {0, 0, 1, 1}, 2, {});
  ASSERT_EQ(p.segments.size(), 2u);
  EXPECT_EQ(p.segments[0].size, 2);
  EXPECT_DOUBLE_EQ(p.segments[0].share, 0.5);
  EXPECT_DOUBLE_EQ(p.segments[0].mean[0], 2.0);
  EXPECT_DOUBLE_EQ(p.segments[1].mean[0], 6.0);
  // population mean 4, population std sqrt(5): z = (2-4)/sqrt(5), (6-4)/sqrt(5)
  EXPECT_NEAR(p.segments[0].z[0], -2 / std::sqrt(5.0), 1e-12);
  EXPECT_NEAR(p.segments[1].z[0], 2 / std::sqrt(5.0), 1e-12);
  EXPECT_EQ(p.segments[0].z[1], 0.0);  // constant column: no trait
  EXPECT_DOUBLE_EQ(p.population_mean[0], 4.0);
}

TEST(ProfileStats, HeavyTailedColumnsScoredOnLogScale) {
  FeatureMatrix raw;
  raw.rows = 2;
  raw.cols = 1;
  raw.names = {"monetary"};
  raw.values = {0, static_cast<float>(std::exp(2.0) - 1)};  // log1p -> 0 and 2
  Profiles p = compute_profiles(raw, {0, 1}, 2, {1});
  // on the log scale: mean 1, std 1 -> z = -1, +1; means stay in original units
  EXPECT_NEAR(p.segments[0].z[0], -1, 1e-6);
  EXPECT_NEAR(p.segments[1].z[0], 1, 1e-6);
  EXPECT_NEAR(p.segments[1].mean[0], std::exp(2.0) - 1, 1e-5);
}

TEST(ProfileStats, EmptySegmentHasZeroSize) {
  FeatureMatrix raw;
  raw.rows = 2;
  raw.cols = 1;
  raw.names = {"a"};
  raw.values = {1, 2};
  Profiles p = compute_profiles(raw, {0, 0}, 2, {});
  EXPECT_EQ(p.segments[1].size, 0);
  EXPECT_EQ(p.segments[1].share, 0);
}

}  // namespace
}  // namespace segmint::pipeline
