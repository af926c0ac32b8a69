// ingest -> aggregate -> features, with a stage timing for each.
#include "pipeline/events_pipeline.hpp"

#include "common/stopwatch.hpp"
#include "pipeline/timed_source.hpp"
#include "segmint/error.hpp"

namespace segmint::pipeline {

std::vector<std::string> UserFeatures::ids() const {
  std::vector<std::string> out;
  out.reserve(raw.rows);
  for (std::size_t i = 0; i < raw.rows; ++i) out.push_back(users.id(static_cast<std::uint32_t>(i)));
  return out;
}

UserFeatures events_to_features(const std::vector<std::string>& paths,
                                const IngestOptions& ingest, const AggregateOptions& aggregate,
                                const FeatureOptions& features) {
  UserFeatures f;
  Stopwatch watch;
  TimedSource source(open_events(paths, ingest, f.users));
  AggregateOptions budgeted = aggregate;
  budgeted.memory_budget = ingest.memory_budget;
  UserTable table = aggregate_events(source, budgeted);
  // Every interned user gets a row, also one whose rows were all skipped after interning.
  table.ensure_users(f.users.size());
  double total = watch.lap();
  f.read_ms = source.read_ms();
  f.aggregate_ms = total > f.read_ms ? total - f.read_ms : 0;
  f.counts = source.counts();
  f.raw = compute_features(table, features, &f.as_of);
  f.features_ms = watch.lap();
  if (f.raw.rows > f.users.size()) {
    throw RuntimeError("features have more rows than there are users");
  }
  return f;
}

}  // namespace segmint::pipeline
