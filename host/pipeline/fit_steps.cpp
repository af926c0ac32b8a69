// The fit end of the run record: backend choice, k-means, segment order, profiles, names,
// assignment to an existing model, then describe (model.json, summary.json) and write.
#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "common/progress.hpp"
#include "common/stopwatch.hpp"
#include "outputs/run_outputs.hpp"
#include "pipeline/heavy_users.hpp"
#include "pipeline/run_record.hpp"
#include "pipeline/segment.hpp"
#include "profile/naming.hpp"
#include "profile/segment_order.hpp"
#include "segmint/error.hpp"

namespace segmint::pipeline {

void use_backend(RunRecord& r, std::unique_ptr<Backend> backend,
                 const std::string& fallback_reason) {
  r.backend = std::move(backend);
  r.device = {r.backend->name(), r.backend->description(), fallback_reason};
  std::string line = "device: " + r.device.description;
  if (!fallback_reason.empty()) line += " (auto fell back to the CPU: " + fallback_reason + ")";
  log_info(line);
}

void fit_kmeans(RunRecord& r) {
  if (!r.backend) throw RuntimeError("fit_kmeans: no backend chosen (use_backend first)");
  const FeatureMatrix& x = r.x;
  if (x.rows == 0) throw InputError("no users to segment (the input has no usable rows)");
  Stopwatch watch;
  const std::size_t heavy = heavy_count(r);
  if (heavy == 0 || heavy == x.rows) {
    progress::Scope shown("k-means");  // the CPU backend's iterations show on this line
    r.seg.fit = r.backend->kmeans(x.view(), r.weight_data(), r.params);
    // Size order: the ids of a run are the same whichever order the fit found the clusters in.
    order_segments(r.seg.fit, r.params.k, static_cast<int>(x.cols));
  } else {
    const FitRows f = fit_rows(r);
    KMeansResult fit;
    {
      progress::Scope shown("k-means");
      fit = r.backend->kmeans(f.x.view(), f.weights.empty() ? nullptr : f.weights.data(), r.params);
    }
    order_segments(fit, r.params.k, static_cast<int>(x.cols));
    std::vector<std::int32_t> labels(x.rows, -1);
    std::vector<float> distances(x.rows, 0.f);
    for (std::size_t i = 0; i < f.rows.size(); ++i) {
      labels[f.rows[i]] = fit.labels[i];
      distances[f.rows[i]] = fit.distances[i];
    }
    assign_heavy_rows(r, fit.centroids.data(), r.params.k, labels, distances);
    fit.labels = std::move(labels);
    fit.distances = std::move(distances);
    r.seg.fit = std::move(fit);
  }
  add_timing(r, "kmeans", watch.lap());
}

void profile_segments(RunRecord& r) {
  Stopwatch watch;
  // Means and z-scores describe the users the fit saw; sizes and shares count everyone.
  r.seg.profiles = compute_profiles(r.raw, without_heavy(r, r.seg.fit.labels), r.params.k,
                                    log_scale_columns(r.raw.names, r.scaler));
  if (heavy_count(r)) {
    const std::vector<std::int64_t> sizes = segment_sizes(r.seg.fit.labels, r.params.k);
    for (std::size_t c = 0; c < r.seg.profiles.segments.size(); ++c) {
      SegmentProfile& p = r.seg.profiles.segments[c];
      p.size = sizes[c];
      p.share = static_cast<double>(sizes[c]) / static_cast<double>(r.raw.rows);
    }
  }
  add_timing(r, "kmeans", watch.lap());
}

void give_names(RunRecord& r, const std::vector<std::string>& keep) {
  Stopwatch watch;
  r.seg.names = name_segments(r.seg.profiles, keep);
  add_timing(r, "kmeans", watch.lap());
}

void segment(RunRecord& r) {
  fit_kmeans(r);
  profile_segments(r);
  give_names(r);
  assess_quality(r);
}

void assign_to_model(RunRecord& r, const Model& model) {
  if (!r.backend) throw RuntimeError("assign_to_model: no backend chosen (use_backend first)");
  KMeansResult& fit = r.seg.fit;
  fit.labels.assign(r.x.rows, -1);
  fit.distances.assign(r.x.rows, 0.f);
  if (r.x.rows) {
    r.backend->assign(r.x.view(), model.centroids.data(), model.k, fit.labels.data(),
                      fit.distances.data());
    assign_heavy_rows(r, model.centroids.data(), model.k, fit.labels, fit.distances);
  }
}

namespace {

/// summary.json "device_stages": the device path's stage times and bytes moved.
std::string device_stages_json(const DeviceStageReport& d) {
  nlohmann::ordered_json ms = nlohmann::ordered_json::object();
  for (const auto& [stage, value] : d.ms) ms[stage] = value;
  nlohmann::ordered_json j = {{"timings_ms", ms},
                              {"bytes_to_device", d.bytes_to_device},
                              {"bytes_from_device", d.bytes_from_device},
                              {"events", d.events},
                              {"passes", d.passes},
                              {"spilled_to_host", d.spilled}};
  return j.dump();
}

void describe_model(const RunRecord& r, Model& m) {
  const Segmentation& seg = r.seg;
  m = Model();
  m.source = r.source;
  m.feature_catalog = r.raw.names;
  m.transform = r.transform;
  m.scaler = r.scaler;
  m.k = static_cast<int>(seg.names.size());
  m.d = static_cast<int>(r.x.cols);
  m.centroids = seg.fit.centroids;
  m.names = seg.names;
  m.segment_ids = r.segment_ids;
  m.sizes = segment_sizes(seg.fit.labels, m.k);
  m.seed = r.params.seed;
  m.inertia = seg.fit.inertia;
  m.as_of = r.as_of;
  m.min_time = r.min_time;
  m.max_time = r.max_time;
  m.aggregate = r.aggregate;
  m.weight_by = r.weight_by;
}

void describe_summary(const RunRecord& r, const Model& m, Summary& s) {
  const Segmentation& seg = r.seg;
  s = Summary();
  s.command = r.command;
  s.events = r.counts.events;
  s.users = r.raw.rows;
  s.bad_rows = r.counts.bad_rows;
  s.rows_without_user = r.counts.rows_without_user;
  s.k = m.k;
  s.inertia = seg.fit.inertia;
  s.iterations = seg.fit.iterations;
  s.converged = seg.fit.converged;
  s.device = r.device.name;
  s.device_detail = r.device.description;
  s.device_fallback_reason = r.device.fallback_reason;
  s.features_used = r.scaler.names;
  s.dropped_constant = r.scaler.dropped_constant;
  s.segment_names = seg.names;
  s.segment_sizes = m.sizes;
  s.segment_ids = r.segment_ids;
  for (const SegmentProfile& sp : seg.profiles.segments) {
    s.segment_traits.push_back(top_traits(seg.profiles, sp, 3));
  }
  s.quality = r.quality;
  s.heavy = heavy_summary(r, m.k);
  s.timings_ms = r.timings;
  s.extra = r.summary_extra;
  // Only device runs report it: CPU outputs stay as they were.
  const DeviceStageReport device = r.backend ? r.backend->device_report() : DeviceStageReport{};
  if (!device.empty()) s.extra.emplace_back("device_stages", device_stages_json(device));
}

}  // namespace

void describe(RunRecord& r) {
  describe_model(r, r.model);
  describe_summary(r, r.model, r.summary);
}

namespace {
/// heavy_users.csv, only when somebody is flagged: on clean data the outputs are the usual four.
std::vector<std::pair<std::string, std::string>> extra_files(RunRecord& r) {
  std::vector<std::pair<std::string, std::string>> more;
  if (heavy_count(r)) more.emplace_back("heavy_users.csv", heavy_users_text(r, r.model));
  return more;
}
}  // namespace

void write_run(RunRecord& r, const std::string& dir) {
  write_segmentation(dir, r.row_ids(), r.seg, r.model, r.summary, extra_files(r));
}

void write_run_files(RunRecord& r, const std::string& staged) {
  write_segmentation_files(staged, r.row_ids(), r.seg, r.model, r.summary, extra_files(r));
}

}  // namespace segmint::pipeline
