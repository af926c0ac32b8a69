// GPU k-means against the CPU backend where kernels break first (issue 12): row counts that are
// no multiple of the block (256), the reduction chunk (4096) or the streamed tile, down to one row;
// and strongly skewed clusters (one holding 90 % of the rows), which fill one tile segment, leave
// clusters empty after the first step and stress the fixed-order per-cluster accumulation.
#include "gpu_test_support.hpp"

namespace segmint::test {
namespace {

struct Shape {
  std::size_t n;
  int d, k;
  cuda_plan::AssignPath path;
  std::size_t tile_rows;  ///< 0 = resident
  bool weighted;
};

std::string describe(const Shape& s) {
  return "n" + std::to_string(s.n) + "_d" + std::to_string(s.d) + "_k" + std::to_string(s.k) +
         (s.path == cuda_plan::AssignPath::fused ? "_fused" : "_gemm") +
         (s.tile_rows ? "_tiled" : "") + (s.weighted ? "_weighted" : "");
}
std::string shape_name(const ::testing::TestParamInfo<Shape>& info) { return describe(info.param); }
/// gtest prints parameters into test names: print the shape, not its bytes (padding included).
void PrintTo(const Shape& s, std::ostream* os) { *os << describe(s); }

std::vector<float> weights_for(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0.25f, 4.f);
  std::vector<float> w(n);
  for (float& v : w) v = u(rng);
  return w;
}

KMeansParams given_params(const Blobs& b, int k) {
  KMeansParams p;
  p.k = k;
  p.init = InitMethod::given;
  p.initial_centroids = strided_rows(b, k);
  p.max_iter = 25;
  p.tol = 0;  // every iteration runs: the strictest comparison
  return p;
}

class GpuShapes : public ::testing::TestWithParam<Shape> {};

TEST_P(GpuShapes, AwkwardRowCountsMatchTheCpuBackend) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const Shape s = GetParam();
  const std::uint64_t seed = fresh_seed();
  SCOPED_TRACE("data seed " + std::to_string(seed));
  Blobs b = make_blobs(s.n, s.d, s.k, 6.0, seed);
  const std::vector<float> w = s.weighted ? weights_for(s.n, seed + 1) : std::vector<float>{};
  const float* wp = s.weighted ? w.data() : nullptr;
  const KMeansParams p = given_params(b, s.k);
  cuda_plan::CudaOptions o;
  o.path = s.path;
  o.tile_rows = s.tile_rows;
  std::vector<std::int32_t> labels(s.n, -7);
  KMeansResult g = make_cuda_backend(o)->kmeans(b.view(), wp, p);
  ASSERT_EQ(g.labels.size(), s.n);
  for (std::size_t i = 0; i < s.n; ++i) ASSERT_TRUE(g.labels[i] >= 0 && g.labels[i] < s.k) << i;
  expect_matches_cpu(g, cpu_fit(b.view(), wp, p));
  // assign() on the same shape: every row written (outputs poisoned first).
  std::vector<float> dist(s.n, -1.f);
  make_cuda_backend(o)->assign(b.view(), g.centroids.data(), s.k, labels.data(), dist.data());
  EXPECT_EQ(labels, g.labels);
  for (std::size_t i = 0; i < s.n; ++i) ASSERT_GE(dist[i], 0.f) << i;
}

constexpr auto kFused = cuda_plan::AssignPath::fused;
constexpr auto kGemm = cuda_plan::AssignPath::gemm;

INSTANTIATE_TEST_SUITE_P(
    Awkward, GpuShapes,
    ::testing::Values(Shape{1, 7, 1, kFused, 0, false},        // one row
                      Shape{37, 7, 5, kFused, 0, false},       // under one block
                      Shape{255, 33, 5, kGemm, 0, false},      // one short of a block
                      Shape{257, 33, 5, kFused, 0, true},      // one past a block
                      Shape{4095, 7, 5, kGemm, 0, false},      // one short of a chunk
                      Shape{4097, 7, 5, kFused, 4096, false},  // a one-row last tile
                      Shape{12589, 33, 9, kGemm, 8192, true},  // 3 chunks + 301 rows, 2 tiles
                      Shape{16385, 7, 3, kFused, 4096, false}),
    shape_name);

/// n rows: group 0 takes `major` of them, the other k - 1 groups share the rest.
Blobs skewed_blobs(std::size_t n, int d, int k, double major, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-8.0, 8.0), coin(0.0, 1.0);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<double> centres(static_cast<std::size_t>(k) * d);
  for (double& c : centres) c = u(rng);
  Blobs b;
  b.n = n;
  b.d = d;
  b.x.resize(n * d);
  b.truth.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const int t = coin(rng) < major ? 0 : 1 + static_cast<int>(rng() % (k - 1));
    b.truth[i] = t;
    for (int j = 0; j < d; ++j) b.x[i * d + j] = static_cast<float>(centres[t * d + j] + g(rng));
  }
  return b;
}

TEST(GpuSkew, NinetyPercentInOneClusterMatchesTheCpuBackend) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const std::uint64_t seed = fresh_seed();
  SCOPED_TRACE("data seed " + std::to_string(seed));
  const int k = 8, d = 12;
  Blobs b = skewed_blobs(100003, d, k, 0.9, seed);
  // Strided initial rows come mostly from the big group: clusters empty out and are repaired.
  const KMeansParams p = given_params(b, k);
  const KMeansResult cpu = cpu_fit(b.view(), nullptr, p);
  for (auto path : {kFused, kGemm}) {
    for (std::size_t tile_rows : {std::size_t{0}, std::size_t{3 * 4096}}) {
      SCOPED_TRACE(std::string(path == kFused ? "fused" : "gemm") + " tile_rows " +
                   std::to_string(tile_rows));
      cuda_plan::CudaOptions o;
      o.path = path;
      o.tile_rows = tile_rows;
      expect_matches_cpu(make_cuda_backend(o)->kmeans(b.view(), nullptr, p), cpu);
    }
  }
}

TEST(GpuSkew, SeededInitsUseEveryClusterAndRepeat) {
  SEGMINT_SKIP_WITHOUT_GPU();
  Blobs b = skewed_blobs(60000, 6, 6, 0.9, 77);
  for (InitMethod init : {InitMethod::kmeans_plus_plus, InitMethod::kmeans_parallel}) {
    KMeansParams p;
    p.k = 6;
    p.init = init;
    p.seed = 5;
    p.n_init = 2;
    const KMeansResult a = make_cuda_backend()->kmeans(b.view(), nullptr, p);
    EXPECT_TRUE(identical(a, make_cuda_backend()->kmeans(b.view(), nullptr, p)));
    std::vector<std::size_t> sizes(6, 0);
    for (std::int32_t l : a.labels) ++sizes[l];
    for (int c = 0; c < 6; ++c) EXPECT_GT(sizes[c], 0u) << "cluster " << c << " is empty";
  }
}

}  // namespace
}  // namespace segmint::test
