// The k-means options and the backend factory put into a run record.
#include "cli/pipeline_common.hpp"

namespace segmint::cli {

void open_backend(pipeline::RunRecord& r, DeviceChoice device, int threads) {
  std::string reason;
  std::unique_ptr<Backend> backend = make_backend(device, threads, &reason);
  pipeline::use_backend(r, std::move(backend), reason);
}

void prepare_fit(pipeline::RunRecord& r, const KMeansCliOptions& km) {
  r.params = km.params;
  pipeline::apply_init_file(r, km.init_file);
  pipeline::weigh_users(r, km.weight_by);
  open_backend(r, km.device, km.params.threads);
}

}  // namespace segmint::cli
