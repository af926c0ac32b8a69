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

// The spacing of floats at |v| > 0 (the gap above it: the spacing of its binade).
long double spacing(float v) {
  const float a = std::fabs(v);
  return static_cast<long double>(std::nextafter(a, kInf)) - a;
}

// The rule in long double, per feature j: S_j the true sum of the chunk's magnitudes; a value v
// is fine where spacing(v) 2^53 < S_j (sums with it may round). A certificate must list every
// row holding a fine value (or say no), and list only rows holding a value within a factor
// `slack` of fine (the kernel's floors are powers of two over a widened float sum).
struct Rule {
  std::vector<long double> sum;  // per feature
};
Rule rule(const std::vector<float>& x, std::size_t rows, int d) {
  Rule r;
  r.sum.assign(d, 0);
  for (std::size_t i = 0; i < rows; ++i)
    for (int j = 0; j < d; ++j) r.sum[j] += std::fabs(x[i * d + j]);
  return r;
}
bool has_fine(const Rule& r, const float* row, int d, long double slack) {
  for (int j = 0; j < d; ++j)
    if (row[j] != 0 && std::ldexp(spacing(row[j]), 53) < r.sum[j] * slack) return true;
  return false;
}

ExactChunk certify(const std::vector<float>& x, std::size_t rows, int d, std::size_t from = 0) {
  ExactChunk c;
  certify_rows(MatrixView{x.data(), rows, static_cast<std::size_t>(d)}, from, rows, c);
  return c;
}

// rows x d values of N(0,1) scaled by 2^e, e uniform in [-spread, spread]: a spread of ~2 to ~30
// puts chunks on both sides of the rule.
std::vector<float> spread_values(std::size_t rows, int d, int spread, std::mt19937_64& gen) {
  std::normal_distribution<float> g(0, 1);
  std::vector<float> x(rows * d);
  for (float& v : x) v = std::ldexp(g(gen), static_cast<int>(gen() % (2 * spread + 1)) - spread);
  return x;
}

TEST(KMeansExactChunk, CertificateListsEveryFineRowAndFewOthers) {
  std::mt19937_64 gen(21);
  int clean = 0, listed = 0, no = 0;
  for (std::size_t rows : {1, 2, 3, 17, 1000, 4095, 4096})
    for (int d : {1, 3, 16, 17, 32, 33, 70})
      for (int spread : {0, 2, 6, 9, 12, 20, 40}) {
        const std::vector<float> x = spread_values(rows, d, spread, gen);
        // x holds exactly rows * d floats: the last rows must not be read past (ASan).
        const ExactChunk c = certify(x, rows, d);
        SCOPED_TRACE(::testing::Message() << rows << " rows, d " << d << ", spread " << spread);
        const Rule r = rule(x, rows, d);
        std::vector<bool> in_list(rows, false);
        for (int q = 0; q < c.fine; ++q) in_list[c.fine_rows[q]] = true;
        std::size_t fine = 0;
        for (std::size_t i = 0; i < rows; ++i) {
          const bool must = has_fine(r, &x[i * d], d, 1);
          fine += must;
          if (c.state != kExactYes) continue;
          if (must) {
            EXPECT_TRUE(in_list[i]) << "row " << i << " has a fine value, not listed";
          }
          if (in_list[i]) {
            EXPECT_TRUE(has_fine(r, &x[i * d], d, 1 + 0x1p-8L)) << "row " << i;
          }
        }
        ASSERT_NE(c.state, kExactUnknown);
        if (c.state == kExactNo) {
          EXPECT_GT(fine, 0u) << "no fine row, yet refused";
        }
        (c.state == kExactNo ? no : c.fine ? listed : clean) += 1;
      }
  EXPECT_GT(clean, 20);  // every side is reached
  EXPECT_GT(listed, 10);
  EXPECT_GT(no, 20);
}

TEST(KMeansExactChunk, SpecialValues) {
  const std::size_t rows = 37;
  const int d = 5;
  std::vector<float> x(rows * d, 1.5f);
  EXPECT_EQ(certify(x, rows, d).state, kExactYes);
  EXPECT_EQ(certify(x, rows, d).fine, 0);
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), -kInf, kInf}) {
    std::vector<float> y = x;
    y[rows * d - 1] = bad;  // the very last value, read from the copy past x's end
    EXPECT_EQ(certify(y, rows, d).state, kExactNo) << bad;
  }
  std::vector<float> zeros(rows * d, 0.f);
  for (std::size_t i = 0; i < zeros.size(); i += 3) zeros[i] = -0.f;
  EXPECT_EQ(certify(zeros, rows, d).state, kExactYes);  // every sum +0
  std::vector<float> tiny(rows * d, std::numeric_limits<float>::denorm_min());
  EXPECT_EQ(certify(tiny, rows, d).fine, 0);  // multiples of 2^-149, far below 2^53 of it
  std::vector<float> mixed = x;
  mixed[2 * d + 3] = 1e-12f;  // one value near zero among values near 1 in feature 3
  mixed[30 * d + 0] = -3e-13f;
  const ExactChunk m = certify(mixed, rows, d);
  ASSERT_EQ(m.state, kExactYes);
  ASSERT_EQ(m.fine, 2);
  EXPECT_EQ(m.fine_rows[0], 2);
  EXPECT_EQ(m.fine_rows[1], 30);
  // Only the rows asked for count: without row 2, one fine row (offsets from the first row).
  const ExactChunk later = certify(mixed, rows, d, 3);
  ASSERT_EQ(later.fine, 1);
  EXPECT_EQ(later.fine_rows[0], 27);
  // More fine rows than a chunk lists: refused.
  std::vector<float> many = x;
  for (int q = 0; q <= ExactChunk::kMaxFine; ++q) many[q * d + 1] = 1e-12f;
  EXPECT_EQ(certify(many, rows, d).state, kExactNo);
}

// A pass that refreshes the bounds at centroids c1 (every row screened, every chunk judged),
// then a bounded pass at c2 near them, reusing sums nowhere but in the exact chunks (`force`:
// every chunk exact, no fine rows, whatever the first pass decided). Returns the second pass's
// totals and labels.
struct TwoPasses {
  PassTotals totals;
  std::vector<std::int32_t> labels;
  std::vector<ExactChunk> exact;
};
TwoPasses bounded_after_refresh(MatrixView x, int k, const std::vector<float>& c1,
                                const std::vector<float>& c2, bool force) {
  const int d = static_cast<int>(x.cols);
  TwoPasses out;
  out.labels.assign(x.rows, -1);
  out.exact.assign(chunk_count(x.rows), ExactChunk{});
  RowBounds bounds(x.rows, k, d);
  CentroidTable table;
  table.load(c1.data(), k, d);
  BoundArgs first = bounds.args();
  first.exact_chunks = out.exact.data();
  assign_pass(x, nullptr, table, out.labels.data(), nullptr, &out.totals, 2, &first);
  bounds.shift(c1.data(), c2.data());
  table.load(c2.data(), k, d);
  if (force) std::fill(out.exact.begin(), out.exact.end(), ExactChunk{kExactYes});
  BoundArgs second = bounds.args();
  second.exact_chunks = out.exact.data();
  assign_pass(x, nullptr, table, out.labels.data(), nullptr, &out.totals, 2, &second);
  return out;
}

// The data of the pass test: blobs at 8 + 2 c (values well away from 0, every chunk exact), the
// same with a few fine values per chunk (exact but for their clusters), or values over
// 2^-24 .. 2^24 (sums that round: no chunk exact).
enum class Kind { clean, fine, wide };

TEST(KMeansExactChunk, RowsMovedInPlaceGiveTheFullPassSums) {
  for (int d : {3, 16, 27})
    for (int k : {5, 17}) {
      const std::size_t n = 3 * kChunkRows + 77;
      std::mt19937_64 gen(d * 31 + k);
      for (Kind kind : {Kind::clean, Kind::fine, Kind::wide}) {
        const bool wide = kind == Kind::wide;
        std::vector<float> x = spread_values(n, d, wide ? 24 : 0, gen);
        if (!wide)  // rows moving between near blobs
          for (std::size_t i = 0; i < n; ++i)
            for (int j = 0; j < d; ++j) x[i * d + j] += 8.f + 2.f * static_cast<float>(i * 7 % k);
        std::size_t planted = 0;  // rows with a value near zero (5 a chunk)
        if (kind == Kind::fine)
          for (std::size_t i = 101; i < n; i += kChunkRows / 5, ++planted) x[i * d + i % d] = 3e-7f;
        const MatrixView view{x.data(), n, static_cast<std::size_t>(d)};
        std::vector<float> c1(static_cast<std::size_t>(k) * d), c2(c1.size());
        for (std::size_t q = 0; q < c1.size(); ++q) {
          c1[q] = x[(gen() % n) * d + q % d];
          c2[q] = c1[q] + (wide ? 0.05f * c1[q] : 0.3f) * static_cast<float>(gen() % 3) - 0.3f;
        }
        for (KernelIsa isa : runnable_kernel_isas()) {
          SCOPED_TRACE(::testing::Message()
                       << "d=" << d << " k=" << k << " kind " << static_cast<int>(kind)
                       << " isa=" << static_cast<int>(isa));
          force_kernel_isa(isa);
          CentroidTable table;
          table.load(c2.data(), k, d);
          std::vector<std::int32_t> want_labels(n, -1);
          PassTotals want;  // a full pass at c2, every row folded in row order
          assign_pass(view, nullptr, table, want_labels.data(), nullptr, &want, 2);
          const TwoPasses got = bounded_after_refresh(view, k, c1, c2, false);
          std::size_t certified = 0, fine = 0;
          for (const ExactChunk& c : got.exact) {
            certified += c.state == kExactYes;
            fine += c.fine;
          }
          EXPECT_EQ(certified, wide ? 0u : got.exact.size());
          EXPECT_EQ(fine, planted);
          EXPECT_GT(got.totals.changed, 0u) << "no row moved: no teeth";
          EXPECT_EQ(got.labels, want_labels);
          EXPECT_EQ(got.totals.sums, want.sums);
          EXPECT_EQ(got.totals.weights, want.weights);
          if (wide) {  // moving rows in place where the sums round gives other bits
            const TwoPasses forced = bounded_after_refresh(view, k, c1, c2, true);
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
