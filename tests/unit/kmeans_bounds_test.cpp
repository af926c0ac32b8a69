// The Lloyd loop's Hamerly bounds (host/kmeans/bounds.hpp): with and without them every result
// is the same bit for bit (labels, centroids, inertia, iterations) on every kernel and thread
// count; the bounds a pass leaves are true bounds (checked in long double); the proof's margin
// is needed (a constructed counterexample) and sufficient on those cases.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "kmeans/bounds.hpp"
#include "kmeans/cpu_kmeans.hpp"

namespace segmint::test {

namespace {

using kmeans::KernelIsa;

struct Data {
  std::size_t n;
  int d, k;
  std::vector<float> x, c, w;
  MatrixView view() const { return {x.data(), n, static_cast<std::size_t>(d)}; }
};

// n rows around k centers (cluster sizes skewed by `skew`), spread s around offset `base`.
Data blobs(std::size_t n, int d, int k, double base, double spread, double noise, double skew,
           std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(-spread, spread), unit(0, 1);
  std::normal_distribution<double> g(0, noise);
  Data t{n, d, k, {}, {}, {}};
  std::vector<double> centers(static_cast<std::size_t>(k) * d);
  for (auto& v : centers) v = base + u(gen);
  t.x.resize(n * d);
  for (std::size_t i = 0; i < n; ++i) {
    const int c = static_cast<int>(std::pow(unit(gen), skew) * k) % k;
    for (int j = 0; j < d; ++j) t.x[i * d + j] = static_cast<float>(centers[c * d + j] + g(gen));
  }
  t.c.assign(t.x.begin(), t.x.begin() + static_cast<std::size_t>(k) * d);
  return t;
}

struct Fit {
  KMeansResult r;
  std::vector<std::size_t> skipped;
  std::size_t exact_chunks = 0;  // chunks whose sums moved rows in place (exact)
};

// How a bounded pass gets its sums. reuse: the previous pass's reused in every bounded pass that
// can (1), never (0), or where few labels moved (-1, reuse_sums_pays); exact: chunks whose sums
// are exact move the rows that change label in place (BoundArgs::exact_chunks).
struct Sums {
  int reuse = -1;
  bool exact = true;
};

// bounds: 1 from the first pass, 0 never, -1 lloyd's default (row_bounds_start).
Fit fit(const Data& t, int bounds, KernelIsa isa, int threads, int max_iter = 60, Sums sums = {}) {
  if (bounds >= 0) kmeans::use_row_bounds(bounds == 1);
  kmeans::use_sum_reuse(sums.reuse);
  kmeans::use_exact_sums(sums.exact);
  kmeans::force_kernel_isa(isa);
  KMeansParams p;
  p.k = t.k;
  p.max_iter = max_iter;
  p.threads = threads;
  Fit f;
  kmeans::lloyd(t.view(), t.w.empty() ? nullptr : t.w.data(), t.k, t.c, p, 0.0, f.r);
  f.skipped = kmeans::last_skipped_rows();
  f.exact_chunks = kmeans::last_exact_chunks();
  kmeans::reset_kernel_isa();
  kmeans::reset_row_bounds();
  kmeans::use_sum_reuse(-1);
  kmeans::use_exact_sums(true);
  return f;
}

template <class T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

struct Seen {
  std::size_t skipped = 0;       // rows the bounded fits skipped
  std::size_t exact_chunks = 0;  // chunks whose sums were exact, over the fits that allow it
};

// Bounds on and off: the same bytes for every kernel and 1 or 2 threads, the bounded passes
// reusing the previous sums where few labels moved and wherever they can, with exact chunks
// moving rows in place and without.
Seen expect_same(const Data& t, const char* what, int max_iter = 60) {
  const Fit ref = fit(t, 0, kmeans::best_kernel_isa(), 1, max_iter);
  Seen seen;
  for (KernelIsa isa : kmeans::runnable_kernel_isas())
    for (int threads : {1, 2})
      for (Sums sums : {Sums{-1, true}, Sums{1, true}, Sums{-1, false}}) {
        const Fit b = fit(t, 1, isa, threads, max_iter, sums);
        const auto tag = ::testing::Message()
                         << what << " isa " << static_cast<int>(isa) << " threads " << threads
                         << " reuse " << sums.reuse << " exact " << sums.exact;
        EXPECT_EQ(b.r.labels, ref.r.labels) << tag;
        EXPECT_TRUE(same_bytes(b.r.centroids, ref.r.centroids)) << tag;
        EXPECT_TRUE(same_bytes(b.r.distances, ref.r.distances)) << tag;
        EXPECT_EQ(std::memcmp(&b.r.inertia, &ref.r.inertia, sizeof(double)), 0) << tag;
        EXPECT_EQ(b.r.iterations, ref.r.iterations) << tag;
        EXPECT_EQ(b.r.converged, ref.r.converged) << tag;
        for (std::size_t s : b.skipped) seen.skipped += s;
        seen.exact_chunks += b.exact_chunks;
        if (!sums.exact) {
          EXPECT_EQ(b.exact_chunks, 0u) << tag;
        }
      }
  return seen;
}

}  // namespace

TEST(KMeansBounds, SkewedClustersSameBytesAndRowsSkipped) {
  // n neither a multiple of 16 nor of 4096: partial tiles, partial last chunk.
  const Data t = blobs(9001, 7, 13, 0, 6, 1, 3.0, 1);
  const Seen seen = expect_same(t, "skewed");
  EXPECT_GT(seen.skipped, t.n);      // the bounds do skip rows
  EXPECT_GT(seen.exact_chunks, 0u);  // and some chunks move rows in place
}

TEST(KMeansBounds, OverlappingClustersManyIterations) {
  const Data t = blobs(12345, 5, 21, 0, 1.5, 1, 1.0, 2);  // rows keep moving for many passes
  const Seen seen = expect_same(t, "overlapping");
  EXPECT_GT(seen.skipped, 0u);
  EXPECT_GT(seen.exact_chunks, 0u);
}

TEST(KMeansBounds, FitCutOffByMaxIterRelabelsWithBounds) {
  // A fit that stops at max_iter relabels once more for its last centroids; with bounds that
  // pass is bounded and the distances come from the labels (lloyd's final pass): the same bytes
  // as the full relabel, after 1 (bounds only just refreshed) to 5 passes.
  const Data t = blobs(9001, 7, 13, 0, 3, 1, 2.0, 9);
  for (int max_iter : {1, 2, 3, 5}) {
    const Fit f = fit(t, 1, kmeans::best_kernel_isa(), 2, max_iter);
    ASSERT_EQ(f.r.iterations, max_iter) << "the fit must not converge before max_iter";
    ASSERT_FALSE(f.r.converged);
    expect_same(t, "cut off", max_iter);
  }
}

TEST(KMeansBounds, WideRowsSameBytes) {
  // d = 80: a bounded pass's windows hold 256 rows and its fold prefetches 192 ahead (64 KB of
  // x), so every chunk has many windows, most ending on a short tile of pending rows.
  const Data t = blobs(5000, 80, 12, 0, 1.2, 1, 1.5, 12);
  EXPECT_GT(expect_same(t, "wide rows", 30).skipped, 0u);
}

TEST(KMeansBounds, WeightsSameBytes) {
  Data t = blobs(5003, 4, 6, 0, 4, 1, 1.5, 3);
  std::mt19937_64 gen(4);
  std::uniform_real_distribution<float> u(0, 3);
  t.w.resize(t.n);
  for (auto& v : t.w) v = u(gen) < 0.3f ? 0.f : u(gen);
  EXPECT_EQ(expect_same(t, "weights").exact_chunks, 0u);  // rows move in place at unit weight
}

TEST(KMeansBounds, LargeMagnitudeTinySpread) {
  // Coordinates near 1e4 with spread 1e-2: the screen's slack and the rounding of exact_sq are
  // as large as the distances themselves; the margin must keep every label exact.
  expect_same(blobs(6007, 6, 9, 1e4, 2e-2, 1e-2, 1.0, 5), "large magnitude");
  expect_same(blobs(4099, 3, 5, -3e6, 1, 0.3, 1.0, 6), "huge magnitude");
}

TEST(KMeansBounds, DuplicatesAndExactTies) {
  // Rows on a small integer grid (many duplicates, rows equidistant from two centroids) and
  // duplicated initial centroids (ties to the lowest index, empty-cluster repair).
  Data t = blobs(8200, 3, 8, 0, 3, 1, 1.0, 7);
  for (auto& v : t.x) v = std::round(v);
  t.c.assign(t.x.begin(), t.x.begin() + 24);
  for (int j = 0; j < 3; ++j) t.c[3 + j] = t.c[j];  // centroid 1 = centroid 0
  expect_same(t, "grid");
  Data half = blobs(4100, 2, 4, 0, 2, 1, 1.0, 8);
  for (auto& v : half.x) v = std::round(v * 2) / 2;
  half.c = {-1, 0, 1, 0, 0, -1, 0, 1};  // symmetric: many rows tie between two centroids
  expect_same(half, "half grid");
}

TEST(KMeansBounds, DefaultByWork) {
  using kmeans::BoundsStart;
  EXPECT_EQ(kmeans::row_bounds_start(16, 16), BoundsStart::settling);
  EXPECT_EQ(kmeans::row_bounds_start(64, 32), BoundsStart::at_once);
  EXPECT_EQ(kmeans::row_bounds_start(32, 16), BoundsStart::at_once);
  kmeans::use_row_bounds(true);
  EXPECT_EQ(kmeans::row_bounds_start(2, 1), BoundsStart::at_once);
  kmeans::use_row_bounds(false);
  EXPECT_EQ(kmeans::row_bounds_start(64, 32), BoundsStart::never);
  kmeans::reset_row_bounds();
  EXPECT_EQ(kmeans::row_bounds_start(2, 1), BoundsStart::settling);
}

// Small k * d: the bounds start once a pass changes at most 1/50 of the labels. Same bytes as
// no bounds, no row skipped before that pass, and rows skipped after it.
TEST(KMeansBounds, SettlingBoundsStartLateSameBytes) {
  const Data t = blobs(20011, 5, 9, 0, 4, 1, 2.0, 11);
  ASSERT_LT(static_cast<long>(t.k) * t.d, kmeans::kBoundsMinWork);
  const Fit off = fit(t, 0, kmeans::best_kernel_isa(), 2);
  for (int threads : {1, 2}) {
    const Fit late = fit(t, -1, kmeans::best_kernel_isa(), threads);
    EXPECT_EQ(late.r.labels, off.r.labels);
    EXPECT_TRUE(same_bytes(late.r.centroids, off.r.centroids));
    EXPECT_TRUE(same_bytes(late.r.distances, off.r.distances));
    EXPECT_EQ(std::memcmp(&late.r.inertia, &off.r.inertia, sizeof(double)), 0);
    EXPECT_EQ(late.r.iterations, off.r.iterations);
    ASSERT_GT(late.r.iterations, 4) << "the data must take a few passes to settle";
    // The pass after the first that changed <= n/50 labels refreshes; later ones may skip.
    std::size_t settled = 0;  // passes up to and including the first settled one skip nothing
    std::size_t skipped = 0;
    for (std::size_t q = 0; q < late.skipped.size(); ++q) skipped += late.skipped[q];
    while (settled < late.skipped.size() && late.skipped[settled] == 0) ++settled;
    EXPECT_GT(settled, 1u);
    EXPECT_GT(skipped, 0u);
  }
}

TEST(KMeansBounds, SinglePassAndTinyInputs) {
  expect_same(blobs(17, 2, 3, 0, 3, 1, 1.0, 9), "17 rows");
  Data t = blobs(300, 4, 5, 0, 3, 1, 1.0, 10);
  for (int it : {1, 2, 3}) {
    const Fit a = fit(t, 1, kmeans::best_kernel_isa(), 2, it);
    const Fit b = fit(t, 0, kmeans::best_kernel_isa(), 2, it);
    EXPECT_EQ(a.r.labels, b.r.labels);
    EXPECT_TRUE(same_bytes(a.r.centroids, b.r.centroids));
  }
}

}  // namespace segmint::test
