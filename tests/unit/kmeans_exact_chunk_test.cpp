// Exact chunks (kmeans/exact_chunk.hpp, BoundArgs::exact_chunks): the kernel's certificate
// against a scalar reference of the rule it implements (and never claiming more), and a bounded
// pass that moves rows in place in the chunks it certifies giving the sums of a full pass bit
// for bit, on every kernel, where the same moves in a chunk it refuses would not.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

// The vector types' ABI note (the kernel's own files pass -Wno-psabi).
#pragma GCC diagnostic ignored "-Wpsabi"
#include "kmeans/bounds.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "kmeans/exact_chunk.hpp"

namespace segmint::kmeans {
namespace {

// (kInf: the kernel's, assign_kernel.hpp.) The rule, feature by feature in long double: the true
// sum of magnitudes S against 2^53 times the spacing q of floats at the smallest nonzero magnitude
// (nextafter: the gap above it, which for a float is the spacing of its binade). margin < 1 asks
// for S <= margin 2^53 q.
bool reference_exact(const std::vector<float>& x, std::size_t rows, int d, long double margin) {
  for (int j = 0; j < d; ++j) {
    long double s = 0;
    float least = kInf;
    for (std::size_t i = 0; i < rows; ++i) {
      const float a = std::fabs(x[i * d + j]);
      if (std::isnan(a)) return false;
      s += a;
      if (a > 0 && a < least) least = a;
    }
    if (least == kInf) continue;  // zeros only
    const float next = std::nextafter(least, kInf);
    if (next == kInf) return false;  // FLT_MAX: nothing to add it to exactly in this rule's terms
    const long double q = static_cast<long double>(next) - least;
    if (!(s <= margin * std::ldexp(static_cast<long double>(q), 53))) return false;
  }
  return true;
}

// rows x d values of N(0,1) scaled by 2^e, e uniform in [-spread, spread]: a spread of ~2 to ~30
// puts chunks on both sides of the rule.
std::vector<float> spread_values(std::size_t rows, int d, int spread, std::mt19937_64& gen) {
  std::normal_distribution<float> g(0, 1);
  std::vector<float> x(rows * d);
  for (float& v : x) v = std::ldexp(g(gen), static_cast<int>(gen() % (2 * spread + 1)) - spread);
  return x;
}

TEST(KMeansExactChunk, CertificateFollowsTheRuleAndNeverClaimsMore) {
  std::mt19937_64 gen(21);
  int yes = 0, no = 0;
  for (std::size_t rows : {1, 2, 3, 17, 1000, 4095, 4096})
    for (int d : {1, 3, 16, 17, 32, 33, 70})
      for (int spread : {0, 2, 6, 9, 12, 20, 40}) {
        const std::vector<float> x = spread_values(rows, d, spread, gen);
        // x holds exactly rows * d floats: the last rows must not be read past (ASan).
        const bool got =
            chunk_sums_exact(MatrixView{x.data(), rows, static_cast<std::size_t>(d)}, 0, rows);
        SCOPED_TRACE(::testing::Message() << rows << " rows, d " << d << ", spread " << spread);
        if (got) {
          EXPECT_TRUE(reference_exact(x, rows, d, 1)) << "claims a sum exact that is not";
        }
        // Clear of the boundary (the kernel widens its float sum by 2^-10), it must agree.
        if (reference_exact(x, rows, d, 1 - 0x1p-8L)) {
          EXPECT_TRUE(got);
        }
        (got ? yes : no) += 1;
      }
  EXPECT_GT(yes, 20);  // both sides are reached
  EXPECT_GT(no, 20);
}

TEST(KMeansExactChunk, SpecialValues) {
  const std::size_t rows = 37;
  const int d = 5;
  auto exact = [&](const std::vector<float>& x) {
    return chunk_sums_exact(MatrixView{x.data(), rows, static_cast<std::size_t>(d)}, 0, rows);
  };
  std::vector<float> x(rows * d, 1.5f);
  EXPECT_TRUE(exact(x));
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), -kInf, kInf}) {
    std::vector<float> y = x;
    y[rows * d - 1] = bad;  // the very last value, read from the copy past x's end
    EXPECT_FALSE(exact(y)) << bad;
  }
  std::vector<float> zeros(rows * d, 0.f);
  for (std::size_t i = 0; i < zeros.size(); i += 3) zeros[i] = -0.f;
  EXPECT_TRUE(exact(zeros));  // every sum +0
  std::vector<float> tiny(rows * d, std::numeric_limits<float>::denorm_min());
  EXPECT_TRUE(exact(tiny));  // multiples of 2^-149, far below 2^53 of it
  std::vector<float> mixed = x;
  mixed[2 * d + 3] = 1e-12f;  // one value near zero among values near 1 in feature 3
  EXPECT_FALSE(exact(mixed));
  // Only the rows asked for count: the chunk without that row is exact.
  EXPECT_TRUE(
      chunk_sums_exact(MatrixView{mixed.data(), rows, static_cast<std::size_t>(d)}, 3, rows));
}

// A pass that refreshes the bounds at centroids c1 (every row screened, every chunk judged),
// then a bounded pass at c2 near them, reusing sums nowhere but in the exact chunks (`force`
// overrides what the first pass decided). Returns the second pass's totals and labels.
struct TwoPasses {
  PassTotals totals;
  std::vector<std::int32_t> labels;
  std::vector<std::uint8_t> exact;
};
TwoPasses bounded_after_refresh(MatrixView x, int k, const std::vector<float>& c1,
                                const std::vector<float>& c2, int force) {
  const int d = static_cast<int>(x.cols);
  TwoPasses out;
  out.labels.assign(x.rows, -1);
  out.exact.assign(chunk_count(x.rows), kExactUnknown);
  RowBounds bounds(x.rows, k, d);
  CentroidTable table;
  table.load(c1.data(), k, d);
  BoundArgs first = bounds.args();
  first.exact_chunks = out.exact.data();
  assign_pass(x, nullptr, table, out.labels.data(), nullptr, &out.totals, 2, &first);
  bounds.shift(c1.data(), c2.data());
  table.load(c2.data(), k, d);
  if (force >= 0) std::fill(out.exact.begin(), out.exact.end(), force);
  BoundArgs second = bounds.args();
  second.exact_chunks = out.exact.data();
  assign_pass(x, nullptr, table, out.labels.data(), nullptr, &out.totals, 2, &second);
  return out;
}

TEST(KMeansExactChunk, RowsMovedInPlaceGiveTheFullPassSums) {
  for (int d : {3, 16, 27})
    for (int k : {5, 17}) {
      const std::size_t n = 3 * kChunkRows + 77;
      std::mt19937_64 gen(d * 31 + k);
      // Typical values (exact chunks), and values over 2^-24 .. 2^24 (sums that round).
      for (bool wide : {false, true}) {
        std::vector<float> x = spread_values(n, d, wide ? 24 : 0, gen);
        if (!wide)  // blobs at 8 + 2 c (all values well away from 0), rows moving between them
          for (std::size_t i = 0; i < n; ++i)
            for (int j = 0; j < d; ++j) x[i * d + j] += 8.f + 2.f * static_cast<float>(i * 7 % k);
        const MatrixView view{x.data(), n, static_cast<std::size_t>(d)};
        std::vector<float> c1(static_cast<std::size_t>(k) * d), c2(c1.size());
        for (std::size_t q = 0; q < c1.size(); ++q) {
          c1[q] = x[(gen() % n) * d + q % d];
          c2[q] = c1[q] + (wide ? 0.05f * c1[q] : 0.3f) * static_cast<float>(gen() % 3) - 0.3f;
        }
        for (KernelIsa isa : runnable_kernel_isas()) {
          SCOPED_TRACE(::testing::Message() << "d=" << d << " k=" << k << " wide=" << wide
                                            << " isa=" << static_cast<int>(isa));
          force_kernel_isa(isa);
          CentroidTable table;
          table.load(c2.data(), k, d);
          std::vector<std::int32_t> want_labels(n, -1);
          PassTotals want;  // a full pass at c2, every row folded in row order
          assign_pass(view, nullptr, table, want_labels.data(), nullptr, &want, 2);
          const TwoPasses got = bounded_after_refresh(view, k, c1, c2, -1);
          const std::size_t certified =
              static_cast<std::size_t>(std::count(got.exact.begin(), got.exact.end(), kExactYes));
          EXPECT_EQ(certified, wide ? 0u : got.exact.size());  // the data's two sides
          EXPECT_GT(got.totals.changed, 0u) << "no row moved: no teeth";
          EXPECT_EQ(got.labels, want_labels);
          EXPECT_EQ(got.totals.sums, want.sums);
          EXPECT_EQ(got.totals.weights, want.weights);
          if (wide) {  // moving rows in place where the sums round gives other bits
            const TwoPasses forced = bounded_after_refresh(view, k, c1, c2, kExactYes);
            EXPECT_EQ(forced.labels, want_labels);
            EXPECT_NE(forced.totals.sums, want.sums) << "the certificate is not needed here";
          }
          reset_kernel_isa();
        }
      }
    }
}

}  // namespace
}  // namespace segmint::kmeans
