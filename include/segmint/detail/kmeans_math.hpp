// Distance and nearest-centroid math written once for both backends (CPU reference and CUDA).
#pragma once
#include <cstdint>

#include "segmint/detail/hd.hpp"

namespace segmint::detail {

/// Squared Euclidean distance between two d-vectors, accumulated in float in index order.
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

}  // namespace segmint::detail
