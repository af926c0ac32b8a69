// The report's user map: a sample that does not depend on row order, principal axes of planted
// data, and projection.json round trips.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "report/projection.hpp"
#include "segmint/error.hpp"

namespace segmint::report {
namespace {

std::vector<std::string> ids(std::size_t n) {
  std::vector<std::string> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back("user" + std::to_string(i));
  return v;
}

TEST(ReportProjection, SampleIsTheSameUsersWhateverTheRowOrder) {
  auto a = ids(1000);
  std::vector<std::size_t> rows = sample_rows(a, 100);
  ASSERT_EQ(rows.size(), 100u);
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
  std::vector<std::string> picked;
  for (auto r : rows) picked.push_back(a[r]);
  auto b = a;
  std::reverse(b.begin(), b.end());
  std::vector<std::string> picked_b;
  for (auto r : sample_rows(b, 100)) picked_b.push_back(b[r]);
  std::sort(picked.begin(), picked.end());
  std::sort(picked_b.begin(), picked_b.end());
  EXPECT_EQ(picked, picked_b);
  EXPECT_EQ(sample_rows(a, 5000).size(), 1000u);  // fewer users than asked: all of them
}

TEST(ReportProjection, AxesFollowThePlantedVariance) {
  // Column 1 varies most, column 2 half as much, column 0 barely.
  FeatureMatrix x;
  x.rows = 2000;
  x.cols = 3;
  x.names = {"a", "b", "c"};
  std::mt19937 rng(3);
  std::normal_distribution<float> n01(0, 1);
  for (std::size_t i = 0; i < x.rows; ++i) {
    x.values.push_back(0.01f * n01(rng));
    x.values.push_back(4.0f * n01(rng));
    x.values.push_back(2.0f * n01(rng));
  }
  double explained[2];
  std::vector<double> axes = principal_axes(x, explained);
  EXPECT_NEAR(std::fabs(axes[1]), 1.0, 0.01);      // axis 0 = column b
  EXPECT_NEAR(std::fabs(axes[3 + 2]), 1.0, 0.01);  // axis 1 = column c
  EXPECT_GT(axes[1], 0);                           // largest loading signed positive
  EXPECT_NEAR(explained[0], 16.0 / 20.0, 0.03);
  EXPECT_NEAR(explained[1], 4.0 / 20.0, 0.03);
}

TEST(ReportProjection, JsonRoundTripAndBadInput) {
  Projection p;
  p.population = 1234;
  p.explained[0] = 0.5;
  p.explained[1] = 0.25;
  p.axis_label[0] = "more Orders";
  p.axis_label[1] = "less Net spend";
  p.x = {1.5f, -2.25f};
  p.y = {0.125f, 3.0f};
  p.segment = {0, 4};
  Projection q = projection_from_json(projection_json(p), "p.json");
  EXPECT_EQ(q.population, 1234);
  EXPECT_EQ(q.axis_label[1], "less Net spend");
  EXPECT_EQ(q.x, p.x);
  EXPECT_EQ(q.y, p.y);
  EXPECT_EQ(q.segment, p.segment);
  EXPECT_THROW(projection_from_json("{\"points\": 3}", "p.json"), InputError);
}

}  // namespace
}  // namespace segmint::report
