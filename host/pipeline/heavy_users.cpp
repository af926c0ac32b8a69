// Fit rows without the heavy users, and the heavy users' assignment over non-volume columns.
#include "pipeline/heavy_users.hpp"

#include <algorithm>
#include <cmath>

#include "segmint/error.hpp"

namespace segmint::pipeline {

std::size_t heavy_count(const RunRecord& r) {
  return static_cast<std::size_t>(std::count(r.heavy.begin(), r.heavy.end(), std::uint8_t{1}));
}

FitRows fit_rows(const RunRecord& r) {
  FitRows f;
  f.x.cols = r.x.cols;
  f.x.names = r.x.names;
  for (std::size_t i = 0; i < r.x.rows; ++i) {
    if (i < r.heavy.size() && r.heavy[i]) continue;
    f.rows.push_back(i);
    f.x.values.insert(f.x.values.end(), r.x.values.begin() + std::ptrdiff_t(i * r.x.cols),
                      r.x.values.begin() + std::ptrdiff_t((i + 1) * r.x.cols));
    if (!r.weights.empty()) f.weights.push_back(r.weights[i]);
  }
  f.x.rows = f.rows.size();
  return f;
}

void assign_heavy_rows(const RunRecord& r, const float* centroids, int k,
                       std::vector<std::int32_t>& labels, std::vector<float>& distances) {
  const std::size_t d = r.x.cols;
  std::vector<std::uint8_t> keep(d, 1);  // columns that say how, not how much
  bool any = false;
  for (std::size_t j = 0; j < d; ++j) {
    const FeatureInfo* f = find_feature(r.x.names[j]);
    keep[j] = !(f && f->volume);
    any = any || keep[j];
  }
  if (!any) keep.assign(d, 1);  // only volume columns selected: use them all
  std::vector<float> c(centroids, centroids + static_cast<std::size_t>(k) * d);
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = keep[i % d] ? c[i] : 0.f;
  std::vector<std::size_t> rows;
  std::vector<float> x;
  for (std::size_t i = 0; i < r.heavy.size(); ++i) {
    if (!r.heavy[i]) continue;
    rows.push_back(i);
    for (std::size_t j = 0; j < d; ++j) x.push_back(keep[j] ? r.x.at(i, j) : 0.f);
  }
  if (rows.empty()) return;
  std::vector<std::int32_t> l(rows.size());
  std::vector<float> dist(rows.size());
  r.backend->assign(MatrixView{x.data(), rows.size(), d}, c.data(), k, l.data(), dist.data());
  for (std::size_t h = 0; h < rows.size(); ++h) {
    labels[rows[h]] = l[h];
    distances[rows[h]] = dist[h];
  }
}

namespace {

/// "activity_events" for sessions x events_per_session, else the column names joined by " x ".
std::string measure_name(const std::vector<std::string>& columns) {
  if (columns == std::vector<std::string>{"sessions", "events_per_session"}) return "activity_events";
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : " x ") + c;
  return out;
}

/// Raw column `name` of every row (0 where the table has no such column).
std::vector<double> raw_column(const FeatureMatrix& raw, const std::string& name) {
  std::vector<double> out(raw.rows, 0.0);
  for (std::size_t j = 0; j < raw.names.size(); ++j) {
    if (raw.names[j] != name) continue;
    for (std::size_t i = 0; i < raw.rows; ++i) out[i] = detail::finite_or_zero(raw.at(i, j));
  }
  return out;
}

}  // namespace

HeavyUsers heavy_summary(const RunRecord& r, int k) {
  HeavyUsers h;
  const HeavyRule& rule = r.scaler.heavy;
  if (rule.empty()) return h;
  h.rule = true;
  h.iqr_multiple = rule.iqr_multiple;
  for (std::size_t m = 0; m < rule.measures.size(); ++m) {
    h.fences.emplace_back(measure_name(rule.measures[m]), std::expm1(rule.log_fence[m]));
  }
  h.per_segment.assign(static_cast<std::size_t>(k), 0);
  for (std::size_t i = 0; i < r.heavy.size(); ++i) {
    if (!r.heavy[i]) continue;
    ++h.users;
    const std::int32_t l = i < r.seg.fit.labels.size() ? r.seg.fit.labels[i] : -1;
    if (l >= 0 && l < k) ++h.per_segment[static_cast<std::size_t>(l)];
  }
  return h;
}

std::string heavy_users_text(const RunRecord& r, const Model& model) {
  const std::vector<double> sessions = raw_column(r.raw, "sessions");
  std::vector<double> activity = raw_column(r.raw, "events_per_session");
  for (std::size_t i = 0; i < activity.size(); ++i) activity[i] *= sessions[i];
  return heavy_users_csv(r.row_ids(), r.heavy, r.seg.fit.labels, model.names, activity, sessions,
                         model.segment_ids);
}

std::vector<std::int32_t> without_heavy(const RunRecord& r, std::vector<std::int32_t> labels) {
  for (std::size_t i = 0; i < r.heavy.size() && i < labels.size(); ++i) {
    if (r.heavy[i]) labels[i] = -1;
  }
  return labels;
}

}  // namespace segmint::pipeline
