// Events -> per-user raw features, shared by run and assign (assign re-applies a model's
// feature options so both see the same features).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "segmint/aggregate.hpp"
#include "segmint/backend.hpp"
#include "segmint/dictionary.hpp"
#include "segmint/features.hpp"
#include "segmint/ingest.hpp"

namespace segmint::pipeline {

struct UserFeatures {
  UserDictionary users;
  FeatureMatrix raw;             ///< one row per user (dense index order), original units
  IngestCounts counts;
  std::int64_t as_of = 0;
  double read_ms = 0, aggregate_ms = 0, features_ms = 0;
  std::vector<std::string> ids() const;  ///< user id string of each row
};

/// Reads `paths`, aggregates per user and computes the raw feature matrix on `backend`'s
/// feature stage.
UserFeatures events_to_features(Backend& backend, const std::vector<std::string>& paths,
                                const IngestOptions& ingest, const AggregateOptions& aggregate,
                                const FeatureOptions& features);

}  // namespace segmint::pipeline
