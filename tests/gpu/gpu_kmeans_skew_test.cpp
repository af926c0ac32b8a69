// GPU k-means against the CPU backend on strongly skewed clusters (issue 12): one cluster holds
// 90 % of the rows, so one cluster fills a tile's segment, strided initial rows leave clusters
// empty after the first step, and the fixed-order per-cluster accumulation is stressed. (Row
// counts that are no multiple of a block, chunk or tile: GpuParity's Awkward shapes.)
#include "gpu_test_support.hpp"

namespace segmint::test {
namespace {

KMeansParams given_params(const Blobs& b, int k) {
  KMeansParams p;
  p.k = k;
  p.init = InitMethod::given;
  p.initial_centroids = strided_rows(b, k);
  p.max_iter = 25;
  p.tol = 0;  // every iteration runs: the strictest comparison
  return p;
}

TEST(GpuSkew, NinetyPercentInOneClusterMatchesTheCpuBackend) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const std::uint64_t seed = fresh_seed();
  SCOPED_TRACE("data seed " + std::to_string(seed));
  const int k = 8, d = 12;
  Blobs b = make_blobs(100003, d, k, 8.0, seed, 0.9);
  // Strided initial rows come mostly from the big group: clusters empty out and are repaired.
  const KMeansParams p = given_params(b, k);
  const KMeansResult cpu = cpu_fit(b.view(), nullptr, p);
  for (auto path : {AssignPath::fused, AssignPath::gemm}) {
    for (std::size_t tile_rows : {std::size_t{0}, std::size_t{3 * 4096}}) {
      SCOPED_TRACE(std::string(path == AssignPath::fused ? "fused" : "gemm") +
                   " tile_rows " + std::to_string(tile_rows));
      CudaOptions o;
      o.path = path;
      o.tile_rows = tile_rows;
      expect_matches_cpu(cuda_backend(o)->kmeans(b.view(), nullptr, p), cpu);
    }
  }
}

TEST(GpuSkew, SeededInitsUseEveryClusterAndRepeat) {
  SEGMINT_SKIP_WITHOUT_GPU();
  Blobs b = make_blobs(60000, 6, 6, 8.0, 77, 0.9);
  for (InitMethod init : {InitMethod::kmeans_plus_plus, InitMethod::kmeans_parallel}) {
    KMeansParams p;
    p.k = 6;
    p.init = init;
    p.seed = 5;
    p.n_init = 2;
    const KMeansResult a = cuda_backend()->kmeans(b.view(), nullptr, p);
    EXPECT_TRUE(identical(a, cuda_backend()->kmeans(b.view(), nullptr, p)));
    std::vector<std::size_t> sizes(6, 0);
    for (std::int32_t l : a.labels) ++sizes[l];
    for (int c = 0; c < 6; ++c) EXPECT_GT(sizes[c], 0u) << "cluster " << c << " is empty";
  }
}

}  // namespace
}  // namespace segmint::test
