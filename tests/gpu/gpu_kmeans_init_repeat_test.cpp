// Device initialisations under repetition (issue 12): k-means++ and k-means|| from a fixed seed,
// twenty times in one process, must give byte-identical results, and agree with the CPU backend
// on planted blobs. A k-means++ step that reads the previous step's distances (a copy not ordered
// after update_closest) picks a second centre in the blob it just covered, and varies run to run.
#include "core/resources.hpp"
#include "cuda_plan/kmeans_plan.hpp"
#include "gpu_test_support.hpp"
#include "kmeans/data_source.hpp"
#include "kmeans/device_fit.hpp"

namespace segmint::test {
namespace {

/// Mean of each planted group (k x d).
std::vector<double> group_means(const Blobs& b, int groups) {
  std::vector<double> m(static_cast<std::size_t>(groups) * b.d, 0.0);
  std::vector<double> count(groups, 0.0);
  for (std::size_t i = 0; i < b.n; ++i) {
    count[b.truth[i]] += 1;
    for (int j = 0; j < b.d; ++j) m[b.truth[i] * b.d + j] += b.x[i * b.d + j];
  }
  for (int g = 0; g < groups; ++g)
    for (int j = 0; j < b.d; ++j) m[g * b.d + j] /= count[g];
  return m;
}

/// The planted group nearest to each of the k centres (k x d).
std::vector<int> groups_of(const std::vector<float>& centres, const std::vector<double>& means,
                           int k, int d) {
  std::vector<int> out(k);
  for (int c = 0; c < k; ++c) {
    double best = 1e300;
    for (std::size_t g = 0; g < means.size() / d; ++g) {
      double s = 0;
      for (int j = 0; j < d; ++j) {
        const double t = centres[c * d + j] - means[g * d + j];
        s += t * t;
      }
      if (s < best) {
        best = s;
        out[c] = static_cast<int>(g);
      }
    }
  }
  return out;
}

TEST(GpuInit, PlusPlusSeedsOneCentrePerPlantedBlob) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const int k = 24, d = 8;
  Blobs b = make_blobs(20000, d, k, 1000.0, 21);  // groups ~ 600 sigma apart
  const std::vector<double> means = group_means(b, k);
  cuda::Resources res;
  for (std::size_t tile_rows : {std::size_t{0}, std::size_t{8192}}) {  // resident, then streamed
    SCOPED_TRACE("tile_rows " + std::to_string(tile_rows));
    const auto path = AssignPath::fused;
    const cuda_plan::MemoryPlan plan =
        cuda_plan::plan_memory(b.n, d, k, path, std::size_t{1} << 34, tile_rows);
    cuda::DataSource data(res, b.view(), nullptr, plan);
    cuda::DeviceFit fit(res, data, k, path);
    const std::vector<float> first = fit.init_plus_plus(7);
    for (int run = 0; run < 10; ++run) {  // 20 draws over both layouts
      const std::vector<float> c = fit.init_plus_plus(run % 2 ? 7 : 1000 + run);
      std::vector<int> g = groups_of(c, means, k, d);
      std::sort(g.begin(), g.end());
      EXPECT_EQ(std::unique(g.begin(), g.end()) - g.begin(), k)
          << "run " << run << ": two centres in one blob";
      if (run % 2) {
        EXPECT_EQ(c, first) << "run " << run << ": same seed, different centres";
      }
    }
  }
}

/// Twenty fits from one seed, on one backend and on fresh ones: byte-identical, and
/// the CPU backend (its own init) finds the same planted groups with the same centroids.
void expect_twenty_identical_fits(InitMethod init) {
  const int k = 10, d = 8;
  const std::uint64_t data_seed = fresh_seed();
  SCOPED_TRACE("data seed " + std::to_string(data_seed));
  Blobs b = make_blobs(20001, d, k, 100.0, data_seed);
  KMeansParams p;
  p.k = k;
  p.init = init;
  p.seed = 1234;
  p.max_iter = 50;
  auto shared = cuda_backend();
  const KMeansResult first = shared->kmeans(b.view(), nullptr, p);
  for (int run = 1; run < 20; ++run) {
    const KMeansResult r = run % 8 ? shared->kmeans(b.view(), nullptr, p)
                                   : cuda_backend()->kmeans(b.view(), nullptr, p);
    ASSERT_TRUE(identical(r, first)) << "run " << run << " differs from run 0";
  }
  const KMeansResult cpu = cpu_fit(b.view(), nullptr, p);
  EXPECT_LE(max_rel_diff(centroids_by_group(first, b.truth, k, d),
                         centroids_by_group(cpu, b.truth, k, d)),
            1e-5);
  EXPECT_NEAR(first.inertia, cpu.inertia, 1e-5 * cpu.inertia);
}

TEST(GpuInit, PlusPlusTwentyRunsAreByteIdentical) {
  SEGMINT_SKIP_WITHOUT_GPU();
  expect_twenty_identical_fits(InitMethod::kmeans_plus_plus);
}

TEST(GpuInit, ParallelTwentyRunsAreByteIdentical) {
  SEGMINT_SKIP_WITHOUT_GPU();
  expect_twenty_identical_fits(InitMethod::kmeans_parallel);
}

}  // namespace
}  // namespace segmint::test
