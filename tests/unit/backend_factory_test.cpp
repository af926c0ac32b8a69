// The one factory: cpu on request, auto falling back to the CPU with the reason, gpu without a
// usable device stopping with DeviceError; and the CPU backend's feature stage (fold into a base
// table, a row per dictionary user) behind the interface.
#include <gtest/gtest.h>

#include <cstring>

#include "backend_support.hpp"
#include "features_fixture.hpp"
#include "segmint/backend.hpp"
#include "segmint/error.hpp"
#include "store_test_support.hpp"

namespace segmint::test {
namespace {

// True when auto picks the GPU (then there is no fallback to test).
bool gpu_usable() { return make_backend(BackendOptions{})->name() == "cuda"; }

bool same_bits(const FeatureMatrix& a, const FeatureMatrix& b) {
  return a.rows == b.rows && a.cols == b.cols && a.names == b.names &&
         std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(float)) == 0;
}

TEST(BackendFactory, CpuOnRequestWithoutAReason) {
  std::string reason = "stale";
  BackendOptions o;
  o.device = DeviceChoice::cpu;
  o.cpu_threads = 3;
  auto b = make_backend(o, &reason);
  EXPECT_EQ(b->name(), "cpu");
  EXPECT_EQ(b->description(), "cpu (3 OpenMP threads)");
  EXPECT_TRUE(reason.empty());
}

TEST(BackendFactory, AutoFallsBackToTheCpuAndSaysWhy) {
  if (gpu_usable()) GTEST_SKIP() << "a GPU is usable: auto does not fall back";
  std::string reason;
  auto b = make_backend(BackendOptions{}, &reason);
  EXPECT_EQ(b->name(), "cpu");
  EXPECT_FALSE(reason.empty());
  if (!cuda_backend_compiled()) {
    EXPECT_NE(reason.find("no CUDA backend"), std::string::npos) << reason;
  } else {
    EXPECT_NE(reason.find("no CUDA device"), std::string::npos) << reason;
  }
}

TEST(BackendFactory, GpuWithoutADeviceIsADeviceErrorWithTheReason) {
  if (gpu_usable()) GTEST_SKIP() << "a GPU is usable";
  BackendOptions o;
  o.device = DeviceChoice::gpu;
  try {
    make_backend(o);
    FAIL() << "no DeviceError";
  } catch (const DeviceError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--device gpu: ", 0), 0u) << e.what();
  }
}

TEST(BackendFactory, ParsesTheDeviceChoice) {
  EXPECT_EQ(parse_device_choice("auto"), DeviceChoice::automatic);
  EXPECT_EQ(parse_device_choice("cpu"), DeviceChoice::cpu);
  EXPECT_EQ(parse_device_choice("gpu"), DeviceChoice::gpu);
  EXPECT_EQ(parse_device_choice("cuda"), DeviceChoice::gpu);
  EXPECT_THROW(parse_device_choice("tpu"), UsageError);
}

TEST(BackendFeatureStage, CpuStageIsAggregateThenComputeFeaturesBitForBit) {
  const EventBatch all = random_events(3000, 40, 5);
  const EventBatch first = take_rows(all, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  std::vector<std::size_t> rest_idx;
  for (std::size_t i = 10; i < all.size(); ++i) rest_idx.push_back(i);
  const EventBatch rest = take_rows(all, rest_idx);
  UserDictionary users;
  for (int u = 0; u < 50; ++u) users.intern("u" + std::to_string(u));  // 10 without events

  FeatureStageOptions o;
  o.users = &users;
  VectorSource source({first, rest});
  const FeatureStageResult r = cpu_backend(2)->features(source, o, nullptr);
  UserTable t;
  t.add(all);
  t.ensure_users(50);
  std::int64_t as_of = 0;
  EXPECT_TRUE(same_bits(r.raw, compute_features(t, FeatureOptions{}, &as_of)));
  EXPECT_EQ(r.raw.rows, 50u);
  EXPECT_EQ(r.as_of, as_of);
  EXPECT_GE(r.read_ms, 0);
  EXPECT_GE(r.aggregate_ms, 0);
  EXPECT_GE(r.features_ms, 0);
}

TEST(BackendFeatureStage, FoldsTonightIntoTheBaseTableAndHandsItBack) {
  const EventBatch all = random_events(2000, 30, 6);
  std::vector<std::size_t> a, b;
  for (std::size_t i = 0; i < all.size(); ++i) (i % 3 ? a : b).push_back(i);
  UserTable base;
  base.add(take_rows(all, a));
  VectorSource tonight({take_rows(all, b)});
  const FeatureStageResult r = cpu_backend(2)->features(tonight, FeatureStageOptions{}, &base);
  UserTable whole;
  whole.add(all);
  EXPECT_TRUE(same_bits(r.raw, compute_features(whole, FeatureOptions{})));
  EXPECT_TRUE(same_bits(compute_features(base, FeatureOptions{}), r.raw));  // base is merged
}

}  // namespace
}  // namespace segmint::test
