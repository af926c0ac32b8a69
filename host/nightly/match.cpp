// match_segments(): Hungarian matching of centroids under a distance threshold.
#include "nightly/match.hpp"

#include <algorithm>
#include <cmath>

#include "nightly/hungarian.hpp"
#include "outputs/model.hpp"
#include "segmint/error.hpp"

namespace segmint::nightly {

MatchResult match_segments(const PreviousSegments& previous, const std::vector<float>& centroids,
                           int k_new, int d, double threshold, int next_id) {
  const int k_old = static_cast<int>(previous.ids.size());
  if (previous.centroids.size() != static_cast<std::size_t>(k_old) * d ||
      centroids.size() != static_cast<std::size_t>(k_new) * d) {
    throw RuntimeError("match_segments: centroid sizes do not match k x d");
  }
  std::vector<double> cost(static_cast<std::size_t>(k_old) * k_new);
  for (int o = 0; o < k_old; ++o) {
    for (int n = 0; n < k_new; ++n) {
      double s = 0;
      for (int j = 0; j < d; ++j) {
        double diff = double(previous.centroids[std::size_t(o) * d + j]) -
                      double(centroids[std::size_t(n) * d + j]);
        s += diff * diff;
      }
      cost[std::size_t(o) * k_new + n] = std::sqrt(s);
    }
  }
  std::vector<int> old_to_new = hungarian(cost, k_old, k_new);

  MatchResult r;
  r.ids.assign(k_new, -1);
  r.matched_old.assign(k_new, -1);
  r.distance.assign(k_new, 0.0);
  // In 64 bits: an id near INT_MAX in a crafted state must not wrap into a negative id.
  std::int64_t max_id = static_cast<std::int64_t>(next_id) - 1;
  for (int id : previous.ids) max_id = std::max<std::int64_t>(max_id, id);
  if (max_id < -1 || max_id + 1 + k_new > pipeline::kMaxSegmentId) {
    throw InputError("nightly state: segment ids would exceed " +
                     std::to_string(pipeline::kMaxSegmentId) + " (largest id " +
                     std::to_string(max_id) + "); start a new state directory");
  }
  r.next_id = static_cast<int>(max_id + 1);  // never hand out an id at or below one already used
  for (int o = 0; o < k_old; ++o) {
    int n = old_to_new[o];
    double dist = n >= 0 ? cost[std::size_t(o) * k_new + n] : 0.0;
    if (n >= 0 && dist <= threshold) {
      r.ids[n] = previous.ids[o];
      r.matched_old[n] = o;
      r.distance[n] = dist;
    } else {
      r.vanished_ids.push_back(previous.ids[o]);
    }
  }
  for (int n = 0; n < k_new; ++n) {
    if (r.ids[n] < 0) r.ids[n] = r.next_id++;
  }
  std::sort(r.vanished_ids.begin(), r.vanished_ids.end());
  return r;
}

MatchResult initial_ids(int k) {
  MatchResult r;
  for (int i = 0; i < k; ++i) {
    r.ids.push_back(i);
    r.matched_old.push_back(-1);
    r.distance.push_back(0.0);
  }
  r.next_id = k;
  return r;
}

}  // namespace segmint::nightly
