// What one night hands to the next: scaler, centroids, stable ids and names, id counter,
// aggregate options. Stored as the "model" object of state/manifest.json.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "segmint/aggregate.hpp"
#include "segmint/features.hpp"

namespace segmint::nightly {

struct NightlyModel {
  Scaler scaler;                  ///< the transform the centroids live in
  int k = 0, d = 0;
  std::vector<float> centroids;   ///< k x d, transformed space, row-major
  /// Column means of the clustered matrix (d): cumulative features drift for everyone as
  /// history grows, so centroids are compared relative to their night's population mean.
  std::vector<float> center;
  /// Column standard deviations of the clustered matrix (d): the spread of time-window features
  /// (recency, tenure) widens as history grows, so matching divides by each night's own spread.
  std::vector<float> spread;
  std::vector<int> ids;           ///< stable id per centroid row
  std::vector<std::string> names; ///< name per centroid row
  int next_id = 0;                ///< first id never handed out
  std::int64_t session_gap_seconds = 0;  ///< aggregate options the state was built with
  int tz_offset_minutes = 0;
  /// Transform the scaler was fitted with (model.json's "transform"); "" in older states.
  std::string transform;
  std::int64_t min_time = 0, max_time = 0;  ///< event time range of all merged data so far
};

nlohmann::json to_json(const NightlyModel& m);
NightlyModel model_from_json(const nlohmann::json& j, const std::string& where);

/// Re-expresses centroids fitted in `from`'s space in `to`'s space (original units in between),
/// so yesterday's centroids can warm-start and be matched after the scaler was refitted.
/// Columns of `to` that `from` lacks are set to 0 (the population mean after z-scoring).
std::vector<float> convert_centroids(const std::vector<float>& centroids, int k,
                                     const Scaler& from, const Scaler& to, std::size_t raw_cols);

}  // namespace segmint::nightly
