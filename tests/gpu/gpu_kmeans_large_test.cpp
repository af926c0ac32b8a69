// n * d past 2^31 (issue 12): every index into the matrix must be 64-bit. 70M x 32 floats
// (9 GB) fitted resident, streamed, and on the gemm path, compared with the CPU backend; rows past
// 2^31 / d, where a 32-bit index would wrap, are checked one by one. Skips with the reason when
// the device or the host lacks the memory. SEGMINT_GPU_LARGE_ROWS overrides n (e.g. for a quick
// look at the code path on a smaller device).
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "core/resources.hpp"
#include "gpu_test_support.hpp"

namespace segmint::test {
namespace {

std::size_t large_rows() {
  const char* env = std::getenv("SEGMINT_GPU_LARGE_ROWS");
  return env ? std::strtoull(env, nullptr, 10) : std::size_t{70'000'000};
}

std::size_t host_available_bytes() {
  return static_cast<std::size_t>(sysconf(_SC_AVPHYS_PAGES)) *
         static_cast<std::size_t>(sysconf(_SC_PAGE_SIZE));
}

/// Four blobs ~100 apart with uniform noise, filled in parallel: rows in blocks of 2^20, each
/// block from its own seeded generator (the same bytes for any thread count).
Blobs four_blobs(std::size_t n, int d) {
  Blobs b;
  b.n = n;
  b.d = d;
  b.x.resize(n * d);
  b.truth.resize(n);
  const long long blocks = static_cast<long long>((n + (1u << 20) - 1) >> 20);
#pragma omp parallel for schedule(dynamic)
  for (long long blk = 0; blk < blocks; ++blk) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(blk));
    const std::size_t r0 = static_cast<std::size_t>(blk) << 20, r1 = std::min(n, r0 + (1u << 20));
    for (std::size_t i = r0; i < r1; ++i) {
      const int g = static_cast<int>(rng() % 4);
      b.truth[i] = g;
      for (int j = 0; j < d; ++j) {
        const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
        b.x[i * d + j] = static_cast<float>(((g >> (j % 2)) & 1 ? 50.0 : -50.0) + u - 0.5);
      }
    }
  }
  return b;
}

TEST(GpuLarge, RowsTimesColumnsPast2To31MatchTheCpuBackend) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const std::size_t n = large_rows();
  const int d = 32, k = 4;
  const std::size_t matrix = n * d * sizeof(float);
  std::size_t free_dev = 0, total_dev = 0;
  cuda::Resources(-1, 1).mem_info(&free_dev, &total_dev);
  if (free_dev < matrix + n * 24 + (std::size_t{1} << 30))
    GTEST_SKIP() << "needs " << (matrix >> 20) << " MiB plus per-row arrays on the device, "
                 << (free_dev >> 20) << " MiB free";
  if (host_available_bytes() < 2 * matrix + n * 32)
    GTEST_SKIP() << "needs about " << ((2 * matrix) >> 20) << " MiB of host memory, "
                 << (host_available_bytes() >> 20) << " MiB available";
  Blobs b = four_blobs(n, d);
  KMeansParams p;
  p.k = k;
  p.init = InitMethod::given;
  for (int g = 0; g < k; ++g) {  // the first row of each group
    const std::size_t r = std::find(b.truth.begin(), b.truth.end(), g) - b.truth.begin();
    p.initial_centroids.insert(p.initial_centroids.end(), b.x.begin() + r * d,
                               b.x.begin() + (r + 1) * d);
  }
  p.max_iter = 3;
  p.tol = 0;
  const KMeansResult cpu = cpu_fit(b.view(), nullptr, p);
  const std::size_t wrap_row = (std::size_t{1} << 31) / d;  // first row a 32-bit index loses
  for (int variant = 0; variant < 3; ++variant) {
    SCOPED_TRACE(variant == 0 ? "fused resident" : variant == 1 ? "fused streamed" : "gemm");
    CudaOptions o;
    o.path = variant == 2 ? AssignPath::gemm : AssignPath::fused;
    KMeansParams q = p;
    if (variant == 1) q.gpu_memory_budget = std::size_t{6} << 30;  // tiles, not resident
    const KMeansResult g = cuda_backend(o)->kmeans(b.view(), nullptr, q);
    expect_matches_cpu(g, cpu);
    std::size_t wrong = 0;
    for (std::size_t i = wrap_row; i < n; ++i) {
      wrong += g.labels[i] != cpu.labels[i] ||
               std::fabs(g.distances[i] - cpu.distances[i]) > 1e-4f * (1 + cpu.distances[i]);
    }
    EXPECT_EQ(wrong, 0u) << "rows past 2^31 / d disagree";
  }
}

}  // namespace
}  // namespace segmint::test
