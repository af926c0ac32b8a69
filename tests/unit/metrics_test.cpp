// Quality metrics: hand-computed values on tiny sets, scikit-learn's values on a small set,
// and the sampled silhouette's determinism.
#include "kmeans/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

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

// The silhouette as its definition reads, one pair at a time: each distance summed over
// features in index order in float (as the vector code does, lane by lane), each row's sums per
// cluster in row order. The vector code must give the same double bit for bit.
double silhouette_by_pairs(const FeatureMatrix& m, const std::vector<std::int32_t>& lab, int c) {
  std::vector<double> size(c, 0.0), score(m.rows);
  for (auto l : lab) size[l] += 1;
  for (std::size_t i = 0; i < m.rows; ++i) {
    std::vector<double> sum(c, 0.0);
    for (std::size_t q = 0; q < m.rows; ++q) {
      float s = 0;
      for (std::size_t j = 0; j < m.cols; ++j) {
        const float diff = m.values[i * m.cols + j] - m.values[q * m.cols + j];
        const float sq = diff * diff;  // rounded before the add, as without FMA
        s += sq;
      }
      sum[lab[q]] += std::sqrt(static_cast<double>(s));
    }
    const int own = lab[i];
    if (size[own] <= 1) continue;
    const double a = sum[own] / (size[own] - 1);
    double b = INFINITY;
    for (int q = 0; q < c; ++q)
      if (q != own) b = std::min(b, sum[q] / size[q]);
    const double den = std::max(a, b);
    score[i] = den > 0 ? (b - a) / den : 0;
  }
  double total = 0;
  for (double v : score) total += v;
  return total / static_cast<double>(m.rows);
}

TEST(Metrics, SilhouetteIsThePairwiseDefinitionBitForBit) {
  // Row counts that are no multiple of the 16 columns a step, skewed clusters (one of a single
  // row, scored 0), features on different scales.
  std::mt19937 rng(41);
  for (std::size_t n : {17u, 250u, 1013u}) {
    FeatureMatrix m;
    m.rows = n;
    m.cols = 27;
    m.values.resize(n * m.cols);
    std::vector<std::int32_t> lab(n);
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    for (std::size_t i = 0; i < n; ++i) {
      lab[i] = i == 3 ? 4 : static_cast<std::int32_t>(rng() % 10 < 7 ? 0 : 1 + rng() % 3);
      for (std::size_t j = 0; j < m.cols; ++j)
        m.values[i * m.cols + j] = lab[i] * 2.f + u(rng) * static_cast<float>(1 + j % 5);
    }
    m.names.assign(m.cols, "f");
    metrics::SilhouetteOptions o;
    o.threads = 2;
    EXPECT_EQ(metrics::silhouette(m.view(), lab.data(), o), silhouette_by_pairs(m, lab, 5))
        << "n=" << n;
  }
}

TEST(Metrics, NeedTwoToNMinusOneClusters) {
  auto m = column({0, 1, 2});
  std::vector<std::int32_t> one{0, 0, 0}, all{0, 1, 2};
  EXPECT_THROW(metrics::silhouette(m.view(), one.data()), InputError);
  EXPECT_THROW(metrics::davies_bouldin(m.view(), all.data()), InputError);
}

}  // namespace segmint::test
