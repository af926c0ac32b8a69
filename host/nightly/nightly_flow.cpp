// run_nightly(): the order of the steps is what makes a kill at any point recoverable:
//   1. the run directory is staged and renamed into runs/<as_of> (latest still old),
//   2. the state is staged and swapped in (the night now counts as merged),
//   3. latest is switched. A rerun after a kill between 2 and 3 finds nothing new to merge and
//      only switches latest to the state's run.
#include "nightly/nightly_flow.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include "common/log.hpp"
#include "nightly/fs_ops.hpp"
#include "nightly/lock.hpp"
#include "nightly/match.hpp"
#include "nightly/migrations.hpp"
#include "nightly/nightly_model.hpp"
#include "nightly/run_writer.hpp"
#include "nightly/stable_segments.hpp"
#include "nightly/state_dir.hpp"
#include "nightly/state_files.hpp"
#include "outputs/model.hpp"
#include "outputs/run_outputs.hpp"
#include "common/stopwatch.hpp"
#include "profile/segment_order.hpp"
#include "pipeline/timed_source.hpp"
#include "segmint/error.hpp"

namespace segmint::nightly {
namespace fs = std::filesystem;

namespace {
// Previous night's state, loaded from DIR/state (empty on the first night).
struct Loaded {
  std::optional<Manifest> manifest;
  std::optional<NightlyModel> model;
  UserDictionary users;
  std::vector<std::int32_t> labels;  ///< stable segment id per user index, last night
  UserTable table;
};

Loaded load_state(StateDir& sd, const NightlyOptions& o) {
  Loaded s;
  s.manifest = sd.load();
  s.table = UserTable(o.aggregate);
  if (!s.manifest) return s;
  const std::string st = sd.state_path();
  s.model = model_from_json(s.manifest->model, st + "/manifest.json");
  s.users = load_dictionary(st + "/users.bin");
  s.labels = load_labels(st + "/labels.bin");
  if (!o.full) {
    if (s.model->session_gap_seconds != o.aggregate.session_gap_seconds ||
        s.model->tz_offset_minutes != o.aggregate.tz_offset_minutes) {
      throw UsageError("--session-gap/--tz-offset differ from the ones the state in " + o.dir +
                       " was built with; rerun with --full and all event files to rebuild");
    }
    std::ifstream in(st + "/table.bin", std::ios::binary);
    s.table = UserTable::load(in, st + "/table.bin");
  }
  return s;
}

// Splits the inputs into files to merge tonight and files already in the state (by content).
void select_inputs(const NightlyOptions& o, const Loaded& s, std::vector<std::string>& merge,
                   std::vector<std::string>& skip, std::vector<std::string>& prints) {
  std::set<std::string> done;
  if (s.manifest && !o.full) done.insert(s.manifest->inputs.begin(), s.manifest->inputs.end());
  for (const auto& path : o.events) {
    std::string fp = fingerprint_file(path).text();
    if (done.count(fp)) {
      skip.push_back(path);
      continue;
    }
    done.insert(fp);
    merge.push_back(path);
    prints.push_back(fp);
  }
}

// Column means and standard deviations of x (double sums in row order: deterministic).
void column_stats(const FeatureMatrix& x, std::vector<float>& mean, std::vector<float>& spread) {
  std::vector<double> sum(x.cols, 0.0), sq(x.cols, 0.0);
  for (std::size_t i = 0; i < x.rows; ++i) {
    for (std::size_t j = 0; j < x.cols; ++j) sum[j] += x.at(i, j);
  }
  mean.assign(x.cols, 0.0f);
  for (std::size_t j = 0; j < x.cols; ++j) mean[j] = x.rows ? float(sum[j] / double(x.rows)) : 0.f;
  for (std::size_t i = 0; i < x.rows; ++i) {
    for (std::size_t j = 0; j < x.cols; ++j) {
      double dlt = x.at(i, j) - double(mean[j]);
      sq[j] += dlt * dlt;
    }
  }
  spread.assign(x.cols, 1.0f);
  for (std::size_t j = 0; j < x.cols; ++j) {
    double s = x.rows ? std::sqrt(sq[j] / double(x.rows)) : 0.0;
    if (s > 1e-6) spread[j] = float(s);
  }
}

// Centroids (k x d) relative to their night's population: (c - center) / spread per column.
std::vector<float> normalized(std::vector<float> c, const std::vector<float>& center,
                              const std::vector<float>& spread) {
  const std::size_t d = center.size();
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = (c[i] - center[i % d]) / spread[i % d];
  return c;
}

std::vector<SegmentRef> refs(const std::vector<int>& ids, const std::vector<std::string>& names) {
  std::vector<SegmentRef> r;
  for (std::size_t i = 0; i < ids.size(); ++i) r.push_back({ids[i], names[i]});
  return r;
}
}  // namespace

NightlyReport run_nightly(const NightlyOptions& o) {
  NightlyReport report;
  fs::create_directories(o.dir);
  DirLock lock(o.dir);
  StateDir sd(o.dir);
  for (const auto& line : sd.recover()) log_info("recovery: " + line);
  kill_point("after_lock");

  std::vector<std::pair<std::string, double>> timings;  // the stages `run` reports
  Stopwatch watch;
  Loaded s = load_state(sd, o);
  std::vector<std::string> prints;
  select_inputs(o, s, report.merged, report.skipped, prints);
  for (const auto& f : report.skipped) log_info("already merged, skipped: " + f);
  if (report.merged.empty()) {
    if (!s.manifest) throw InputError("no event files to merge and no state in " + o.dir);
    report.nothing_new = true;
    report.run = s.manifest->run;
    if (sd.latest_run() != report.run) {  // a kill after the state commit: finish the switch
      sd.switch_latest(report.run);
      log_info("latest switched to " + report.run + " (finishing an interrupted run)");
    }
    log_info("nothing new: all input files were merged before; state and latest unchanged");
    return report;
  }

  // Aggregate tonight's events with the persisted dictionary, then fold them into the state.
  IngestCounts counts;
  double source_read_ms = 0;
  {
    watch.lap();  // loading the state is not reading tonight's events
    pipeline::TimedSource source(open_events(report.merged, o.ingest, s.users));
    UserTable tonight = aggregate_events(source, o.aggregate);
    counts = source.counts();
    source_read_ms = source.read_ms();
    s.table.merge(tonight);
    s.table.ensure_users(s.users.size());  // one row per dictionary entry, as `run` has
  }
  const double read_aggregate = watch.lap();
  timings.emplace_back("read", source_read_ms);
  timings.emplace_back("aggregate", std::max(0.0, read_aggregate - source_read_ms));
  kill_point("after_aggregate");

  std::int64_t as_of = 0;
  FeatureMatrix raw = compute_features(s.table, o.features, &as_of);
  // Yesterday's scaler is kept on incremental nights: refitting would move the coordinate system
  // every night, so warm start and id matching would compare centroids across different spaces
  // and ids would churn from rescaling alone. --full refits it (and converts old centroids).
  const bool refit = !s.model || o.full;
  Scaler scaler = refit ? fit_scaler(raw, o.transform) : s.model->scaler;
  FeatureMatrix x = scaler.transform(raw);
  timings.emplace_back("features", watch.lap());

  KMeansParams params = o.kmeans;
  std::vector<float> center, spread;
  column_stats(x, center, spread);
  // Yesterday's centroids relative to yesterday's population (see normalized()); after a refit
  // they are first converted into tonight's space and their population is taken as tonight's.
  std::vector<float> previous;
  if (s.model) {
    std::vector<float> old_c = s.model->centroids;
    std::vector<float> old_center = s.model->center, old_spread = s.model->spread;
    if (refit) {
      old_c = convert_centroids(old_c, s.model->k, s.model->scaler, scaler, raw.cols);
      old_center = convert_centroids(old_center, 1, s.model->scaler, scaler, raw.cols);
      old_spread = spread;
    }
    previous = normalized(old_c, old_center, old_spread);
    if (!o.k_given) params.k = s.model->k;
    if (params.k == s.model->k && static_cast<int>(x.cols) * params.k == int(previous.size())) {
      // Warm start where yesterday's groups sit relative to tonight's population.
      params.init = InitMethod::given;
      params.initial_centroids = previous;
      for (std::size_t i = 0; i < previous.size(); ++i) {
        std::size_t j = i % center.size();
        params.initial_centroids[i] = previous[i] * spread[j] + center[j];
      }
      params.n_init = 1;
    }
  }
  std::string reason;
  auto backend = o.make_backend(params.threads, &reason);
  log_info("device: " + backend->description() +
           (reason.empty() ? "" : " (auto fell back to the CPU: " + reason + ")"));
  KMeansResult fit = backend->kmeans(x.view(), nullptr, params);
  const int k = params.k, d = static_cast<int>(x.cols);
  // The pipeline's size order first: the first night's ids are then exactly `run`'s, and fresh
  // ids on later nights go to bigger new segments first.
  pipeline::order_segments(fit, k, d);
  timings.emplace_back("kmeans", watch.lap());
  kill_point("after_kmeans");

  // Stable ids: match tonight's centroids to yesterday's; matched segments keep their names.
  MatchResult match = initial_ids(k);
  if (s.model) {
    PreviousSegments prev{previous, s.model->ids, s.model->names};
    match = match_segments(prev, normalized(fit.centroids, center, spread), k, d,
                           o.match_threshold, s.model->next_id);
  }
  StableSegmentation st = stable_segmentation(std::move(fit), match, d, raw, scaler,
                                              s.model ? s.model->names : std::vector<std::string>{});
  const KMeansResult& res = st.seg.fit;

  std::vector<std::int32_t> labels(res.labels.size());
  for (std::size_t u = 0; u < labels.size(); ++u) labels[u] = st.ids[res.labels[u]];
  std::vector<SegmentRef> before_refs;
  if (s.model) before_refs = refs(s.model->ids, s.model->names);
  Migrations mig = count_migrations(before_refs, refs(st.ids, st.seg.names), s.labels, labels);

  const std::string name = run_name(as_of);
  nlohmann::ordered_json changes;
  changes["previous_run"] = s.manifest ? s.manifest->run : "";
  changes["scaler"] = refit ? "fitted" : "kept";
  changes["warm_start"] = params.init == InitMethod::given;
  changes["new_segments"] = nlohmann::json::array();
  for (int r : st.new_rows) changes["new_segments"].push_back(st.ids[r]);
  changes["vanished_segments"] = match.vanished_ids;
  changes["match_distances"] = nlohmann::json::array();  // per matched segment, for tuning
  for (int r = 0; r < k; ++r) {
    if (st.matched_old[r] >= 0) {
      changes["match_distances"].push_back(
          {{"segment", st.ids[r]}, {"distance", st.distance[r]}});
    }
  }
  changes["migrations"] = migrations_json(mig);
  changes["merged_files"] = report.merged;
  changes["skipped_files"] = report.skipped;

  // The same model.json and summary.json as `run`, plus the stable ids and the changes.
  const std::string transform =
      refit || s.model->transform.empty() ? pipeline::transform_name(o.transform.kind)
                                          : s.model->transform;
  std::int64_t min_time = counts.min_time, max_time = counts.max_time;
  if (s.model && !o.full && s.model->max_time != 0) {
    min_time = counts.max_time == 0 ? s.model->min_time : std::min(min_time, s.model->min_time);
    max_time = std::max(max_time, s.model->max_time);
  }
  pipeline::Model model;
  model.source = "events";
  model.feature_catalog = raw.names;
  model.transform = transform;
  model.scaler = scaler;
  model.seed = params.seed;
  model.as_of = as_of;
  model.min_time = min_time;
  model.max_time = max_time;
  model.aggregate = o.aggregate;
  pipeline::Summary summary;
  summary.command = "nightly";
  summary.events = counts.events;
  summary.users = x.rows;
  summary.bad_rows = counts.bad_rows;
  summary.rows_without_user = counts.rows_without_user;
  summary.device = backend->name();
  summary.device_detail = backend->description();
  summary.device_fallback_reason = reason;
  summary.features_used = scaler.names;
  summary.dropped_constant = scaler.dropped_constant;
  pipeline::describe_segmentation(st.seg, d, model, summary);
  model.segment_ids = st.ids;
  summary.timings_ms = timings;
  summary.extra = {{"as_of", std::to_string(as_of)},
                   {"run", nlohmann::json(name).dump()},
                   {"full", o.full ? "true" : "false"},
                   {"changes", changes.dump()}};

  // 1. The run directory (latest and state untouched until it is complete).
  std::string staged_run = sd.begin_run(name);
  std::vector<std::string> ids;
  ids.reserve(raw.rows);
  for (std::size_t u = 0; u < raw.rows; ++u) {
    ids.push_back(s.users.id(static_cast<std::uint32_t>(u)));
  }
  pipeline::write_segmentation(staged_run, ids, st.seg, model, summary);
  for (const char* f : {"assignments.csv", "centroids.csv", "summary.json", "model.json"}) {
    fsync_file(staged_run + "/" + f);
  }
  if (o.write_features) write_features_csv(s.users, raw, staged_run);
  std::ofstream(staged_run + "/migrations.csv", std::ios::binary) << migrations_csv(mig);
  fsync_file(staged_run + "/migrations.csv");
  kill_point("before_run_commit");
  sd.commit_run(staged_run, name);
  kill_point("before_state_commit");

  // 2. The state.
  std::string staged = sd.begin_state();
  {
    std::ofstream out(staged + "/table.bin", std::ios::binary);
    s.table.save(out);
    out.close();
    if (!out) throw RuntimeError("cannot write " + staged + "/table.bin");
  }
  save_dictionary(s.users, staged + "/users.bin");
  save_labels(labels, staged + "/labels.bin");
  NightlyModel next{scaler,        k,
                    d,             res.centroids,
                    center,        spread,
                    st.ids,        st.seg.names,
                    match.next_id, o.aggregate.session_gap_seconds,
                    o.aggregate.tz_offset_minutes, transform,
                    min_time,      max_time};
  Manifest m;
  m.as_of = as_of;
  m.run = name;
  if (s.manifest && !o.full) m.inputs = s.manifest->inputs;
  m.inputs.insert(m.inputs.end(), prints.begin(), prints.end());
  m.model = to_json(next);
  kill_point("mid_state_commit");
  sd.commit_state(staged, m);
  kill_point("after_state_commit");

  // 3. latest, then retention (never the run latest points to).
  sd.switch_latest(name);
  kill_point("after_latest_switch");
  report.removed_runs = sd.retain(o.keep, {name});
  for (const auto& r : report.removed_runs) log_info("retention: removed run " + r);
  log_block(pipeline::segment_table(st.seg.profiles, st.seg.names, st.ids));

  report.run = name;
  for (int r : st.new_rows) report.new_ids.push_back(st.ids[r]);
  report.vanished_ids = match.vanished_ids;
  return report;
}

}  // namespace segmint::nightly
