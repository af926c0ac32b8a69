// The k-means options and the backend factory put into a run record.
#include "cli/pipeline_common.hpp"

#include "dist/comm.hpp"
#include "dist/follow.hpp"
#include "dist/read_steps.hpp"

namespace segmint::cli {

bool read_events(pipeline::RunRecord& r, const std::vector<std::string>& paths,
                 const IngestOptions& ingest, const AggregateOptions& aggregate,
                 const FeatureOptions& features) {
  if (!dist::active()) {
    pipeline::read_features(r, paths, ingest, aggregate, features);
    return true;
  }
  dist::read_features(r, paths, ingest, aggregate, features);
  return lead_or_follow();
}

bool lead_or_follow() {
  if (!dist::active()) return true;
  if (dist::is_root()) {
    dist::followers_listen();
    return true;
  }
  dist::follow();
  return false;
}

void open_backend(pipeline::RunRecord& r, DeviceChoice device, int threads,
                  std::size_t gpu_memory) {
  BackendOptions options;
  options.device = device;
  options.cpu_threads = threads;
  options.gpu_memory_budget = gpu_memory;
  std::string reason;
  std::unique_ptr<Backend> backend = dist::spread_fits(make_backend(options, &reason));
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
