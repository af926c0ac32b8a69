// Failures on the GPU path are exceptions with context, never crashes: bad input is an
// InputError or UsageError (exit 2, as on the CPU backend), out-of-memory and impossible budgets
// a DeviceError (exit 3), and a failure leaves the next fit in the process unharmed.
#include "core/cuda_raii.hpp"
#include "features_gpu_support.hpp"
#include "gpu_test_support.hpp"
#include "segmint/error.hpp"

namespace segmint::test {
namespace {

TEST(GpuErrors, DeviceQueryGivesAReasonWhenUnusable) {
  std::string why;
  if (cuda_device_usable(&why)) GTEST_SKIP() << "a device is present; nothing to check";
  EXPECT_EQ(why.rfind("no CUDA device", 0), 0u) << why;
  EXPECT_THROW(cuda_backend(), DeviceError);
}

TEST(GpuErrors, OutOfMemoryIsADeviceErrorNamingTheCall) {
  SEGMINT_SKIP_WITHOUT_GPU();
  try {
    cuda::DeviceBuffer<float> huge(std::size_t{1} << 46);  // 256 TiB
    FAIL() << "allocation succeeded";
  } catch (const DeviceError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("cudaErrorMemoryAllocation"), std::string::npos) << what;
    EXPECT_NE(what.find("cuda_raii.hpp:"), std::string::npos) << what;
  }
}

// Issue 12: a failed cudaMalloc leaves cudaErrorMemoryAllocation in the runtime's last-error
// slot; unless the error path clears it, the next launch check in this process reports it. The
// failures and the fits run in one test so that they share a process however ctest runs them.
TEST(GpuErrors, OutOfMemoryDoesNotPoisonTheNextFit) {
  SEGMINT_SKIP_WITHOUT_GPU();
  EXPECT_THROW(cuda::DeviceBuffer<float>(std::size_t{1} << 46), DeviceError);
  Blobs b = make_blobs(20000, 8, 4, 5.0, 2);
  KMeansParams p;
  p.k = 4;
  p.init = InitMethod::given;
  p.initial_centroids = strided_rows(b, 4);
  p.max_iter = 10;
  p.tol = 0;
  const KMeansResult ref = reference_lloyd(b.view(), nullptr, p.initial_centroids, 4, 10, 0);
  for (auto path : {AssignPath::fused, AssignPath::gemm}) {
    CudaOptions o;
    o.path = path;
    KMeansResult g;
    ASSERT_NO_THROW(g = cuda_backend(o)->kmeans(b.view(), nullptr, p));
    EXPECT_GE(label_agreement(g.labels, ref.labels), 0.9999);
    // A failed pinned allocation between fits, too.
    EXPECT_THROW(cuda::PinnedBuffer<float>(std::size_t{1} << 46), DeviceError);
  }
  EXPECT_THROW(cuda::DeviceBuffer<float>(std::size_t{1} << 46), DeviceError);
  const EventBatch ev = random_events(300, 5000, 4);  // the feature stage's launches too
  FeatureMatrix f;
  ASSERT_NO_THROW(f = compute_features_gpu(ev, AggregateOptions{}, FeatureOptions{}));
  expect_features_near(f, cpu_features(ev, AggregateOptions{}, FeatureOptions{}));
}

TEST(GpuErrors, BudgetTooSmallEvenForStreaming) {
  SEGMINT_SKIP_WITHOUT_GPU();
  Blobs b = make_blobs(100000, 16, 4, 5.0, 1);
  KMeansParams p;
  p.k = 4;
  p.gpu_memory_budget = 1 << 20;
  EXPECT_THROW(cuda_backend()->kmeans(b.view(), nullptr, p), DeviceError);
}

TEST(GpuErrors, BadInputIsAnInputError) {
  SEGMINT_SKIP_WITHOUT_GPU();
  Blobs b = make_blobs(100, 4, 2, 5.0, 1);
  auto be = cuda_backend();
  KMeansParams p;
  p.k = 101;  // more clusters than rows
  EXPECT_THROW(be->kmeans(b.view(), nullptr, p), InputError);
  p.k = 0;  // a usage error, as on the CPU backend
  EXPECT_THROW(be->kmeans(b.view(), nullptr, p), UsageError);
  p.k = 2;
  std::vector<float> neg(b.n, 1.f);
  neg[7] = -1.f;
  EXPECT_THROW(be->kmeans(b.view(), neg.data(), p), InputError);
  Blobs nan = b;
  nan.x[13] = std::nanf("");
  EXPECT_THROW(be->kmeans(nan.view(), nullptr, p), InputError);
  p.k = 3;
  p.init = InitMethod::given;
  p.initial_centroids = {1.f, 2.f};  // not 3 x 4
  EXPECT_THROW(be->kmeans(b.view(), nullptr, p), InputError);
  CudaOptions o;
  o.path = AssignPath::fused;
  Blobs wide = make_blobs(100, 65, 2, 5.0, 1);
  p.init = InitMethod::kmeans_plus_plus;
  EXPECT_THROW(cuda_backend(o)->kmeans(wide.view(), nullptr, p), DeviceError);
}

}  // namespace
}  // namespace segmint::test
