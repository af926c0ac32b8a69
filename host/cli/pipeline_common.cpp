// The k-means options and the backend factory put into a run record.
#include "cli/pipeline_common.hpp"

namespace segmint::cli {

void open_backend(pipeline::RunRecord& r, DeviceChoice device, int threads,
                  std::size_t gpu_memory) {
  BackendOptions options;
  options.device = device;
  options.cpu_threads = threads;
  options.gpu_memory_budget = gpu_memory;
  std::string reason;
  std::unique_ptr<Backend> backend = make_backend(options, &reason);
  pipeline::use_backend(r, std::move(backend), reason);
}

void open_backend(pipeline::RunRecord& r, const KMeansCliOptions& km) {
  open_backend(r, km.device, km.params.threads, km.params.gpu_memory_budget);
}

void prepare_fit(pipeline::RunRecord& r, const KMeansCliOptions& km) {
  r.params = km.params;
  pipeline::apply_init_file(r, km.init_file);
  pipeline::weigh_users(r, km.weight_by);
}

}  // namespace segmint::cli
