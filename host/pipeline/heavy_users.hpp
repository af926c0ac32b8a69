// Heavy users in the run record: the rows the scaler's heavy rule flags are kept out of the fit
// (and out of the profiles' means), then assigned to the nearest centroid over the columns that
// do not measure volume (docs/FEATURES.md "Heavy users").
#pragma once
#include <cstdint>
#include <vector>

#include "pipeline/run_record.hpp"

namespace segmint::pipeline {

/// Number of rows r.heavy flags.
std::size_t heavy_count(const RunRecord& r);

/// The rows of r.x the fit sees (every row not flagged heavy), and their weights (empty when
/// the run is unweighted). `rows` gets their indices in r.x, ascending.
struct FitRows {
  FeatureMatrix x;
  std::vector<float> weights;
  std::vector<std::size_t> rows;
};
FitRows fit_rows(const RunRecord& r);

/// Assigns the heavy rows of r.x to the nearest of the k centroids (k x r.x.cols) over the
/// columns that are not volume features (FeatureInfo::volume), on r.backend; writes their labels
/// and distances (Euclidean over those columns) into the full-length vectors.
void assign_heavy_rows(const RunRecord& r, const float* centroids, int k,
                       std::vector<std::int32_t>& labels, std::vector<float>& distances);

/// summary.json "heavy_users" of the run (rule false when the scaler has none); k segments.
HeavyUsers heavy_summary(const RunRecord& r, int k);
/// heavy_users.csv of the run, with `model`'s segment names and ids.
std::string heavy_users_text(const RunRecord& r, const Model& model);

/// labels with every heavy row set to -1 (what the profiles' means are taken over).
std::vector<std::int32_t> without_heavy(const RunRecord& r, std::vector<std::int32_t> labels);

}  // namespace segmint::pipeline
