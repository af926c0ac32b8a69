// k-means parameters and results, shared by every backend.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "segmint/matrix.hpp"

namespace segmint {

enum class InitMethod {
  kmeans_plus_plus,  ///< greedy k-means++: 2 + floor(ln k) candidates per step (scikit-learn)
  kmeans_parallel,   ///< k-means|| (Bahmani et al.), then weighted k-means++ on the candidates
  random,            ///< k distinct points drawn uniformly
  given,             ///< KMeansParams::initial_centroids
};

/// Parameters of one k-means fit. Semantics follow scikit-learn's KMeans(algorithm="lloyd"):
/// - tol is relative: the fit stops when the squared centroid shift (sum over all centroids)
///   is <= tol * mean over features of the feature variance; it also stops ("strict
///   convergence") when an iteration changes no label;
/// - after the last iteration, if it was not strictly converged, labels are recomputed for the
///   final centroids, so labels, distances and inertia always refer to the returned centroids;
/// - empty clusters are re-seeded with the points farthest from their current centroid (ties
///   to the lower row; a row is never taken from a cluster it would leave empty, and its label
///   moves with it);
/// - with n_init > 1 the fit with the lowest inertia is kept (first one on ties); run r uses the
///   seed mix64(seed + r * 0x9E3779B97F4A7C15) on every backend, so it is the same run whatever
///   n_init is;
/// - weights (optional, >= 0, not all 0) weight the centroid means, the inertia and the
///   k-means++ / k-means|| sampling; tol's feature variance is unweighted (as scikit-learn).
/// The CPU backend's results depend on neither thread count nor scheduling: rows are split in
/// fixed chunks and per-chunk partial sums (double) are added in chunk order.
struct KMeansParams {
  int k = 8;
  InitMethod init = InitMethod::kmeans_plus_plus;
  int max_iter = 300;
  double tol = 1e-4;
  int n_init = 1;
  std::uint64_t seed = 0;
  /// k x d row-major; used when init == given (then n_init is forced to 1).
  std::vector<float> initial_centroids;
  /// k-means|| oversampling factor (candidates per round = oversampling * k) and rounds.
  double oversampling = 2.0;
  int parallel_rounds = 5;
  /// CPU threads (0 = all). Results never depend on it.
  int threads = 0;
  /// Device memory budget in bytes for the GPU backend (0 = the backend's budget, see
  /// BackendOptions). When the matrix does not fit, it is streamed in tiles from pinned host
  /// memory.
  std::size_t gpu_memory_budget = 0;
};

/// Result of a fit. Distances are Euclidean (not squared); inertia = sum w_i * dist_i^2.
struct KMeansResult {
  std::vector<float> centroids;  ///< k x d row-major
  std::vector<std::int32_t> labels;
  std::vector<float> distances;
  double inertia = 0;
  int iterations = 0;     ///< Lloyd iterations of the kept run
  bool converged = false;
  int best_init = 0;      ///< which of the n_init runs was kept
};

}  // namespace segmint
