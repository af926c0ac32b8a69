// Launchers of the k-means kernels (one host function per kernel, stream last). Included by the
// .cu files that define them and by the host-side orchestration compiled with g++.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "core/launch.hpp"

namespace segmint::cuda {

/// One tile of the feature matrix on the device: rows [row0, row0 + rows) of the full matrix.
/// row0 is a multiple of the chunk size. Per-row arrays (weights, labels, d2) are full-length
/// and indexed by global row.
struct Tile {
  const float* x = nullptr;  ///< rows x d, row-major, device
  std::size_t rows = 0;
  std::size_t row0 = 0;
  int d = 0;
  const float* weights = nullptr;  ///< n entries or nullptr (all 1)
};

/// Outputs of an assignment pass.
struct AssignOut {
  std::int32_t* labels = nullptr;         ///< n; read (old label) then written
  float* d2 = nullptr;                    ///< n; squared distance to the assigned centroid
  unsigned long long* changed = nullptr;  ///< += number of rows whose label changed
};

/// Per-chunk partials (see cuda_plan/kmeans_plan.hpp partial_width): sums, weights, counts, inertia.
struct Partials {
  double* data = nullptr;  ///< chunks x width
  std::size_t width = 0;
  std::size_t chunk = 0;   ///< rows per chunk
};

/// What finalize() reports back to the host each iteration (one small copy).
struct IterStatus {
  double shift = 0;               ///< sum over centroids of the squared shift
  double inertia = 0;             ///< sum w * d2 of this iteration's assignment
  unsigned long long changed = 0; ///< labels changed by the assignment
  int empty = 0;                  ///< clusters with zero weight
};

/// cudaSuccess when this build's kernels can run on the current device (right architecture).
cudaError_t probe_kernels();

/// Dynamic shared memory of the fused kernel for k clusters of d (<= 64) features.
std::size_t fused_smem_bytes(int k, int d, bool accumulate);
/// Dynamic shared memory of the labelled reduction with the accumulators in shared memory.
std::size_t labeled_smem_bytes(int k, bool acc_in_smem, std::size_t width);

/// Fused assignment (+ partials when `accumulate`): d <= 64, centroids k x d on the device.
void fused_assign(const Tile& t, const float* centroids, int k, const AssignOut& out,
                  const Partials& p, bool accumulate, int max_blocks, cudaStream_t s);

/// Partials of a tile whose labels and d2 are already computed (gemm path).
void labeled_reduce(const Tile& t, const std::int32_t* labels, const float* d2, int k,
                    const Partials& p, bool acc_in_smem, int max_blocks, cudaStream_t s);

/// cn[c] = ||centroid c||^2.
void centroid_norms(const float* centroids, int k, int d, float* cn, cudaStream_t s);

/// Argmin over dot products of rows [b0, b0 + nb) of the tile (dot is nb x k), then the exact
/// squared distance to the winner (same float math as the CPU backend).
void gemm_argmin(const Tile& t, std::size_t b0, std::size_t nb, const float* dot,
                 const float* cn, const float* centroids, int k, const AssignOut& out,
                 cudaStream_t s);

/// out[g] = sum of in[g*group .. g*group+group) (each of width doubles), in index order.
void reduce_partials_level(const double* in, std::size_t parts, std::size_t width,
                           std::size_t group, double* out, cudaStream_t s);

/// New centroids from the reduced totals; shift, inertia, empty count into *status.
void finalize_centroids(const double* totals, const float* old_c, int k, int d, float* new_c,
                        const unsigned long long* changed, IterStatus* status, cudaStream_t s);

/// closest[row] = min(reset ? +inf : closest[row], min over m candidates of d2(row, cand)).
void update_closest(const Tile& t, const float* cands, int m, float* closest, bool reset,
                    cudaStream_t s);

/// Per chunk: for each of L candidates, sum w * min(closest, d2(row, cand)), and at index L the
/// sum w * closest. out is chunks x (L + 1) (chunks of this tile at their global index).
void candidate_pots(const Tile& t, const float* cands, int L, const float* closest,
                    std::size_t chunk, double* out, cudaStream_t s);

/// k-means|| sampling: flag[row] = detail::sampled(u(seed, round, row), ell, w, closest, psi).
void sample_parallel(const Tile& t, const float* closest, double ell, double psi,
                     std::uint64_t seed, int round, std::uint8_t* flags, cudaStream_t s);

/// Weight of each candidate: w of the rows nearest to it, in detail::to_fixed_weight units.
void candidate_weights(const Tile& t, const float* cands, int m,
                       unsigned long long* weights_fixed, cudaStream_t s);

/// out[i] = x[idx[i]] (rows of d floats), x resident on the device.
void gather_rows(const float* x, int d, const std::int64_t* idx, int count, float* out,
                 cudaStream_t s);

/// Per chunk and column: sum of x (mean == nullptr) or of (x - mean)^2. out is chunks x d.
void column_moments(const Tile& t, const double* mean, std::size_t chunk, double* out,
                    cudaStream_t s);

}  // namespace segmint::cuda
