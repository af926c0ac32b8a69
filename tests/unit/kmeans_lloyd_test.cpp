// Lloyd iterations of the CPU backend on hand-checked cases: convergence rules, weights,
// empty-cluster repair, n_init, determinism across thread counts, input errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "kmeans/cpu_kmeans.hpp"
#include "kmeans_test_data.hpp"
#include "backend_support.hpp"
#include "segmint/backend.hpp"
#include "segmint/detail/kmeans_math.hpp"
#include "segmint/error.hpp"

namespace segmint::test {

namespace {
KMeansParams given(std::vector<float> init, int k) {
  KMeansParams p;
  p.k = k;
  p.init = InitMethod::given;
  p.initial_centroids = std::move(init);
  return p;
}
}  // namespace

TEST(KMeansLloyd, TwoPairsConvergeStrictlyInTwoIterations) {
  auto m = column({0, 1, 10, 11});
  auto r = cpu_backend(1)->kmeans(m.view(), nullptr, given({0, 10}, 2));
  EXPECT_EQ(r.centroids, (std::vector<float>{0.5f, 10.5f}));
  EXPECT_EQ(r.labels, (std::vector<std::int32_t>{0, 0, 1, 1}));
  EXPECT_DOUBLE_EQ(r.inertia, 1.0);  // 4 * 0.5^2
  EXPECT_EQ(r.distances, (std::vector<float>{0.5f, 0.5f, 0.5f, 0.5f}));
  // Iteration 1 moves the centroids (shift 0.5 > 1e-4 * 25.25); iteration 2 changes no label.
  EXPECT_EQ(r.iterations, 2);
  EXPECT_TRUE(r.converged);
}

TEST(KMeansLloyd, MaxIterStopsAndRelabelsForReturnedCentroids) {
  auto m = column({0, 1, 2, 10});
  auto p = given({0, 1}, 2);
  p.max_iter = 1;
  auto r = cpu_backend(1)->kmeans(m.view(), nullptr, p);
  // Iteration 1: {0} and {1,2,10} -> centroids 0 and 13/3; the relabel moves 2 to cluster 0.
  EXPECT_EQ(r.iterations, 1);
  EXPECT_FALSE(r.converged);
  EXPECT_FLOAT_EQ(r.centroids[1], 13.f / 3);
  EXPECT_EQ(r.labels, (std::vector<std::int32_t>{0, 0, 0, 1}));
  const double c1 = 13.0 / 3;
  EXPECT_NEAR(r.inertia, 0 + 1 + 4 + (10 - c1) * (10 - c1), 1e-5);
}

TEST(KMeansLloyd, LargeTolStopsAfterFirstIteration) {
  auto m = column({0, 1, 2, 10});
  auto p = given({0, 1}, 2);
  p.tol = 1e9;
  auto r = cpu_backend(1)->kmeans(m.view(), nullptr, p);
  EXPECT_EQ(r.iterations, 1);
  EXPECT_TRUE(r.converged);
}

TEST(KMeansLloyd, WeightedCentroidsAndInertia) {
  auto m = column({0, 1, 10});
  std::vector<float> w{1, 3, 1};
  auto r = cpu_backend(1)->kmeans(m.view(), w.data(), given({0, 10}, 2));
  EXPECT_FLOAT_EQ(r.centroids[0], 0.75f);  // (0*1 + 1*3) / 4
  EXPECT_FLOAT_EQ(r.centroids[1], 10.f);
  EXPECT_NEAR(r.inertia, 1 * 0.5625 + 3 * 0.0625, 1e-9);
}

TEST(KMeansLloyd, EmptyClusterTakesTheFarthestPoint) {
  // Iteration 1: centroid 100 gets nothing; the farthest row (10, at distance 9 from 1) moves
  // to it, leaving {1,2} -> 1.5. Iteration 2 changes no label.
  auto m = column({0, 1, 2, 10});
  auto r = cpu_backend(1)->kmeans(m.view(), nullptr, given({0, 1, 100}, 3));
  EXPECT_EQ(r.centroids, (std::vector<float>{0.f, 1.5f, 10.f}));
  EXPECT_EQ(r.labels, (std::vector<std::int32_t>{0, 1, 1, 2}));
  EXPECT_DOUBLE_EQ(r.inertia, 0.5);
  EXPECT_EQ(r.iterations, 2);
}

TEST(KMeansLloyd, DuplicateCentroidsTieToLowestIndex) {
  auto m = column({0, 1, 5});
  std::vector<float> c{3, 3, 7};
  std::vector<std::int32_t> labels(3);
  std::vector<float> dist(3);
  cpu_backend(1)->assign(m.view(), c.data(), 3, labels.data(), dist.data());
  EXPECT_EQ(labels, (std::vector<std::int32_t>{0, 0, 0}));  // 5 is 2 from both 3 and 7
  EXPECT_EQ(dist, (std::vector<float>{3, 2, 2}));
}

TEST(KMeansLloyd, AssignAgreesWithScalarReference) {
  auto b = make_blobs(9001, 7, 21, 4.0, 11);  // k not a multiple of the block width
  std::vector<std::int32_t> labels(b.x.rows);
  std::vector<float> dist(b.x.rows);
  for (bool baseline : {false, true}) {
    kmeans::use_baseline_kernel(baseline);
    cpu_backend(2)->assign(b.x.view(), b.centers.data(), 21, labels.data(), dist.data());
    kmeans::use_baseline_kernel(false);
    std::size_t same = 0;
    for (std::size_t i = 0; i < b.x.rows; ++i) {
      float ref_sq;
      int ref = detail::nearest_centroid(b.x.view().row(i), b.centers.data(), 21, 7, &ref_sq);
      same += ref == labels[i];
      // Every kernel computes the fused formula (segmint/detail/kmeans_screen.hpp: exact_sq), bitwise
      // the same on the baseline as on AVX2/AVX-512 (kmeans_kernel_test.cpp); the unfused
      // scalar reference differs from it in the last bits only.
      EXPECT_NEAR(dist[i] * dist[i], ref_sq, 1e-4f * (1 + ref_sq));
    }
    // Fused multiply-adds may flip an exact tie, nothing more.
    EXPECT_GE(same, b.x.rows - 2) << "baseline " << baseline;
  }
}

TEST(KMeansLloyd, BaselineKernelFitsTheSame) {
  auto b = make_blobs(20000, 5, 6, 8.0, 12);
  KMeansParams p;
  p.k = 6;
  p.seed = 4;
  auto fast = cpu_backend(2)->kmeans(b.x.view(), nullptr, p);
  kmeans::use_baseline_kernel(true);
  auto base = cpu_backend(2)->kmeans(b.x.view(), nullptr, p);
  kmeans::use_baseline_kernel(false);
  EXPECT_EQ(fast.labels, base.labels);
  EXPECT_NEAR(fast.inertia, base.inertia, 1e-5 * fast.inertia);
}

TEST(KMeansLloyd, ThreadCountDoesNotChangeAnyBit) {
  auto b = make_blobs(20000, 5, 8, 8.0, 7);  // 5 chunks of rows
  KMeansParams p;
  p.k = 8;
  p.seed = 42;
  p.n_init = 2;
  for (InitMethod init : {InitMethod::kmeans_plus_plus, InitMethod::kmeans_parallel}) {
    p.init = init;
    auto r1 = cpu_backend(1)->kmeans(b.x.view(), nullptr, p);
    auto r2 = cpu_backend(2)->kmeans(b.x.view(), nullptr, p);
    auto again = cpu_backend(2)->kmeans(b.x.view(), nullptr, p);
    EXPECT_EQ(r1.labels, r2.labels);
    EXPECT_EQ(0, std::memcmp(r1.centroids.data(), r2.centroids.data(),
                             r1.centroids.size() * sizeof(float)));
    EXPECT_EQ(std::memcmp(&r1.inertia, &r2.inertia, sizeof(double)), 0);
    EXPECT_EQ(r1.distances, r2.distances);
    EXPECT_EQ(r1.iterations, r2.iterations);
    EXPECT_EQ(r2.centroids, again.centroids);
    EXPECT_EQ(r2.labels, again.labels);
  }
}

TEST(KMeansLloyd, NInitKeepsTheLowestInertia) {
  // Random init on 10 blobs falls into different local minima; runs 0..m-1 are the same for
  // every n_init >= m, so the kept inertia never increases with n_init and best_init points
  // at the run that last improved it.
  auto b = make_blobs(3000, 2, 10, 20.0, 5);
  KMeansParams p;
  p.k = 10;
  p.init = InitMethod::random;
  p.seed = 3;
  double previous = 0;
  int improved_at = 0, improvements = 0;
  for (int n_init = 1; n_init <= 8; ++n_init) {
    p.n_init = n_init;
    auto r = cpu_backend(2)->kmeans(b.x.view(), nullptr, p);
    if (n_init > 1) {
      EXPECT_LE(r.inertia, previous);
      if (r.inertia < previous) {
        improved_at = n_init - 1;
        ++improvements;
      }
    }
    EXPECT_EQ(r.best_init, improved_at);
    previous = r.inertia;
  }
  EXPECT_GE(improvements, 1);
}

TEST(KMeansLloyd, RejectsBadInput) {
  auto m = column({0, 1, 2});
  auto backend = cpu_backend(1);
  KMeansParams p;
  p.k = 4;
  EXPECT_THROW(backend->kmeans(m.view(), nullptr, p), InputError);
  p.k = 2;
  EXPECT_THROW(backend->kmeans(m.view(), nullptr, given({0}, 2)), InputError);
  std::vector<float> w{1, -1, 1};
  EXPECT_THROW(backend->kmeans(m.view(), w.data(), p), InputError);
  auto nan = column({0, std::numeric_limits<float>::quiet_NaN(), 2});
  EXPECT_THROW(backend->kmeans(nan.view(), nullptr, p), InputError);
  p.max_iter = 0;
  EXPECT_THROW(backend->kmeans(m.view(), nullptr, p), UsageError);
}

}  // namespace segmint::test
