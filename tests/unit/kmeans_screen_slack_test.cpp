// detail::ScreenBound's slack checked on fresh random data (seed printed; SEGMINT_TEST_SEED
// replays one): in every order a backend may sum the screen ||c||^2 - 2 x.c in (the fused
// kernel's, reversed, unfused, a GEMM's pairwise tree), the exact winner is never screened out,
// and the re-rank and the fused row label equal the exact scan bit for bit. Near ties (1-ulp
// centroids, nudged midpoints), rows far from the origin (cancellation), odd d and k, skew.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "kmeans_screen_support.hpp"

namespace segmint::test {
namespace {

std::uint64_t test_seed() {
  const char* fixed = std::getenv("SEGMINT_TEST_SEED");
  return fixed ? std::strtoull(fixed, nullptr, 10) : std::random_device{}();
}

/// Centroids uniform in [-1, 1]^d plus `offset` on every coordinate, with an exact duplicate and
/// a 1-ulp neighbour; rows: noise (sigma) around a centroid (centroid 0 for a fraction `major`),
/// exact centroid copies, and midpoints of two centroids nudged by up to 3 ulps per coordinate.
Problem near_ties(std::size_t n, int d, int k, std::uint64_t seed, float offset, float sigma,
                  double major) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  std::normal_distribution<float> g(0.f, sigma);
  Problem p;
  p.n = n, p.d = d, p.k = k;
  p.c.resize(static_cast<std::size_t>(k) * d);
  for (float& v : p.c) v = offset + u(rng);
  if (k >= 3) std::copy_n(p.c.begin(), d, p.c.begin() + static_cast<std::size_t>(k - 1) * d);
  if (k >= 4) {  // centroid 2 = centroid 1 but one coordinate 1 ulp up
    std::copy_n(p.c.begin() + d, d, p.c.begin() + 2 * d);
    float& v = p.c[2 * d + rng() % d];
    v = std::nextafter(v, INFINITY);
  }
  p.x.resize(n * d);
  for (std::size_t i = 0; i < n; ++i) {
    const int kind = static_cast<int>(rng() % 8);
    const int a = std::uniform_real_distribution<double>(0, 1)(rng) < major ? 0 : rng() % k;
    const int b = static_cast<int>(rng() % k);
    float* x = &p.x[i * d];
    for (int j = 0; j < d; ++j) {
      const float ca = p.centroid(a)[j], cb = p.centroid(b)[j];
      if (kind == 0) {
        x[j] = ca;
      } else if (kind <= 2) {
        float m = 0.5f * (ca + cb);
        for (int s = static_cast<int>(rng() % 7) - 3; s != 0; s += s > 0 ? -1 : 1)
          m = std::nextafter(m, s > 0 ? INFINITY : -INFINITY);
        x[j] = m;
      } else {
        x[j] = ca + g(rng);
      }
    }
  }
  return p;
}

/// The orders a backend may sum the screen in (each within the slack's derivation).
enum class Order { fused, reversed, unfused, gemm_tree };

/// Pairwise (tree) sum of v[0..n), as a blocked GEMM or a warp's butterfly may add.
float tree_sum(const float* v, int n) {
  if (n == 1) return v[0];
  const int h = n / 2;
  return tree_sum(v, h) + tree_sum(v + h, n - h);
}

float screen_in(Order o, const float* x, const float* c, float cn, int d) {
  float a = cn;
  std::vector<float> prod(d);
  switch (o) {
    case Order::fused:
      for (int j = 0; j < d; ++j) a = detail::fma_rn(x[j], -2.f * c[j], a);
      return a;
    case Order::reversed:
      for (int j = d - 1; j >= 0; --j) a = detail::fma_rn(x[j], -2.f * c[j], a);
      return a;
    case Order::unfused:
      for (int j = 0; j < d; ++j) {
        volatile float t = x[j] * (-2.f * c[j]);  // rounded product, then a rounded sum
        a = a + t;
      }
      return a;
    case Order::gemm_tree:
      for (int j = 0; j < d; ++j) prod[j] = x[j] * c[j];
      return cn - 2.f * tree_sum(prod.data(), d);
  }
  return a;
}

/// ||x||^2 summed two ways (the fused kernel's fma chain; the gemm warp's lanes then a tree).
float row_norm(const float* x, int d, bool tree) {
  if (!tree) {
    float s = 0.f;
    for (int j = 0; j < d; ++j) s = detail::fma_rn(x[j], x[j], s);
    return s;
  }
  std::vector<float> sq(d);
  for (int j = 0; j < d; ++j) sq[j] = x[j] * x[j];
  return tree_sum(sq.data(), d);
}

/// The fused kernel's label of the padded row xr (D floats) and its exact squared distance.
template <int D>
int fused_label(const float* xr, const FusedTable& t, const Problem& p, float& d2) {
  return detail::fused_row_label<D>(xr, t.st.data(), t.cn.data(), t.kpad, p.k, p.d, t.bound,
                                    p.c.data(), true, d2);
}

struct Tally {
  std::size_t rows = 0, settled = 0;
};

/// Every row, every order: the winner passes the screen; rerank (and fused_row_label when
/// d <= 64) give exact_all's label and squared distance bit for bit.
void expect_slack_holds(const Problem& p, Tally& tally) {
  const int D = p.d <= 16 ? 16 : p.d <= 32 ? 32 : 64;
  const FusedTable t(p, p.d <= 64 ? D : p.d);  // its cn and slack: what screen_prep computes
  auto row = [&](int q) { return p.centroid(q); };
  std::vector<float> f(p.k);
  alignas(16) float xr[64];
  for (std::size_t i = 0; i < p.n; ++i) {
    const float* x = p.row(i);
    float best_sq = 0.f;
    const int best = detail::exact_all(x, row, p.k, p.d, best_sq);
    for (Order o : {Order::fused, Order::reversed, Order::unfused, Order::gemm_tree}) {
      float m = INFINITY;
      for (int q = 0; q < p.k; ++q) m = std::min(m, f[q] = screen_in(o, x, row(q), t.cn[q], p.d));
      const float thr = t.bound.threshold(m, row_norm(x, p.d, o == Order::gemm_tree));
      if (thr < INFINITY) {
        ASSERT_LE(f[best], thr) << "row " << i << " order " << int(o);
      }
      float sq = -1.f;
      const int got = detail::rerank(
          x, row, p.k, p.d, [&](int q) { return f[q]; }, thr, sq);
      ASSERT_EQ(got, best) << "row " << i << " order " << int(o);
      ASSERT_EQ(std::memcmp(&sq, &best_sq, 4), 0) << "row " << i;
    }
    if (p.d > 64) continue;
    std::fill(xr, xr + D, 0.f);
    std::copy_n(x, p.d, xr);
    float d2 = -1.f;
    const int got = D == 16   ? fused_label<16>(xr, t, p, d2)
                    : D == 32 ? fused_label<32>(xr, t, p, d2)
                              : fused_label<64>(xr, t, p, d2);
    ASSERT_EQ(got, best) << "fused row " << i;
    ASSERT_EQ(std::memcmp(&d2, &best_sq, 4), 0) << "fused row " << i;
    detail::ScreenTop top;
    for (int q = 0; q < p.k; ++q) top.offer(screen_in(Order::fused, x, row(q), t.cn[q], p.d), q);
    tally.rows++;
    tally.settled += top.settled(t.bound.threshold(top.m, row_norm(x, p.d, false)));
  }
}

TEST(KMeansScreenSlack, WinnerAlwaysSurvivesNearTiesOddShapesAndSkew) {
  const std::uint64_t seed = test_seed();
  SCOPED_TRACE("SEGMINT_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  Tally tally;
  for (int d : {1, 2, 3, 5, 7, 13, 16, 17, 31, 33, 63, 64, 65, 128})
    for (int k : {1, 2, 3, 5, 8, 63, 64, 65, 257}) {
      const std::size_t n = k * d > 4000 ? 150 : 400 + rng() % 97;
      const double major = rng() % 3 == 0 ? 0.9 : 0.0;
      SCOPED_TRACE("d " + std::to_string(d) + " k " + std::to_string(k));
      expect_slack_holds(near_ties(n, d, k, rng(), 0.f, 0.05f, major), tally);
      if (::testing::Test::HasFatalFailure()) return;
    }
  EXPECT_GT(tally.rows, 0u);
}

TEST(KMeansScreenSlack, FarFromTheOriginTinyAndHugeScales) {
  // Offsets make ||x||^2 dwarf the distances (the screen cancels and keeps many centroids);
  // tiny scales underflow, huge ones overflow the screen (then every centroid is ranked).
  const std::uint64_t seed = test_seed();
  SCOPED_TRACE("SEGMINT_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  Tally tally;
  for (float offset : {10.f, 1e3f, 1e5f})
    for (int d : {3, 16, 33, 96}) {
      SCOPED_TRACE("offset " + std::to_string(offset) + " d " + std::to_string(d));
      expect_slack_holds(near_ties(300, d, 17, rng(), offset, 0.05f, 0.3), tally);
      if (::testing::Test::HasFatalFailure()) return;
    }
  for (float scale : {1e-19f, 1e-30f, 1e17f, 3e18f}) {
    Problem p = near_ties(300, 12, 9, rng(), 0.f, 0.05f, 0.0);
    for (float& v : p.x) v *= scale;
    for (float& v : p.c) v *= scale;
    SCOPED_TRACE("scale " + std::to_string(scale));
    expect_slack_holds(p, tally);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(KMeansScreenSlack, SeparatedBlobsAreSettledByTheScreenAlone) {
  // The speed of the fused kernel rests on this: one survivor per row, no re-rank.
  const std::uint64_t seed = test_seed();
  SCOPED_TRACE("SEGMINT_TEST_SEED=" + std::to_string(seed));
  Tally tally;
  for (int d : {8, 16, 32})
    for (int k : {8, 16, 64})
      expect_slack_holds(near_ties(2000, d, k, seed + d * k, 0.f, 0.02f, 0.0), tally);
  ASSERT_GT(tally.rows, 0u);
  // 5/8 of the rows are noise around a centroid; midpoints and copies of duplicates tie.
  EXPECT_GE(static_cast<double>(tally.settled) / tally.rows, 0.5)
      << tally.settled << " of " << tally.rows;
}

}  // namespace
}  // namespace segmint::test
