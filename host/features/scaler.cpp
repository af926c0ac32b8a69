// Transforms: column selection, signed log1p on heavy-tailed columns, z-score, weights. The
// per-value math is detail/scale_math.hpp's, shared with the device transform.
#include "features/scaler.hpp"

#include <cmath>

#include "segmint/detail/scale_math.hpp"
#include "segmint/error.hpp"

namespace segmint {
namespace {

bool is_group(const std::string& s) {
  for (const auto& f : feature_catalog()) {
    if (f.group == s) return true;
  }
  return false;
}

std::vector<bool> selected_columns(const FeatureMatrix& raw, const std::vector<std::string>& sel) {
  std::vector<bool> want(raw.cols, sel.empty());
  for (const auto& s : sel) {
    bool hit = false;
    for (std::size_t j = 0; j < raw.cols; ++j) {
      const FeatureInfo* f = find_feature(raw.names[j]);
      if (raw.names[j] == s || (f && f->group == s)) want[j] = hit = true;
    }
    if (!hit && !is_group(s)) throw UsageError("--features: unknown feature or group '" + s + "'");
  }
  return want;
}

}  // namespace

Scaler fit_scaler_with(const FeatureMatrix& raw, const TransformOptions& options,
                       const ColumnFitter& fit_column) {
  if (raw.names.size() != raw.cols) throw RuntimeError("fit_scaler: matrix without column names");
  const std::vector<bool> want = selected_columns(raw, options.select);
  const bool use_log = options.kind == TransformOptions::Kind::log1p_zscore;
  const bool standardize = options.kind != TransformOptions::Kind::none;
  Scaler s;
  std::vector<std::string> selected;
  for (std::size_t j = 0; j < raw.cols; ++j) {
    if (!want[j]) continue;
    selected.push_back(raw.names[j]);
    const FeatureInfo* info = find_feature(raw.names[j]);
    const bool lg = use_log && info && info->log1p;
    const ColumnFit f = fit_column(j, lg);
    if (raw.rows == 0 || !(f.lo < f.hi)) {  // constant: carries no information for clustering
      s.dropped_constant.push_back(raw.names[j]);
      continue;
    }
    const double mean = f.sum / static_cast<double>(raw.rows);
    const double sd = std::sqrt(f.square_sum / static_cast<double>(raw.rows));  // population std
    s.names.push_back(raw.names[j]);
    s.source_columns.push_back(static_cast<int>(j));
    s.log1p.push_back(lg ? 1 : 0);
    s.mean.push_back(standardize ? mean : 0.0);
    s.stddev.push_back(standardize && sd > 0 && std::isfinite(sd) ? sd : 1.0);
    s.weight.push_back(1.0);
  }
  for (const auto& [name, w] : options.weights) {
    bool known = false;
    for (const auto& n : selected) known = known || n == name;
    if (!known) throw UsageError("--weights: '" + name + "' is not a selected feature");
    if (!std::isfinite(w) || w < 0) throw UsageError("--weights: weight of '" + name + "' must be >= 0");
    for (std::size_t j = 0; j < s.names.size(); ++j) {
      if (s.names[j] == name) s.weight[j] = w;
    }
  }
  if (s.names.empty()) {
    throw InputError("features: every selected feature is constant on this data; nothing to "
                     "cluster");
  }
  return s;
}

Scaler fit_scaler(const FeatureMatrix& raw, const TransformOptions& options) {
  // In row order over all rows, as always: the square sum only for the columns it is used for.
  return fit_scaler_with(raw, options, [&raw](std::size_t j, bool lg) {
    const detail::ColumnSums c =
        detail::column_sums(raw.values.data(), raw.cols, j, lg, 0, raw.rows);
    ColumnFit f{c.sum, c.lo, c.hi, 0.0};
    if (raw.rows > 0 && c.lo < c.hi) {
      const double mean = c.sum / static_cast<double>(raw.rows);
      f.square_sum = detail::column_square_sum(raw.values.data(), raw.cols, j, lg, mean, 0, raw.rows);
    }
    return f;
  });
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
  FeatureMatrix out;
  out.rows = raw.rows;
  out.cols = d;
  out.names = names;
  out.values.resize(out.rows * d);
  const std::int64_t n = static_cast<std::int64_t>(raw.rows);
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) {
      out.values[static_cast<std::size_t>(i) * d + j] = detail::scaled_value(
          raw.at(static_cast<std::size_t>(i), col[j]), log1p[j] != 0, mean[j], stddev[j], weight[j]);
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
  for (std::size_t c = 0; c < static_cast<std::size_t>(k); ++c) {
    for (std::size_t j = 0; j < d; ++j) {
      // A zero weight erased the column: its centroid coordinate says nothing, report the mean.
      double z = weight[j] > 0 ? static_cast<double>(centroids[c * d + j]) / weight[j] : 0.0;
      double v = z * stddev[j] + mean[j];
      if (log1p[j]) v = detail::sexpm1(v);
      out[c * d + j] = std::isfinite(v) ? v : 0.0;
    }
  }
  return out;
}

}  // namespace segmint
