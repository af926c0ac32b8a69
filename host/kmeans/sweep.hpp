// Fits k-means for a range of k on one matrix and scores each k (the engine of `segmint sweep`,
// independent of where the matrix came from).
#pragma once
#include <vector>

#include "kmeans/metrics.hpp"
#include "segmint/backend.hpp"

namespace segmint {

struct SweepRow {
  int k = 0;
  double inertia = 0;
  int iterations = 0;
  double silhouette = 0, davies_bouldin = 0, calinski_harabasz = 0;
};

struct SweepResult {
  std::vector<SweepRow> rows;  ///< one per k, ascending
  int recommended_k = 0;       ///< highest silhouette (smallest k on ties)
  bool silhouette_sampled = false;
};

/// Fits k = k_lo..k_hi (2 <= k_lo <= k_hi, else UsageError) with `base` (its k is ignored) and
/// scores each fit. weights may be null. k above the rows stops with the backend's one input
/// check, k equal to the rows with the scores' (both InputError).
SweepResult sweep_k(Backend& backend, MatrixView x, const float* weights, int k_lo, int k_hi,
                    const KMeansParams& base, const metrics::SilhouetteOptions& silhouette);

}  // namespace segmint
