// Backend choice, --init and --weight-by for the segmenting commands.
#include "cli/pipeline_common.hpp"

#include "common/log.hpp"
#include "pipeline/init_file.hpp"
#include "pipeline/segment.hpp"

namespace segmint::cli {

BackendOptions backend_options(const KMeansCliOptions& options) {
  BackendOptions b;
  b.device = options.device;
  b.cpu_threads = options.params.threads;
  b.gpu_memory_budget = options.params.gpu_memory_budget;
  return b;
}

std::unique_ptr<Backend> open_backend(const KMeansCliOptions& options,
                                      pipeline::Summary* summary) {
  std::string reason;
  std::unique_ptr<Backend> backend = make_backend(backend_options(options), &reason);
  std::string line = "device: " + backend->description();
  if (!reason.empty()) line += " (auto fell back to the CPU: " + reason + ")";
  log_info(line);
  if (summary) {
    summary->device = backend->name();
    summary->device_detail = backend->description();
    summary->device_fallback_reason = reason;
  }
  return backend;
}

void apply_init_file(KMeansCliOptions& options, const Scaler& scaler,
                     const std::vector<std::string>& raw_names, bool values_as_is) {
  if (options.init_file.empty()) return;
  int k = 0;
  options.params.initial_centroids =
      pipeline::load_initial_centroids(options.init_file, scaler, raw_names, values_as_is, &k);
  options.params.k = k;
  options.params.init = InitMethod::given;
  options.params.n_init = 1;
}

FeatureMatrix scale_features(const FeatureMatrix& raw, const TransformOptions& transform,
                             Scaler* scaler) {
  *scaler = fit_scaler(raw, transform);
  if (!scaler->dropped_constant.empty()) {
    std::string list;
    for (const auto& n : scaler->dropped_constant) list += (list.empty() ? "" : ", ") + n;
    log_info("constant on this data, left out of clustering: " + list);
  }
  return scaler->transform(raw);
}

std::vector<float> weights_for(const KMeansCliOptions& options, const FeatureMatrix& raw) {
  if (options.weight_by.empty()) return {};
  return pipeline::weights_from_column(raw, options.weight_by);
}

}  // namespace segmint::cli
