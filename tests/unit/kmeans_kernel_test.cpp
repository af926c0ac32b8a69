// The blocked assignment kernel: every instruction set (baseline, AVX2, AVX-512, those this CPU
// runs) gives the bits of the scalar exact formula on tails, ties, near-ties and magnitudes that
// strain the screen's error bound; the fused update sums are the same bits on every one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "backend_support.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "kmeans_test_data.hpp"
#include "segmint/backend.hpp"
#include "segmint/detail/kmeans_screen.hpp"

namespace segmint::test {

namespace {

using kmeans::KernelIsa;

using Case = KMeansCase;

// The scalar reference: exact_sq over every centroid, strictly closer replaces.
void reference(const Case& t, std::vector<std::int32_t>& labels, std::vector<float>& dist) {
  labels.assign(t.n, 0);
  dist.assign(t.n, 0);
  for (std::size_t i = 0; i < t.n; ++i) {
    float best = std::numeric_limits<float>::infinity();
    for (int c = 0; c < t.k; ++c) {
      const float dc = kmeans::exact_sq(t.x.data() + i * t.d, t.c.data() + c * t.d, t.d);
      if (dc < best) {
        best = dc;
        labels[i] = c;
      }
    }
    dist[i] = best;
  }
}

struct PassOut {
  std::vector<std::int32_t> labels;
  std::vector<float> dist;
  kmeans::PassTotals totals;
};

PassOut run_pass(const Case& t, KernelIsa isa, const float* w, int threads) {
  kmeans::force_kernel_isa(isa);
  kmeans::CentroidTable table;
  table.load(t.c.data(), t.k, t.d);
  PassOut out;
  out.labels.assign(t.n, -1);
  out.dist.assign(t.n, -1.f);
  kmeans::assign_pass(t.view(), w, table, out.labels.data(), out.dist.data(), &out.totals, threads);
  kmeans::reset_kernel_isa();
  return out;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Every kernel equals the reference bit for bit, and the kernels' totals equal each other.
void expect_exact(const Case& t, const char* what) {
  std::vector<std::int32_t> ref_labels;
  std::vector<float> ref_dist;
  reference(t, ref_labels, ref_dist);
  std::vector<float> w(t.n);
  for (std::size_t i = 0; i < t.n; ++i) w[i] = 0.25f + static_cast<float>(i % 7);
  PassOut first;
  for (KernelIsa isa : kmeans::runnable_kernel_isas()) {
    SCOPED_TRACE(::testing::Message() << what << " n=" << t.n << " d=" << t.d << " k=" << t.k
                                      << " isa=" << static_cast<int>(isa));
    PassOut out = run_pass(t, isa, w.data(), 2);
    ASSERT_EQ(out.labels, ref_labels);
    ASSERT_TRUE(same_bits(out.dist, ref_dist));
    if (isa == KernelIsa::baseline) {
      first = std::move(out);
      continue;
    }
    EXPECT_EQ(out.totals.sums, first.totals.sums);
    EXPECT_EQ(out.totals.weights, first.totals.weights);
    EXPECT_EQ(out.totals.inertia, first.totals.inertia);
    EXPECT_EQ(out.totals.changed, first.totals.changed);
  }
}

// n rows of N(0,1) * scale + offset; centroids are rows picked from the data.
Case random_case(std::size_t n, int d, int k, double scale, double offset, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> g(0, 1);
  Case t{n, d, k, std::vector<float>(n * d), std::vector<float>(static_cast<std::size_t>(k) * d),
         {}};
  for (auto& v : t.x) v = static_cast<float>(offset + scale * g(gen));
  for (int c = 0; c < k; ++c)
    for (int j = 0; j < d; ++j) t.c[c * d + j] = t.x[(gen() % n) * d + j];
  return t;
}

}  // namespace

TEST(KMeansKernel, TailsOfTilesAndBlocksMatchTheReference) {
  // Row counts that are no multiple of any tile (3, 6, 16) nor of a chunk; k across blocks and
  // every kind of rest after the full blocks (blocks of 16, 6 or 3; rests of 8, 4, 2, 1).
  for (int d : {1, 3, 7, 16, 17, 33})
    for (int k : {1, 5, 14, 16, 17, 31, 64, 70})
      expect_exact(random_case(1009, d, k, 1, 0, d * 100 + k), "random");
  expect_exact(random_case(4096 * 2 + 13, 16, 16, 1, 0, 5), "two chunks and a tail");
}

// The Lloyd loop's pass (no weights, no distances) folds rows through its own unit-weight path:
// its sums must be the weighted path's with every weight 1 (w x is exact in double), bit for bit,
// on every kernel and for row lengths inside and past the whole-block folds (d <= 32).
TEST(KMeansKernel, UnitWeightSumsAreTheWeightedSumsWithWeightOne) {
  for (int d : {1, 3, 8, 13, 16, 27, 32, 33})
    for (int k : {5, 8, 17}) {
      const Case t = random_case(4096 + 77, d, k, 2, 1, d * 31 + k);
      const std::vector<float> ones(t.n, 1.f);
      for (KernelIsa isa : kmeans::runnable_kernel_isas()) {
        SCOPED_TRACE(::testing::Message()
                     << "d=" << d << " k=" << k << " isa=" << static_cast<int>(isa));
        const PassOut weighted = run_pass(t, isa, ones.data(), 2);
        kmeans::force_kernel_isa(isa);
        kmeans::CentroidTable table;
        table.load(t.c.data(), t.k, t.d);
        std::vector<std::int32_t> labels(t.n, -1);
        kmeans::PassTotals unit;
        kmeans::assign_pass(t.view(), nullptr, table, labels.data(), nullptr, &unit, 2);
        kmeans::reset_kernel_isa();
        ASSERT_EQ(labels, weighted.labels);
        ASSERT_EQ(unit.sums, weighted.totals.sums);
        ASSERT_EQ(unit.weights, weighted.totals.weights);
        EXPECT_EQ(unit.changed, weighted.totals.changed);
      }
    }
}

// The Lloyd pass's sums add each chunk's rows in row order (whatever the kernel interleaves the
// fold with), then the chunks' sums in chunk order. Values spread over 2^-24 .. 2^24 make the
// double sums round, so an order changed anywhere changes bits (checked: the rows reversed
// within each chunk give other sums).
TEST(KMeansKernel, LloydSumsAddRowsInOrder) {
  // k: the trailing fold (one whole block of centroids) on every kernel (blocks of 16, 6, 3),
  // and the fold after each tile (k 40).
  for (int d : {3, 16, 27})
    for (int k : {4, 8, 17, 40}) {
      const std::size_t n = 2 * kmeans::kChunkRows + 13;
      Case t = random_case(n, d, k, 1, 0, d * 7 + k);
      std::mt19937_64 gen(d + k);
      for (auto& v : t.x) v = std::ldexp(v, static_cast<int>(gen() % 49) - 24);
      for (int c = 0; c < k; ++c)
        for (int j = 0; j < d; ++j) t.c[c * d + j] = t.x[(gen() % n) * d + j];
      std::vector<std::int32_t> labels;
      std::vector<float> unused;
      reference(t, labels, unused);
      auto sums_in_order = [&](bool reversed) {
        std::vector<double> total(static_cast<std::size_t>(k) * d, 0.0);
        for (std::size_t begin = 0; begin < n; begin += kmeans::kChunkRows) {
          const std::size_t end = std::min(n, begin + kmeans::kChunkRows);
          std::vector<double> chunk(total.size(), 0.0);
          for (std::size_t q = begin; q < end; ++q) {
            const std::size_t i = reversed ? end - 1 - (q - begin) : q;
            for (int j = 0; j < d; ++j) chunk[labels[i] * d + j] += t.x[i * d + j];
          }
          for (std::size_t q = 0; q < total.size(); ++q) total[q] += chunk[q];
        }
        return total;
      };
      const std::vector<double> want = sums_in_order(false);
      ASSERT_NE(want, sums_in_order(true)) << "d=" << d << " k=" << k << ": no teeth";
      for (KernelIsa isa : kmeans::runnable_kernel_isas()) {
        SCOPED_TRACE(::testing::Message()
                     << "d=" << d << " k=" << k << " isa=" << static_cast<int>(isa));
        kmeans::force_kernel_isa(isa);
        kmeans::CentroidTable table;
        table.load(t.c.data(), t.k, t.d);
        std::vector<std::int32_t> got(n, -1);
        kmeans::PassTotals totals;
        kmeans::assign_pass(t.view(), nullptr, table, got.data(), nullptr, &totals, 2);
        kmeans::reset_kernel_isa();
        ASSERT_EQ(got, labels);
        EXPECT_EQ(totals.sums, want);
      }
    }
}

TEST(KMeansKernel, ExactTiesGoToTheLowestIndex) {
  // Integer data and centroids: many rows sit exactly between two centroids, and every
  // centroid appears twice, so ties are everywhere.
  Case t{2003, 4, 12, {}, {}, {}};
  std::mt19937_64 gen(3);
  for (std::size_t i = 0; i < t.n * t.d; ++i) t.x.push_back(static_cast<float>(gen() % 9));
  for (int c = 0; c < 6; ++c)
    for (int j = 0; j < t.d; ++j) t.c.push_back(static_cast<float>(gen() % 9));
  t.c.insert(t.c.end(), t.c.begin(), t.c.end());  // centroids 6..11 repeat 0..5
  expect_exact(t, "ties");
  // Whole register blocks (16 under AVX-512, 6 under AVX2), whose two smallest values are
  // found by a tree of merges: twins land in different subtrees and in different blocks.
  Case w{1001, 5, 38, {}, {}, {}};
  for (std::size_t i = 0; i < w.n * w.d; ++i) w.x.push_back(static_cast<float>(gen() % 7));
  for (int c = 0; c < 19; ++c)
    for (int j = 0; j < w.d; ++j) w.c.push_back(static_cast<float>(gen() % 7));
  w.c.insert(w.c.end(), w.c.begin(), w.c.end());  // centroids 19..37 repeat 0..18
  expect_exact(w, "ties in whole blocks");
}

TEST(KMeansKernel, NearTiesAreReRankedExactly) {
  // Each centroid has a twin one ulp away in one coordinate: the screen cannot tell them
  // apart, the exact re-rank must.
  Case t = random_case(3001, 9, 10, 1, 0, 8);
  for (int c = 5; c < 10; ++c)
    for (int j = 0; j < t.d; ++j)
      t.c[c * t.d + j] =
          j == c % t.d ? std::nextafter(t.c[(c - 5) * t.d + j], 1e30f) : t.c[(c - 5) * t.d + j];
  expect_exact(t, "near ties");
}

TEST(KMeansKernel, MagnitudesNearTheScreensBound) {
  // Far from the origin (heavy cancellation in ||x||^2 - 2x.c + ||c||^2), tiny values whose
  // squares are subnormal, huge values past the screen's overflow guard, and mixed scales.
  expect_exact(random_case(1500, 16, 16, 1e-2, 1e4, 21), "offset 1e4, spread 1e-2");
  expect_exact(random_case(1500, 8, 20, 1, 3e6, 22), "offset 3e6");
  expect_exact(random_case(1500, 16, 16, 1e-21, 0, 23), "subnormal squares");
  expect_exact(random_case(1500, 16, 16, 1e18, 0, 24), "past the overflow guard");
  expect_exact(random_case(1500, 5, 7, 1e19, 0, 25), "squares overflow");
  Case mixed = random_case(1500, 6, 9, 1, 0, 26);
  for (std::size_t q = 0; q < mixed.x.size(); ++q) mixed.x[q] *= q % 2 ? 1e-10f : 1e10f;
  for (std::size_t q = 0; q < mixed.c.size(); ++q) mixed.c[q] *= q % 2 ? 1e-10f : 1e10f;
  expect_exact(mixed, "mixed scales");
}

TEST(KMeansKernel, ThresholdIsAboveTheMinimumAndRejectsOverflow) {
  const auto b = kmeans::ScreenBound::make(4.f, 16);
  EXPECT_GT(b.threshold(1.f, 4.f), 1.f);
  EXPECT_GT(b.threshold(-1e4f, 1e4f), -1e4f);
  EXPECT_TRUE(std::isinf(b.threshold(1.f, 1e38f)));
  EXPECT_TRUE(std::isinf(b.threshold(std::nanf(""), 1.f)));
  EXPECT_FALSE(b.threshold(1.f, std::nanf("")) < std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isinf(kmeans::ScreenBound::make(1e38f, 16).threshold(1.f, 1.f)));
}

TEST(KMeansKernel, LloydFitsTheSameBitsOnEveryKernel) {
  auto b = make_blobs(12000, 11, 13, 3.0, 9);
  std::vector<float> w(b.x.rows);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = 1.f + static_cast<float>(i % 3);
  KMeansParams p;
  p.k = 13;
  p.seed = 5;
  p.n_init = 2;
  p.tol = 0;
  std::vector<KMeansResult> fits;
  for (KernelIsa isa : kmeans::runnable_kernel_isas()) {
    kmeans::force_kernel_isa(isa);
    fits.push_back(cpu_backend(2)->kmeans(b.x.view(), w.data(), p));
    kmeans::reset_kernel_isa();
  }
  for (std::size_t q = 1; q < fits.size(); ++q) {
    EXPECT_EQ(fits[q].labels, fits[0].labels);
    EXPECT_TRUE(same_bits(fits[q].centroids, fits[0].centroids));
    EXPECT_TRUE(same_bits(fits[q].distances, fits[0].distances));
    EXPECT_EQ(fits[q].inertia, fits[0].inertia);
    EXPECT_EQ(fits[q].iterations, fits[0].iterations);
  }
}

}  // namespace segmint::test
