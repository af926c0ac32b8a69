// DeviceEngine: uploads (or streams) the fit's matrix once in prepare(), then runs the driver's
// init and Lloyd steps on one DeviceFit.
#include "kmeans/device_engine.hpp"

#include <optional>
#include <utility>

#include "core/device_matrix.hpp"
#include "kmeans/device_fit.hpp"

namespace segmint::cuda {

AssignPath pick_path(const Resources& res, const CudaOptions& options, int k, int d) {
  AssignPath p = cuda_plan::choose_path(k, d, options);
  // Automatic choice falls back to gemm when the fused kernel's shared memory does not fit.
  if (p == AssignPath::fused && options.path == AssignPath::automatic &&
      fused_smem_bytes(k, d, true) > res.smem_optin())
    p = AssignPath::gemm;
  return p;
}

cuda_plan::MemoryPlan plan_fit(const Resources& res, const CudaOptions& options, std::size_t n,
                               int d, int k, AssignPath path, std::size_t budget) {
  if (budget == 0) {
    std::size_t free_bytes = 0, total = 0;
    res.mem_info(&free_bytes, &total);
    budget = free_bytes / 5 * 4;
  }
  return cuda_plan::plan_memory(n, d, k, path, budget, options.tile_rows);
}

namespace {

class DeviceEngine final : public KMeansEngine {
 public:
  DeviceEngine(Resources& res, const CudaOptions& options, std::size_t default_budget)
      : res_(res), options_(options), default_budget_(default_budget) {}

  void prepare(MatrixView x, const float* weights, const KMeansParams& params) override {
    params_ = params;
    const int d = static_cast<int>(x.cols);
    const AssignPath path = pick_path(res_, options_, params.k, d);
    const std::size_t budget =
        params.gpu_memory_budget ? params.gpu_memory_budget : default_budget_;
    // The feature stage's scaled matrix is used where it lies (no host round trip).
    const DeviceMatrix* on_device = DeviceMatrix::of(x, res_.device());
    data_.emplace(res_, x, weights, plan_fit(res_, options_, x.rows, d, params.k, path, budget),
                  on_device ? on_device->get() : nullptr);
    fit_.emplace(res_, *data_, params.k, path);
  }
  double variance_sum() override { return fit_->variance_sum(); }
  std::vector<float> init_plus_plus(std::uint64_t seed) override {
    return fit_->init_plus_plus(seed);
  }
  std::vector<float> init_parallel(std::uint64_t seed, double oversampling, int rounds) override {
    return fit_->init_parallel(seed, oversampling, rounds, params_.threads);
  }
  std::vector<float> init_random(std::uint64_t seed) override { return fit_->init_random(seed); }
  KMeansResult lloyd(std::vector<float> start, double tol_abs) override {
    return fit_->lloyd(start, params_.max_iter, tol_abs);
  }

 private:
  Resources& res_;
  CudaOptions options_;
  std::size_t default_budget_;
  KMeansParams params_;
  std::optional<DataSource> data_;  // declared before fit_, which refers to it
  std::optional<DeviceFit> fit_;
};

}  // namespace

std::unique_ptr<KMeansEngine> make_device_engine(Resources& res, const CudaOptions& options,
                                                 std::size_t default_budget) {
  return std::make_unique<DeviceEngine>(res, options, default_budget);
}

}  // namespace segmint::cuda
