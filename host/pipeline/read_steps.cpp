// The first steps of the run record: read -> aggregate (events) or read (a feature table), then
// the raw features, each with its stage timing.
#include <algorithm>

#include "common/log.hpp"
#include "common/stopwatch.hpp"
#include "ingest/matrix_csv.hpp"
#include "pipeline/run_record.hpp"
#include "pipeline/timed_source.hpp"
#include "segmint/error.hpp"

namespace segmint::pipeline {

const std::vector<std::string>& RunRecord::row_ids() const {
  return source == "matrix" ? matrix_ids : users.ids();
}

void add_timing(RunRecord& r, const std::string& stage, double ms) {
  for (auto& [name, total] : r.timings) {
    if (name == stage) {
      total += ms;
      return;
    }
  }
  r.timings.emplace_back(stage, ms);
}

void read_events(RunRecord& r, const std::vector<std::string>& paths, const IngestOptions& ingest,
                 const AggregateOptions& aggregate) {
  r.source = "events";
  r.aggregate = aggregate;
  Stopwatch watch;
  TimedSource source(open_events(paths, ingest, r.users));
  UserTable tonight = aggregate_events(source, aggregate);
  if (r.table.users() == 0) {
    r.table = std::move(tonight);  // merging into an empty table is the identity
  } else {
    r.table.merge(tonight);
  }
  // Every interned user gets a row, also one whose rows were all skipped after interning.
  r.table.ensure_users(r.users.size());
  const double total = watch.lap();
  r.counts = source.counts();
  r.min_time = r.counts.min_time;
  r.max_time = r.counts.max_time;
  add_timing(r, "read", source.read_ms());
  add_timing(r, "aggregate", std::max(0.0, total - source.read_ms()));
  log_info("read " + std::to_string(r.counts.events) + " events of " +
           std::to_string(r.users.size()) + " users");
}

void read_matrix(RunRecord& r, const std::string& path) {
  r.source = "matrix";
  Stopwatch watch;
  MatrixCsv table = read_matrix_csv(path);
  r.matrix_ids = std::move(table.ids);
  r.raw = std::move(table.matrix);
  add_timing(r, "read", watch.lap());
}

void compute_raw_features(RunRecord& r, const FeatureOptions& options, bool keep_table) {
  Stopwatch watch;
  r.raw = compute_features(r.table, options, &r.as_of);
  if (r.raw.rows != r.users.size()) {
    throw RuntimeError("features have " + std::to_string(r.raw.rows) + " rows for " +
                       std::to_string(r.users.size()) + " users");
  }
  if (!keep_table) r.table = UserTable();
  add_timing(r, "features", watch.lap());
}

}  // namespace segmint::pipeline
