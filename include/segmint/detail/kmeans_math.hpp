// Distance, nearest-centroid, centroid-update and initialisation math written once for both
// backends: the CPU backend calls it, the CUDA kernels call it per row or per lane, and
// tests/unit/kmeans_device_math_test.cpp runs the device's combination of it on the CPU against
// the CPU backend.
#pragma once
#include <cfloat>
#include <cmath>
#include <cstddef>
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

/// Index of the nearest of k centroids (k x d, row-major) to x by squared_distance; *best_sq
/// gets it. The initialisations' distance; the Lloyd assignment ranks by kmeans_screen.hpp's
/// exact_sq (fused) instead.
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
/// (k: after every real index) marks an empty place. The gemm path's argmin keeps one per lane
/// and merges them across the warp: the screen settles a row when the second is above the
/// slack (kmeans_screen.hpp).
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

/// Sum of w[i] * v[i] (v[i] alone when w is null) over rows [i0, i1) in order, in double: one
/// chunk of the CPU backend's weighted_sum (the inertia), and of the GPU's.
SEGMINT_HD double chunk_weighted_sum(const float* v, const float* w, std::size_t i0,
                                     std::size_t i1) {
  double s = 0;
  if (w)
    for (std::size_t i = i0; i < i1; ++i) s += static_cast<double>(w[i]) * v[i];
  else
    for (std::size_t i = i0; i < i1; ++i) s += v[i];
  return s;
}

/// One row's term of a column's moment sum (the feature variance behind the absolute tolerance):
/// x itself in the first pass (mean null), (x - mean)^2 in the second, in double. The CPU's
/// feature_variance_sum and the GPU's moments kernel add them per chunk in row order.
SEGMINT_HD double moment_term(float x, const double* mean) {
  if (!mean) return x;
  const double v = static_cast<double>(x) - *mean;
  return v * v;
}

/// Whether the CPU's sequential sum of `terms` nonnegative doubles is <= tol, decided from their
/// sum `s` in any other order: 1 yes, 0 no, -1 too close to tell (then add them in order). Any two
/// orders agree within 2 gamma_terms of the sum; the margin is twice that, plus rounding.
SEGMINT_HD int shift_within(double s, std::size_t terms, double tol) {
  const double margin = s * (static_cast<double>(terms) + 2.0) * 0x1p-50;
  if (s + margin <= tol) return 1;
  if (s - margin > tol) return 0;
  return -1;
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
