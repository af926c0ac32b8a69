// fit_column: one selected column's fitted statistics for each transform kind, on the fit rows.
#include <algorithm>
#include <cmath>

#include "features/quantiles.hpp"
#include "features/scaler_fit.hpp"

namespace segmint::fit {
namespace {

using Kind = TransformOptions::Kind;

/// Population mean and standard deviation, summed in row order (as every earlier version did).
void mean_and_sd(const std::vector<double>& v, double& mean, double& sd) {
  double sum = 0;
  for (double x : v) sum += x;
  mean = sum / static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  sd = std::sqrt(ss / static_cast<double>(v.size()));
}

/// The fit rows' values of the column after the formula's steps so far (log1p, clip, rank).
std::vector<double> values(const FeatureMatrix& raw, std::size_t col, const detail::ColumnScale& c,
                           const std::vector<std::uint8_t>& fit_rows) {
  std::vector<double> v;
  v.reserve(raw.rows);
  for (std::size_t i = 0; i < raw.rows; ++i) {
    if (fit_rows.empty() || fit_rows[i]) v.push_back(detail::column_value(raw.at(i, col), c));
  }
  return v;
}

}  // namespace

ColumnFit fit_column(const FeatureMatrix& raw, std::size_t col, bool log1p,
                     const TransformOptions& o, const std::vector<std::uint8_t>& fit_rows) {
  ColumnFit f;
  detail::ColumnScale c;
  c.log1p = log1p;
  std::vector<double> v = values(raw, col, c, fit_rows);
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  if (v.empty() || !(*lo < *hi)) {  // constant: carries no information for clustering
    f.constant = true;
    return f;
  }
  if (o.kind == Kind::log1p_winsor) {
    const std::vector<double> q = quantiles(v, {o.winsor_tail, 1.0 - o.winsor_tail});
    // Equal tail quantiles (a column where 98 % of users share one value) stay unclipped:
    // clipping would erase the rare behaviour the column is there to show.
    if (q[0] < q[1]) {
      f.clip = c.clip = true;
      f.clip_lo = c.clip_lo = q[0];
      f.clip_hi = c.clip_hi = q[1];
      v = values(raw, col, c, fit_rows);
    }
  } else if (o.kind == Kind::quantile) {
    std::vector<double> probs(kQuantileKnots);
    for (int i = 0; i < kQuantileKnots; ++i) probs[i] = i / double(kQuantileKnots - 1);
    f.knots = quantiles(v, probs);
    c.knots = f.knots.data();
    c.n_knots = kQuantileKnots;
    v = values(raw, col, c, fit_rows);
  }
  if (o.kind == Kind::none) return f;  // center 0, scale 1
  double center = 0, scale = 0;
  if (o.kind == Kind::log1p_robust) {
    const Quartiles q = quartiles(v);
    center = q.median;
    scale = (q.q3 - q.q1) / 1.349;  // the IQR of a normal distribution is 1.349 sd
    double mean = 0;
    if (!(scale > 0)) mean_and_sd(v, mean, scale);  // IQR 0 (a mostly-constant column): sd
  } else {
    mean_and_sd(v, center, scale);
  }
  f.center = center;
  f.scale = scale > 0 && std::isfinite(scale) ? scale : 1.0;
  return f;
}

}  // namespace segmint::fit
