// Putting tonight's segments in stable-id order and naming them (see stable_segments.hpp).
#include "nightly/stable_segments.hpp"

#include <algorithm>
#include <numeric>

#include "profile/naming.hpp"
#include "profile/profile.hpp"

namespace segmint::nightly {

StableSegmentation stable_segmentation(KMeansResult fit, const MatchResult& match, int d,
                                       const FeatureMatrix& raw, const Scaler& scaler,
                                       const std::vector<std::string>& old_names) {
  const int k = static_cast<int>(match.ids.size());
  std::vector<int> order(static_cast<std::size_t>(k));  // order[new row] = fitted row
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return match.ids[a] < match.ids[b]; });
  std::vector<int> new_row(static_cast<std::size_t>(k));
  std::vector<float> centroids(fit.centroids.size());
  StableSegmentation out;
  for (int n = 0; n < k; ++n) {
    const int o = order[n];
    new_row[o] = n;
    std::copy(fit.centroids.begin() + std::ptrdiff_t(o) * d,
              fit.centroids.begin() + std::ptrdiff_t(o + 1) * d,
              centroids.begin() + std::ptrdiff_t(n) * d);
    out.ids.push_back(match.ids[o]);
    out.matched_old.push_back(match.matched_old[o]);
    out.distance.push_back(match.distance[o]);
    if (match.matched_old[o] < 0) out.new_rows.push_back(n);
  }
  fit.centroids.swap(centroids);
  for (auto& l : fit.labels) {
    if (l >= 0 && l < k) l = new_row[l];
  }

  std::vector<std::string> keep(static_cast<std::size_t>(k));
  for (int n = 0; n < k; ++n) {
    int o = out.matched_old[n];
    if (o >= 0 && static_cast<std::size_t>(o) < old_names.size()) keep[n] = old_names[o];
  }
  out.seg.profiles = pipeline::compute_profiles(raw, fit.labels, k,
                                                pipeline::log_scale_columns(raw.names, scaler));
  out.seg.names = pipeline::name_segments(out.seg.profiles, keep);
  out.seg.fit = std::move(fit);
  return out;
}

}  // namespace segmint::nightly
