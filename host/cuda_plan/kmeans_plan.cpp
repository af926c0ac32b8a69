// Path selection, chunk layout and memory planning of the GPU k-means (no CUDA needed).
#include "cuda_plan/kmeans_plan.hpp"

#include <algorithm>
#include <string>

#include "segmint/error.hpp"

namespace segmint::cuda_plan {

AssignPath choose_path(int k, int d, const CudaOptions& options) {
  if (options.path == AssignPath::gemm) return AssignPath::gemm;
  bool fits = d >= 1 && d <= kFusedMaxDim;
  if (options.path == AssignPath::fused) {
    if (!fits) throw DeviceError("the fused GPU path handles at most " +
                                 std::to_string(kFusedMaxDim) + " features, not " +
                                 std::to_string(d));
    return AssignPath::fused;
  }
  return fits && d <= options.fused_max_d && k <= options.fused_max_k ? AssignPath::fused
                                                                       : AssignPath::gemm;
}

int fused_dim_bucket(int d) { return d <= 16 ? 16 : d <= 32 ? 32 : 64; }

std::size_t partial_width(int k, int d) {
  return static_cast<std::size_t>(k) * static_cast<std::size_t>(d) + static_cast<std::size_t>(k);
}

std::size_t chunk_rows(int k, int d) {
  (void)k;
  (void)d;
  return kBaseChunkRows;
}

std::size_t partial_batch_chunks(int k, int d) {
  const std::size_t per_chunk = partial_width(k, d) * 8 + static_cast<std::size_t>(k);
  return std::max<std::size_t>(1, (std::size_t{256} << 20) / per_chunk);
}

std::size_t chunk_count(std::size_t n, std::size_t chunk) { return (n + chunk - 1) / chunk; }

std::size_t gemm_batch_rows(int k, std::size_t chunk) {
  // About 256 MiB of float dot products per batch (the argmin is per row: any size works).
  const std::size_t rows = (std::size_t{64} << 20) / std::max<std::size_t>(1, static_cast<std::size_t>(k));
  return std::max<std::size_t>(1, rows / chunk) * chunk;
}

std::size_t fixed_device_bytes(std::size_t n, int d, int k, AssignPath path) {
  const std::size_t chunk = chunk_rows(k, d);
  const std::size_t chunks = chunk_count(n, chunk);
  const std::size_t per_row = 4 /*label*/ + 4 /*d2*/ + 4 /*weight*/ + 4 /*init closest*/ +
                              1 /*k-means|| flags*/;
  const std::size_t batch = std::min(chunks, partial_batch_chunks(k, d));
  const std::size_t width = std::max(partial_width(k, d), static_cast<std::size_t>(d));
  const std::size_t partials = batch * (width * 8 + static_cast<std::size_t>(k)) + width * 8;
  const std::size_t per_chunk = chunks * (32 /*init potentials*/ + 1 /*inertia*/) * 8;
  const std::size_t centroids = 4 * static_cast<std::size_t>(k) * static_cast<std::size_t>(d) * 4;
  std::size_t gemm = 0;
  if (path == AssignPath::gemm) {
    const std::size_t rows = std::min(gemm_batch_rows(k, chunk), std::max(n, chunk));
    gemm = rows * static_cast<std::size_t>(k) * 4 + (32u << 20) /*cuBLAS ws*/;
  }
  return n * per_row + partials + per_chunk + centroids + gemm + (8u << 20) /*small scratch*/;
}

MemoryPlan plan_memory(std::size_t n, int d, int k, AssignPath path, std::size_t budget,
                       std::size_t forced_tile_rows) {
  MemoryPlan plan;
  std::size_t row_bytes = static_cast<std::size_t>(d) * 4;
  std::size_t fixed = fixed_device_bytes(n, d, k, path);
  std::size_t chunk = chunk_rows(k, d);
  if (forced_tile_rows == 0 && fixed + n * row_bytes <= budget) {
    plan.resident = true;
    plan.tile_rows = n;
    plan.tiles = 1;
    plan.device_bytes = fixed + n * row_bytes;
    return plan;
  }
  std::size_t tile;
  if (forced_tile_rows) {
    tile = std::max(chunk, forced_tile_rows / chunk * chunk);
  } else {
    // Two tiles in flight (copy of the next overlaps compute on this one).
    std::size_t room = budget > fixed ? (budget - fixed) / 2 : 0;
    tile = room / row_bytes / chunk * chunk;
    // Pinned staging equals the tile size on the host: cap it at 512 MiB per buffer.
    std::size_t cap = std::max(chunk, (std::size_t{512} << 20) / row_bytes / chunk * chunk);
    tile = std::min(tile, cap);
  }
  if (tile == 0 || fixed + 2 * tile * row_bytes > budget)
    throw DeviceError("GPU memory budget of " + std::to_string(budget >> 20) +
                      " MiB is too small for " + std::to_string(n) + " rows x " +
                      std::to_string(d) + " features, k = " + std::to_string(k) + " (needs " +
                      std::to_string((fixed + 2 * chunk * row_bytes) >> 20) +
                      " MiB even when streaming)");
  tile = std::min(tile, std::max(chunk, (n + chunk - 1) / chunk * chunk));
  plan.resident = false;
  plan.tile_rows = tile;
  plan.tiles = std::max<std::size_t>(1, (n + tile - 1) / tile);
  plan.device_bytes = fixed + 2 * tile * row_bytes;
  return plan;
}

}  // namespace segmint::cuda_plan
