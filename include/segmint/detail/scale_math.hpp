// Per-value transform formulas written once for both backends: one raw feature value in, one
// matrix value out (signed log1p, winsor clip, quantile rank, centre/scale, weight), plus the
// heavy-user fence test. The host Scaler calls them; a device transform calls the same ones.
// Also the per-column sums a z-score fit needs over a range of rows (the device sums fixed chunks
// of rows this way and adds the chunk sums in chunk order, so its fit is deterministic).
#pragma once
#include <cmath>
#include <cstddef>

#include "segmint/detail/hd.hpp"

namespace segmint::detail {

/// Everything one matrix column's formula needs (Scaler::column gives it). Pointers are to
/// memory the caller owns (host or device).
struct ColumnScale {
  bool log1p = false;             ///< signed log1p first
  bool clip = false;              ///< winsorise: clamp to [clip_lo, clip_hi] after the log
  double clip_lo = 0, clip_hi = 0;
  const double* knots = nullptr;  ///< quantile transform: n_knots ascending quantiles, or null
  int n_knots = 0;
  double center = 0, scale = 1;   ///< (v - center) / scale
  double weight = 1;              ///< times the user's --weights and the group balance
};

/// sign(x) * ln(1 + |x|): keeps negative money (net refunds) finite and monotone.
SEGMINT_HD double signed_log1p(double x) { return x >= 0 ? std::log1p(x) : -std::log1p(-x); }
/// Inverse of signed_log1p (exact up to rounding).
SEGMINT_HD double signed_expm1(double y) { return y >= 0 ? std::expm1(y) : -std::expm1(-y); }
/// Non-finite raw values (possible in user-supplied tables) count as 0.
SEGMINT_HD double finite_or_zero(float v) {
  return std::isfinite(v) ? static_cast<double>(v) : 0.0;
}

/// Position of v in [0, 1] among n >= 2 ascending knots taken at probabilities i / (n - 1):
/// 0 below the first, 1 above the last, linear between neighbouring knots, and the middle of
/// the run of knots equal to v (a value shared by many users, such as 0, gets one rank: the
/// middle of its share).
SEGMINT_HD double quantile_rank(double v, const double* knots, int n) {
  int lo = 0, hi = n;  // lo: first knot >= v
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (knots[mid] < v) lo = mid + 1; else hi = mid;
  }
  int up = lo, top = n;  // up: first knot > v
  while (up < top) {
    const int mid = (up + top) / 2;
    if (knots[mid] <= v) up = mid + 1; else top = mid;
  }
  const double last = static_cast<double>(n - 1);
  if (up == 0) return 0.0;
  if (lo == n) return 1.0;
  if (lo < up) return 0.5 * static_cast<double>(lo + up - 1) / last;
  const double a = knots[lo - 1], b = knots[lo];
  return (static_cast<double>(lo - 1) + (v - a) / (b - a)) / last;
}

/// Inverse of quantile_rank between distinct knots: the value at rank u in [0, 1].
SEGMINT_HD double quantile_value(double u, const double* knots, int n) {
  const double pos = (u < 0 ? 0.0 : u > 1 ? 1.0 : u) * static_cast<double>(n - 1);
  int i = static_cast<int>(pos);
  if (i >= n - 1) return knots[n - 1];
  return knots[i] + (pos - static_cast<double>(i)) * (knots[i + 1] - knots[i]);
}

/// The raw value after log1p, clip and rank: what center and scale apply to.
SEGMINT_HD double column_value(float raw, const ColumnScale& c) {
  double v = finite_or_zero(raw);
  if (c.log1p) v = signed_log1p(v);
  if (c.clip) v = v < c.clip_lo ? c.clip_lo : (v > c.clip_hi ? c.clip_hi : v);
  if (c.knots) v = quantile_rank(v, c.knots, c.n_knots);
  return v;
}

/// One matrix value: weight * (column_value - center) / scale; never NaN or inf.
SEGMINT_HD float scale_value(float raw, const ColumnScale& c) {
  const double sd = c.scale > 0 ? c.scale : 1.0;
  const double z = c.weight * (column_value(raw, c) - c.center) / sd;
  if (!std::isfinite(z)) return 0.f;
  // Beyond float range (huge weights or a crafted scaler) the value is clamped, never cast out
  // of range (undefined behaviour); k-means' range check then names the problem.
  constexpr double kFloatMax = 3.4028234663852886e38;  // FLT_MAX
  return static_cast<float>(z < -kFloatMax ? -kFloatMax : (z > kFloatMax ? kFloatMax : z));
}

/// What the heavy-user fences are fitted on and compared with: log1p of a measure (a product of
/// raw activity columns; negative counts as 0).
SEGMINT_HD double fence_value(double measure) { return std::log1p(measure > 0 ? measure : 0.0); }
/// The heavy-user test of one measure against its fitted fence.
SEGMINT_HD bool above_fence(double measure, double log_fence) {
  return fence_value(measure) > log_fence;
}

/// The value a z-score fit sums for a raw value: cleaned, then log1p'd when the column is
/// heavy-tailed (column_value with neither clip nor ranks).
SEGMINT_HD double fit_value(float raw, bool log1p) {
  ColumnScale c;
  c.log1p = log1p;
  return column_value(raw, c);
}

/// scale_value of a column with neither clip nor ranks: weight * (fit_value - mean) / stddev.
SEGMINT_HD float scaled_value(float raw, bool log1p, double mean, double stddev, double weight) {
  ColumnScale c;
  c.log1p = log1p;
  c.center = mean;
  c.scale = stddev;
  c.weight = weight;
  return scale_value(raw, c);
}

/// Sum, minimum and maximum of a column's fit values over some rows.
struct ColumnSums {
  double sum, lo, hi;
};

SEGMINT_HD ColumnSums empty_column_sums() { return {0.0, INFINITY, -INFINITY}; }

/// Column j's sums over rows [begin, end) of a row-major matrix with `cols` columns, in row order.
SEGMINT_HD ColumnSums column_sums(const float* m, std::size_t cols, std::size_t j, bool log1p,
                                  std::size_t begin, std::size_t end) {
  ColumnSums s = empty_column_sums();
  for (std::size_t i = begin; i < end; ++i) {
    const double v = fit_value(m[i * cols + j], log1p);
    s.sum += v;
    s.lo = v < s.lo ? v : s.lo;
    s.hi = v > s.hi ? v : s.hi;
  }
  return s;
}

/// a := sums of a's rows followed by b's rows.
SEGMINT_HD void add_column_sums(ColumnSums& a, const ColumnSums& b) {
  a.sum += b.sum;
  a.lo = b.lo < a.lo ? b.lo : a.lo;
  a.hi = b.hi > a.hi ? b.hi : a.hi;
}

/// Sum over rows [begin, end) of (fit value - mean)^2, in row order.
SEGMINT_HD double column_square_sum(const float* m, std::size_t cols, std::size_t j, bool log1p,
                                    double mean, std::size_t begin, std::size_t end) {
  double ss = 0.0;
  for (std::size_t i = begin; i < end; ++i) {
    const double d = fit_value(m[i * cols + j], log1p) - mean;
    ss += d * d;
  }
  return ss;
}

}  // namespace segmint::detail
