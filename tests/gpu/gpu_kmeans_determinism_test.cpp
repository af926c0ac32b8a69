// Contract 2 on the GPU: two runs byte-identical; streamed tiles equal the resident run; the
// gemm path agrees with the fused path; the initialisations find planted blobs.
#include <map>
#include <set>

#include "gpu_test_support.hpp"

namespace segmint::test {
namespace {

KMeansResult fit(const Blobs& b, const KMeansParams& p, CudaOptions o = {},
                 const float* w = nullptr) {
  return cuda_backend(o)->kmeans(b.view(), w, p);
}

KMeansParams params(int k, InitMethod init, std::uint64_t seed) {
  KMeansParams p;
  p.k = k;
  p.init = init;
  p.seed = seed;
  p.max_iter = 30;
  return p;
}

TEST(GpuDeterminism, TwoRunsAreByteIdentical) {
  SEGMINT_SKIP_WITHOUT_GPU();
  Blobs b = make_blobs(70000, 24, 12, 5.0, fresh_seed());
  for (InitMethod init : {InitMethod::kmeans_plus_plus, InitMethod::kmeans_parallel, InitMethod::random}) {
    for (AssignPath path : {AssignPath::fused, AssignPath::gemm}) {
      CudaOptions o;
      o.path = path;
      KMeansParams p = params(12, init, 99);
      p.n_init = 2;
      EXPECT_TRUE(identical(fit(b, p, o), fit(b, p, o)))
          << "init " << static_cast<int>(init) << " path " << static_cast<int>(path);
    }
  }
}

TEST(GpuDeterminism, TiledEqualsResident) {
  SEGMINT_SKIP_WITHOUT_GPU();
  Blobs b = make_blobs(50001, 16, 8, 5.0, fresh_seed());
  for (AssignPath path : {AssignPath::fused, AssignPath::gemm}) {
    for (InitMethod init : {InitMethod::kmeans_plus_plus, InitMethod::kmeans_parallel}) {
      CudaOptions resident, tiled;
      resident.path = tiled.path = path;
      tiled.tile_rows = 4096;  // 13 tiles of one chunk
      KMeansParams p = params(8, init, 5);
      KMeansResult a = fit(b, p, resident), t = fit(b, p, tiled);
      EXPECT_TRUE(identical(a, t)) << "path " << static_cast<int>(path);
      tiled.tile_rows = 3 * 4096;
      EXPECT_TRUE(identical(a, fit(b, p, tiled)));
    }
  }
}

TEST(GpuDeterminism, TinyBudgetStreamsToTheSameAnswer) {
  SEGMINT_SKIP_WITHOUT_GPU();
  Blobs b = make_blobs(200000, 32, 16, 5.0, fresh_seed());
  KMeansParams p = params(16, InitMethod::kmeans_plus_plus, 3);
  KMeansResult a = fit(b, p);
  p.gpu_memory_budget = 24u << 20;  // the 25.6 MB matrix cannot stay resident
  EXPECT_TRUE(identical(a, fit(b, p)));
}

TEST(GpuPaths, GemmAgreesWithFused) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const std::uint64_t seed = fresh_seed();
  SCOPED_TRACE("data seed " + std::to_string(seed));
  Blobs b = make_blobs(60000, 48, 32, 5.0, seed);
  KMeansParams p = params(32, InitMethod::given, 0);
  p.initial_centroids = strided_rows(b, 32);
  p.tol = 0;
  p.max_iter = 15;
  CudaOptions f, g;
  f.path = AssignPath::fused;
  g.path = AssignPath::gemm;
  KMeansResult a = fit(b, p, f), c = fit(b, p, g);
  EXPECT_GE(label_agreement(a.labels, c.labels), 0.9999);
  EXPECT_LE(max_rel_diff(c.centroids, a.centroids), 1e-5);
  EXPECT_NEAR(c.inertia, a.inertia, 1e-5 * a.inertia);
}

/// Planted, well separated blobs: every planted group must map to exactly one cluster.
void expect_recovers_blobs(InitMethod init) {
  const std::uint64_t seed = fresh_seed();
  SCOPED_TRACE("data seed " + std::to_string(seed));
  Blobs b = make_blobs(100000, 8, 10, 200.0, seed);  // centres ~100 sigma apart
  KMeansParams p = params(10, init, seed);
  p.n_init = 3;
  KMeansResult r = fit(b, p);
  std::map<int, std::set<int>> to;
  std::map<int, std::set<int>> from;
  for (std::size_t i = 0; i < b.n; ++i) {
    to[b.truth[i]].insert(r.labels[i]);
    from[r.labels[i]].insert(b.truth[i]);
  }
  for (auto& [t, ls] : to) EXPECT_EQ(ls.size(), 1u) << "planted group " << t << " split";
  for (auto& [l, ts] : from) EXPECT_EQ(ts.size(), 1u) << "cluster " << l << " merges groups";
  EXPECT_TRUE(r.converged);
}

TEST(GpuInit, PlusPlusRecoversPlantedBlobs) {
  SEGMINT_SKIP_WITHOUT_GPU();
  expect_recovers_blobs(InitMethod::kmeans_plus_plus);
}

TEST(GpuInit, ParallelRecoversPlantedBlobs) {
  SEGMINT_SKIP_WITHOUT_GPU();
  expect_recovers_blobs(InitMethod::kmeans_parallel);
}

}  // namespace
}  // namespace segmint::test
