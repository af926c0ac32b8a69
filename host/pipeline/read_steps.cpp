// The first steps of the run record: read -> aggregate -> features (events, on the backend's
// feature stage) or read (a feature table), and the scale step, each with its stage timing;
// then the fit inputs that depend on the scaled columns (--init centroids, --weight-by weights).
#include <algorithm>
#include <memory>
#include <utility>

#include "common/log.hpp"
#include "common/stopwatch.hpp"
#include "ingest/matrix_csv.hpp"
#include "pipeline/init_file.hpp"
#include "pipeline/progress_source.hpp"
#include "pipeline/run_record.hpp"
#include "profile/profile.hpp"
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

namespace {

// read -> aggregate -> features from an open source; `paths` (may be empty) size the read line.
void read_source(RunRecord& r, EventSource& source, const std::vector<std::string>& paths,
                 const AggregateOptions& aggregate, const FeatureOptions& features,
                 bool keep_table) {
  if (!r.backend) throw RuntimeError("read_features: no backend chosen (use_backend first)");
  r.source = "events";
  r.aggregate = aggregate;
  if (keep_table) r.table.set_memory_budget(aggregate.memory_budget);  // nightly's loaded state
  const FeatureStageOptions stage{aggregate, features, &r.users};
  FeatureStageResult f;
  {
    ProgressSource shown(source, paths);  // the read line: bytes of total, users so far
    f = r.backend->features(shown, stage, keep_table ? &r.table : nullptr);
  }
  r.counts = source.counts();
  r.min_time = r.counts.min_time;
  r.max_time = r.counts.max_time;
  r.raw = std::move(f.raw);
  r.as_of = f.as_of;
  if (r.raw.rows != r.users.size()) {
    throw RuntimeError("features have " + std::to_string(r.raw.rows) + " rows for " +
                       std::to_string(r.users.size()) + " users");
  }
  add_timing(r, "read", f.read_ms);
  add_timing(r, "aggregate", f.aggregate_ms);
  add_timing(r, "features", f.features_ms);
  log_info("read " + std::to_string(r.counts.events) + " events of " +
           std::to_string(r.users.size()) + " users");
}

}  // namespace

void read_features(RunRecord& r, const std::vector<std::string>& paths,
                   const IngestOptions& ingest, const AggregateOptions& aggregate,
                   const FeatureOptions& features, bool keep_table) {
  if (!r.backend) throw RuntimeError("read_features: no backend chosen (use_backend first)");
  std::unique_ptr<EventSource> source = open_events(paths, ingest, r.users);
  AggregateOptions budgeted = aggregate;
  budgeted.memory_budget = ingest.memory_budget;  // --memory-budget: aggregation honours it
  read_source(r, *source, paths, budgeted, features, keep_table);
}

void read_features(RunRecord& r, EventSource& source, const AggregateOptions& aggregate,
                   const FeatureOptions& features, bool keep_table) {
  read_source(r, source, {}, aggregate, features, keep_table);
}

void read_matrix(RunRecord& r, const std::string& path) {
  r.source = "matrix";
  Stopwatch watch;
  MatrixCsv table = read_matrix_csv(path);
  r.matrix_ids = std::move(table.ids);
  r.matrix_lines = std::move(table.lines);
  r.matrix_path = path;
  r.raw = std::move(table.matrix);
  add_timing(r, "read", watch.lap());
}

// A user table clustered as it is: every value must fit float32 distances (FILE:LINE of the
// first that does not, instead of inf distances and an inertia of null).
void check_as_is(const RunRecord& r) {
  if (r.source == "matrix") check_matrix_range(r.raw, r.matrix_lines, r.matrix_path);
}

void scale(RunRecord& r, const TransformOptions& transform) {
  if (!r.backend) throw RuntimeError("scale: no backend chosen (use_backend first)");
  if (transform.kind == TransformOptions::Kind::none) check_as_is(r);
  Stopwatch watch;
  r.x = r.backend->scale(r.raw, transform, &r.scaler);
  if (!r.scaler.dropped_constant.empty()) {
    std::string list;
    for (const auto& n : r.scaler.dropped_constant) list += (list.empty() ? "" : ", ") + n;
    log_info("constant on this data, left out of clustering: " + list);
  }
  r.transform = transform_name(transform.kind);
  flag_heavy(r);
  add_timing(r, "features", watch.lap());
}

void flag_heavy(RunRecord& r) {
  r.heavy = r.scaler.heavy.empty() ? std::vector<std::uint8_t>{} : r.scaler.heavy_rows(r.raw);
  const auto n = std::count(r.heavy.begin(), r.heavy.end(), std::uint8_t{1});
  if (n) {
    log_info("heavy users: " + std::to_string(n) + " of " + std::to_string(r.raw.rows) +
             " (activity far above the population's), left out of the fit and the profiles");
  }
}

void scale_with(RunRecord& r, const Scaler& scaler, const std::string& transform_name) {
  Stopwatch watch;
  r.scaler = scaler;
  r.x = r.backend ? r.backend->apply_scaler(r.raw, r.scaler) : r.scaler.transform(r.raw);
  r.transform = transform_name;
  flag_heavy(r);
  add_timing(r, "features", watch.lap());
}

void scale_as_is(RunRecord& r) {
  check_as_is(r);
  // An identity scaler over every column, so --init reads its columns like any other run's.
  Scaler& s = r.scaler;
  s = Scaler();
  s.names = r.raw.names;
  for (std::size_t j = 0; j < r.raw.cols; ++j) {
    s.source_columns.push_back(static_cast<int>(j));
    s.log1p.push_back(0);
    s.mean.push_back(0.0);
    s.stddev.push_back(1.0);
    s.weight.push_back(1.0);
  }
  r.x = r.raw;
  r.heavy.clear();
  r.transform = transform_name(TransformOptions::Kind::none);
}

void apply_init_file(RunRecord& r, const std::string& file) {
  if (file.empty()) return;
  int k = 0;
  r.params.initial_centroids =
      load_initial_centroids(file, r.scaler, r.raw.names, r.transform == "none", &k);
  r.params.k = k;
  r.params.init = InitMethod::given;
  r.params.n_init = 1;
}

void weigh_users(RunRecord& r, const std::string& column) {
  if (column.empty()) return;
  const int j = feature_index(r.raw.names, column);
  if (j < 0) {
    std::string have;
    for (const auto& n : r.raw.names) have += (have.empty() ? "" : ", ") + n;
    throw UsageError("--weight-by: no feature named '" + column + "' (have: " + have + ")");
  }
  // One rule for every command: a negative value (a customer whose returns exceed their
  // purchases has a negative net monetary value) weighs 0, and the count is logged.
  std::size_t clamped = 0;
  r.weights.resize(r.raw.rows);
  for (std::size_t i = 0; i < r.raw.rows; ++i) {
    const float v = r.raw.at(i, static_cast<std::size_t>(j));
    clamped += v < 0;
    r.weights[i] = v > 0 ? v : 0.f;
  }
  if (clamped) {
    log_info("--weight-by " + column + ": " + std::to_string(clamped) +
             " user(s) with a negative value weigh 0");
  }
  r.weight_by = column;
}

}  // namespace segmint::pipeline
