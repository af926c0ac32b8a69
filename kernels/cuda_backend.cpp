// The CUDA backend: cuda_device_usable / make_cuda_backend (host/backends/cuda_entry.hpp, the seam)
// and the Backend implementation: the device feature stage, the device k-means engine the
// driver runs, and assignment.
#include <algorithm>
#include <cmath>
#include <memory>

#include "backends/cuda_entry.hpp"
#include "backends/feature_stage.hpp"
#include "core/resources.hpp"
#include "core/transfer.hpp"
#include "features/device_features.hpp"
#include "kmeans/device_engine.hpp"
#include "kmeans/device_fit.hpp"
#include "kmeans/kmeans_kernels.hpp"
#include "segmint/error.hpp"

namespace segmint {
namespace cuda {
namespace {

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(const BackendOptions& options)
      : Backend(options.cpu_threads), options_(options) {}

  std::string name() const override { return "cuda"; }
  std::string description() const override {
    return "cuda (" + res_.name() + ", " + std::to_string(res_.sm_count()) + " SMs)";
  }

  /// The device feature path (compute_features_gpu's) over all events of the source. Folding into a base table (nightly)
  /// still runs on the host (cpu_feature_stage): the device path keeps no UserTable; issue 14
  /// moves that merge to the device.
  FeatureStageResult features(EventSource& events, const FeatureStageOptions& options,
                              UserTable* base) override {
    if (base) return cpu_feature_stage(events, options, base);
    FeatureStageResult r;
    EventBatch all;
    const DrainTimes drained = drain_events(events, [&](const EventBatch& b) { all.append(b); });
    GpuFeatureOptions g;
    static_cast<CudaFeatureTunables&>(g) = options_.cuda.features;
    g.device_budget = options_.gpu_memory_budget;
    g.min_users = min_feature_rows(options);
    GpuFeatureTimes t;  // on this backend's Resources: its streams, no second set
    r.raw = compute_features(res_, all, options.aggregate, options.features, g, &t, &r.as_of);
    r.read_ms = drained.read_ms;
    r.aggregate_ms = drained.sink_ms + t.plan_ms + t.upload_ms + t.aggregate_ms;
    r.features_ms = t.features_ms;
    return r;
  }

 protected:
  std::unique_ptr<KMeansEngine> kmeans_engine() override {
    return make_device_engine(res_, options_.cuda, options_.gpu_memory_budget);
  }

  void assign_rows(MatrixView x, const float* centroids, int k, std::int32_t* labels,
                   float* distances) override {
    const int d = static_cast<int>(x.cols);
    const AssignPath path = pick_path(res_, options_.cuda, k, d);
    DataSource data(res_, x, nullptr,
                    plan_fit(res_, options_.cuda, x.rows, d, k, path, options_.gpu_memory_budget));
    DeviceFit fit(res_, data, k, path);
    DeviceBuffer<float> c(static_cast<std::size_t>(k) * d);
    upload_async(c.get(), centroids, c.size(), res_.compute());  // ordered before the pass
    fit.assign_pass(c.get(), false);
    std::vector<std::int32_t> l;
    std::vector<float> dist;
    fit.download(l, dist);
    std::copy(l.begin(), l.end(), labels);
    std::copy(dist.begin(), dist.end(), distances);
  }

 private:
  Resources res_;
  BackendOptions options_;
};

}  // namespace
}  // namespace cuda

bool cuda_device_usable(std::string* reason) {
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    if (reason) *reason = std::string("no CUDA device: ") + cudaGetErrorName(err) + ": " +
                          cudaGetErrorString(err);
    cudaGetLastError();  // clear it so that later calls start clean
    return false;
  }
  if (count == 0) {
    if (reason) *reason = "no CUDA device: none found";
    return false;
  }
  int dev = 0, major = 0;
  if (cudaGetDevice(&dev) != cudaSuccess ||
      cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev) != cudaSuccess) {
    cudaGetLastError();
    if (reason) *reason = "no CUDA device: cannot query the current device";
    return false;
  }
  if (major < 8) {  // __reduce_add_sync needs compute capability 8.0
    if (reason) *reason = "no CUDA device: compute capability " + std::to_string(major) +
                          ".x is older than 8.0";
    return false;
  }
  err = cuda::probe_kernels();
  if (err != cudaSuccess) {
    cudaGetLastError();
    if (reason) *reason = std::string("no CUDA device: this build's kernels do not run on it (") +
                          cudaGetErrorName(err) + "; rebuild with its CMAKE_CUDA_ARCHITECTURES)";
    return false;
  }
  return true;
}

std::unique_ptr<Backend> make_cuda_backend(const BackendOptions& options) {
  std::string why;
  if (!cuda_device_usable(&why)) throw DeviceError(why);
  return std::make_unique<cuda::CudaBackend>(options);
}

}  // namespace segmint
