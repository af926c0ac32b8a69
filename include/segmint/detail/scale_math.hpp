// The transform of raw features into the clustering matrix, written once for both backends:
// signed log1p, z-score with a fitted mean and standard deviation, weight; and the per-column
// sums a fit needs over a range of rows (the device sums fixed chunks of rows this way and adds
// the chunk sums in chunk order, so its fit is deterministic).
#pragma once
#include <cmath>
#include <cstddef>

#include "segmint/detail/hd.hpp"

namespace segmint::detail {

/// Signed log1p: keeps negative money (net refunds) finite and monotone.
SEGMINT_HD double slog1p(double x) { return x >= 0 ? std::log1p(x) : -std::log1p(-x); }
/// Inverse of slog1p (exact up to rounding).
SEGMINT_HD double sexpm1(double y) { return y >= 0 ? std::expm1(y) : -std::expm1(-y); }

/// A raw value as the transform reads it: non-finite values (possible in user-supplied tables)
/// count as 0.
SEGMINT_HD double clean_value(float v) { return std::isfinite(v) ? static_cast<double>(v) : 0.0; }

/// The value a fit sums for a raw value: cleaned, then log1p'd when the column is heavy-tailed.
SEGMINT_HD double fit_value(float raw, bool log1p) {
  const double v = clean_value(raw);
  return log1p ? slog1p(v) : v;
}

/// One entry of the clustering matrix: weight * (fit_value - mean) / stddev, 0 when that is not
/// finite (a stddev of 0 counts as 1).
SEGMINT_HD float scaled_value(float raw, bool log1p, double mean, double stddev, double weight) {
  const double v = fit_value(raw, log1p);
  const double sd = stddev > 0 ? stddev : 1.0;
  const double z = weight * (v - mean) / sd;
  return std::isfinite(z) ? static_cast<float>(z) : 0.f;
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
