// The summary.json sections added for messy data ("heavy_users", "quality") as JSON objects.
#pragma once
#include <nlohmann/json.hpp>

#include "outputs/outputs.hpp"

namespace segmint::pipeline {

/// "heavy_users": {users, iqr_multiple, fences {measure: activity}, per_segment [{segment,
/// users}]}; `segment_ids` as in assignments_csv.
nlohmann::ordered_json heavy_users_json(const HeavyUsers& h, const std::vector<int>& segment_ids);
/// "quality": {users, silhouette, silhouette_sample, boundary_ratio, boundary_share, stability,
/// stability_users, verdict, segments [{segment, cohesion, separation, boundary_share}]};
/// figures rounded to 4 decimals, null where not computed.
nlohmann::ordered_json quality_json(const Quality& q, const std::vector<int>& segment_ids);

}  // namespace segmint::pipeline
