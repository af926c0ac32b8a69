// The value test of a fit from given centroids, made by its first Lloyd pass (RangeCheck)
// instead of a separate scan: it finds what check_finite_matrix finds (NaN, +-inf, |v| above the
// limit; the limit itself passes) wherever the value sits (first row, a chunk's edge, a partial
// tile, the last column) on every kernel, with and without bounds, on 1 and 2 threads; the
// backend then reports the scan's own message; a clean matrix gives the same fit as before.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "backends/input_check.hpp"
#include "kmeans/bounds.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "kmeans_test_data.hpp"
#include "segmint/backend.hpp"
#include "segmint/error.hpp"

namespace segmint::test {
namespace {

using kmeans::KernelIsa;

using Case = KMeansCase;

// Fresh random rows around k random centres; the centroids are the first k rows.
Case random_case(std::size_t n, int d, int k, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<float> centre(-20.f, 20.f);
  std::normal_distribution<float> noise(0.f, 1.5f);
  std::vector<float> centres(static_cast<std::size_t>(k) * d);
  for (auto& v : centres) v = centre(gen);
  Case t{n, d, k, std::vector<float>(n * d), {}, {}};
  for (std::size_t i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j)
      t.x[i * d + j] = centres[(i * 7 % k) * d + j] + noise(gen);  // skewed: 7 i mod k
  t.c.assign(t.x.begin(), t.x.begin() + static_cast<std::size_t>(k) * d);
  return t;
}

// kmeans::lloyd's verdict on t with the limit of its width, on kernel isa, bounds on or off.
bool lloyd_accepts(const Case& t, KernelIsa isa, bool bounds, int threads) {
  kmeans::force_kernel_isa(isa);
  kmeans::use_row_bounds(bounds);
  KMeansParams p;
  p.k = t.k;
  p.max_iter = 1;  // the test is the first pass's
  p.threads = threads;
  KMeansResult r;
  const bool ok = kmeans::lloyd(t.view(), nullptr, t.k, t.c, p, 0.0, r,
                                matrix_value_limit(static_cast<std::size_t>(t.d)));
  kmeans::reset_kernel_isa();
  kmeans::reset_row_bounds();
  return ok;
}

bool scan_accepts(const Case& t) {
  try {
    check_finite_matrix(t.view(), "feature matrix", 1);
    return true;
  } catch (const InputError&) {
    return false;
  }
}

TEST(KMeansRangeCheck, FirstPassFindsWhatTheScanFinds) {
  // n: two whole chunks of 4096 rows and a partial one ending in a partial tile of 13 rows.
  for (int d : {3, 16, 33}) {
    const Case clean = random_case(2 * kmeans::kChunkRows + 45, d, d == 16 ? 16 : 40, 11 + d);
    const float limit = matrix_value_limit(static_cast<std::size_t>(d));
    const float inf = std::numeric_limits<float>::infinity();
    const float values[] = {std::numeric_limits<float>::quiet_NaN(),
                            -std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::signaling_NaN(),
                            inf,
                            -inf,
                            std::nextafter(limit, inf),
                            -std::nextafter(limit, inf),
                            limit,
                            -limit};
    const std::size_t last = clean.n - 1;
    const std::size_t rows[] = {0, kmeans::kChunkRows - 1, kmeans::kChunkRows, last - 5, last};
    std::mt19937_64 gen(d);
    for (float v : values)
      for (std::size_t row : rows) {
        Case t = clean;
        const int col = row == last ? d - 1 : static_cast<int>(gen() % d);
        t.x[row * d + col] = v;
        const bool want = scan_accepts(t);
        EXPECT_EQ(want, std::fabs(v) <= limit);  // the scan's rule, which the pass must follow
        for (KernelIsa isa : kmeans::runnable_kernel_isas())
          for (bool bounds : {false, true})
            for (int threads : {1, 2})
              EXPECT_EQ(lloyd_accepts(t, isa, bounds, threads), want)
                  << "d " << d << " value " << v << " row " << row << " col " << col << " isa "
                  << static_cast<int>(isa) << " bounds " << bounds << " threads " << threads;
      }
    // A row of large values, each within the limit: its ||x||^2 is above limit^2, so the pass
    // cannot clear its tile from the sum and tests value by value (and accepts it).
    Case t = clean;
    for (int j = 0; j < d; ++j)
      t.x[(kmeans::kChunkRows + 3) * d + j] = (j % 2 ? -0.9f : 0.9f) * limit;
    ASSERT_TRUE(scan_accepts(t));
    for (KernelIsa isa : kmeans::runnable_kernel_isas())
      for (bool bounds : {false, true})
        EXPECT_TRUE(lloyd_accepts(t, isa, bounds, 2))
            << "d " << d << " isa " << static_cast<int>(isa);
  }
}

TEST(KMeansRangeCheck, BackendReportsTheScansMessageAndCleanFitsAreUnchanged) {
  Case t = random_case(5000, 5, 6, 3);
  BackendOptions cpu_only;
  cpu_only.device = DeviceChoice::cpu;
  cpu_only.cpu_threads = 2;
  std::unique_ptr<Backend> cpu = make_backend(cpu_only);
  KMeansParams p;
  p.k = t.k;
  p.init = InitMethod::given;
  p.initial_centroids = t.c;
  p.max_iter = 20;
  const KMeansResult given = cpu->kmeans(t.view(), nullptr, p);
  // The same fit with the separate scan first (a start from the same centroids through the
  // engine without the pass's test): kmeans::lloyd without a limit.
  KMeansParams plain = p;
  plain.threads = 2;
  KMeansResult ref;
  ASSERT_TRUE(kmeans::lloyd(t.view(), nullptr, t.k, t.c, plain, 0.0, ref));
  EXPECT_EQ(given.labels, ref.labels);
  EXPECT_EQ(std::memcmp(given.centroids.data(), ref.centroids.data(),
                        sizeof(float) * ref.centroids.size()),
            0);
  EXPECT_EQ(std::memcmp(&given.inertia, &ref.inertia, sizeof(double)), 0);

  t.x[4321 * 5 + 2] = 1e30f;  // row 4322, column 3 (1-based)
  std::string scan, fit;
  try {
    check_finite_matrix(t.view(), "feature matrix", 1);
  } catch (const InputError& e) {
    scan = e.what();
  }
  try {
    cpu->kmeans(t.view(), nullptr, p);
  } catch (const InputError& e) {
    fit = e.what();
  }
  EXPECT_NE(scan.find("row 4322, column 3"), std::string::npos) << scan;
  EXPECT_EQ(fit, scan);
}

}  // namespace
}  // namespace segmint::test
