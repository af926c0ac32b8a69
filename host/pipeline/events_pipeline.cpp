// ingest -> the backend's feature stage (aggregate -> features), with a timing for each.
#include "pipeline/events_pipeline.hpp"

#include <memory>
#include <utility>

#include "segmint/error.hpp"

namespace segmint::pipeline {

std::vector<std::string> UserFeatures::ids() const {
  std::vector<std::string> out;
  out.reserve(raw.rows);
  for (std::size_t i = 0; i < raw.rows; ++i) out.push_back(users.id(static_cast<std::uint32_t>(i)));
  return out;
}

UserFeatures events_to_features(Backend& backend, const std::vector<std::string>& paths,
                                const IngestOptions& ingest, const AggregateOptions& aggregate,
                                const FeatureOptions& features) {
  UserFeatures f;
  std::unique_ptr<EventSource> source = open_events(paths, ingest, f.users);
  FeatureStageOptions stage{aggregate, features, &f.users};
  FeatureStageResult r = backend.features(*source, stage, nullptr);
  f.counts = source->counts();
  f.raw = std::move(r.raw);
  f.as_of = r.as_of;
  f.read_ms = r.read_ms;
  f.aggregate_ms = r.aggregate_ms;
  f.features_ms = r.features_ms;
  if (f.raw.rows > f.users.size()) {
    throw RuntimeError("features have more rows than there are users");
  }
  return f;
}

}  // namespace segmint::pipeline
