// The nightly run's files besides the shared pipeline outputs (assignments.csv, centroids.csv,
// summary.json, model.json come from pipeline::write_segmentation): features.csv on request.
#pragma once
#include <string>

#include "segmint/dictionary.hpp"
#include "segmint/features.hpp"

namespace segmint::nightly {

/// features.csv: `user_id,<raw feature columns>` (original units, before scaling), user id order.
/// Row u of `raw` belongs to users.id(u).
void write_features_csv(const UserDictionary& users, const FeatureMatrix& raw,
                        const std::string& dir);

}  // namespace segmint::nightly
