// Test data of the screen tests: k-means problems with hard rows (ties, midpoints, skew) and the
// fused kernel's shared-memory screen table built the way kernels/kmeans/fused_assign.cu builds it.
#pragma once
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "kmeans_test_data.hpp"
#include "segmint/detail/kmeans_screen.hpp"
#include "segmint/matrix.hpp"

namespace segmint::test {

/// Rows x (n x d) and centroids c (k x d), row-major.
struct Problem {
  std::vector<float> x, c;
  std::size_t n = 0;
  int d = 0, k = 0;
  MatrixView view() const { return {x.data(), n, static_cast<std::size_t>(d)}; }
  const float* row(std::size_t i) const { return x.data() + i * d; }
  const float* centroid(int q) const { return c.data() + static_cast<std::size_t>(q) * d; }
};

/// Blobs plus hard rows: exact midpoints of two centroids, copies of centroids, and a duplicate
/// centroid (exact ties: the lower index must win). scale multiplies everything; a fraction
/// `major` of the other rows is moved next to centroid 0 (a skewed segment).
inline Problem make_problem(std::size_t n, int d, int k, std::uint64_t seed, float scale = 1.f,
                            double major = 0) {
  Blobs b = make_blobs(n, d, k, 4.0, seed);
  Problem p;
  p.n = n, p.d = d, p.k = k;
  p.x = b.x.values;
  for (float& v : p.x) v *= scale;
  p.c.assign(p.x.begin(), p.x.begin() + static_cast<std::size_t>(k) * d);  // first k rows
  if (k > 2) std::copy_n(p.c.begin(), d, p.c.begin() + static_cast<std::size_t>(k - 1) * d);
  std::mt19937_64 rng(seed);
  const std::size_t hard_end = std::min(n, static_cast<std::size_t>(k) + 200);
  for (std::size_t i = k; i < hard_end; ++i) {
    const int a = static_cast<int>(rng() % k), e = static_cast<int>(rng() % k);
    for (int j = 0; j < d; ++j)
      p.x[i * d + j] = i % 2 ? 0.5f * (p.c[a * d + j] + p.c[e * d + j]) : p.c[a * d + j];
  }
  std::uniform_real_distribution<double> u(0, 1);
  for (std::size_t i = hard_end; i < n && major > 0; ++i) {
    if (u(rng) >= major) continue;
    const float* centre = &b.centers[static_cast<std::size_t>(b.truth[i]) * d];
    for (int j = 0; j < d; ++j)
      p.x[i * d + j] = p.c[j] + 0.25f * (p.x[i * d + j] - scale * centre[j]);
  }
  return p;
}

/// The fused kernel's shared-memory table: st = -2c transposed (D x kpad), cn, the slack.
struct FusedTable {
  int kpad = 0;
  std::vector<float> st, cn;
  detail::ScreenBound bound;
  FusedTable(const Problem& p, int D) : kpad((p.k + 3) / 4 * 4) {
    st.assign(static_cast<std::size_t>(D) * kpad, 0.f);
    cn.assign(kpad, INFINITY);
    float cn_max = 0;
    bool finite = true;
    for (int c = 0; c < p.k; ++c) {
      for (int j = 0; j < p.d; ++j) {
        st[j * kpad + c] = -2.f * p.c[c * p.d + j];
        finite = finite && std::isfinite(st[j * kpad + c]);
      }
      cn[c] = detail::centroid_norm(&p.c[c * p.d], p.d);
      finite = finite && std::isfinite(cn[c]);
      cn_max = std::max(cn_max, cn[c]);
    }
    bound = detail::ScreenBound::make(cn_max, p.d, finite);
  }
};

}  // namespace segmint::test
