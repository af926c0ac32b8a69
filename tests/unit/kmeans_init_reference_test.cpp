// Greedy k-means++ (kmeans/init.cpp, which runs several distance chains at once) against a plain
// one-distance-at-a-time reference of the same algorithm: the same centroids bit for bit, on
// skewed random data with and without weights, any thread count, row counts that are no multiple
// of the blocks or of the chunks, and candidate counts that are no multiple of four.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "kmeans/cpu_kmeans.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::test {
namespace {

double mass(const float* v, const float* w, std::size_t i) {
  return (w ? static_cast<double>(w[i]) : 1.0) * (v ? static_cast<double>(v[i]) : 1.0);
}

// The sampling rule of init.cpp: chunk sums in row order, a running search in the same order.
std::size_t sample(const float* v, const float* w, std::size_t n, kmeans::Rng& rng) {
  const std::size_t chunk = kmeans::kChunkRows, chunks = (n + chunk - 1) / chunk;
  std::vector<double> sums(chunks, 0.0);
  for (std::size_t ch = 0; ch < chunks; ++ch)
    for (std::size_t i = ch * chunk; i < std::min(n, (ch + 1) * chunk); ++i) sums[ch] += mass(v, w, i);
  double pot = 0;
  for (double s : sums) pot += s;
  const double u = rng.uniform();
  if (!(pot > 0)) return rng.below(n);
  const double r = u * pot;
  double before = 0;
  std::size_t ch = 0;
  while (ch + 1 < chunks && before + sums[ch] <= r) before += sums[ch++];
  double acc = before;
  std::size_t last_positive = ch * chunk;
  for (std::size_t i = ch * chunk; i < std::min(n, (ch + 1) * chunk); ++i) {
    const double m = mass(v, w, i);
    if (m > 0) last_positive = i;
    acc += m;
    if (acc > r && m > 0) return i;
  }
  return last_positive;
}

std::vector<float> reference_pp(MatrixView x, const float* w, int k, std::uint64_t seed) {
  const std::size_t n = x.rows, chunk = kmeans::kChunkRows, chunks = (n + chunk - 1) / chunk;
  const int d = static_cast<int>(x.cols);
  const int trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  kmeans::Rng rng(seed);
  std::vector<float> centers(static_cast<std::size_t>(k) * d);
  std::copy_n(x.row(sample(nullptr, w, n, rng)), d, centers.begin());
  std::vector<float> closest(n);
  for (std::size_t i = 0; i < n; ++i)
    closest[i] = detail::squared_distance(x.row(i), centers.data(), d);
  for (int c = 1; c < k; ++c) {
    std::vector<std::size_t> cand(trials);
    for (int l = 0; l < trials; ++l) cand[l] = sample(closest.data(), w, n, rng);
    int best = 0;
    double best_pot = 0;
    for (int l = 0; l < trials; ++l) {
      double pot = 0;  // chunk sums in row order, added in chunk order
      for (std::size_t ch = 0; ch < chunks; ++ch) {
        double s = 0;
        for (std::size_t i = ch * chunk; i < std::min(n, (ch + 1) * chunk); ++i)
          s += (w ? static_cast<double>(w[i]) : 1.0) *
               std::min(closest[i], detail::squared_distance(x.row(i), x.row(cand[l]), d));
        pot += s;
      }
      if (l == 0 || pot < best_pot) best_pot = pot, best = l;
    }
    const float* cx = x.row(cand[best]);
    std::copy_n(cx, d, centers.begin() + static_cast<std::size_t>(c) * d);
    for (std::size_t i = 0; i < n; ++i)
      closest[i] = std::min(closest[i], detail::squared_distance(x.row(i), cx, d));
  }
  return centers;
}

TEST(KMeansInit, PlusPlusMatchesTheOneDistanceReferenceBitForBit) {
  std::mt19937_64 gen(77);
  struct Shape {
    std::size_t n;
    int d, k;
  };
  // k 2, 8, 20, 150: 2, 4, 4, 7 candidates a step; n: tails of 1-3 rows, and 3 chunks + 5.
  for (Shape s : {Shape{1001, 3, 2}, Shape{4099, 16, 8}, Shape{2 * 4096 + 4096 + 5, 27, 20},
                  Shape{3003, 5, 150}, Shape{7, 1, 3}}) {
    std::vector<float> x(s.n * s.d), w(s.n);
    std::lognormal_distribution<float> skew(0.f, 1.5f);  // heavy tails: skewed clusters
    std::normal_distribution<float> g(0.f, 1.f);
    for (std::size_t i = 0; i < s.n; ++i) {
      const float centre = static_cast<float>(i % 5) * 3.f;
      for (int j = 0; j < s.d; ++j) x[i * s.d + j] = centre + g(gen) * skew(gen);
      w[i] = i % 11 == 0 ? 0.f : skew(gen);
    }
    MatrixView view{x.data(), s.n, static_cast<std::size_t>(s.d)};
    for (const float* weights : {static_cast<const float*>(nullptr), static_cast<const float*>(w.data())}) {
      const std::vector<float> want = reference_pp(view, weights, s.k, 5);
      for (int threads : {1, 2, 3}) {
        kmeans::Rng rng(5);
        const std::vector<float> got = kmeans::init_kmeans_pp(view, weights, s.k, rng, threads);
        ASSERT_EQ(got.size(), want.size());
        EXPECT_EQ(std::memcmp(got.data(), want.data(), want.size() * sizeof(float)), 0)
            << "n " << s.n << " d " << s.d << " k " << s.k << " threads " << threads
            << (weights ? " weighted" : "");
      }
    }
  }
}

}  // namespace
}  // namespace segmint::test
