// Failures on the GPU path are exceptions with context, never crashes: bad input is an
// InputError or UsageError (exit 2, as on the CPU backend), out-of-memory and impossible budgets a DeviceError (exit 3).
#include "core/cuda_raii.hpp"
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
