// Launchers of the k-means kernels (one host function per kernel, stream last). Included by the
// .cu files that define them and by the host-side orchestration compiled with g++.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "core/launch.hpp"
#include "segmint/detail/kmeans_screen.hpp"

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

/// Chunk partials of one batch of whole chunks (cuda_plan/kmeans_plan.hpp partial_width): for
/// local chunk q, k*d weighted sums | k weights at data + q * width, each the CPU backend's
/// sequential double sum over the chunk's rows in row order. Entries of a cluster without a row
/// in the chunk are not written (present says which are); they count as +0.
struct Partials {
  double* data = nullptr;            ///< batch chunks x width
  std::uint8_t* present = nullptr;   ///< batch chunks x k: 1 where the chunk has a row of c
  std::size_t width = 0;
  std::size_t chunk = 0;             ///< rows per chunk (the CPU backend's kChunkRows)
};

/// The screen's per-iteration table on the device: ||c||^2 and the slack (screen_prep).
struct ScreenTable {
  const float* cn = nullptr;                   ///< k
  const detail::ScreenBound* bound = nullptr;  ///< 1
};

/// What an assignment pass writes besides labels: chunk partials, exact squared distances.
struct PassMode {
  bool accumulate = true;  ///< partials of the pass (Lloyd steps)
  bool want_d2 = false;    ///< out.d2 (final pass)
};

/// What finalize() reports back to the host each iteration (one small copy).
struct IterStatus {
  double shift = 0;               ///< sum over centroids of the squared shift
  unsigned long long changed = 0; ///< labels changed by the assignment
  int empty = 0;                  ///< clusters with zero weight
  int within_tol = 0;             ///< 1 when the CPU's sequential shift sum is <= tol
};

/// cudaSuccess when this build's kernels can run on the current device (right architecture).
cudaError_t probe_kernels();

/// Dynamic shared memory of the fused kernel for k clusters of d (<= 64) features.
std::size_t fused_smem_bytes(int k, int d, bool accumulate);
/// Dynamic shared memory of the labelled reduction for k clusters.
std::size_t labeled_smem_bytes(int k);

/// cn[c] = detail::centroid_norm(c) and *bound = the screen's slack (as CentroidTable::load).
void screen_prep(const float* centroids, int k, int d, float* cn, detail::ScreenBound* bound,
                 cudaStream_t s);

/// Fused assignment of a tile of whole chunks (d <= 64, centroids k x d on the device): the
/// screen, the exact re-rank, labels (+ changes), and as `mode` says partials and exact d2.
void fused_assign(const Tile& t, const float* centroids, const ScreenTable& screen, int k,
                  const AssignOut& out, const Partials& p, PassMode mode, int max_blocks,
                  cudaStream_t s);

/// Partials of a tile of whole chunks whose labels are already computed (gemm path). The grid
/// is chunks x column groups, so large k keeps every multiprocessor busy.
void labeled_reduce(const Tile& t, const std::int32_t* labels, int k, const Partials& p,
                    cudaStream_t s);

/// d2[row] = detail::exact_sq(row, centroid labels[row]) for the tile's rows.
void label_distances(const Tile& t, const float* centroids, const std::int32_t* labels,
                     float* d2, cudaStream_t s);

/// Argmin over dot products of rows [b0, b0 + nb) of the tile (dot is nb x k): the screen
/// cn - 2 x.c with the slack, the survivors re-ranked exactly across the warp's lanes.
void gemm_argmin(const Tile& t, std::size_t b0, std::size_t nb, const float* dot,
                 const ScreenTable& screen, const float* centroids, int k, const AssignOut& out,
                 bool want_d2, cudaStream_t s);

/// totals[e] += partial_0[e] + partial_1[e] + ... in chunk order, one rounding per addition
/// (the CPU backend's fold), for e < width; present (may be null: all present) has `groups`
/// flags per chunk and element e belongs to group group_of(e) = e < k*d ? e / d : e - k*d.
void fold_partials(const double* data, const std::uint8_t* present, std::size_t chunks,
                   std::size_t width, int k, int d, double* totals, cudaStream_t s);

/// New centroids from the totals; shift (and whether its sequential sum is <= tol), changed and
/// the empty count into *status.
void finalize_centroids(const double* totals, const float* old_c, int k, int d, float* new_c,
                        const unsigned long long* changed, double tol, IterStatus* status,
                        cudaStream_t s);

/// out[q] = sum over rows of chunk q of w * v (v alone without weights), rows in order: the CPU
/// backend's weighted_sum partials. n rows, full-length arrays.
void chunk_weighted_sums(const float* v, const float* w, std::size_t n, std::size_t chunk,
                         double* out, cudaStream_t s);

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

/// Per chunk and column: sum of x (mean == nullptr) or of (x - mean)^2, rows in order (the CPU
/// backend's feature_variance_sum partials). out is chunks x d, by the tile's own chunk index.
void column_moments(const Tile& t, const double* mean, std::size_t chunk, double* out,
                    cudaStream_t s);

}  // namespace segmint::cuda
