// cuBLAS is loaded on first use, not at start (kernels/core/cublas_lazy.cpp). Loading the library
// and naming its statuses needs no device, so this runs wherever the CUDA backend is built.
#include "core/cublas_lazy.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/cuda_check.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda {
namespace {

TEST(CublasLazy, LoadsOnFirstUseAndResolvesEveryEntryPoint) {
  const blas::Api& api = blas::api();
  EXPECT_TRUE(blas::loaded());
  for (const void* f :
       {reinterpret_cast<const void*>(api.create), reinterpret_cast<const void*>(api.destroy),
        reinterpret_cast<const void*>(api.set_stream),
        reinterpret_cast<const void*>(api.set_math_mode),
        reinterpret_cast<const void*>(api.set_workspace),
        reinterpret_cast<const void*>(api.sgemm)}) {
    EXPECT_NE(f, nullptr);
  }
  EXPECT_EQ(std::string(api.status_name(CUBLAS_STATUS_NOT_INITIALIZED)),
            "CUBLAS_STATUS_NOT_INITIALIZED");
  EXPECT_EQ(&blas::api(), &api);  // loaded once
}

TEST(CublasLazy, AFailedCallNamesItsStatusThroughTheLoadedLibrary) {
  try {
    SEGMINT_CUBLAS_CHECK(CUBLAS_STATUS_INVALID_VALUE);
    FAIL() << "no throw";
  } catch (const DeviceError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("CUBLAS_STATUS_INVALID_VALUE"), std::string::npos) << what;
    EXPECT_NE(what.find("cublas_lazy_test.cpp"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace segmint::cuda
