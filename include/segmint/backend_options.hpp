// The one options type of the backend factory: which device, CPU threads, the GPU memory budget
// and the CUDA backend's tunables (plain values, no CUDA types).
#pragma once
#include <cstddef>
#include <string>

namespace segmint {

/// Which backend to create. automatic = cuda when a usable GPU is present, else cpu.
enum class DeviceChoice { automatic, cpu, gpu };

/// Parses "auto|cpu|gpu" ("cuda" = gpu); throws UsageError otherwise.
DeviceChoice parse_device_choice(const std::string& text);

/// How the CUDA k-means assigns rows to centroids. fused: one kernel, centroids in shared
/// memory, exact CPU float math; gemm: cuBLAS x.c then argmin (exact distance recomputed for
/// the winner); automatic: by k and d (see CudaOptions).
enum class AssignPath { automatic, fused, gemm };

/// Transfer tunables of the CUDA feature stage.
struct CudaFeatureTunables {
  std::size_t pinned_budget = 256u << 20;  ///< page-locked host bytes of the transfer ring
  std::size_t streams = 2;                 ///< copy streams of the ring (>= 2)
  std::size_t max_rows_per_chunk = 0;      ///< caps a transfer chunk (0 = as the budget allows)
};

/// Tunables of the CUDA backend (tests and benchmarks); the defaults are what --device gpu uses.
struct CudaOptions {
  AssignPath path = AssignPath::automatic;
  /// automatic takes the fused path when k <= fused_max_k and d <= fused_max_d. Expected
  /// crossover (bench/RESULTS.md): fused wins for d <= 32 at every k whose centroids fit in
  /// shared memory, gemm once d >= 64 and k >= 128; the bench measures it.
  int fused_max_k = 64;
  int fused_max_d = 64;
  /// Forces k-means streaming with tiles of this many rows (rounded down to whole chunks, at
  /// least one); 0 = decide from the memory budget. Tests compare tiled with resident with it.
  std::size_t tile_rows = 0;
  CudaFeatureTunables features;  ///< the feature stage's transfer ring
};

/// Everything make_backend() needs.
struct BackendOptions {
  DeviceChoice device = DeviceChoice::automatic;
  /// OpenMP threads of host-side work (the CPU backend, input checks, host steps of the GPU
  /// backend); 0 = all. Results never depend on it.
  int cpu_threads = 0;
  /// Device memory bytes the CUDA backend may use (0 = 80 % of the free memory); a fit's
  /// KMeansParams::gpu_memory_budget, when set, takes precedence for that fit.
  std::size_t gpu_memory_budget = 0;
  CudaOptions cuda;  ///< ignored by the CPU backend
};

}  // namespace segmint
