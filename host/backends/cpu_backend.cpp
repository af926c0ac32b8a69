// The CPU backend: the host feature stage, the k-means engine over host/kmeans (inits, Lloyd)
// and the blocked assignment pass.
#include "backends/cpu_backend.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "backends/feature_stage.hpp"
#include "backends/input_check.hpp"
#include "backends/kmeans_driver.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "segmint/error.hpp"

namespace segmint {
namespace {

/// The CPU k-means steps the driver runs; params.threads is resolved by the backend.
class CpuKMeansEngine final : public KMeansEngine {
 public:
  void prepare(MatrixView x, const float* weights, const KMeansParams& params) override {
    x_ = x;
    w_ = weights;
    params_ = params;
  }
  // From given centroids nothing reads x before the first Lloyd pass, which tests its values.
  bool tests_matrix_in_lloyd(const KMeansParams& params) const override {
    return params.init == InitMethod::given;
  }
  double variance_sum() override { return kmeans::feature_variance_sum(x_, params_.threads); }
  std::vector<float> init_plus_plus(std::uint64_t seed) override {
    kmeans::Rng rng(seed);
    return kmeans::init_kmeans_pp(x_, w_, params_.k, rng, params_.threads);
  }
  std::vector<float> init_parallel(std::uint64_t seed, double oversampling, int rounds) override {
    return kmeans::init_kmeans_parallel(x_, w_, params_.k, oversampling, rounds, seed,
                                        params_.threads);
  }
  std::vector<float> init_random(std::uint64_t seed) override {
    kmeans::Rng rng(seed);
    return kmeans::init_random(x_, params_.k, rng);
  }
  KMeansResult lloyd(std::vector<float> start, double tol_abs) override {
    KMeansResult out;
    const float limit =
        tests_matrix_in_lloyd(params_) ? matrix_value_limit(x_.cols) : 0.f;  // 0: no test
    if (!kmeans::lloyd(x_, w_, params_.k, std::move(start), params_, tol_abs, out, limit)) {
      check_finite_matrix(x_, "feature matrix", params_.threads);  // throws the value's place
      throw RuntimeError("k-means: the first pass found a value out of range, the scan none");
    }
    return out;
  }

 private:
  MatrixView x_{};
  const float* w_ = nullptr;
  KMeansParams params_;
};

class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(int threads) : Backend(kmeans::resolve_threads(threads)) {}
  std::string name() const override { return "cpu"; }
  std::string description() const override {
    const int t = host_threads();
    return "cpu (" + std::to_string(t) + " OpenMP thread" + (t == 1 ? "" : "s") + ")";
  }

  FeatureStageResult features(EventSource& events, const FeatureStageOptions& options,
                              UserTable* base) override {
    return cpu_feature_stage(events, options, base);
  }

 protected:
  std::unique_ptr<KMeansEngine> kmeans_engine() override {
    return std::make_unique<CpuKMeansEngine>();
  }

  void assign_rows(MatrixView x, const float* centroids, int k, std::int32_t* labels,
                   float* distances) override {
    const int threads = host_threads();
    kmeans::CentroidTable table;
    table.load(centroids, k, static_cast<int>(x.cols));
    std::fill(labels, labels + x.rows, -1);
    kmeans::assign_pass(x, nullptr, table, labels, distances, nullptr, threads);
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(kmeans::team_size(x.rows, threads))
    for (std::size_t i = 0; i < x.rows; ++i) distances[i] = std::sqrt(distances[i]);
  }
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(int threads) {
  return std::make_unique<CpuBackend>(threads);
}

}  // namespace segmint
