// The CUDA k-means's device logic, run on the CPU: the __host__ __device__ pieces of
// detail/kmeans_math.hpp combined the way the kernels combine them (32 lanes merging top-two
// candidates by a shuffle butterfly, per-chunk potentials, the centroid update) and the host half
// of the device k-means++ draw (cuda_plan/init_pick), checked against the CPU backend and
// against plain sequential references.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "backend_support.hpp"
#include "cuda_plan/init_pick.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "kmeans_test_data.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::test {
namespace {

using detail::TopTwo;

/// The gemm path's warp merge, as argmin_kernel runs it: lane l offers values l, l + 32, ...;
/// xor-shuffle rounds 16, 8, 4, 2, 1 merge every lane with its partner (all lanes at once). The
/// butterfly leaves every lane with the same two; lane 0's are returned.
TopTwo warp_top_two(const std::vector<float>& values, int k) {
  TopTwo lanes[32];
  for (int l = 0; l < 32; ++l) {
    lanes[l] = TopTwo::empty(k);
    for (int c = l; c < k; c += 32) lanes[l].offer(values[c], c);
  }
  for (int off = 16; off > 0; off >>= 1) {
    TopTwo next[32];
    for (int l = 0; l < 32; ++l) {
      next[l] = lanes[l];
      next[l].merge(lanes[l ^ off]);
    }
    std::copy(next, next + 32, lanes);
  }
  for (int l = 1; l < 32; ++l) {
    EXPECT_EQ(lanes[l].ib, lanes[0].ib);
    EXPECT_EQ(lanes[l].is, lanes[0].is);
  }
  return lanes[0];
}

TEST(KMeansDeviceMath, WarpTopTwoIsTheTwoSmallestWithTiesToTheLowerIndex) {
  std::mt19937_64 rng(5);
  for (int k : {1, 2, 31, 32, 33, 100, 1000}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<float> v(k);
      for (float& x : v) x = static_cast<float>(rng() % 7);  // many exact ties
      std::vector<int> order(k);
      for (int c = 0; c < k; ++c) order[c] = c;
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return v[a] < v[b]; });
      const TopTwo top = warp_top_two(v, k);
      ASSERT_EQ(top.ib, order[0]) << "k " << k;
      ASSERT_EQ(top.is, k > 1 ? order[1] : k) << "k " << k;
    }
  }
}

// The gemm argmin against the CPU backend, bit for bit: kmeans_screen_test.cpp.

TEST(KMeansDeviceMath, CentroidUpdateMatchesOneCpuLloydStep) {
  const int k = 6, d = 5;
  Blobs b = make_blobs(3001, d, k, 5.0, 3);
  KMeansParams p;
  p.k = k;
  p.init = InitMethod::given;
  p.initial_centroids.assign(b.x.values.begin(), b.x.values.begin() + k * d);
  p.max_iter = 1;
  p.tol = 0;
  const KMeansResult cpu = cpu_backend(1)->kmeans(b.x.view(), nullptr, p);
  // The device: labels by the shared nearest_centroid, double sums, then finalize's update.
  std::vector<double> sums(k * d, 0.0), weights(k, 0.0);
  for (std::size_t i = 0; i < b.x.rows; ++i) {
    float d2 = 0.f;
    const int c =
        detail::nearest_centroid(b.x.view().row(i), p.initial_centroids.data(), k, d, &d2);
    for (int j = 0; j < d; ++j) sums[c * d + j] += b.x.view().row(i)[j];
    weights[c] += 1.0;
  }
  double shift = 0;
  for (int e = 0; e < k * d; ++e) {
    const float now = detail::updated_centroid(sums[e], weights[e / d], p.initial_centroids[e]);
    EXPECT_NEAR(now, cpu.centroids[e], 1e-6 * (1 + std::fabs(cpu.centroids[e]))) << e;
    shift += detail::squared_shift(now, p.initial_centroids[e]);
  }
  EXPECT_GT(shift, 0.0);
  EXPECT_EQ(detail::updated_centroid(5.0, 0.0, 7.f), 7.f);  // an empty cluster keeps its centre
  EXPECT_EQ(detail::updated_centroid(5.0, 2.0, 7.f), 2.5f);
  EXPECT_EQ(detail::squared_shift(1.5f, -0.5f), 4.0);
}

TEST(KMeansDeviceMath, ClosestAndPotentialsAreTheSequentialMinimum) {
  Blobs b = make_blobs(500, 7, 4, 3.0, 8);
  const float* cands = b.x.values.data();  // rows 0..4 as candidates
  for (std::size_t i = 0; i < b.x.rows; ++i) {
    const float* x = b.x.view().row(i);
    float want = detail::squared_distance(x, cands, 7);
    for (int c = 1; c < 5; ++c)
      want = std::min(want, detail::squared_distance(x, cands + c * 7, 7));
    ASSERT_EQ(detail::closest_after(x, cands, 5, 7, 1e30f, true), want);
    ASSERT_EQ(detail::closest_after(x, cands, 5, 7, 0.25f, false), std::min(want, 0.25f));
    ASSERT_EQ(detail::closest_after(x, cands, 1, 7, -1.f, true),
              detail::squared_distance(x, cands, 7));  // reset ignores the previous value
  }
  EXPECT_EQ(detail::potential_with(2.f, 3.f, 0.5), 1.0);
  EXPECT_EQ(detail::potential_with(4.f, 3.f, 2.0), 6.0);
}

TEST(KMeansDeviceMath, FixedPointCandidateWeights) {
  for (double w : {0.0, 1.0, 0.5, 3.75, 1e6}) {
    EXPECT_EQ(detail::from_fixed_weight(detail::to_fixed_weight(w)), w);
  }
  for (float w : {0.1f, 0.3f, 2.2f}) {
    EXPECT_NEAR(detail::from_fixed_weight(detail::to_fixed_weight(w)), w, 0x1.0p-25);
  }
  // Sums of fixed-point weights do not depend on the order they were added in.
  unsigned long long a = 0, b = 0;
  const float ws[] = {0.1f, 0.7f, 1.3f, 2.9f};
  for (int i = 0; i < 4; ++i) a += detail::to_fixed_weight(ws[i]);
  for (int i = 3; i >= 0; --i) b += detail::to_fixed_weight(ws[i]);
  EXPECT_EQ(a, b);
}

TEST(KMeansDeviceMath, SamplingRuleIsTheCpuBackendsExpression) {
  // The CPU backend keeps row i when hash_uniform(...) < ell * w_i * closest_i / psi.
  const double ell = 16, psi = 123.5;
  for (float w : {0.f, 0.5f, 1.f}) {
    for (float cl : {0.f, 1.f, 7.71875f}) {
      const double p = ell * w * cl / psi;
      EXPECT_FALSE(detail::sampled(p, ell, w, cl, psi));
      EXPECT_EQ(detail::sampled(p * 0.999, ell, w, cl, psi), p > 0);
    }
  }
}

/// Flat reference of the device draw: first row with positive mass where the running sum of
/// exact (integer) masses reaches target; else the last positive row.
std::size_t flat_pick(const std::vector<float>& cl, const std::vector<float>& w, double target) {
  double run = 0;
  std::size_t last = cl.size() - 1;
  for (std::size_t i = 0; i < cl.size(); ++i) {
    const double v = static_cast<double>(w[i]) * cl[i];
    if (v > 0) last = i;
    run += v;
    if (v > 0 && run >= target) return i;
  }
  return last;
}

TEST(KMeansDeviceMath, TwoStepDrawEqualsTheFlatDraw) {
  std::mt19937_64 rng(17);
  const std::size_t chunk = 64;
  for (std::size_t n : {1, 63, 64, 65, 1000}) {
    std::vector<float> cl(n), w(n);
    for (std::size_t i = 0; i < n; ++i) {
      cl[i] = static_cast<float>(rng() % 4);  // integers: every sum is exact
      w[i] = static_cast<float>(rng() % 3);
    }
    for (std::size_t i = n / 3; i < n / 3 + std::min<std::size_t>(n / 3, 100); ++i) cl[i] = 0;
    const std::size_t chunks = (n + chunk - 1) / chunk;
    std::vector<double> pots(chunks * 2, 0.0);  // two columns; the draw reads column 1
    for (std::size_t i = 0; i < n; ++i)
      pots[(i / chunk) * 2 + 1] += static_cast<double>(w[i]) * cl[i];
    double total = 0;
    for (std::size_t c = 0; c < chunks; ++c) total += pots[c * 2 + 1];
    for (int trial = 0; trial < 200; ++trial) {
      const double target = std::uniform_real_distribution<double>(0, 1)(rng) * total;
      const cuda_plan::ChunkPick c = cuda_plan::pick_chunk(pots, 1, 2, chunks, target);
      const std::size_t r0 = c.chunk * chunk, rows = std::min(n, r0 + chunk) - r0;
      const std::size_t got =
          r0 + cuda_plan::pick_in_chunk(cl.data() + r0, w.data() + r0, rows, c.before, target);
      ASSERT_EQ(got, flat_pick(cl, w, target)) << "n " << n << " target " << target;
      if (total > 0) {
        ASSERT_GT(static_cast<double>(w[got]) * cl[got], 0.0);
      }
    }
  }
}

TEST(KMeansDeviceMath, DrawPastTheEndClipsToTheLastPositiveRow) {
  const std::vector<float> cl = {1, 2, 0, 3, 0, 0};
  const std::vector<double> pots = {3, 3};  // chunks {0,1,2} and {3,4,5}
  const cuda_plan::ChunkPick c = cuda_plan::pick_chunk(pots, 0, 1, 2, 6.5);
  EXPECT_EQ(c.chunk, 1u);
  EXPECT_EQ(c.before, 3.0);
  EXPECT_EQ(cuda_plan::pick_in_chunk(cl.data() + 3, nullptr, 3, c.before, 6.5), 0u);
  EXPECT_EQ(cuda_plan::pick_in_chunk(cl.data(), nullptr, 3, 0.0, 2.5), 1u);
  EXPECT_EQ(cuda_plan::pick_in_chunk(cl.data(), nullptr, 3, 0.0, 0.0), 0u);  // first positive
}

TEST(KMeansDeviceMath, WeightedFirstCentre) {
  EXPECT_EQ(cuda_plan::pick_by_weight({0, 1, 0, 1}, 0.0), 1u);
  EXPECT_EQ(cuda_plan::pick_by_weight({0, 1, 0, 1}, 0.49), 1u);
  EXPECT_EQ(cuda_plan::pick_by_weight({0, 1, 0, 1}, 0.5), 3u);
  EXPECT_EQ(cuda_plan::pick_by_weight({2, 0}, 0.999), 0u);
}

TEST(KMeansDeviceMath, ColumnMomentsInTheKernelsOrderAreTheCpuVariance) {
  // moments_kernel: per 4096-row chunk and column, moment_term over the rows in order; the host
  // folds the chunks in order (fold_partials), divides, and adds the d variances in order.
  const Blobs b = make_blobs(2 * 4096 + 1234, 7, 3, 50.0, 17);
  const std::size_t n = b.x.rows, d = b.x.cols, chunk = 4096;
  std::vector<double> mean(d, 0.0);
  auto totals = [&](const double* m) {
    std::vector<double> tot(d, 0.0);
    for (std::size_t c0 = 0; c0 < n; c0 += chunk)
      for (std::size_t j = 0; j < d; ++j) {
        double s = 0.0;
        for (std::size_t r = c0; r < std::min(n, c0 + chunk); ++r)
          s += detail::moment_term(b.x.at(r, j), m ? m + j : nullptr);
        tot[j] += s;
      }
    return tot;
  };
  mean = totals(nullptr);
  for (double& m : mean) m /= static_cast<double>(n);
  double sum = 0;
  for (double v : totals(mean.data())) sum += v / static_cast<double>(n);
  EXPECT_EQ(sum, kmeans::feature_variance_sum(b.x.view(), 3));
  EXPECT_EQ(detail::moment_term(3.f, nullptr), 3.0);
  const double m = 1.0 / 3.0;
  EXPECT_EQ(detail::moment_term(1.f, &m), (1.0 - m) * (1.0 - m));
}

}  // namespace
}  // namespace segmint::test
