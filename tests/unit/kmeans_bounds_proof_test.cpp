// The proof behind the Lloyd loop's bounds: what a bounded pass leaves are true bounds on the
// real distances (long double reference), also after a shift by the centroids' movement, on
// every kernel; and BoundMargin is needed (constructed counterexamples prove a wrong label
// without it) and sufficient on those cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

#include "kmeans/bounds.hpp"
#include "kmeans/cpu_kmeans.hpp"

namespace segmint::test {

namespace {

using kmeans::KernelIsa;

// ||x - c|| in long double (differences of floats exact; 2^-64 relative at most).
long double true_dist(const float* x, const float* c, int d) {
  long double s = 0;
  for (int j = 0; j < d; ++j) {
    const long double t = static_cast<long double>(x[j]) - c[j];
    s += t * t;
  }
  return std::sqrt(s);
}

// Every row's label is the exact argmin and its bounds hold for centroids c.
void expect_valid(const std::vector<float>& x, const std::vector<float>& c, int d, int k,
                  const std::vector<std::int32_t>& labels, const kmeans::BoundArgs& b,
                  const char* what) {
  const std::size_t n = labels.size();
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n && bad < 5; ++i) {
    const float* xi = x.data() + i * d;
    float best_sq = 0;
    const int ref = detail::exact_all(
        xi, [&](int q) { return c.data() + static_cast<std::size_t>(q) * d; }, k, d, best_sq);
    long double other = INFINITY;
    for (int q = 0; q < k; ++q)
      if (q != labels[i]) other = std::min(other, true_dist(xi, c.data() + q * d, d));
    const long double own = true_dist(xi, c.data() + labels[i] * d, d);
    const long double tol = 1 + 0x1p-60L;
    const float upper = b.upper_bound(i, labels[i]), lower = b.lower_bound(i, labels[i]);
    const bool ok = labels[i] == ref && upper * tol >= own && lower <= other * tol;
    if (!ok) {
      ++bad;
      ADD_FAILURE() << what << " row " << i << " label " << labels[i] << " ref " << ref << " upper "
                    << upper << " own " << static_cast<double>(own) << " lower " << lower
                    << " other " << static_cast<double>(other);
    }
  }
}

// A refreshing bounded pass at c1, then one shifted by the move to c2, on one kernel; after each
// pass `seen(pass, labels, bounds)` (pass 0, then 1).
template <class Seen>
void two_passes(const std::vector<float>& x, const std::vector<float>& c1,
                const std::vector<float>& c2, int d, int k, KernelIsa isa, Seen seen) {
  const std::size_t n = x.size() / d;
  const MatrixView xv{x.data(), n, static_cast<std::size_t>(d)};
  kmeans::force_kernel_isa(isa);
  kmeans::RowBounds rb(n, k, d);
  kmeans::CentroidTable table;
  kmeans::PassTotals totals;
  std::vector<std::int32_t> labels(n, -1);
  table.load(c1.data(), k, d);
  kmeans::BoundArgs b = rb.args();
  kmeans::assign_pass(xv, nullptr, table, labels.data(), nullptr, &totals, 2, &b);
  EXPECT_EQ(totals.skipped, 0u);
  seen(0, labels, b);
  rb.shift(c1.data(), c2.data());
  table.load(c2.data(), k, d);
  b = rb.args();
  EXPECT_TRUE(b.shift);
  kmeans::assign_pass(xv, nullptr, table, labels.data(), nullptr, &totals, 2, &b);
  kmeans::reset_kernel_isa();
  seen(1, labels, b);
}

// twins: the upper half of the centroids are the lower half's, one coordinate moved by a few
// ulps, so the screen cannot order a pair and the exact re-rank often picks the second of it
// (a label other than the screen's first minimum).
void check_passes(std::size_t n, int d, int k, double base, double spread, double step,
                  std::uint64_t seed, bool twins = false) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> g(0, spread);
  std::vector<float> x(n * d), c1(static_cast<std::size_t>(k) * d), c2(c1.size());
  for (auto& v : x) v = static_cast<float>(base + g(gen));
  for (std::size_t q = 0; q < c1.size(); ++q) {
    c1[q] = x[q];
    c2[q] = static_cast<float>(c1[q] + step * g(gen));
  }
  if (twins) {
    for (int c = k / 2; c < k; ++c)
      for (int j = 0; j < d; ++j) {
        float v = c1[static_cast<std::size_t>(c - k / 2) * d + j];
        if (j == c % d)
          for (int u = 0; u < 1 + c % 3; ++u) v = std::nextafter(v, 1e30f);
        c1[static_cast<std::size_t>(c) * d + j] = v;
        c2[static_cast<std::size_t>(c) * d + j] = v;
      }
  }
  for (KernelIsa isa : kmeans::runnable_kernel_isas()) {
    two_passes(x, c1, c2, d, k, isa,
               [&](int pass, const std::vector<std::int32_t>& labels, const kmeans::BoundArgs& b) {
                 if (pass == 0)
                   expect_valid(x, c1, d, k, labels, b, "refreshed");
                 else
                   expect_valid(x, c2, d, k, labels, b, "shifted");
               });
  }
}

// Each row's bounds for the shifted pass, computed here from the refreshing pass's stored bounds
// and the movement tables (BoundArgs::upper_bound's arithmetic): a row they clearly prove must
// keep its label and its stored bounds (a proven row is not written); a row they clearly leave
// unproven must be screened again, so its stored bounds are fresh ones. Returns how many rows
// were checked.
std::size_t expect_shift_uses_own_movement(const std::vector<float>& x,
                                           const std::vector<float>& c1,
                                           const std::vector<float>& c2, int d, int k,
                                           KernelIsa isa) {
  const std::size_t n = x.size() / d;
  std::vector<float> up0, lo0;
  std::vector<std::int32_t> lab0;
  std::size_t checked = 0;
  two_passes(x, c1, c2, d, k, isa,
             [&](int pass, const std::vector<std::int32_t>& labels, const kmeans::BoundArgs& b) {
               if (pass == 0) {
                 up0.assign(b.upper, b.upper + n), lo0.assign(b.lower, b.lower + n), lab0 = labels;
                 return;
               }
               std::size_t bad = 0;
               std::vector<int> clear(n);  // 1: clearly proven, -1: clearly not, 0: close
               for (std::size_t i = 0; i < n; ++i) {
                 const int a = lab0[i];
                 const float su = up0[i] + b.drift[a], sl = lo0[i] - b.other[a];
                 const float u = su + std::fabs(su) * 0x1p-22f;
                 const float l = std::max(sl - std::fabs(sl) * 0x1p-22f, 0.f);
                 const float test = u * b.margin.rho + b.margin.abs;
                 clear[i] = test * (1 + 0x1p-10f) < l ? 1 : test > l * (1 + 0x1p-10f) ? -1 : 0;
               }
               for (std::size_t i = 0; i < n && bad < 5; ++i) {
                 if (clear[i] == 0) continue;
                 // A block of 16 rows with fewer than 8 proven is screened whole (fresh bounds).
                 const std::size_t from = i / 16 * 16, to = std::min(n, from + 16);
                 if (clear[i] == 1 && to - from == 16 &&
                     std::count(clear.begin() + from, clear.begin() + to, 1) < 8)
                   continue;
                 ++checked;
                 const bool kept = b.upper[i] == up0[i] && b.lower[i] == lo0[i];
                 const bool ok = clear[i] == 1 ? kept && labels[i] == lab0[i] : !kept;
                 if (!ok) {
                   ++bad;
                   ADD_FAILURE() << "row " << i
                                 << (clear[i] == 1 ? " clearly proven" : " not proven") << " label "
                                 << labels[i] << " (was " << lab0[i] << ") upper " << b.upper[i]
                                 << " (was " << up0[i] << ") lower " << b.lower[i] << " (was "
                                 << lo0[i] << ")";
                 }
               }
             });
  return checked;
}

}  // namespace

// The shift reads each row's centroid movement from a table (permuted in registers for k <= 64
// on AVX-512 and k <= 8 on AVX2, gathered otherwise). Each centroid moves by its own amount, so
// a row given another centroid's movement shows.
TEST(KMeansBoundsProof, ShiftUsesEachRowsOwnMovement) {
  const int d = 3;
  for (int k : {5, 8, 9, 16, 17, 32, 33, 48, 64, 65, 100}) {
    std::mt19937_64 gen(static_cast<std::uint64_t>(k));
    std::normal_distribution<double> g(0, 1);
    const std::size_t n = 2003 + static_cast<std::size_t>(k);
    std::vector<float> x(n * d), c1(static_cast<std::size_t>(k) * d), c2(c1.size());
    for (auto& v : x) v = static_cast<float>(g(gen));
    for (std::size_t q = 0; q < c1.size(); ++q) {
      c1[q] = x[q];
      c2[q] = static_cast<float>(c1[q] + 1e-4 * (1 + static_cast<double>(q / d)) * g(gen));
    }
    for (KernelIsa isa : kmeans::runnable_kernel_isas()) {
      SCOPED_TRACE(::testing::Message() << "k " << k << " isa " << static_cast<int>(isa));
      EXPECT_GT(expect_shift_uses_own_movement(x, c1, c2, d, k, isa), n / 4);
    }
  }
}

TEST(KMeansBoundsProof, PassLeavesTrueBounds) {
  check_passes(5000, 8, 12, 0, 1, 0.05, 1);
  check_passes(3001, 5, 7, 1e4, 1e-2, 0.1, 2);  // large magnitude, tiny spread
  check_passes(2000, 33, 20, -50, 3, 0.01, 3);
  check_passes(4000, 6, 10, 0, 1, 0.0, 4, true);     // re-ranked labels (twin centroids)
  check_passes(3000, 16, 16, 2e3, 1, 0.0, 5, true);  // the same far from the origin
}

// v rounded up / down to a float.
float float_up(long double v) {
  const float f = static_cast<float>(v);
  return f >= v ? f : std::nextafter(f, INFINITY);
}
float float_down(long double v) {
  const float f = static_cast<float>(v);
  return f <= v ? f : std::nextafter(f, 0.f);
}

// Centroid b is centroid a's coordinates permuted (the same true distance to x = 0), with one
// coordinate moved out so that b is farther by a relative 2^-23 .. 2^-18 of the squared
// distance: about exact_sq's rounding over 256 features. Without a margin, bounds tight to the
// true distances "prove" label a (index 1) in cases where exact_sq ranks b (index 0) first or
// equal; with BoundMargin::make(d) no case proves a wrong label.
TEST(KMeansBoundsProof, MarginIsNeededAndSufficient) {
  const int d = 256;
  std::mt19937_64 gen(11);
  std::uniform_real_distribution<float> u(1, 2);
  std::uniform_real_distribution<double> gap_log2(-23, -18);
  std::uniform_int_distribution<int> pick(0, d - 1);
  const kmeans::BoundMargin with = kmeans::BoundMargin::make(d),
                            without = kmeans::BoundMargin::none();
  const std::vector<float> x(d, 0.f);
  std::vector<float> a(d), b(d);
  std::vector<int> perm(d);
  int counterexamples = 0, wrong_with_margin = 0, proven_with_margin = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    for (auto& v : a) v = u(gen);
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), gen);
    for (int j = 0; j < d; ++j) b[j] = a[perm[j]];
    const long double da = true_dist(x.data(), a.data(), d);
    float& moved = b[pick(gen)];
    moved = float_up(
        std::sqrt(static_cast<long double>(moved) * moved + std::exp2(gap_log2(gen)) * da * da));
    const long double db = true_dist(x.data(), b.data(), d);
    const float up = float_up(da), lo = float_down(db);  // true bounds, as tight as floats go
    const bool a_wins =
        detail::exact_sq(x.data(), a.data(), d) < detail::exact_sq(x.data(), b.data(), d);
    counterexamples += without.proves(up, lo) && !a_wins;
    wrong_with_margin += with.proves(up, lo) && !a_wins;
    proven_with_margin += with.proves(up, lo);
  }
  EXPECT_GT(counterexamples, 0);
  EXPECT_EQ(wrong_with_margin, 0);
  // rho - 1 is about gamma_{2d+4} ~ 2^-15: these near-ties are never proven with the margin.
  EXPECT_EQ(proven_with_margin, 0);
}

// The bf16 screen's wider slack leaves looser bounds than the float screen's: some rows it
// screened stay unproven even where no centroid moves, and each bf16 screen of them leaves them
// so. A shifting pass with float_screen screens them in float (the forced bf16 screen
// notwithstanding), and the pass after it proves nearly every row; the labels stay the same.
// Both bounded bodies: without exact chunks (bounded_body) and with them (exact_sweep_body).
TEST(KMeansBoundsProof, FloatScreenTightensTheBf16ScreensBounds) {
  const auto isas = kmeans::runnable_kernel_isas();
  if (std::find(isas.begin(), isas.end(), KernelIsa::avx512bf16) == isas.end())
    GTEST_SKIP() << "this CPU has no AVX512-BF16: no bf16 screen to compare with";
  const std::size_t n = 20000;
  const int d = 32, k = 64;
  std::mt19937_64 gen(21);
  std::uniform_real_distribution<float> u(-2, 2);
  std::normal_distribution<float> g(0, 1);
  std::vector<float> centres(static_cast<std::size_t>(k) * d), x(n * d);
  for (auto& v : centres) v = u(gen);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = gen() % k;
    for (int j = 0; j < d; ++j) x[i * d + j] = centres[c * d + j] + g(gen);
  }
  const std::vector<float> c(x.begin(), x.begin() + static_cast<std::size_t>(k) * d);
  const MatrixView xv{x.data(), n, static_cast<std::size_t>(d)};
  // A refreshing pass in bf16, then two shifting passes (no movement), float_screen `tight`;
  // the rows each shifting pass proved.
  auto passes = [&](bool tight, bool exact, std::vector<std::int32_t>& labels) {
    kmeans::force_kernel_isa(KernelIsa::avx512bf16);
    kmeans::RowBounds rb(n, k, d);
    kmeans::CentroidTable table;
    table.load(c.data(), k, d);
    kmeans::PassTotals totals;
    std::vector<kmeans::ExactChunk> chunks(kmeans::chunk_count(n));
    labels.assign(n, -1);
    kmeans::BoundArgs b = rb.args();
    b.exact_chunks = exact ? chunks.data() : nullptr;
    kmeans::assign_pass(xv, nullptr, table, labels.data(), nullptr, &totals, 2, &b);
    std::vector<std::size_t> proven;
    for (int pass = 0; pass < 2; ++pass) {
      rb.shift(c.data(), c.data());
      b = rb.args();
      b.exact_chunks = exact ? chunks.data() : nullptr;
      b.float_screen = tight;
      kmeans::assign_pass(xv, nullptr, table, labels.data(), nullptr, &totals, 2, &b);
      EXPECT_EQ(totals.changed, 0u);
      proven.push_back(totals.skipped);
    }
    kmeans::reset_kernel_isa();
    return proven;
  };
  for (bool exact : {false, true}) {
    SCOPED_TRACE(exact ? "exact chunks" : "no exact chunks");
    std::vector<std::int32_t> loose_labels, tight_labels;
    const auto loose = passes(false, exact, loose_labels);
    const auto tight = passes(true, exact, tight_labels);
    EXPECT_EQ(loose_labels, tight_labels);
    EXPECT_LT(loose[1], n - n / 100);   // bf16 again: at least 1% still open
    EXPECT_GE(tight[1], n - n / 1000);  // after a float screen: at most 0.1%
  }
}

TEST(KMeansBoundsProof, MarginFormula) {
  for (int d : {1, 16, 64, 1000}) {
    const double g = (2.0 * d + 4) * 0x1p-24 / (1 - (2.0 * d + 4) * 0x1p-24);
    const kmeans::BoundMargin m = kmeans::BoundMargin::make(d);
    EXPECT_GE(m.rho, std::sqrt((1 + g) / (1 - g)) * (1 + 0x1p-21));
    EXPECT_LE(m.rho, std::sqrt((1 + g) / (1 - g)) * (1 + 0x1p-20));
    EXPECT_GE(m.abs, std::sqrt(2 * 0x1p-100 / (1 - g)));
    EXPECT_FALSE(m.proves(1.f, 1.f));
    EXPECT_FALSE(m.proves(1.f, m.rho));  // needs the absolute term too
    EXPECT_TRUE(m.proves(1.f, 1.001f));
    EXPECT_FALSE(m.proves(0.f, 0x1p-49f));  // below the absolute term: never proven
  }
}

}  // namespace segmint::test
