// Tonight's k-means fit put in stable-id order: rows sorted by the ids matching gave them, and
// the names matched segments keep (the pipeline's profile and name steps do the rest).
#pragma once
#include <string>
#include <vector>

#include "nightly/match.hpp"
#include "segmint/kmeans.hpp"

namespace segmint::nightly {

/// The stable ids of tonight's segments, one entry per row after reorder_by_ids.
struct StableIds {
  std::vector<int> ids;          ///< stable id of each row (ascending)
  std::vector<int> new_rows;     ///< rows with no segment yesterday (new ids)
  std::vector<int> matched_old;  ///< per row: yesterday's centroid row, or -1
  std::vector<double> distance;  ///< per row: centroid distance to it (0 when new)
};

/// Reorders `fit` (centroid rows as `match` numbered them; d values each) by stable id:
/// centroids moved, labels renumbered. Returns the ids of the new rows.
StableIds reorder_by_ids(KMeansResult& fit, const MatchResult& match, int d);

/// The name each row keeps: yesterday's name of its matched row, or "" (a new segment, named
/// by the pipeline's rules without reusing a kept name).
std::vector<std::string> kept_names(const StableIds& stable,
                                    const std::vector<std::string>& old_names);

}  // namespace segmint::nightly
