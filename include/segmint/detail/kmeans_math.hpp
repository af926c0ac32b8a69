// Distance and nearest-centroid math written once for both backends (CPU reference and CUDA).
#pragma once
#include <cfloat>
#include <cmath>
#include <cstdint>

#include "segmint/detail/hd.hpp"

namespace segmint::detail {

/// Largest |value| a feature or centroid coordinate may have so that float32 squared distances
/// over d columns stay finite with room to spare: (2 L)^2 d <= FLT_MAX / 4. Readers of user
/// matrices (transform none), centroid files and models reject larger values. Host only.
inline double max_feature_magnitude(std::size_t d) {
  return std::sqrt(static_cast<double>(FLT_MAX) / (16.0 * static_cast<double>(d ? d : 1)));
}

/// Squared Euclidean distance between two d-vectors, accumulated in float in index order.
/// Plain (a-b)^2 sums, never the ||a||^2 - 2ab + ||b||^2 expansion: that one cancels
/// catastrophically for points near a centroid and would break agreement at 1e-4.
SEGMINT_HD float squared_distance(const float* a, const float* b, int d) {
  float s = 0.f;
  for (int j = 0; j < d; ++j) {
    float t = a[j] - b[j];
    s += t * t;
  }
  return s;
}

/// Tie rule used everywhere: a candidate replaces the best only when strictly closer, scanning
/// centroids in index order, so ties go to the lowest centroid index.
SEGMINT_HD bool closer(float candidate, float best) { return candidate < best; }

/// Index of the nearest of k centroids (k x d, row-major) to x; *best_sq gets the squared
/// distance. The scalar reference every optimised assignment kernel must agree with.
SEGMINT_HD int nearest_centroid(const float* x, const float* centroids, int k, int d,
                                float* best_sq) {
  int best = 0;
  float best_d = squared_distance(x, centroids, d);
  for (int c = 1; c < k; ++c) {
    float dc = squared_distance(x, centroids + static_cast<std::int64_t>(c) * d, d);
    if (closer(dc, best_d)) {
      best_d = dc;
      best = c;
    }
  }
  *best_sq = best_d;
  return best;
}

/// scikit-learn's absolute tolerance: tol times the mean over features of the (population)
/// variance of each feature. `variance_sum` is the sum of the d per-feature variances.
SEGMINT_HD double absolute_tolerance(double tol, double variance_sum, int d) {
  return d > 0 ? tol * variance_sum / d : 0.0;
}

}  // namespace segmint::detail
