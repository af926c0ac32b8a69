// make_timed_engine and DeviceStageReport (summary.json "device_stages"): every engine step lands
// in the "kmeans" stage, uploads are counted unless the matrix carries its device copy, and
// stages keep their first-seen order.
#include "backends/timed_engine.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace segmint {
namespace {

/// An engine that only counts its calls.
class CountingEngine final : public KMeansEngine {
 public:
  explicit CountingEngine(int* calls) : calls_(calls) {}
  void prepare(MatrixView, const float*, const KMeansParams&) override { ++*calls_; }
  double variance_sum() override { return ++*calls_, 2.0; }
  std::vector<float> init_plus_plus(std::uint64_t) override {
    return ++*calls_, std::vector<float>(4);
  }
  std::vector<float> init_parallel(std::uint64_t, double, int) override {
    return ++*calls_, std::vector<float>(4);
  }
  std::vector<float> init_random(std::uint64_t) override {
    return ++*calls_, std::vector<float>(4);
  }
  KMeansResult lloyd(std::vector<float>, double) override {
    ++*calls_;
    KMeansResult r;
    r.inertia = 1.5;
    return r;
  }

 private:
  int* calls_;
};

class OnDevice final : public DeviceCopy {};

TEST(TimedEngine, ForwardsEveryStepIntoTheKmeansStageAndCountsCopies) {
  DeviceStageReport report;
  int calls = 0;
  auto engine = make_timed_engine(std::make_unique<CountingEngine>(&calls), report);
  const std::vector<float> x(10 * 3), w(10);
  engine->prepare({x.data(), 10, 3}, w.data(), {});
  EXPECT_EQ(engine->variance_sum(), 2.0);
  EXPECT_EQ(engine->init_plus_plus(1).size(), 4u);
  EXPECT_EQ(engine->init_parallel(1, 2.0, 5).size(), 4u);
  EXPECT_EQ(engine->init_random(1).size(), 4u);
  EXPECT_EQ(engine->lloyd({}, 0.0).inertia, 1.5);
  EXPECT_EQ(calls, 6);
  ASSERT_EQ(report.ms.size(), 1u);
  EXPECT_EQ(report.ms[0].first, "kmeans");
  EXPECT_GE(report.ms[0].second, 0.0);
  EXPECT_EQ(report.bytes_to_device, 10u * 3 * sizeof(float) + 10 * sizeof(float));
  EXPECT_EQ(report.bytes_from_device, 10u * (sizeof(std::int32_t) + sizeof(float)));
}

TEST(TimedEngine, AMatrixOnTheDeviceIsNotUploadedAgain) {
  DeviceStageReport report;
  int calls = 0;
  auto engine = make_timed_engine(std::make_unique<CountingEngine>(&calls), report);
  const std::vector<float> x(10 * 3);
  const OnDevice copy;
  engine->prepare({x.data(), 10, 3, &copy}, nullptr, {});
  EXPECT_EQ(report.bytes_to_device, 0u);
}

TEST(DeviceStageReport, AddsToAStageAndKeepsFirstSeenOrder) {
  DeviceStageReport r;
  EXPECT_TRUE(r.empty());
  r.add_ms("parse", 1.0);
  r.add_ms("upload", 2.0);
  r.add_ms("parse", 0.5);
  ASSERT_EQ(r.ms.size(), 2u);
  EXPECT_EQ(r.ms[0], (std::pair<std::string, double>("parse", 1.5)));
  EXPECT_EQ(r.ms[1], (std::pair<std::string, double>("upload", 2.0)));
  EXPECT_FALSE(r.empty());
}

}  // namespace
}  // namespace segmint
