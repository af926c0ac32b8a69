// Deterministic segment ids: segments ordered by size (desc), then by centroid (lexicographic).
#pragma once
#include <cstdint>
#include <vector>

#include "segmint/kmeans.hpp"

namespace segmint::pipeline {

/// Renumbers the segments of `result` (k centroids of d values) so that segment 0 is the largest;
/// equal sizes are ordered by their centroid vectors compared lexicographically (then by old id,
/// so the order is total). Labels and centroids are rewritten in place. Returns new_id[old_id].
/// Two fits that found the same clusters in a different order thus write identical files.
std::vector<int> order_segments(KMeansResult& result, int k, int d);

/// Number of rows carrying each label in [0, k); labels outside the range are ignored.
std::vector<std::int64_t> segment_sizes(const std::vector<std::int32_t>& labels, int k);

}  // namespace segmint::pipeline
