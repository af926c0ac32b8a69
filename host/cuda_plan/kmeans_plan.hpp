// CUDA-free planning for the GPU k-means: which assignment path, the fixed row-chunk layout of
// the deterministic reductions, and whether the matrix stays resident or streams in tiles.
// Kept out of kernels/ so that unit tests run it on machines without CUDA.
#pragma once
#include <cstddef>
#include <cstdint>

#include "segmint/backend_options.hpp"

namespace segmint::cuda_plan {

// The path enum and the tunables are part of the factory's options (segmint/backend_options.hpp).
using segmint::AssignPath;
using segmint::CudaOptions;

/// The fused kernel handles d up to this (feature vectors padded to 16, 32 or 64 floats).
constexpr int kFusedMaxDim = 64;
/// Rows per fused/reduce tile (= threads per block of those kernels).
constexpr int kTileRows = 256;
/// Rows per reduction chunk: the CPU backend's (host/kmeans kChunkRows). Partial sums are the
/// CPU's per-chunk sums and are folded in chunk order as the CPU folds them, which is what makes
/// GPU centroids byte-identical to the CPU's.
constexpr std::size_t kBaseChunkRows = 4096;

/// Resolves `requested` (automatic or forced) for k clusters of d features.
AssignPath choose_path(int k, int d, const CudaOptions& options);

/// Padded feature width of the fused kernel: 16, 32 or 64 (d must be 1..64).
int fused_dim_bucket(int d);

/// Doubles in one chunk's partial: k*d weighted sums, k weights.
std::size_t partial_width(int k, int d);

/// Rows per reduction chunk: kBaseChunkRows whatever k and d (kept as a function of both so
/// callers need not change if a layout ever depends on them). Never depends on tiling, so
/// resident and streamed runs sum in the same order.
std::size_t chunk_rows(int k, int d);

/// Chunks whose partials are held at once (a batch, folded into the totals before the next):
/// at most 256 MiB of partials, and all of them when they fit. Decouples the partials' memory
/// from n and the reduction grid from the partial granularity.
std::size_t partial_batch_chunks(int k, int d);

/// Number of chunks covering n rows.
std::size_t chunk_count(std::size_t n, std::size_t chunk);

/// Where the data lives during a fit.
struct MemoryPlan {
  bool resident = true;
  std::size_t tile_rows = 0;       ///< rows per streamed tile (n when resident)
  std::size_t tiles = 1;
  std::size_t device_bytes = 0;    ///< estimated device memory needed
};

/// Bytes of device memory needed besides the matrix itself: per-row arrays (labels, squared
/// distances, weights, init distances), chunk partials, centroids, the gemm scratch.
std::size_t fixed_device_bytes(std::size_t n, int d, int k, AssignPath path);

/// Plans residency within `budget` bytes. Throws DeviceError when even one chunk-sized tile
/// (double-buffered) plus the per-row arrays do not fit. forced_tile_rows as CudaOptions.
MemoryPlan plan_memory(std::size_t n, int d, int k, AssignPath path, std::size_t budget,
                       std::size_t forced_tile_rows = 0);

/// Rows per cuBLAS batch of the gemm path (bounds the n x k dot-product scratch): a multiple of
/// `chunk`.
std::size_t gemm_batch_rows(int k, std::size_t chunk);

}  // namespace segmint::cuda_plan
