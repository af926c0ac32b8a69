// Tonight's k-means fit as a pipeline Segmentation with stable ids: rows put in id order,
// profiled, matched segments keep yesterday's names, new ones get names by the pipeline rules.
#pragma once
#include <string>
#include <vector>

#include "nightly/match.hpp"
#include "pipeline/segment.hpp"
#include "segmint/features.hpp"
#include "segmint/kmeans.hpp"

namespace segmint::nightly {

struct StableSegmentation {
  pipeline::Segmentation seg;  ///< rows in ascending stable id order
  std::vector<int> ids;        ///< stable id of each row (ascending)
  std::vector<int> new_rows;   ///< rows with no segment yesterday (new ids)
  std::vector<int> matched_old;    ///< per row: yesterday's centroid row, or -1
  std::vector<double> distance;    ///< per row: centroid distance to it (0 when new)
};

/// Reorders `fit` (centroid rows as `match` numbered them) by stable id, profiles the rows of
/// `raw` (original units) and names the segments: a row matched to yesterday's row r keeps
/// old_names[r]; the others are named by pipeline::name_segments, never reusing a kept name.
StableSegmentation stable_segmentation(KMeansResult fit, const MatchResult& match, int d,
                                       const FeatureMatrix& raw, const Scaler& scaler,
                                       const std::vector<std::string>& old_names);

}  // namespace segmint::nightly
