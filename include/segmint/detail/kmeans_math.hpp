// Distance, nearest-centroid, centroid-update and initialisation math written once for both
// backends: the CPU backend calls it, the CUDA kernels call it per row or per lane, and
// tests/unit/kmeans_device_math_test.cpp runs the device's combination of it on the CPU against
// the CPU backend.
#pragma once
#include <cfloat>
#include <cstdint>

#include "segmint/detail/hd.hpp"

namespace segmint::detail {

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

/// The argmin's total order on (value, index): smaller value first, ties to the lower index, so
/// an argmin merged in any order (lanes, warps) picks what the sequential scan picks.
SEGMINT_HD bool ranked_before(float a, int ia, float b, int ib) {
  return a < b || (a == b && ia < ib);
}

/// The two best (value, index) pairs offered so far, in ranked_before order. Index `none`
/// (k: after every real index) marks an empty place. The gemm path's argmin keeps one per lane,
/// merges them across the warp, then re-ranks the two by exact distance (rerank_top_two).
struct TopTwo {
  float best, second;
  int ib, is;

  SEGMINT_HD static TopTwo empty(int none) { return TopTwo{FLT_MAX, FLT_MAX, none, none}; }
  SEGMINT_HD void offer(float v, int c) {
    if (ranked_before(v, c, best, ib)) {
      second = best;
      is = ib;
      best = v;
      ib = c;
    } else if (ranked_before(v, c, second, is)) {
      second = v;
      is = c;
    }
  }
  /// Keeps the two best of both sets (as offering o's two pairs, in fewer comparisons).
  SEGMINT_HD void merge(const TopTwo& o) {
    if (ranked_before(o.best, o.ib, best, ib)) {
      if (ranked_before(o.second, o.is, best, ib)) {
        second = o.second;
        is = o.is;
      } else {
        second = best;
        is = ib;
      }
      best = o.best;
      ib = o.ib;
    } else if (ranked_before(o.best, o.ib, second, is)) {
      second = o.best;
      is = o.ib;
    }
  }
};

/// The label among t's two (approximately ranked) candidates by exact squared distance, ties to
/// the lower index; *d2 gets that distance. t.ib must be a real index; t.is == k means none.
SEGMINT_HD int rerank_top_two(const float* x, const float* centroids, int k, int d,
                              const TopTwo& t, float* d2) {
  int lab = t.ib;
  float best = squared_distance(x, centroids + static_cast<std::int64_t>(t.ib) * d, d);
  if (t.is < k) {
    const float s = squared_distance(x, centroids + static_cast<std::int64_t>(t.is) * d, d);
    if (ranked_before(s, t.is, best, t.ib)) {
      best = s;
      lab = t.is;
    }
  }
  *d2 = best;
  return lab;
}

/// A centroid coordinate after a Lloyd step: the weighted mean, or the old value for a cluster
/// without weight (still empty after repair).
SEGMINT_HD float updated_centroid(double sum, double weight, float old) {
  return weight > 0.0 ? static_cast<float>(sum / weight) : old;
}

/// One coordinate's contribution to the squared centroid shift.
SEGMINT_HD double squared_shift(float now, float before) {
  const double delta = static_cast<double>(now) - static_cast<double>(before);
  return delta * delta;
}

/// k-means++/|| distance to the nearest chosen centre after m more candidates: the minimum of
/// `previous` (ignored when reset) and the squared distances to cands (m x d).
SEGMINT_HD float closest_after(const float* x, const float* cands, int m, int d, float previous,
                               bool reset) {
  float best = previous;
  for (int c = 0; c < m; ++c) {
    const float s = squared_distance(x, cands + static_cast<std::int64_t>(c) * d, d);
    if (s < best || (reset && c == 0)) best = s;
  }
  return best;
}

/// A row's share of the potential if a candidate at squared distance s were added.
SEGMINT_HD double potential_with(float closest, float s, double weight) {
  return weight * static_cast<double>(s < closest ? s : closest);
}

/// k-means|| keeps a row when its uniform draw u is below ell * w * closest / psi (psi: the
/// current potential), as the CPU backend writes it.
SEGMINT_HD bool sampled(double u, double ell, float weight, float closest, double psi) {
  return u < ell * weight * closest / psi;
}

/// Candidate weights of k-means|| are summed with integer atomics (exact in any order) in this
/// fixed point: 2^24 units per unit of weight.
constexpr double kWeightFixedOne = 16777216.0;
SEGMINT_HD unsigned long long to_fixed_weight(double w) {
  return static_cast<unsigned long long>(w * kWeightFixedOne + 0.5);
}
SEGMINT_HD double from_fixed_weight(unsigned long long f) {
  return static_cast<double>(f) / kWeightFixedOne;
}

}  // namespace segmint::detail
