// fit_scaler: column selection, the heavy-user rule, each column's fitted statistics (per
// transform kind), the group balance and the user's weights; fit_scaler_with: the same rules with
// z-score statistics from column sums (the device's).
#include <cmath>
#include <cstdint>

#include "common/omp_guard.hpp"
#include "features/scaler.hpp"
#include "features/scaler_fit.hpp"
#include "segmint/error.hpp"
#include "segmint/features.hpp"

namespace segmint {
namespace {

using Kind = TransformOptions::Kind;

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

void check_options(const TransformOptions& o) {
  if (!(o.winsor_tail > 0 && o.winsor_tail < 0.5)) {
    throw UsageError("--winsor-tail must be above 0 and below 0.5");
  }
  if (!(o.heavy_fence >= 0) || !std::isfinite(o.heavy_fence)) {
    throw UsageError("--heavy-fence must be >= 0 (0: no heavy users)");
  }
}

void append_column(Scaler& s, const FeatureMatrix& raw, std::size_t j, bool log1p,
                   const fit::ColumnFit& f) {
  const FeatureInfo* info = find_feature(raw.names[j]);
  s.names.push_back(raw.names[j]);
  s.source_columns.push_back(static_cast<int>(j));
  s.log1p.push_back(log1p ? 1 : 0);
  s.mean.push_back(f.center);
  s.stddev.push_back(f.scale);
  s.weight.push_back(1.0);
  s.group.push_back(info ? info->group : raw.names[j]);
  if (f.clip) {  // the columns before the first clipped one get "no clip" entries
    s.clip.resize(s.names.size() - 1, 0);
    s.clip_lo.resize(s.names.size() - 1, 0.0);
    s.clip_hi.resize(s.names.size() - 1, 0.0);
    s.clip.push_back(1);
    s.clip_lo.push_back(f.clip_lo);
    s.clip_hi.push_back(f.clip_hi);
  }
  if (!f.knots.empty()) {
    s.knots.resize(s.names.size() - 1);
    s.knots.push_back(f.knots);
  }
}

void apply_weights(Scaler& s, const std::vector<std::string>& selected,
                   const std::vector<std::pair<std::string, float>>& weights) {
  for (const auto& [name, w] : weights) {
    bool known = false;
    for (const auto& n : selected) known = known || n == name;
    if (!known) throw UsageError("--weights: '" + name + "' is not a selected feature");
    if (!std::isfinite(w) || w < 0) throw UsageError("--weights: weight of '" + name + "' must be >= 0");
    for (std::size_t j = 0; j < s.names.size(); ++j) {
      if (s.names[j] == name) s.weight[j] = w;
    }
  }
}

/// fit_scaler's rules with each selected column's statistics from `fit_col(j, log1p, fit_rows)`,
/// called for the columns at once on all threads with `parallel` (each column's statistics are
/// its own, in row order: the same numbers on any thread count).
template <class FitColumn>
Scaler fit_scaler_by(const FeatureMatrix& raw, const TransformOptions& options,
                     const FitColumn& fit_col, bool parallel) {
  if (raw.names.size() != raw.cols) throw RuntimeError("fit_scaler: matrix without column names");
  check_options(options);
  const std::vector<bool> want = selected_columns(raw, options.select);
  const bool use_log = options.kind != Kind::none && options.kind != Kind::zscore &&
                       options.kind != Kind::quantile;
  Scaler s;
  // `none` takes the values as they are (a table already transformed): nobody is heavy.
  if (options.kind != Kind::none) s.heavy = fit_heavy_rule(raw, options.heavy_fence);
  std::vector<std::uint8_t> fit_rows;  // empty = every row
  if (!s.heavy.empty()) {
    fit_rows = s.heavy_rows(raw);
    for (auto& f : fit_rows) f = !f;
  }
  std::vector<std::size_t> cols;  // the selected columns, in order
  std::vector<bool> logged;
  for (std::size_t j = 0; j < raw.cols; ++j) {
    if (!want[j]) continue;
    const FeatureInfo* info = find_feature(raw.names[j]);
    cols.push_back(j);
    logged.push_back(use_log && info && info->log1p);
  }
  // One column at a time was 62 ms of the scale step at 200k users (log1p of every value).
  std::vector<fit::ColumnFit> fits(cols.size());
  const auto count = static_cast<std::int64_t>(cols.size());
  OmpGuard guard;  // a column's fit may throw (bad_alloc)
#pragma omp parallel for schedule(dynamic, 1) if (parallel)
  for (std::int64_t q = 0; q < count; ++q)
    guard.run([&] { fits[q] = fit_col(cols[q], logged[q], fit_rows); });
  guard.rethrow();
  std::vector<std::string> selected;
  for (std::size_t q = 0; q < cols.size(); ++q) {
    const std::size_t j = cols[q];
    selected.push_back(raw.names[j]);
    if (fits[q].constant) {
      s.dropped_constant.push_back(raw.names[j]);
      continue;
    }
    append_column(s, raw, j, logged[q], fits[q]);
  }
  if (s.names.empty()) {
    throw InputError("features: every selected feature is constant on this data; nothing to "
                     "cluster");
  }
  // Columns after the last clipped (or ranked) one: no clip (no knots).
  if (!s.clip.empty()) {
    s.clip.resize(s.names.size(), 0);
    s.clip_lo.resize(s.names.size(), 0.0);
    s.clip_hi.resize(s.names.size(), 0.0);
  }
  if (!s.knots.empty()) s.knots.resize(s.names.size());
  if (options.balance_groups && options.kind != Kind::none) fit::balance_groups(s, raw, fit_rows);
  apply_weights(s, selected, options.weights);
  return s;
}

}  // namespace

Scaler fit_scaler(const FeatureMatrix& raw, const TransformOptions& options) {
  return fit_scaler_by(raw, options,
                       [&](std::size_t j, bool lg, const std::vector<std::uint8_t>& fit_rows) {
                         return fit::fit_column(raw, j, lg, options, fit_rows);
                       },
                       true);
}

bool fits_from_column_sums(const TransformOptions& o) {
  const bool moments = o.kind == Kind::none || o.kind == Kind::zscore || o.kind == Kind::log1p_zscore;
  const bool every_row = o.kind == Kind::none || o.heavy_fence == 0;
  const bool raw_values_unused = o.kind == Kind::none || !o.balance_groups;
  return moments && every_row && raw_values_unused;
}

Scaler fit_scaler_with(const FeatureMatrix& raw, const TransformOptions& options,
                       const ColumnSumsFitter& sums_of) {
  if (!fits_from_column_sums(options)) {
    throw RuntimeError("fit_scaler_with: these transform options need the raw values");
  }
  return fit_scaler_by(raw, options, [&](std::size_t j, bool lg, const std::vector<std::uint8_t>&) {
    const ColumnMoments m = sums_of(j, lg);
    fit::ColumnFit f;
    if (raw.rows == 0 || !(m.lo < m.hi)) {  // constant: carries no information for clustering
      f.constant = true;
      return f;
    }
    if (options.kind == Kind::none) return f;  // center 0, scale 1
    const double sd = std::sqrt(m.square_sum / static_cast<double>(raw.rows));  // population sd
    f.center = m.sum / static_cast<double>(raw.rows);
    f.scale = sd > 0 && std::isfinite(sd) ? sd : 1.0;
    return f;
  }, false);  // sums_of may be the device's: one call at a time
}

}  // namespace segmint
