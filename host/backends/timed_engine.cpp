// TimedEngine: forwards every step, timing it.
#include "backends/timed_engine.hpp"

#include <cstdint>
#include <utility>

#include "common/stopwatch.hpp"

namespace segmint {
namespace {

class TimedEngine final : public KMeansEngine {
 public:
  TimedEngine(std::unique_ptr<KMeansEngine> inner, DeviceStageReport& report)
      : inner_(std::move(inner)), report_(report) {}

  void prepare(MatrixView x, const float* weights, const KMeansParams& params) override {
    Stopwatch w;
    if (!x.device) report_.bytes_to_device += x.rows * x.cols * sizeof(float);
    if (weights) report_.bytes_to_device += x.rows * sizeof(float);
    rows_ = x.rows;
    inner_->prepare(x, weights, params);
    report_.add_ms("kmeans", w.lap());
  }
  double variance_sum() override {
    return timed([&] { return inner_->variance_sum(); });
  }
  std::vector<float> init_plus_plus(std::uint64_t seed) override {
    return timed([&] { return inner_->init_plus_plus(seed); });
  }
  std::vector<float> init_parallel(std::uint64_t seed, double oversampling, int rounds) override {
    return timed([&] { return inner_->init_parallel(seed, oversampling, rounds); });
  }
  std::vector<float> init_random(std::uint64_t seed) override {
    return timed([&] { return inner_->init_random(seed); });
  }
  KMeansResult lloyd(std::vector<float> start, double tol_abs) override {
    KMeansResult r = timed([&] { return inner_->lloyd(std::move(start), tol_abs); });
    report_.bytes_from_device += rows_ * (sizeof(std::int32_t) + sizeof(float));
    return r;
  }

 private:
  /// fn(), its time added to the "kmeans" stage.
  template <class Fn>
  auto timed(Fn&& fn) -> decltype(fn()) {
    Stopwatch w;
    auto result = fn();
    report_.add_ms("kmeans", w.lap());
    return result;
  }

  std::unique_ptr<KMeansEngine> inner_;
  DeviceStageReport& report_;
  std::size_t rows_ = 0;
};

}  // namespace

std::unique_ptr<KMeansEngine> make_timed_engine(std::unique_ptr<KMeansEngine> inner,
                                                DeviceStageReport& report) {
  return std::make_unique<TimedEngine>(std::move(inner), report);
}

}  // namespace segmint
