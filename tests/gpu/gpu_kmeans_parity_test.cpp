// GPU k-means against the references from the same initial centroids on fresh random data:
// the sequential Lloyd of gpu_test_support.hpp always, the CPU backend when it is built.
#include "gpu_test_support.hpp"
#include "backend_support.hpp"
#include "segmint/backend.hpp"
#include "segmint/error.hpp"

namespace segmint::test {
namespace {

struct Shape {
  std::size_t n;
  int d, k;
  AssignPath path;
  bool weighted;
  std::size_t tile_rows = 0;  ///< forced streaming tile (0 = resident)
};

std::string describe(const Shape& s) {
  const char* path = s.path == AssignPath::fused  ? "fused"
                     : s.path == AssignPath::gemm ? "gemm"
                                                  : "auto";
  return "n" + std::to_string(s.n) + "_d" + std::to_string(s.d) + "_k" + std::to_string(s.k) +
         "_" + path + (s.weighted ? "_weighted" : "") + (s.tile_rows ? "_tiled" : "");
}
std::string shape_name(const ::testing::TestParamInfo<Shape>& info) { return describe(info.param); }
/// gtest prints parameters into ctest names: the shape, not its bytes (padding included).
void PrintTo(const Shape& s, std::ostream* os) { *os << describe(s); }

class GpuParity : public ::testing::TestWithParam<Shape> {};

TEST_P(GpuParity, MatchesReferenceFromSameCentroids) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const Shape s = GetParam();
  const std::uint64_t seed = fresh_seed();
  SCOPED_TRACE("data seed " + std::to_string(seed));
  Blobs b = make_blobs(s.n, s.d, s.k, 6.0, seed);
  std::vector<float> w = s.weighted ? random_weights(s.n, seed + 1) : std::vector<float>{};
  const float* wp = s.weighted ? w.data() : nullptr;
  const KMeansParams p = strided_params(b, s.k, 20, 0);  // tol 0: every iteration runs
  CudaOptions o;
  o.path = s.path;
  o.tile_rows = s.tile_rows;
  KMeansResult g = cuda_backend(o)->kmeans(b.view(), wp, p);
  KMeansResult ref = reference_lloyd(b.view(), wp, p.initial_centroids, s.k, p.max_iter, p.tol);
  EXPECT_GE(label_agreement(g.labels, ref.labels), 0.9999);
  EXPECT_LE(max_rel_diff(g.centroids, ref.centroids), 1e-5);
  EXPECT_NEAR(g.inertia, ref.inertia, 1e-5 * ref.inertia);
  // Both paths rank by the reference's exact formula; sums are added in another order than the
  // reference's, so a near-tie may still flip: the iteration count is compared on the fused path.
  if (s.path == AssignPath::fused) {
    EXPECT_EQ(g.iterations, ref.iterations);
  }
  // Distances of rows with the same label: the exact formula, up to the centroids' last bits.
  std::size_t checked = 0;
  for (std::size_t i = 0; i < b.n; ++i)
    if (g.labels[i] == ref.labels[i]) {
      ASSERT_NEAR(g.distances[i], ref.distances[i], 1e-5f * (1 + ref.distances[i])) << i;
      ++checked;
    }
  EXPECT_GT(checked, 0u);

  std::unique_ptr<Backend> cpu;
  try {
    cpu = cpu_backend();
    KMeansResult c = cpu->kmeans(b.view(), wp, p);
    EXPECT_GE(label_agreement(g.labels, c.labels), 0.9999);
    EXPECT_LE(max_rel_diff(g.centroids, c.centroids), 1e-5);
    EXPECT_NEAR(g.inertia, c.inertia, 1e-5 * c.inertia);
  } catch (const RuntimeError& e) {
    GTEST_SKIP() << "CPU backend not available in this build: " << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, GpuParity,
    ::testing::Values(Shape{50000, 32, 16, AssignPath::fused, false},
                      Shape{50000, 32, 16, AssignPath::fused, true},
                      Shape{30001, 7, 5, AssignPath::fused, false},    // d % 4 != 0, odd n
                      Shape{20000, 64, 64, AssignPath::fused, false},
                      Shape{20000, 3, 1, AssignPath::fused, false},    // k = 1
                      Shape{40000, 32, 16, AssignPath::gemm, false},
                      Shape{20000, 96, 200, AssignPath::gemm, true},  // gemm by size
                      Shape{20000, 128, 300, AssignPath::automatic, false}),
    shape_name);

// Issue 12: row counts that are no multiple of the block (256), the reduction chunk (4096) or the
// streamed tile, down to one row; resident and tiled.
constexpr auto kFused = AssignPath::fused;
constexpr auto kGemm = AssignPath::gemm;
INSTANTIATE_TEST_SUITE_P(
    Awkward, GpuParity,
    ::testing::Values(Shape{1, 7, 1, kFused, false},             // one row
                      Shape{37, 7, 5, kFused, false},            // under one block
                      Shape{255, 33, 5, kGemm, false},           // one short of a block
                      Shape{257, 33, 5, kFused, true},           // one past a block
                      Shape{4095, 7, 5, kGemm, false},           // one short of a chunk
                      Shape{4097, 7, 5, kFused, false, 4096},    // a one-row last tile
                      Shape{12589, 33, 9, kGemm, true, 8192},    // 3 chunks + 301 rows
                      Shape{16385, 7, 3, kFused, false, 4096}),  // 4 tiles + 1 row
    shape_name);

TEST(GpuAssign, MatchesReferenceExactlyOnTheFusedPath) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const std::uint64_t seed = fresh_seed();
  SCOPED_TRACE("data seed " + std::to_string(seed));
  Blobs b = make_blobs(12345, 20, 10, 5.0, seed);
  std::vector<float> c = strided_rows(b, 10);
  std::vector<std::int32_t> labels(b.n, -7);
  std::vector<float> dist(b.n, -1.f);  // poisoned: every entry must be written
  cuda_backend()->assign(b.view(), c.data(), 10, labels.data(), dist.data());
  for (std::size_t i = 0; i < b.n; ++i) {
    float best = detail::exact_sq(b.view().row(i), &c[0], 20);
    int lab = 0;
    for (int q = 1; q < 10; ++q) {
      float s = detail::exact_sq(b.view().row(i), &c[q * 20], 20);
      if (detail::closer(s, best)) { best = s; lab = q; }
    }
    ASSERT_EQ(labels[i], lab) << i;
    ASSERT_EQ(dist[i], std::sqrt(best)) << i;  // same float math, bit for bit
  }
}

TEST(GpuKMeans, EmptyClusterTakesTheFarthestRow) {
  SEGMINT_SKIP_WITHOUT_GPU();
  // 1-d rows 0..9 and 100; centroid 2 starts far away at 1000 and is empty after step one.
  std::vector<float> x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
  KMeansParams p;
  p.k = 3;
  p.init = InitMethod::given;
  p.initial_centroids = {0.f, 9.f, 1000.f};
  p.max_iter = 1;
  p.tol = 0;
  KMeansResult g = cuda_backend()->kmeans(MatrixView{x.data(), x.size(), 1}, nullptr, p);
  // Step one: {0..4} -> 0, {5..9, 100} -> 1, none -> 2. Row 100 (d2 = 91^2) is the farthest,
  // so cluster 2 becomes {100} and cluster 1 loses it: (5+6+7+8+9) / 5 = 7.
  ASSERT_EQ(g.centroids.size(), 3u);
  EXPECT_FLOAT_EQ(g.centroids[0], 2.f);
  EXPECT_FLOAT_EQ(g.centroids[1], 7.f);
  EXPECT_FLOAT_EQ(g.centroids[2], 100.f);
  EXPECT_EQ(g.labels[10], 2);  // final labels refer to the returned centroids
  EXPECT_FALSE(g.converged);
}

}  // namespace
}  // namespace segmint::test
