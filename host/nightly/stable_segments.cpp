// Putting tonight's segments in stable-id order (see stable_segments.hpp).
#include "nightly/stable_segments.hpp"

#include <algorithm>
#include <numeric>

namespace segmint::nightly {

StableIds reorder_by_ids(KMeansResult& fit, const MatchResult& match, int d) {
  const int k = static_cast<int>(match.ids.size());
  std::vector<int> order(static_cast<std::size_t>(k));  // order[new row] = fitted row
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return match.ids[a] < match.ids[b]; });
  std::vector<int> new_row(static_cast<std::size_t>(k));
  std::vector<float> centroids(fit.centroids.size());
  StableIds out;
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
  return out;
}

std::vector<std::string> kept_names(const StableIds& stable,
                                    const std::vector<std::string>& old_names) {
  std::vector<std::string> keep(stable.matched_old.size());
  for (std::size_t n = 0; n < keep.size(); ++n) {
    const int o = stable.matched_old[n];
    if (o >= 0 && static_cast<std::size_t>(o) < old_names.size()) keep[n] = old_names[o];
  }
  return keep;
}

}  // namespace segmint::nightly
