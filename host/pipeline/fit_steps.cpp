// The fit end of the run record: backend choice, k-means, segment order, profiles, names, and
// assignment to an existing model.
#include "common/log.hpp"
#include "common/stopwatch.hpp"
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
  if (static_cast<std::size_t>(r.params.k) > x.rows) {
    throw UsageError("k = " + std::to_string(r.params.k) + " is more than the " +
                     std::to_string(x.rows) + " users in the input");
  }
  Stopwatch watch;
  r.seg.fit = r.backend->kmeans(x.view(), r.weight_data(), r.params);
  // Size order: the ids of a run are the same whichever order the fit found the clusters in.
  order_segments(r.seg.fit, r.params.k, static_cast<int>(x.cols));
  add_timing(r, "kmeans", watch.lap());
}

void profile_segments(RunRecord& r) {
  Stopwatch watch;
  r.seg.profiles = compute_profiles(r.raw, r.seg.fit.labels, r.params.k,
                                    log_scale_columns(r.raw.names, r.scaler));
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
}

void assign_to_model(RunRecord& r, const Model& model) {
  if (!r.backend) throw RuntimeError("assign_to_model: no backend chosen (use_backend first)");
  KMeansResult& fit = r.seg.fit;
  fit.labels.assign(r.x.rows, -1);
  fit.distances.assign(r.x.rows, 0.f);
  if (r.x.rows) {
    r.backend->assign(r.x.view(), model.centroids.data(), model.k, fit.labels.data(),
                      fit.distances.data());
  }
}

}  // namespace segmint::pipeline
