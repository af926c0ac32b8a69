// Stable segment ids: tonight's centroids are matched to yesterday's by an optimal assignment.
#pragma once
#include <string>
#include <vector>

namespace segmint::nightly {

/// Yesterday's segments as tonight's matching needs them.
struct PreviousSegments {
  std::vector<float> centroids;  ///< k_old x d, row-major, in the (shared) transformed space
  std::vector<int> ids;          ///< stable id of each old centroid row
  std::vector<std::string> names;
};

/// Outcome of matching: one entry per new centroid row, plus the old ids left unmatched.
struct MatchResult {
  std::vector<int> ids;           ///< stable id of each new centroid row
  std::vector<int> matched_old;   ///< old row matched to each new row, or -1 (a new segment)
  std::vector<double> distance;   ///< centroid distance to the matched old row (0 when new)
  std::vector<int> vanished_ids;  ///< old ids that no new segment took, ascending
  int next_id = 0;                ///< counter after handing out fresh ids
};

/// Matches k_new centroids (k_new x d) to the previous segments with the Hungarian algorithm on
/// Euclidean centroid distances (minimum total distance). A pair farther apart than `threshold`
/// is not a match: the new segment gets a fresh id (next_id, next_id + 1, ... in row order) and
/// the old one is reported as vanished. Fresh ids are never reused because next_id only grows.
MatchResult match_segments(const PreviousSegments& previous, const std::vector<float>& centroids,
                           int k_new, int d, double threshold, int next_id);

/// First-night ids: 0..k-1, next_id = k.
MatchResult initial_ids(int k);

}  // namespace segmint::nightly
