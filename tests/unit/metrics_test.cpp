// Quality metrics: hand-computed values on tiny sets, scikit-learn's values on a small set,
// and the sampled silhouette's determinism.
#include "kmeans/metrics.hpp"

#include <gtest/gtest.h>

#include "kmeans_test_data.hpp"
#include "segmint/error.hpp"

namespace segmint::test {

namespace {
FeatureMatrix nine_points() {
  FeatureMatrix m;
  m.rows = 9;
  m.cols = 2;
  m.values = {0, 0, 0, 1, 1, 0, 5, 5, 6, 5, 5, 6, 6, 6, 10, 0, 10, 1};
  m.names = {"a", "b"};
  return m;
}
}  // namespace

TEST(Metrics, TwoPairsByHand) {
  // {0,1} and {10,11}: a = 1 for every point; b = 10.5, 9.5, 9.5, 10.5.
  auto m = column({0, 1, 10, 11});
  std::vector<std::int32_t> l{0, 0, 1, 1};
  const double s = ((10.5 - 1) / 10.5 + (9.5 - 1) / 9.5) / 2;
  EXPECT_NEAR(metrics::silhouette(m.view(), l.data()), s, 1e-12);
  // scatter 0.5 each, centroid separation 10.
  EXPECT_NEAR(metrics::davies_bouldin(m.view(), l.data()), 0.1, 1e-12);
  // between 2*25 + 2*25 = 100, within 4 * 0.25 = 1, (n-k)/(k-1) = 2.
  EXPECT_NEAR(metrics::calinski_harabasz(m.view(), l.data()), 200.0, 1e-9);
}

TEST(Metrics, MatchScikitLearnOnNinePoints) {
  // Values printed by sklearn.metrics 1.2 for the same points and labels.
  auto m = nine_points();
  std::vector<std::int32_t> good{0, 0, 0, 1, 1, 1, 1, 2, 2}, bad{0, 0, 1, 1, 1, 2, 2, 2, 0};
  EXPECT_NEAR(metrics::silhouette(m.view(), good.data()), 0.8392837462, 1e-8);
  EXPECT_NEAR(metrics::davies_bouldin(m.view(), good.data()), 0.1840060543, 1e-8);
  EXPECT_NEAR(metrics::calinski_harabasz(m.view(), good.data()), 135.9565217391, 1e-7);
  EXPECT_NEAR(metrics::silhouette(m.view(), bad.data()), -0.2230105518, 1e-8);
  EXPECT_NEAR(metrics::davies_bouldin(m.view(), bad.data()), 2.5058736629, 1e-8);
  EXPECT_NEAR(metrics::calinski_harabasz(m.view(), bad.data()), 0.9166666667, 1e-8);
  EXPECT_NEAR(metrics::adjusted_rand_index(good, bad), 0.07142857142857142, 1e-12);
}

TEST(Metrics, LabelValuesDoNotMatter) {
  auto m = nine_points();
  std::vector<std::int32_t> a{0, 0, 0, 1, 1, 1, 1, 2, 2}, b{7, 7, 7, -3, -3, -3, -3, 40, 40};
  EXPECT_DOUBLE_EQ(metrics::silhouette(m.view(), a.data()),
                   metrics::silhouette(m.view(), b.data()));
  EXPECT_DOUBLE_EQ(metrics::adjusted_rand_index(a, b), 1.0);
}

TEST(Metrics, AdjustedRandByHand) {
  // Crossed halves: no agreeing pair; expected index 2*2/6, max 2 -> (0 - 2/3) / (2 - 2/3).
  EXPECT_NEAR(metrics::adjusted_rand_index({0, 0, 1, 1}, {0, 1, 0, 1}), -0.5, 1e-12);
  EXPECT_DOUBLE_EQ(metrics::adjusted_rand_index({0, 0, 0}, {1, 1, 1}), 1.0);
  EXPECT_THROW(metrics::adjusted_rand_index({0, 1}, {0}), InputError);
}

TEST(Metrics, SampledSilhouetteIsSeededAndClose) {
  auto b = make_blobs(3000, 3, 4, 6.0, 9);
  metrics::SilhouetteOptions exact, sampled;
  sampled.exact_limit = 1000;
  sampled.sample_size = 800;
  sampled.seed = 5;
  sampled.threads = 1;
  const double e = metrics::silhouette(b.x.view(), b.truth.data(), exact);
  const double s1 = metrics::silhouette(b.x.view(), b.truth.data(), sampled);
  sampled.threads = 2;
  EXPECT_EQ(s1, metrics::silhouette(b.x.view(), b.truth.data(), sampled));
  EXPECT_NEAR(s1, e, 0.03);
  sampled.seed = 6;
  EXPECT_NE(s1, metrics::silhouette(b.x.view(), b.truth.data(), sampled));
}

TEST(Metrics, NeedTwoToNMinusOneClusters) {
  auto m = column({0, 1, 2});
  std::vector<std::int32_t> one{0, 0, 0}, all{0, 1, 2};
  EXPECT_THROW(metrics::silhouette(m.view(), one.data()), InputError);
  EXPECT_THROW(metrics::davies_bouldin(m.view(), all.data()), InputError);
}

}  // namespace segmint::test
