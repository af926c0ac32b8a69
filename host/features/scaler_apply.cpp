// Applying a fitted Scaler: the per-value formula of detail/scale_math.hpp over every row, the
// inverse for centroids (original units), and the formula parameters of one column.
#include <cmath>

#include "common/huge_pages.hpp"
#include "features/scaler.hpp"
#include "segmint/error.hpp"
#include "segmint/features.hpp"

namespace segmint {

detail::ColumnScale Scaler::column(std::size_t j) const {
  detail::ColumnScale c;
  c.log1p = log1p[j] != 0;
  if (j < clip.size() && clip[j]) {
    c.clip = true;
    c.clip_lo = clip_lo[j];
    c.clip_hi = clip_hi[j];
  }
  if (j < knots.size() && knots[j].size() >= 2) {
    c.knots = knots[j].data();
    c.n_knots = static_cast<int>(knots[j].size());
  }
  c.center = mean[j];
  c.scale = stddev[j];
  c.weight = j < group_weight.size() ? weight[j] * group_weight[j] : weight[j];
  return c;
}

std::vector<std::size_t> scaler_columns(const Scaler& s, const FeatureMatrix& raw) {
  const std::size_t d = s.names.size();
  // Columns are found by name when the table has names (a model applied to a table whose column
  // order differs still works), else by the fitted positions.
  std::vector<std::size_t> col(d);
  for (std::size_t j = 0; j < d; ++j) {
    if (!raw.names.empty()) {
      std::size_t k = 0;
      while (k < raw.names.size() && raw.names[k] != s.names[j]) ++k;
      if (k == raw.names.size()) throw InputError("feature table has no column '" + s.names[j] + "'");
      col[j] = k;
    } else {
      if (s.source_columns[j] < 0 || static_cast<std::size_t>(s.source_columns[j]) >= raw.cols) {
        throw InputError("feature table has too few columns for '" + s.names[j] + "'");
      }
      col[j] = static_cast<std::size_t>(s.source_columns[j]);
    }
  }
  return col;
}

FeatureMatrix Scaler::transform(const FeatureMatrix& raw) const {
  const std::size_t d = names.size();
  const std::vector<std::size_t> col = scaler_columns(*this, raw);
  std::vector<detail::ColumnScale> f(d);
  for (std::size_t j = 0; j < d; ++j) f[j] = column(j);
  FeatureMatrix out;
  out.rows = raw.rows;
  out.cols = d;
  out.names = names;
  out.values = huge_vector<float>(out.rows * d);  // k-means streams it every pass
  const std::int64_t n = static_cast<std::int64_t>(raw.rows);
  // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) {
      out.values[static_cast<std::size_t>(i) * d + j] =
          detail::scale_value(raw.at(static_cast<std::size_t>(i), col[j]), f[j]);
    }
  }
  return out;
}

std::vector<double> Scaler::inverse(const std::vector<float>& centroids, int k) const {
  const std::size_t d = names.size();
  if (k < 0 || centroids.size() != static_cast<std::size_t>(k) * d) {
    throw RuntimeError("Scaler::inverse: expected " + std::to_string(k) + " x " +
                       std::to_string(d) + " centroid values");
  }
  std::vector<double> out(centroids.size());
  for (std::size_t j = 0; j < d; ++j) {
    const detail::ColumnScale f = column(j);
    for (std::size_t c = 0; c < static_cast<std::size_t>(k); ++c) {
      // A zero weight erased the column: its centroid coordinate says nothing, report the centre.
      double z = f.weight > 0 ? static_cast<double>(centroids[c * d + j]) / f.weight : 0.0;
      double v = z * f.scale + f.center;
      if (f.knots) v = detail::quantile_value(v, f.knots, f.n_knots);
      if (f.log1p) v = detail::signed_expm1(v);
      out[c * d + j] = std::isfinite(v) ? v : 0.0;
    }
  }
  return out;
}

}  // namespace segmint
