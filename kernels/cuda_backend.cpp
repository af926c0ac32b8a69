// The CUDA backend: cuda_device_usable / make_cuda_backend (host/backends/cuda_entry.hpp, the seam)
// and the Backend implementation: the device feature stage (events streamed to per-user
// aggregates, feature rows), the scale step on the device, the device k-means engine the driver
// runs (on the scaled matrix where it lies), and assignment. Keeps the device stage report.
#include <algorithm>
#include <cmath>
#include <memory>

#include "backends/cuda_entry.hpp"
#include "backends/feature_stage.hpp"
#include "common/stopwatch.hpp"
#include "core/device_matrix.hpp"
#include "core/resources.hpp"
#include "core/transfer.hpp"
#include "features/device_features.hpp"
#include "features/device_scaler.hpp"
#include "features/scaler.hpp"
#include "kmeans/device_engine.hpp"
#include "kmeans/device_fit.hpp"
#include "kmeans/kmeans_kernels.hpp"
#include "backends/timed_engine.hpp"
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

  /// The device feature stage over every event of the source (streamed, see
  /// compute_features_gpu). Folding into a base table (nightly) aggregates tonight on the device
  /// and merges on the host (nightly_features).
  FeatureStageResult features(EventSource& events, const FeatureStageOptions& options,
                              UserTable* base) override {
    if (base) return nightly_features(events, options, *base);
    GpuFeatureOptions g;
    static_cast<CudaFeatureTunables&>(g) = options_.cuda.features;
    g.device_budget = options_.gpu_memory_budget;
    g.dictionary = options.users;
    GpuFeatureTimes t;  // on this backend's Resources: its streams, no second set
    FeatureStageResult r;
    r.raw = compute_features(res_, events, options.aggregate, options.features, g, &t, &r.as_of);
    r.read_ms = t.stream_ms;  // parse, pack, copies and folds, overlapped
    r.aggregate_ms = t.plan_ms + t.aggregate_ms;
    r.features_ms = t.features_ms + t.download_ms;
    record(t);
    return r;
  }

  FeatureMatrix scale(const FeatureMatrix& raw, const TransformOptions& transform,
                      Scaler* scaler) override {
    Stopwatch watch;
    std::shared_ptr<const DeviceMatrix> held;
    const float* dev = device_values(raw, held);
    if (!dev) return Backend::scale(raw, transform, scaler);  // too large for the device
    // The heavy rule, the group balance and the robust kinds need the raw values: host fit.
    *scaler = fits_from_column_sums(transform) ? fit_scaler_on_device(res_, raw, dev, transform)
                                               : fit_scaler(raw, transform);
    if (!transforms_on_device(*scaler)) return scaler->transform(raw);
    return transformed(raw, dev, *scaler, watch);
  }

  FeatureMatrix apply_scaler(const FeatureMatrix& raw, const Scaler& scaler) override {
    Stopwatch watch;
    std::shared_ptr<const DeviceMatrix> held;
    const float* dev = device_values(raw, held);
    if (!dev || !transforms_on_device(scaler)) return Backend::apply_scaler(raw, scaler);
    return transformed(raw, dev, scaler, watch);
  }

  DeviceStageReport device_report() const override { return report_; }

 protected:
  std::unique_ptr<KMeansEngine> kmeans_engine() override {
    return make_timed_engine(make_device_engine(res_, options_.cuda, options_.gpu_memory_budget),
                             report_);
  }

  void assign_rows(MatrixView x, const float* centroids, int k, std::int32_t* labels,
                   float* distances) override {
    Stopwatch watch;
    const int d = static_cast<int>(x.cols);
    const AssignPath path = pick_path(res_, options_.cuda, k, d);
    const DeviceMatrix* on_device = DeviceMatrix::of(x, res_.device());
    DataSource data(res_, x, nullptr,
                    plan_fit(res_, options_.cuda, x.rows, d, k, path, options_.gpu_memory_budget),
                    on_device ? on_device->get() : nullptr);
    if (!data.borrowed()) report_.bytes_to_device += x.rows * x.cols * sizeof(float);
    DeviceFit fit(res_, data, k, path);
    DeviceBuffer<float> c(static_cast<std::size_t>(k) * d);
    upload_async(c.get(), centroids, c.size(), res_.compute());  // ordered before the pass
    fit.assign_pass(c.get(), false);
    std::vector<std::int32_t> l;
    std::vector<float> dist;
    fit.download(l, dist);
    std::copy(l.begin(), l.end(), labels);
    std::copy(dist.begin(), dist.end(), distances);
    report_.bytes_from_device += x.rows * (sizeof(std::int32_t) + sizeof(float));
    report_.add_ms("kmeans", watch.lap());
  }

 private:
  std::size_t budget() const {
    if (options_.gpu_memory_budget) return options_.gpu_memory_budget;
    std::size_t free_b = 0, total_b = 0;
    res_.mem_info(&free_b, &total_b);
    return free_b / 10 * 8;
  }

  /// raw's values on this device: its own device copy, or an upload when raw and its transform
  /// fit the budget (held keeps it); nullptr when they do not.
  const float* device_values(const FeatureMatrix& raw, std::shared_ptr<const DeviceMatrix>& held) {
    if (const DeviceMatrix* m = DeviceMatrix::of(raw.view(), res_.device())) return m->get();
    const std::size_t bytes = raw.rows * raw.cols * sizeof(float);
    if (2 * bytes > budget()) return nullptr;
    auto m = std::make_shared<DeviceMatrix>(res_.device(), raw.rows, raw.cols);
    upload(m->get(), raw.values.data(), raw.values.size(), res_.compute());
    report_.bytes_to_device += bytes;
    held = m;
    return m->get();
  }

  /// The scaled matrix on the device, downloaded, with its device copy attached.
  FeatureMatrix transformed(const FeatureMatrix& raw, const float* dev, const Scaler& scaler,
                            Stopwatch& watch) {
    std::shared_ptr<DeviceMatrix> x_dev = transform_on_device(res_, scaler, raw, dev);
    report_.add_ms("features", watch.lap());
    FeatureMatrix x;
    x.rows = raw.rows;
    x.cols = scaler.names.size();
    x.names = scaler.names;
    x.values.resize(x.rows * x.cols);
    download(x.values.data(), x_dev->get(), x.values.size(), res_.compute());
    report_.add_ms("download", watch.lap());
    report_.bytes_from_device += x.values.size() * sizeof(float);
    x.device = std::move(x_dev);
    return x;
  }

  /// Adds a feature stage's times and bytes to the report.
  void record(const GpuFeatureTimes& t) {
    report_.add_ms("parse", t.read_ms);
    report_.add_ms("upload", t.upload_ms);
    report_.add_ms("aggregate", t.plan_ms + t.aggregate_ms);
    report_.add_ms("features", t.features_ms);
    report_.add_ms("download", t.download_ms);
    report_.bytes_to_device += t.bytes_uploaded;
    report_.bytes_from_device += t.bytes_downloaded;
    report_.events += t.events;
    report_.passes = t.passes;
    report_.spilled = report_.spilled || t.spilled;
  }

  FeatureStageResult nightly_features(EventSource& events, const FeatureStageOptions& options,
                                      UserTable& base);

  Resources res_;
  BackendOptions options_;
  DeviceStageReport report_;
};

FeatureStageResult CudaBackend::nightly_features(EventSource& events,
                                                 const FeatureStageOptions& options,
                                                 UserTable& base) {
  return cpu_feature_stage(events, options, &base);
}

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
