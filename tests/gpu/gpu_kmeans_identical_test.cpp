// GPU k-means byte-identical to the CPU backend from the same initial centroids (issue 14): both
// rank by the same fused exact formula, sum chunk partials in the same order and decide
// convergence on the same sums. Every path (fused, gemm), resident and streamed, weighted or not,
// skewed, with empty-cluster repair, tol and max_iter stops; and the backend's assign.
#include <cstring>

#include "gpu_test_support.hpp"

namespace segmint::test {
namespace {

struct Case {
  std::size_t n;
  int d, k;
  bool weighted;
  double major;  ///< fraction of rows in group 0 (0: even)
  double tol;
  int max_iter;
};

/// Names the first field that differs, for a readable failure.
std::string first_difference(const KMeansResult& g, const KMeansResult& c) {
  if (g.iterations != c.iterations)
    return "iterations " + std::to_string(g.iterations) + " vs " + std::to_string(c.iterations);
  if (g.converged != c.converged) return "converged flag";
  for (std::size_t i = 0; i < c.labels.size(); ++i)
    if (g.labels[i] != c.labels[i]) return "label of row " + std::to_string(i);
  for (std::size_t i = 0; i < c.centroids.size(); ++i)
    if (std::memcmp(&g.centroids[i], &c.centroids[i], 4) != 0)
      return "centroid value " + std::to_string(i);
  for (std::size_t i = 0; i < c.distances.size(); ++i)
    if (std::memcmp(&g.distances[i], &c.distances[i], 4) != 0)
      return "distance of row " + std::to_string(i);
  if (std::memcmp(&g.inertia, &c.inertia, 8) != 0) return "inertia";
  return "";
}

void expect_identical_fits(const Case& c) {
  const std::uint64_t seed = fresh_seed();
  SCOPED_TRACE("data seed " + std::to_string(seed));
  Blobs b = make_blobs(c.n, c.d, c.k, 6.0, seed, c.major);
  std::vector<float> w = c.weighted ? random_weights(c.n, seed + 1) : std::vector<float>{};
  const float* wp = c.weighted ? w.data() : nullptr;
  const KMeansParams p = strided_params(b, c.k, c.max_iter, c.tol);
  const KMeansResult cpu = cpu_fit(b.view(), wp, p);
  for (auto path : {AssignPath::fused, AssignPath::gemm}) {
    if (path == AssignPath::fused && c.d > 64) continue;
    for (std::size_t tile_rows : {std::size_t{0}, std::size_t{2 * 4096}}) {
      SCOPED_TRACE(std::string(path == AssignPath::fused ? "fused" : "gemm") + " tile_rows " +
                   std::to_string(tile_rows));
      CudaOptions o;
      o.path = path;
      o.tile_rows = tile_rows;
      const KMeansResult g = cuda_backend(o)->kmeans(b.view(), wp, p);
      EXPECT_TRUE(identical(g, cpu)) << first_difference(g, cpu);
    }
  }
}

TEST(GpuIdentical, EvenClustersEveryIteration) {
  SEGMINT_SKIP_WITHOUT_GPU();
  expect_identical_fits({50001, 32, 16, false, 0, 0, 15});
}
TEST(GpuIdentical, WeightedToConvergence) {
  SEGMINT_SKIP_WITHOUT_GPU();
  expect_identical_fits({30007, 16, 8, true, 0, 1e-4, 300});
}
TEST(GpuIdentical, SkewedWithEmptyClusterRepair) {
  SEGMINT_SKIP_WITHOUT_GPU();
  expect_identical_fits({40961, 12, 8, false, 0.9, 0, 25});
}
TEST(GpuIdentical, OddShapesAndLargeK) {
  SEGMINT_SKIP_WITHOUT_GPU();
  expect_identical_fits({20011, 7, 5, true, 0, 0, 10});
  expect_identical_fits({12289, 64, 64, false, 0, 0, 8});
  expect_identical_fits({9000, 96, 200, false, 0, 0, 5});  // gemm only, large-k grouping
}

TEST(GpuIdentical, AssignIsTheCpuBackendsBitForBit) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const std::uint64_t seed = fresh_seed();
  SCOPED_TRACE("data seed " + std::to_string(seed));
  for (int k : {10, 300}) {
    Blobs b = make_blobs(12345, 20, 10, 5.0, seed);
    std::vector<float> c = strided_rows(b, k > 10 ? 10 : k);
    while (static_cast<int>(c.size()) < k * 20) c.insert(c.end(), c.begin(), c.begin() + 20);
    std::vector<std::int32_t> cl(b.n), gl(b.n, -7);
    std::vector<float> cd(b.n), gd(b.n, -1.f);  // poisoned: every entry must be written
    cpu_backend()->assign(b.view(), c.data(), k, cl.data(), cd.data());
    cuda_backend()->assign(b.view(), c.data(), k, gl.data(), gd.data());
    ASSERT_EQ(gl, cl) << "k " << k;  // duplicate centroids: ties to the lowest index
    ASSERT_EQ(std::memcmp(gd.data(), cd.data(), b.n * 4), 0) << "k " << k;
  }
}

}  // namespace
}  // namespace segmint::test
