// The CUDA backend: cuda_device_usable / make_cuda_backend (the seam in host/cuda_entry.hpp),
// and the Backend implementation that plans memory, runs n_init device fits and keeps the best.
#include <cmath>
#include <memory>

#include "backends/cuda_entry.hpp"
#include "kmeans/device_fit.hpp"
#include "kmeans/gpu_host_rng.hpp"
#include "kmeans/kmeans_kernels.hpp"
#include "core/resources.hpp"
#include "segmint/error.hpp"

namespace segmint {
namespace cuda {
namespace {

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(const cuda_plan::CudaOptions& options) : options_(options) {}

  std::string name() const override { return "cuda"; }
  std::string description() const override {
    return "cuda (" + res_.name() + ", " + std::to_string(res_.sm_count()) + " SMs)";
  }

  KMeansResult kmeans(MatrixView x, const float* weights, const KMeansParams& params) override {
    // The CPU backend's checks (host/kmeans): bad input reports the same on every device.
    check_kmeans_input(x, weights, params);
    const int k = params.k, d = static_cast<int>(x.cols);
    const bool given = params.init == InitMethod::given;
    const cuda_plan::AssignPath path = pick_path(k, d);
    DataSource data(res_, x, weights, plan(x.rows, d, k, path, params.gpu_memory_budget));
    DeviceFit fit(res_, data, k, path);
    const double tol_abs = fit.absolute_tolerance(params.tol);
    const int runs = given ? 1 : params.n_init;
    KMeansResult best;
    for (int run = 0; run < runs; ++run) {
      const std::uint64_t seed = gpu::run_seed(params.seed, run);
      std::vector<float> init;
      switch (params.init) {
        case InitMethod::given: init = params.initial_centroids; break;
        case InitMethod::random: init = fit.init_random(seed); break;
        case InitMethod::kmeans_parallel:
          init = fit.init_parallel(seed, params.oversampling, params.parallel_rounds);
          break;
        default: init = fit.init_plus_plus(seed); break;
      }
      KMeansResult r = fit.lloyd(init, params.max_iter, tol_abs);
      r.best_init = run;
      if (run == 0 || r.inertia < best.inertia) best = std::move(r);  // first on ties
    }
    return best;
  }

  void assign(MatrixView x, const float* centroids, int k, std::int32_t* labels,
              float* distances) override {
    if (k < 1) throw UsageError("assign: k must be at least 1");
    if (x.rows == 0) return;
    check_finite_matrix(x, "feature matrix");
    const int d = static_cast<int>(x.cols);
    const cuda_plan::AssignPath path = pick_path(k, d);
    DataSource data(res_, x, nullptr, plan(x.rows, d, k, path, 0));
    DeviceFit fit(res_, data, k, path);
    DeviceBuffer<float> c(static_cast<std::size_t>(k) * d);
    SEGMINT_CUDA_CHECK(cudaMemcpyAsync(c.get(), centroids, c.size() * 4, cudaMemcpyHostToDevice,
                                       res_.compute()));
    fit.assign_pass(c.get(), false);
    std::vector<std::int32_t> l;
    std::vector<float> dist;
    fit.download(l, dist);
    std::copy(l.begin(), l.end(), labels);
    std::copy(dist.begin(), dist.end(), distances);
  }

 private:
  cuda_plan::AssignPath pick_path(int k, int d) const {
    cuda_plan::AssignPath p = cuda_plan::choose_path(k, d, options_);
    // Automatic choice falls back to gemm when the fused kernel's shared memory does not fit.
    if (p == cuda_plan::AssignPath::fused && options_.path == cuda_plan::AssignPath::automatic &&
        fused_smem_bytes(k, d, true) > res_.smem_optin())
      p = cuda_plan::AssignPath::gemm;
    return p;
  }

  cuda_plan::MemoryPlan plan(std::size_t n, int d, int k, cuda_plan::AssignPath path,
                             std::size_t budget) {
    if (budget == 0) {
      std::size_t free_bytes = 0, total = 0;
      res_.mem_info(&free_bytes, &total);
      budget = free_bytes / 5 * 4;
    }
    return cuda_plan::plan_memory(n, d, k, path, budget, options_.tile_rows);
  }

  Resources res_;
  cuda_plan::CudaOptions options_;
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

std::unique_ptr<Backend> make_cuda_backend() { return make_cuda_backend(cuda_plan::CudaOptions{}); }

std::unique_ptr<Backend> make_cuda_backend(const cuda_plan::CudaOptions& options) {
  std::string why;
  if (!cuda_device_usable(&why)) throw DeviceError(why);
  return std::make_unique<cuda::CudaBackend>(options);
}

}  // namespace segmint
