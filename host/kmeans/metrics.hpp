// Clustering quality metrics (silhouette, Davies-Bouldin, Calinski-Harabasz) and the adjusted
// Rand index, with scikit-learn's definitions. Clusters are the distinct labels present.
#pragma once
#include <cstdint>
#include <vector>

#include "segmint/matrix.hpp"

namespace segmint::metrics {

struct SilhouetteOptions {
  std::size_t exact_limit = 20000;  ///< up to this many rows: exact over all rows
  std::size_t sample_size = 20000;  ///< above it: this many rows drawn without replacement
  std::uint64_t seed = 0;           ///< which rows are drawn
  int threads = 0;                  ///< 0 = all; the result does not depend on it
};

/// Mean silhouette coefficient in [-1, 1] (Euclidean). Rows alone in their cluster score 0.
/// Above exact_limit rows, computed on a seeded sample (as sklearn's sample_size). Needs 2 to
/// n-1 clusters (throws InputError otherwise).
double silhouette(MatrixView x, const std::int32_t* labels, const SilhouetteOptions& options = {});

/// Davies-Bouldin index (lower is better; 0 for perfectly compact clusters).
double davies_bouldin(MatrixView x, const std::int32_t* labels, int threads = 0);

/// Calinski-Harabasz index (higher is better); 1 when every cluster is a single point value.
double calinski_harabasz(MatrixView x, const std::int32_t* labels, int threads = 0);

/// Adjusted Rand index between two labelings of the same rows (1 = identical partitions).
double adjusted_rand_index(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b);

}  // namespace segmint::metrics
