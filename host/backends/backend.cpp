// The parts of Backend written once for every backend: checks, the k-means driver, scaling.
#include "segmint/backend.hpp"

#include "backends/input_check.hpp"
#include "backends/kmeans_driver.hpp"

namespace segmint {

FeatureMatrix Backend::scale(const FeatureMatrix& raw, const TransformOptions& transform,
                             Scaler* scaler) {
  *scaler = fit_scaler(raw, transform);
  return scaler->transform(raw);
}

FeatureMatrix Backend::apply_scaler(const FeatureMatrix& raw, const Scaler& scaler) {
  return scaler.transform(raw);
}

void DeviceStageReport::add_ms(const std::string& stage, double value) {
  for (auto& [name, total] : ms) {
    if (name == stage) {
      total += value;
      return;
    }
  }
  ms.emplace_back(stage, value);
}

KMeansResult Backend::kmeans(MatrixView x, const float* weights, const KMeansParams& given) {
  KMeansParams params = given;
  if (params.threads <= 0) params.threads = host_threads_;
  std::unique_ptr<KMeansEngine> engine = kmeans_engine();
  return run_kmeans(*engine, x, weights, params);
}

void Backend::assign(MatrixView x, const float* centroids, int k, std::int32_t* labels,
                     float* distances) {
  check_assign_input(x, k, host_threads_);
  if (x.rows == 0) return;
  assign_rows(x, centroids, k, labels, distances);
}

}  // namespace segmint
