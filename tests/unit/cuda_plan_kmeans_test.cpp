// Host-side logic of the GPU backend that runs without a device: path selection, the chunk
// layout of the deterministic reductions and memory planning (the init's host rng and weighted
// k-means++ are the shared ones: rng_test.cpp, kmeans_init_test.cpp).
#include <gtest/gtest.h>

#include <cmath>

#include "cuda_plan/kmeans_plan.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda_plan {
namespace {

TEST(CudaPlanKMeans, AutomaticPathIsFusedForSmallKAndD) {
  CudaOptions o;
  EXPECT_EQ(choose_path(16, 32, o), AssignPath::fused);
  EXPECT_EQ(choose_path(64, 64, o), AssignPath::fused);
  EXPECT_EQ(choose_path(65, 32, o), AssignPath::gemm);
  EXPECT_EQ(choose_path(8, 65, o), AssignPath::gemm);
  o.fused_max_k = 256;  // the benchmark moves the crossover
  EXPECT_EQ(choose_path(256, 16, o), AssignPath::fused);
}

TEST(CudaPlanKMeans, ForcedPathsAreHonouredOrRefused) {
  CudaOptions o;
  o.path = AssignPath::gemm;
  EXPECT_EQ(choose_path(4, 4, o), AssignPath::gemm);
  o.path = AssignPath::fused;
  EXPECT_EQ(choose_path(1000, 64, o), AssignPath::fused);
  EXPECT_THROW(choose_path(4, 65, o), DeviceError);
}

TEST(CudaPlanKMeans, DimBuckets) {
  EXPECT_EQ(fused_dim_bucket(1), 16);
  EXPECT_EQ(fused_dim_bucket(16), 16);
  EXPECT_EQ(fused_dim_bucket(17), 32);
  EXPECT_EQ(fused_dim_bucket(33), 64);
  EXPECT_EQ(fused_dim_bucket(64), 64);
}

TEST(CudaPlanKMeans, ChunkLayoutIsTheCpuBackends) {
  // The CPU backend's chunk (4096 rows) whatever k and d: same partials, same fold, same bits.
  EXPECT_EQ(partial_width(16, 32), 528u);  // 512 sums + 16 weights
  EXPECT_EQ(partial_width(64, 64), 4160u);
  for (int k : {1, 16, 256, 4096})
    for (int d : {1, 32, 128}) EXPECT_EQ(chunk_rows(k, d), 4096u);
  EXPECT_EQ(chunk_count(0, 4096), 0u);
  EXPECT_EQ(chunk_count(4096, 4096), 1u);
  EXPECT_EQ(chunk_count(4097, 4096), 2u);
}

TEST(CudaPlanKMeans, PartialBatchesBoundMemoryNotParallelism) {
  // Small k: every chunk of a 50M-row fit in one batch. Large k: 256 MiB of partials, still
  // dozens of chunks (x column groups) in flight.
  EXPECT_GE(partial_batch_chunks(16, 32), 50000000u / 4096);
  const std::size_t big = partial_batch_chunks(4096, 128);
  EXPECT_GE(big, 60u);
  EXPECT_LE(big * partial_width(4096, 128) * 8, std::size_t{256} << 20);
  EXPECT_EQ(partial_batch_chunks(1 << 20, 128), 1u);
  EXPECT_EQ(gemm_batch_rows(4096, 4096) % 4096, 0u);
  EXPECT_EQ(gemm_batch_rows(1 << 20, 4096), 4096u);
}

TEST(CudaPlanKMeans, ResidentWhenTheMatrixFits) {
  const std::size_t n = 100000;
  const std::size_t need = fixed_device_bytes(n, 32, 16, AssignPath::fused) + n * 32 * 4;
  MemoryPlan p = plan_memory(n, 32, 16, AssignPath::fused, need);
  EXPECT_TRUE(p.resident);
  EXPECT_EQ(p.tile_rows, n);
  EXPECT_EQ(p.tiles, 1u);
  EXPECT_EQ(p.device_bytes, need);
}

TEST(CudaPlanKMeans, StreamsWholeChunksWhenItDoesNot) {
  const std::size_t n = 1000000;
  const std::size_t fixed = fixed_device_bytes(n, 32, 16, AssignPath::fused);
  // Room for two tiles of 10 chunks (plus a bit that must be rounded away).
  const std::size_t budget = fixed + 2 * 10 * 4096 * 128 + 1000;
  MemoryPlan p = plan_memory(n, 32, 16, AssignPath::fused, budget);
  EXPECT_FALSE(p.resident);
  EXPECT_EQ(p.tile_rows, 40960u);
  EXPECT_EQ(p.tiles, 25u);  // ceil(1e6 / 40960)
  EXPECT_LE(p.device_bytes, budget);
}

TEST(CudaPlanKMeans, ForcedTilesRoundDownToChunks) {
  MemoryPlan p = plan_memory(10000, 8, 4, AssignPath::fused, std::size_t{1} << 40, 5000);
  EXPECT_FALSE(p.resident);
  EXPECT_EQ(p.tile_rows, 4096u);
  EXPECT_EQ(p.tiles, 3u);
  p = plan_memory(10000, 8, 4, AssignPath::fused, std::size_t{1} << 40, 1);
  EXPECT_EQ(p.tile_rows, 4096u);  // at least one chunk
}

TEST(CudaPlanKMeans, TooSmallBudgetIsADeviceError) {
  EXPECT_THROW(plan_memory(1000000, 32, 16, AssignPath::fused, 1 << 20), DeviceError);
}

}  // namespace
}  // namespace segmint::cuda_plan
