// The feature stage's host parts: the timed read loop both backends use, and the CPU stage
// (aggregate_events / UserTable::merge / compute_features) the CPU backend runs.
#pragma once
#include <functional>

#include "segmint/aggregate.hpp"
#include "segmint/backend.hpp"
#include "segmint/ingest.hpp"

namespace segmint {

/// Time spent pulling batches from a source and in what consumed them.
struct DrainTimes {
  double read_ms = 0;
  double sink_ms = 0;
};

/// Pulls every batch of `source` and hands each to `sink`, timing both sides apart.
DrainTimes drain_events(EventSource& source, const std::function<void(const EventBatch&)>& sink);

/// Rows the feature matrix must have at least: the dictionary's size when one is given.
std::size_t min_feature_rows(const FeatureStageOptions& options);

/// The feature stage on the host (Backend::features semantics): events -> UserTable (merged
/// into *base when given) -> compute_features.
FeatureStageResult cpu_feature_stage(EventSource& events, const FeatureStageOptions& options,
                                     UserTable* base);

}  // namespace segmint
