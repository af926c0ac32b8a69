// The seam between the nightly flow and the per-run output files (assignments.csv,
// centroids.csv, model.json, summary.json), so the shared segments writers can replace the
// nightly's own with a change in one file.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "segmint/dictionary.hpp"
#include "segmint/features.hpp"
#include "segmint/kmeans.hpp"

namespace segmint::nightly {

/// Everything one night's outputs are written from. Segment rows are k-means centroid rows;
/// `ids` and `names` give each row's stable id and name.
struct RunData {
  const UserDictionary* users = nullptr;
  const FeatureMatrix* raw = nullptr;  ///< raw features, dense user index order
  const Scaler* scaler = nullptr;
  const KMeansResult* result = nullptr;
  std::vector<int> ids;
  std::vector<std::string> names;
  std::int64_t as_of = 0;
  std::uint64_t seed = 0;
  nlohmann::json summary;  ///< counts, k, timings, device, changes: written as summary.json
};

/// Names for segments that have none yet (new tonight), from their centroid profile.
/// `rows` are centroid rows needing a name; the result has one name per entry of `rows`.
std::vector<std::string> name_new_segments(const RunData& data, const std::vector<int>& rows);

/// Writes assignments.csv, centroids.csv, model.json and summary.json into `dir`, each file
/// atomically. Per-user files are in user id order; `segment` is the stable id.
void write_run_outputs(const RunData& data, const std::string& dir);

/// features.csv: `user_id,<raw feature columns>` (original units, before scaling), user id order.
void write_features_csv(const RunData& data, const std::string& dir);

}  // namespace segmint::nightly
