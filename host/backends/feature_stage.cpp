// drain_events and the CPU feature stage.
#include "backends/feature_stage.hpp"

#include <utility>

#include "common/stopwatch.hpp"
#include "segmint/cancel.hpp"

namespace segmint {

DrainTimes drain_events(EventSource& source, const std::function<void(const EventBatch&)>& sink) {
  DrainTimes t;
  Stopwatch watch;
  EventBatch batch;
  while (true) {
    const bool more = source.next(batch);
    t.read_ms += watch.lap();
    if (!more) break;
    throw_if_cancelled();
    sink(batch);
    t.sink_ms += watch.lap();
  }
  return t;
}

std::size_t min_feature_rows(const FeatureStageOptions& options) {
  return options.users ? options.users->size() : 0;
}

FeatureStageResult cpu_feature_stage(EventSource& events, const FeatureStageOptions& options,
                                     UserTable* base) {
  FeatureStageResult r;
  Stopwatch watch;
  UserTable table(options.aggregate);
  const DrainTimes drained = drain_events(events, [&](const EventBatch& b) { table.add(b); });
  watch.lap();
  UserTable& all = base ? *base : table;
  if (base && base->users() == 0) {
    *base = std::move(table);  // merging into an empty table is the identity
  } else if (base) {
    base->merge(table);
  }
  // Every interned user gets a row, also one whose rows were all skipped after interning.
  all.ensure_users(min_feature_rows(options));
  r.read_ms = drained.read_ms;
  r.aggregate_ms = drained.sink_ms + watch.lap();
  // A table of this call's own is consumed as its rows are computed (peak: table or matrix,
  // not both); a base table (nightly's state) is kept.
  r.raw = base ? compute_features(all, options.features, &r.as_of)
               : compute_features(std::move(table), options.features, &r.as_of);
  r.features_ms = watch.lap();
  return r;
}

}  // namespace segmint
