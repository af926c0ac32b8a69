// The GPU k-means's assignment and reduction logic run on the CPU: the __host__ __device__ pieces
// of detail/kmeans_screen.hpp and kmeans_math.hpp combined the way kernels/kmeans combines them
// (the fused kernel's row, the gemm path's warp of 32 lanes, the chunk partials and their fold,
// the shift decision), checked bit for bit against the CPU backend on random, tied and huge data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "backend_support.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "kmeans_screen_support.hpp"

namespace segmint::test {
namespace {

/// The CPU backend's labels and squared distances (the oracle).
void cpu_assign(const Problem& p, std::vector<std::int32_t>& lab, std::vector<float>& d2) {
  lab.assign(p.n, -1);
  std::vector<float> dist(p.n);
  cpu_backend(1)->assign(p.view(), p.c.data(), p.k, lab.data(), dist.data());
  d2.resize(p.n);
  kmeans::CentroidTable t;
  t.load(p.c.data(), p.k, p.d);
  kmeans::label_distances(p.view(), t, lab.data(), d2.data(), 1);
  for (std::size_t i = 0; i < p.n; ++i) ASSERT_EQ(std::sqrt(d2[i]), dist[i]) << i;
}

template <int D>
void expect_fused_rows_match(const Problem& p) {
  std::vector<std::int32_t> lab;
  std::vector<float> d2;
  cpu_assign(p, lab, d2);
  const FusedTable t(p, D);
  alignas(16) float xr[D];
  std::size_t same_without_d2 = 0;
  for (std::size_t i = 0; i < p.n; ++i) {
    std::fill(xr, xr + D, 0.f);
    std::copy_n(&p.x[i * p.d], p.d, xr);
    float got = -1.f;
    const int l = detail::fused_row_label<D>(xr, t.st.data(), t.cn.data(), t.kpad, p.k, p.d,
                                             t.bound, p.c.data(), true, got);
    ASSERT_EQ(l, lab[i]) << "row " << i;
    ASSERT_EQ(std::memcmp(&got, &d2[i], 4), 0) << "row " << i << ": " << got << " vs " << d2[i];
    float unused = 0;
    same_without_d2 += detail::fused_row_label<D>(xr, t.st.data(), t.cn.data(), t.kpad, p.k, p.d,
                                                  t.bound, p.c.data(), false, unused) == l;
  }
  EXPECT_EQ(same_without_d2, p.n);
}

TEST(KMeansScreen, FusedRowLabelIsTheCpuBackendsBitForBit) {
  expect_fused_rows_match<16>(make_problem(3000, 16, 8, 1));
  expect_fused_rows_match<16>(make_problem(3000, 7, 7, 2));  // d, k not multiples of 4
  expect_fused_rows_match<32>(make_problem(3000, 32, 16, 3));
  expect_fused_rows_match<64>(make_problem(2000, 33, 64, 4));
  expect_fused_rows_match<16>(make_problem(500, 5, 1, 5));          // k = 1
  expect_fused_rows_match<32>(make_problem(500, 20, 9, 6, 1.2e17f));  // huge (near what the fit accepts at d = 20)
  expect_fused_rows_match<16>(make_problem(500, 4, 6, 7, 1e-20f));  // tiny: underflow
}

/// The gemm path's argmin as argmin_kernel runs it: 32 lanes, dot products summed in another
/// order than the fused screen's (as cuBLAS may), butterfly merges, the warp re-rank.
int gemm_warp_label(const Problem& p, const float* x, const std::vector<float>& cn,
                    const detail::ScreenBound& bound, float* d2) {
  const int k = p.k, d = p.d;
  std::vector<float> f(k);
  for (int c = 0; c < k; ++c) {
    float dot = 0.f;
    for (int j = d - 1; j >= 0; --j) dot = detail::fma_rn(x[j], p.c[c * d + j], dot);
    f[c] = cn[c] - 2.f * dot;
  }
  float xl[32] = {};
  detail::TopTwo top[32];
  for (int l = 0; l < 32; ++l) {
    for (int j = l; j < d; j += 32) xl[l] = detail::fma_rn(x[j], x[j], xl[l]);
    top[l] = detail::TopTwo::empty(k);
    for (int c = l; c < k; c += 32) top[l].offer(f[c], c);
  }
  for (int off = 16; off > 0; off >>= 1) {
    float xs[32];
    detail::TopTwo next[32];
    for (int l = 0; l < 32; ++l) {
      xs[l] = xl[l] + xl[l ^ off];
      next[l] = top[l];
      next[l].merge(top[l ^ off]);
    }
    std::copy_n(xs, 32, xl);
    std::copy_n(next, 32, top);
  }
  const float thr = bound.threshold(top[0].best, xl[0]);
  auto row = [&](int c) { return &p.c[c * d]; };
  if (thr < INFINITY && top[0].second > thr) {
    *d2 = detail::exact_sq(x, row(top[0].ib), d);
    return top[0].ib;
  }
  auto fc = [&](int c) { return f[c]; };
  auto warp = [&](bool all) {
    detail::ExactBest b{INFINITY, k};
    for (int l = 31; l >= 0; --l) {  // any merge order gives the same pair
      const detail::ExactBest o = detail::lane_rerank(x, row, k, d, fc, thr, all, l, 32);
      b.merge(o.v, o.c);
    }
    return b;
  };
  const bool all = !(thr < INFINITY);
  detail::ExactBest b = warp(all);
  if (!all && detail::rerank_needs_all(b, k)) b = warp(true);
  *d2 = b.v;
  return b.c;
}

void expect_gemm_rows_match(const Problem& p) {
  std::vector<std::int32_t> lab;
  std::vector<float> d2;
  cpu_assign(p, lab, d2);
  const FusedTable t(p, (p.d + 3) / 4 * 4);  // its cn and slack: what screen_prep computes
  for (std::size_t i = 0; i < p.n; ++i) {
    float got = -1.f;
    ASSERT_EQ(gemm_warp_label(p, &p.x[i * p.d], t.cn, t.bound, &got), lab[i]) << "row " << i;
    ASSERT_EQ(std::memcmp(&got, &d2[i], 4), 0) << "row " << i;
  }
}

TEST(KMeansScreen, GemmWarpArgminIsTheCpuBackendsBitForBit) {
  expect_gemm_rows_match(make_problem(2000, 24, 70, 11));
  expect_gemm_rows_match(make_problem(1500, 128, 300, 12));
  expect_gemm_rows_match(make_problem(800, 40, 33, 13, 8e16f));  // near the fit's range limit at d = 40
  expect_gemm_rows_match(make_problem(300, 3, 1, 14));
}

TEST(KMeansScreen, TiesGoToTheLowerIndexAndUntrustedScreensRankEverything) {
  const float x[4] = {1, 2, 3, 4}, c[12] = {0, 0, 0, 0, 1, 2, 3, 4, 1, 2, 3, 4};
  auto row = [&](int q) { return c + 4 * q; };
  float d2 = -1;
  EXPECT_EQ(detail::exact_all(x, row, 3, 4, d2), 1);
  EXPECT_EQ(d2, 0.f);
  auto f = [&](int q) { return q == 0 ? 0.f : 1.f; };  // a wrong screen keeping only 0
  EXPECT_EQ(detail::rerank(x, row, 3, 4, f, 0.5f, d2), 0);
  EXPECT_EQ(detail::rerank(x, row, 3, 4, f, INFINITY, d2), 1);  // untrusted: all of them
  detail::ScreenTop t;
  t.offer(2.f, 0);
  t.offer(1.f, 1);
  t.offer(1.f, 2);
  EXPECT_EQ(t.im, 1);
  EXPECT_FALSE(t.settled(1.5f));  // two at the minimum
  EXPECT_FALSE(t.settled(INFINITY));
  const float big[4] = {0, 0, 0, 0};
  EXPECT_EQ(detail::exact_sq(x, big, 4), 30.f);
  EXPECT_EQ(detail::exact_sq(x, x, 4), 0.f);
}

/// The order the GPU sums in: per 4096-row chunk, per 256-row tile, each cluster's rows in row
/// order chained across tiles with one fma each; absent clusters skipped by the fold.
void expect_chunk_partials_match(const Problem& p, std::uint64_t seed) {
  std::vector<float> w(p.n);
  std::mt19937_64 rng(seed);
  for (float& v : w) v = 0.25f + static_cast<float>(rng() % 1000) / 256.f;
  kmeans::CentroidTable t;
  t.load(p.c.data(), p.k, p.d);
  std::vector<std::int32_t> lab(p.n, -1);
  kmeans::PassTotals cpu;
  kmeans::assign_pass(p.view(), w.data(), t, lab.data(), nullptr, &cpu, 1);
  const int k = p.k, d = p.d;
  const std::size_t width = static_cast<std::size_t>(k) * d + k;
  std::vector<double> totals(width, 0.0);
  for (std::size_t c0 = 0; c0 < p.n; c0 += 4096) {
    std::vector<double> acc(width, -1e300);  // garbage where untouched
    std::vector<char> touched(k, 0);
    for (std::size_t t0 = c0; t0 < std::min(p.n, c0 + 4096); t0 += 256) {
      const std::size_t t1 = std::min({p.n, c0 + 4096, t0 + 256});
      for (int c = 0; c < k; ++c) {
        bool any = false;
        for (int j = 0; j <= d; ++j) {
          double a = touched[c] ? acc[j < d ? c * d + j : k * d + c] : 0.0;
          for (std::size_t r = t0; r < t1; ++r) {
            if (lab[r] != c) continue;
            any = true;
            a = j < d ? std::fma(static_cast<double>(w[r]), static_cast<double>(p.x[r * d + j]), a)
                      : a + static_cast<double>(w[r]);
          }
          acc[j < d ? c * d + j : k * d + c] = a;
        }
        touched[c] = touched[c] || any;
      }
    }
    for (std::size_t e = 0; e < width; ++e)
      if (touched[e < static_cast<std::size_t>(k) * d ? e / d : e - k * d]) totals[e] += acc[e];
  }
  for (int c = 0; c < k; ++c) {
    for (int j = 0; j < d; ++j) ASSERT_EQ(totals[c * d + j], cpu.sums[c * d + j]) << c << "," << j;
    ASSERT_EQ(totals[k * d + c], cpu.weights[c]) << c;
  }
}

TEST(KMeansScreen, ChunkPartialsFoldedInOrderAreTheCpuTotals) {
  expect_chunk_partials_match(make_problem(3 * 4096 + 777, 9, 12, 21), 3);
  // Skewed: 90 % of the rows in one segment (one long chain per tile), odd tails, d = 1.
  expect_chunk_partials_match(make_problem(2 * 4096 + 1, 5, 7, 22, 1.f, 0.9), 4);
  expect_chunk_partials_match(make_problem(4096 + 255, 1, 3, 23, 1.f, 0.6), 5);
  expect_chunk_partials_match(make_problem(700, 17, 65, 24, 1.f, 0.5), 6);  // large-k grouping
}

TEST(KMeansScreen, ShiftDecisionAgreesWithTheSequentialSum) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<double> t(1 + rng() % 700);
    for (double& v : t) v = u(rng) * std::pow(10.0, static_cast<int>(rng() % 9) - 4);
    double seq = 0, rev = 0;
    for (double v : t) seq += v;
    for (auto it = t.rbegin(); it != t.rend(); ++it) rev += *it;
    const double tol = trial % 3 == 0   ? seq
                       : trial % 3 == 1 ? std::nextafter(seq, 0.0)
                                        : seq * u(rng) * 2;
    const int within = detail::shift_within(rev, t.size(), tol);
    if (within >= 0) {
      ASSERT_EQ(within == 1, seq <= tol) << trial;
    }
  }
  EXPECT_EQ(detail::shift_within(0.0, 10, 0.0), 1);  // tol 0: only a zero shift converges
  EXPECT_EQ(detail::shift_within(1e-300, 10, 0.0), 0);
  EXPECT_EQ(detail::shift_within(1.0, 10, 1.0), -1);
}

}  // namespace
}  // namespace segmint::test
