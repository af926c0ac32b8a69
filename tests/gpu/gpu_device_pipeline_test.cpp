// The device pipeline's hand-offs on a GPU: the scale step on the device against the host's fit
// and transform (DESIGN.md contract 3 tolerances), k-means from the scaled matrix's device copy
// against the same fit from host memory (bit for bit), and the stage report summary.json takes.
#include <cmath>
#include <cstring>
#include <memory>

#include "backends/cuda_entry.hpp"
#include "features_gpu_support.hpp"
#include "segmint/backend.hpp"
#include "segmint/features.hpp"

namespace segmint::test {
namespace {

struct Scaled {
  std::unique_ptr<Backend> backend;
  FeatureMatrix raw, x;
  Scaler scaler;
};

/// Device features of random events, scaled by a CUDA backend (log1p + z-score).
Scaled scaled_on_device() {
  Scaled s;
  s.backend = make_cuda_backend(BackendOptions{});
  s.raw =
      compute_features_gpu(random_events(3000, 60000, 21), AggregateOptions{}, FeatureOptions{});
  s.x = s.backend->scale(s.raw, TransformOptions{}, &s.scaler);
  return s;
}

bool near(double a, double b, double rel) {
  return std::fabs(a - b) <= std::max(1e-6, rel * std::max(std::fabs(a), std::fabs(b)));
}

TEST(GpuDevicePipeline, ScaleOnTheDeviceMatchesTheHostFitAndTransform) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const Scaled s = scaled_on_device();
  ASSERT_NE(s.raw.device, nullptr) << "the feature stage attaches its device copy";
  ASSERT_NE(s.x.device, nullptr) << "the scale step attaches its device copy";
  const Scaler host = fit_scaler(s.raw, TransformOptions{});
  const FeatureMatrix hx = host.transform(s.raw);
  ASSERT_EQ(s.scaler.names, host.names);
  EXPECT_EQ(s.scaler.dropped_constant, host.dropped_constant);
  EXPECT_EQ(s.scaler.log1p, host.log1p);
  for (std::size_t j = 0; j < host.names.size(); ++j) {
    EXPECT_TRUE(near(s.scaler.mean[j], host.mean[j], 1e-9)) << host.names[j];
    EXPECT_TRUE(near(s.scaler.stddev[j], host.stddev[j], 1e-9)) << host.names[j];
  }
  ASSERT_EQ(s.x.values.size(), hx.values.size());
  std::size_t bad = 0;
  for (std::size_t i = 0; i < hx.values.size(); ++i)
    bad += !near(s.x.values[i], hx.values[i], 1e-5);
  EXPECT_EQ(bad, 0u);
  // A matrix without a device copy (read from a file) is uploaded and gives the same result.
  FeatureMatrix plain = s.raw;
  plain.device.reset();
  Scaler again;
  const FeatureMatrix y = s.backend->scale(plain, TransformOptions{}, &again);
  EXPECT_EQ(y.values, s.x.values);
  EXPECT_EQ(s.backend->apply_scaler(plain, s.scaler).values, s.x.values);
}

TEST(GpuDevicePipeline, KMeansFromTheDeviceCopyEqualsKMeansFromHostMemory) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const Scaled s = scaled_on_device();
  KMeansParams p;
  p.k = 6;
  p.seed = 5;
  p.n_init = 2;
  const KMeansResult on_device = s.backend->kmeans(s.x.view(), nullptr, p);
  MatrixView host = s.x.view();
  host.device = nullptr;
  const KMeansResult from_host = s.backend->kmeans(host, nullptr, p);
  EXPECT_EQ(on_device.labels, from_host.labels);
  ASSERT_EQ(on_device.centroids.size(), from_host.centroids.size());
  EXPECT_EQ(std::memcmp(on_device.centroids.data(), from_host.centroids.data(),
                        on_device.centroids.size() * sizeof(float)),
            0);
  EXPECT_EQ(on_device.inertia, from_host.inertia);
  const DeviceStageReport r = s.backend->device_report();
  for (const char* stage : {"features", "download", "kmeans"}) {
    bool seen = false;
    for (const auto& [name, ms] : r.ms) seen = seen || (name == stage && ms >= 0);
    EXPECT_TRUE(seen) << stage;
  }
  EXPECT_GT(r.bytes_from_device, 0u);
}

}  // namespace
}  // namespace segmint::test
