// Greedy k-means++ (kmeans/init.cpp with init_kernel.hpp: 16 rows per vector, four candidates at
// once, one pass over x per step) against a plain one-distance-at-a-time reference of the same
// algorithm: the same centroids bit for bit on every kernel, on skewed random data with and
// without weights, any thread count, row counts that are no multiple of the tiles or of the
// chunks, and candidate counts that are no multiple of four.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "kmeans/cpu_kmeans.hpp"
#include "kmeans/init_chunk.hpp"
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
      for (kmeans::KernelIsa isa : {kmeans::KernelIsa::baseline, kmeans::KernelIsa::avx2,
                                    kmeans::KernelIsa::avx512}) {
        if (kmeans::best_kernel_isa() < isa) continue;  // this CPU cannot run it
        kmeans::force_kernel_isa(isa);  // k-means++'s loops follow the assignment kernel's choice
        for (int threads : {1, 2, 3}) {
          kmeans::Rng rng(5);
          const std::vector<float> got = kmeans::init_kmeans_pp(view, weights, s.k, rng, threads);
          ASSERT_EQ(got.size(), want.size());
          EXPECT_EQ(std::memcmp(got.data(), want.data(), want.size() * sizeof(float)), 0)
              << "n " << s.n << " d " << s.d << " k " << s.k << " threads " << threads
              << (weights ? " weighted" : "") << " isa " << static_cast<int>(isa);
        }
        kmeans::reset_kernel_isa();
      }
    }
  }
}

// k-means++'s loops themselves (init_kernel.hpp), on every kernel, against the scalar loops:
// every distance, min and sum bit for bit (a fused multiply-add in a lane fails it), on rows
// ranges whose ends fall inside tiles and candidate counts that leave partial groups of four.
TEST(KMeansInit, DistanceLoopsAreTheScalarLoopsBitForBit) {
  std::mt19937_64 gen(91);
  std::normal_distribution<float> g(0.f, 1.f);
  std::lognormal_distribution<float> skew(0.f, 1.f);
  for (int d : {1, 5, 16, 17, 33}) {
    const std::size_t n = 203;
    std::vector<float> x(n * d), w(n), closest(n);
    for (auto& v : x) v = g(gen) * skew(gen) * 3.f;
    for (auto& v : w) v = skew(gen);
    for (auto& v : closest) v = skew(gen) * static_cast<float>(d);
    const MatrixView view{x.data(), n, static_cast<std::size_t>(d)};
    const std::size_t begin = 3, end = n - 2;
    for (int trials : {1, 2, 3, 4, 5, 7}) {
      std::vector<const float*> cand;
      for (int l = 0; l < trials; ++l) cand.push_back(x.data() + (17 * l % n) * d);
      for (const float* weights : {static_cast<const float*>(nullptr), static_cast<const float*>(w.data())}) {
        std::vector<double> want(trials, 0.0);
        std::vector<std::vector<float>> want_min(trials, std::vector<float>(n, -1.f));
        for (int l = 0; l < trials; ++l)
          for (std::size_t i = begin; i < end; ++i) {
            const float m = std::min(closest[i], detail::squared_distance(x.data() + i * d, cand[l], d));
            want_min[l][i] = m;
            want[l] += (weights ? static_cast<double>(weights[i]) : 1.0) * m;
          }
        for (kmeans::KernelIsa isa : {kmeans::KernelIsa::baseline, kmeans::KernelIsa::avx2,
                                      kmeans::KernelIsa::avx512}) {
          if (kmeans::best_kernel_isa() < isa) continue;
          kmeans::force_kernel_isa(isa);
          std::vector<double> got(trials);
          std::vector<std::vector<float>> got_min(trials, std::vector<float>(n, -1.f));
          std::vector<float*> mins;
          for (auto& m : got_min) mins.push_back(m.data());
          kmeans::init_kernel().trial_sums(view, weights, closest.data(), cand.data(), trials, begin,
                                           end, got.data(), mins.data());
          std::vector<float> to(n, 5.f);
          kmeans::init_kernel().to_centre(view, cand[0], begin, end, to.data());
          kmeans::reset_kernel_isa();
          const auto tag = ::testing::Message() << "d " << d << " trials " << trials << " isa "
                                                << static_cast<int>(isa) << (weights ? " w" : "");
          EXPECT_EQ(std::memcmp(got.data(), want.data(), trials * sizeof(double)), 0) << tag;
          for (int l = 0; l < trials; ++l)
            EXPECT_EQ(std::memcmp(got_min[l].data(), want_min[l].data(), n * sizeof(float)), 0) << tag;
          for (std::size_t i = 0; i < n; ++i) {
            const bool in = i >= begin && i < end;
            const float dist = detail::squared_distance(x.data() + i * d, cand[0], d);
            ASSERT_EQ(to[i], in ? dist : 5.f) << tag << " row " << i;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace segmint::test
