// Initialisers: on well-separated planted blobs k-means++ and k-means|| put one starting
// centroid in every blob, and every method then recovers the blobs (ARI = 1); seeds reproduce.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "kmeans/cpu_kmeans.hpp"
#include "kmeans/metrics.hpp"
#include "kmeans_test_data.hpp"
#include "backend_support.hpp"
#include "segmint/backend.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::test {

namespace {
// Number of distinct planted blobs that the k centroids fall nearest to.
std::size_t blobs_hit(const Blobs& b, const std::vector<float>& c, int k, int d) {
  std::set<int> hit;
  for (int q = 0; q < k; ++q) {
    float dist;
    hit.insert(detail::nearest_centroid(c.data() + static_cast<std::size_t>(q) * d,
                                        b.centers.data(), k, d, &dist));
  }
  return hit.size();
}
}  // namespace

TEST(KMeansInit, PlusPlusSeedsEveryBlob) {
  auto b = make_blobs(12000, 4, 8, 40.0, 21);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    kmeans::Rng rng(seed);
    auto c = kmeans::init_kmeans_pp(b.x.view(), nullptr, 8, rng, 2);
    EXPECT_EQ(blobs_hit(b, c, 8, 4), 8u) << "seed " << seed;
  }
}

TEST(KMeansInit, ParallelSeedsEveryBlobAndIgnoresThreads) {
  auto b = make_blobs(12000, 4, 8, 40.0, 22);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    auto c1 = kmeans::init_kmeans_parallel(b.x.view(), nullptr, 8, 2.0, 5, seed, 1);
    auto c2 = kmeans::init_kmeans_parallel(b.x.view(), nullptr, 8, 2.0, 5, seed, 2);
    EXPECT_EQ(c1, c2);
    EXPECT_EQ(blobs_hit(b, c1, 8, 4), 8u) << "seed " << seed;
  }
}

TEST(KMeansInit, RandomPicksDistinctRows) {
  auto m = column({0, 1, 2, 3, 4});
  kmeans::Rng rng(1);
  auto c = kmeans::init_random(m.view(), 5, rng);
  EXPECT_EQ(std::set<float>(c.begin(), c.end()).size(), 5u);  // a permutation of the rows
}

// Greedy k-means++ over weighted points is also the last step of k-means|| on both backends
// (the GPU reduces its candidates with it).
TEST(KMeansInit, WeightedPlusPlusFindsPlantedGroups) {
  // Three tight groups at x = 0, 100, 200 (2-d); each group must get one centroid.
  FeatureMatrix pts;
  pts.cols = 2;
  std::vector<float> w;
  for (int g = 0; g < 3; ++g)
    for (int i = 0; i < 5; ++i) {
      pts.values.push_back(100.f * g + 0.1f * i);
      pts.values.push_back(0.f);
      w.push_back(1.f + i);
    }
  pts.rows = w.size();
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    kmeans::Rng rng(seed);
    std::vector<float> c = kmeans::init_kmeans_pp(pts.view(), w.data(), 3, rng, 1);
    ASSERT_EQ(c.size(), 6u);
    int seen[3] = {0, 0, 0};
    for (int j = 0; j < 3; ++j) ++seen[static_cast<int>(std::lround(c[2 * j] / 100.f))];
    EXPECT_EQ(seen[0], 1);
    EXPECT_EQ(seen[1], 1);
    EXPECT_EQ(seen[2], 1);
  }
}

TEST(KMeansInit, ZeroWeightCandidatesAreNeverChosen) {
  auto pts = column({0.f, 1.f, 2.f, 3.f});
  std::vector<float> w = {0.f, 1.f, 0.f, 1.f};
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    kmeans::Rng rng(seed);
    std::vector<float> c = kmeans::init_kmeans_pp(pts.view(), w.data(), 2, rng, 1);
    for (float v : c) EXPECT_TRUE(v == 1.f || v == 3.f) << v;
  }
}

TEST(KMeansInit, EveryMethodRecoversPlantedBlobs) {
  auto b = make_blobs(20000, 6, 7, 30.0, 23);
  KMeansParams p;
  p.k = 7;
  p.seed = 11;
  for (InitMethod init :
       {InitMethod::kmeans_plus_plus, InitMethod::kmeans_parallel, InitMethod::random}) {
    p.init = init;
    p.n_init = init == InitMethod::random ? 10 : 1;  // random init needs restarts
    auto r = cpu_backend(2)->kmeans(b.x.view(), nullptr, p);
    EXPECT_DOUBLE_EQ(metrics::adjusted_rand_index(r.labels, b.truth), 1.0)
        << "init " << static_cast<int>(init);
  }
}

TEST(KMeansInit, SeedReproducesAndMatters) {
  auto b = make_blobs(5000, 3, 5, 3.0, 24);
  KMeansParams p;
  p.k = 5;
  p.max_iter = 1;
  p.seed = 1;
  auto backend = cpu_backend(1);
  auto a = backend->kmeans(b.x.view(), nullptr, p);
  auto again = backend->kmeans(b.x.view(), nullptr, p);
  p.seed = 2;
  auto other = backend->kmeans(b.x.view(), nullptr, p);
  EXPECT_EQ(a.centroids, again.centroids);
  EXPECT_NE(a.centroids, other.centroids);
}

TEST(KMeansInit, WeightedPlusPlusNeverPicksZeroWeightRows) {
  // Rows 3..5 (far away) have weight 0: they carry no mass, so they are never sampled.
  auto m = column({0, 1, 2, 100, 101, 102});
  std::vector<float> w{1, 1, 1, 0, 0, 0};
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    kmeans::Rng rng(seed);
    auto c = kmeans::init_kmeans_pp(m.view(), w.data(), 2, rng, 1);
    EXPECT_LT(c[0], 50.f);
    EXPECT_LT(c[1], 50.f);
  }
}

}  // namespace segmint::test
