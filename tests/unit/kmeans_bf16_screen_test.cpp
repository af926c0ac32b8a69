// The bf16 screen (AVX512-BF16 CPUs, k >= 64): its table holds -2 c rounded to bf16 with the
// norms of what rounding dropped, and its slack covers the rounding of both sides. Rows placed
// where the rounding of x alone, or of the centroids alone, moves the screen across a near tie
// must still get the exact formula's label: a slack without either term fails here (checked
// by dropping each from the kernel, 2026-12-05).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "kmeans/assign_chunk.hpp"
#include "kmeans/cpu_kmeans.hpp"

namespace segmint::test {

namespace {

using kmeans::KernelIsa;

// v rounded to 8 significant bits, ties to even, computed apart from the library's bit trick;
// subnormal results (below 2^-126) become zero, as the bf16 instructions read them.
float round_bf16(float v) {
  if (v == 0 || !std::isfinite(v)) return v;
  int e;
  const double m = std::frexp(static_cast<double>(v), &e);  // |m| in [0.5, 1)
  const double r = std::ldexp(std::nearbyint(std::ldexp(m, 8)), e - 8);
  return std::fabs(r) < 0x1p-126 ? 0.f : static_cast<float>(r);
}

float half_word(std::int32_t word, int h) {
  const std::uint32_t bits = (static_cast<std::uint32_t>(word) >> (16 * h) & 0xffff) << 16;
  float v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

// Labels from the exact formula over every centroid (strictly closer replaces).
std::vector<std::int32_t> exact_labels(const std::vector<float>& x, const std::vector<float>& c,
                                       int d, int k) {
  const std::size_t n = x.size() / d;
  std::vector<std::int32_t> out(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    float best = std::numeric_limits<float>::infinity();
    for (int q = 0; q < k; ++q) {
      const float v =
          kmeans::exact_sq(x.data() + i * d, c.data() + static_cast<std::size_t>(q) * d, d);
      if (v < best) best = v, out[i] = q;
    }
  }
  return out;
}

// Labels from the bf16 kernel (forced: its screen on every tile).
std::vector<std::int32_t> bf16_labels(const std::vector<float>& x, const std::vector<float>& c,
                                      int d, int k) {
  kmeans::force_kernel_isa(KernelIsa::avx512bf16);
  kmeans::CentroidTable table;
  table.load(c.data(), k, d);
  std::vector<std::int32_t> labels(x.size() / d, 0);
  kmeans::assign_pass({x.data(), x.size() / d, static_cast<std::size_t>(d)}, nullptr, table,
                      labels.data(), nullptr, nullptr, 2);
  kmeans::reset_kernel_isa();
  return labels;
}

// Centroids in twins and rows near each twin pair's midpoint, where the screen sees the pair
// through rounding only.
//
// Rows rounded (rounded_rows): twins c and c + h v (v_j = +-1, h = 0.5 the bf16 spacing at
// 74..86, all bf16 values) and rows at the midpoint moved by e_j v_j, e_j small and positive on
// every feature but one, whose e undoes their sum but for a random 1e-3 h. The exact distances
// differ by about that 1e-3 h either way; the rows round to c + h v on all features but one,
// so the bf16 screen sees them (d - 2) h^2 closer to the second twin, beyond the float
// screen's slack at d <= 5: only the rows' rounding term of the slack keeps them unsettled.
//
// Centroids rounded: twins (c, c + 2 e_j) with c off the bf16 grid and rows of bf16 values just
// off each pair's midpoint along e_j: only the centroids' rounding term keeps them unsettled.
void near_twin_case(bool rounded_rows, std::uint64_t seed, std::vector<float>& x,
                    std::vector<float>& c, int d, int k) {
  std::mt19937_64 gen(seed);
  std::uniform_int_distribution<int> small(-6, 6);
  std::uniform_real_distribution<double> u(-1, 1);
  const double h = 0.5;
  std::vector<double> v(static_cast<std::size_t>(k) * d);
  c.assign(static_cast<std::size_t>(k) * d, 0.f);
  for (int q = 0; q < k; q += 2)
    for (int j = 0; j < d; ++j) {
      const std::size_t at = static_cast<std::size_t>(q) * d + j;
      v[at] = gen() % 2 ? 1.0 : -1.0;
      const double base = rounded_rows ? 80 + small(gen) : small(gen) + 0.3 * u(gen);
      c[at] = static_cast<float>(base);
      c[at + d] = static_cast<float>(rounded_rows ? base + h * v[at] : base + (j == q % d ? 2 : 0));
    }
  const std::size_t n = 16 * 97 + 5;  // a tail past the last whole tile
  x.assign(n * d, 0.f);
  for (std::size_t i = 0; i < n; ++i) {
    const int q = static_cast<int>(i % static_cast<std::size_t>(k / 2)) * 2, axis = q % d;
    const float* cq = c.data() + static_cast<std::size_t>(q) * d;
    const double* vq = v.data() + static_cast<std::size_t>(q) * d;
    for (int j = 0; j < d; ++j) {
      double value;
      if (rounded_rows) {
        const double e = j == axis ? -0.4 * h * (d - 1) / d + 1e-3 * h * u(gen) : 0.4 * h / d;
        value = cq[j] + (h / 2 + e) * vq[j];
      } else {
        value =
            round_bf16(static_cast<float>(cq[j] + (j == axis ? 1 + 1e-3 * u(gen) : 0.05 * u(gen))));
      }
      x[i * d + j] = static_cast<float>(value);
    }
  }
}

bool has_bf16() { return kmeans::best_kernel_isa() >= KernelIsa::avx512bf16; }

}  // namespace

TEST(KMeansBf16Screen, TableHoldsRoundedPairsAndTheirErrorNorms) {
  for (int d : {1, 7, 16}) {
    const int k = 21;
    std::mt19937_64 gen(static_cast<std::uint64_t>(d));
    std::normal_distribution<double> g(0, 1);
    std::vector<float> c(static_cast<std::size_t>(k) * d);
    for (std::size_t q = 0; q < c.size(); ++q)
      c[q] = static_cast<float>(g(gen) * (q % 5 == 0 ? 1e-39 : 3.0));  // some subnormal
    kmeans::CentroidTable t;
    t.load(c.data(), k, d);
    ASSERT_EQ(t.pairs.size(), static_cast<std::size_t>((d + 1) / 2) * t.kpad);
    double rc_max = 0, c_max = 0;
    for (int q = 0; q < k; ++q) {
      double rc2 = 0, c2 = 0;
      for (int j = 0; j < d; ++j) {
        const float v = c[static_cast<std::size_t>(q) * d + j];
        const float b = round_bf16(-2 * v);
        const float got = half_word(t.pairs[static_cast<std::size_t>(j / 2) * t.kpad + q], j % 2);
        ASSERT_EQ(got, b) << "d " << d << " centroid " << q << " feature " << j;
        rc2 += std::pow((-2.0 * v - b) / 2, 2);
        c2 += static_cast<double>(v) * v;
      }
      if (d % 2) {
        EXPECT_EQ(half_word(t.pairs[static_cast<std::size_t>(d / 2) * t.kpad + q], 1), 0.f);
      }
      rc_max = std::max(rc_max, std::sqrt(rc2));
      c_max = std::max(c_max, std::sqrt(c2));
    }
    EXPECT_GE(t.rc_max, rc_max);
    EXPECT_LE(t.rc_max, rc_max * (1 + 1e-5) + 1e-30);
    EXPECT_GE(t.c_max, c_max);
    EXPECT_LE(t.c_max, c_max * (1 + 1e-5));
  }
}

TEST(KMeansBf16Screen, ThresholdAddsTheRoundingSlack) {
  const auto plain = kmeans::ScreenBound::make(50.f, 32);
  const auto rounded = kmeans::ScreenBound::make(50.f, 32, true, 0x1p-7 + 0x1p-16);
  EXPECT_GE(rounded.a0, plain.a0 * (1 + 0x1p-7));
  EXPECT_GE(rounded.a1, plain.a1 * (1 + 0x1p-7));
  // Twice the row's A_e on top of the float screen's slack; none added reproduces it exactly.
  const float m = 3.f, xn = 40.f, extra = 0.25f;
  EXPECT_GE(rounded.threshold(m, xn, extra) - rounded.threshold(m, xn), 2 * extra * (1 - 1e-6f));
  EXPECT_EQ(plain.threshold(m, xn, 0.f), plain.threshold(m, xn));
  EXPECT_EQ(plain.error(xn), plain.a0 + plain.a1 * xn);
}

TEST(KMeansBf16Screen, RowsRoundingDecidesNearTiesExactly) {
  if (!has_bf16()) GTEST_SKIP() << "this CPU has no AVX512-BF16: the bf16 kernel never runs";
  for (int d : {3, 5})
    for (int k : {16, 64, 70}) {
      std::vector<float> x, c;
      near_twin_case(true, static_cast<std::uint64_t>(d * 100 + k), x, c, d, k);
      SCOPED_TRACE(::testing::Message() << "rows rounded, d " << d << " k " << k);
      ASSERT_EQ(bf16_labels(x, c, d, k), exact_labels(x, c, d, k));
    }
}

TEST(KMeansBf16Screen, CentroidsRoundingDecidesNearTiesExactly) {
  if (!has_bf16()) GTEST_SKIP() << "this CPU has no AVX512-BF16: the bf16 kernel never runs";
  for (int d : {5, 16, 33})
    for (int k : {16, 64, 70}) {
      std::vector<float> x, c;
      near_twin_case(false, static_cast<std::uint64_t>(d * 100 + k + 1), x, c, d, k);
      SCOPED_TRACE(::testing::Message() << "centroids rounded, d " << d << " k " << k);
      ASSERT_EQ(bf16_labels(x, c, d, k), exact_labels(x, c, d, k));
    }
}

}  // namespace segmint::test

namespace segmint::test {

// Without a forced kernel each pass watches the bf16 screen and keeps it only while it re-ranks
// few rows: spread clusters keep it, data made of ties does not, nor does a pass whose tied
// rows come after spread ones. Labels are the exact formula's either way.
TEST(KMeansBf16Screen, EachPassProbesAndKeepsTheFloatScreenWhereTiesAbound) {
  if (!has_bf16()) GTEST_SKIP() << "this CPU has no AVX512-BF16: the bf16 kernel never runs";
  const int d = 16, k = 64;  // a shape the bf16 kernel is picked for
  const std::size_t n = 4096 * 2 + 37;
  std::mt19937_64 gen(11);
  std::normal_distribution<double> g(0, 1);
  std::uniform_real_distribution<double> u(-10, 10);
  std::vector<float> spread_c(static_cast<std::size_t>(k) * d), spread_x(n * d);
  for (auto& v : spread_c) v = static_cast<float>(u(gen));
  for (std::size_t i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j)
      spread_x[i * d + j] = spread_c[(i % k) * d + j] + static_cast<float>(0.5 * g(gen));
  std::vector<float> tie_c(static_cast<std::size_t>(k) * d), tie_x(n * d);
  for (int q = 0; q < k / 2; ++q)  // centroids q and q + k / 2 are twins: every row ties
    for (int j = 0; j < d; ++j)
      tie_c[static_cast<std::size_t>(q) * d + j] =
          tie_c[static_cast<std::size_t>(q + k / 2) * d + j] = static_cast<float>(gen() % 3);
  for (auto& v : tie_x) v = static_cast<float>(gen() % 3);
  // Spread rows first and tied rows after them, against 32 spread centroids and 16 twin pairs
  // of the tied ones: the pass starts on bf16 and must leave it.
  std::vector<float> mixed_c(spread_c.begin(), spread_c.begin() + 32 * d), mixed_x;
  for (int q = 0; q < 32; ++q)
    mixed_c.insert(mixed_c.end(), tie_c.begin() + (q % 16) * d, tie_c.begin() + (q % 16 + 1) * d);
  for (std::size_t i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j)
      mixed_x.push_back(i < n / 2 ? spread_c[(i % 32) * d + j] + static_cast<float>(0.5 * g(gen))
                                  : static_cast<float>(gen() % 3));
  struct Case {
    const char* name;
    const std::vector<float>& x;
    const std::vector<float>& c;
    int verdict;
  };
  for (const Case& e : {Case{"spread", spread_x, spread_c, kmeans::kScreenBf16},
                        Case{"ties", tie_x, tie_c, kmeans::kScreenFloat},
                        Case{"spread, then ties", mixed_x, mixed_c, kmeans::kScreenFloat}}) {
    kmeans::CentroidTable table;
    table.load(e.c.data(), k, d);
    std::vector<std::int32_t> labels(n, 0);
    kmeans::PassTotals totals;
    kmeans::assign_pass({e.x.data(), n, static_cast<std::size_t>(d)}, nullptr, table, labels.data(),
                        nullptr, &totals, 2);
    SCOPED_TRACE(e.name);
    EXPECT_EQ(totals.screen_verdict, e.verdict);
    EXPECT_EQ(labels, exact_labels(e.x, e.c, d, k));
  }
}

}  // namespace segmint::test
