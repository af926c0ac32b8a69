// The one skip rule of the GPU tests: without a usable device a test skips with the reason.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "backends/cuda_entry.hpp"

/// Skips the test (with the reason) when no usable CUDA device is present.
#define SEGMINT_SKIP_WITHOUT_GPU()                       \
  do {                                                   \
    std::string segmint_why_;                            \
    if (!::segmint::cuda_device_usable(&segmint_why_))   \
      GTEST_SKIP() << "no usable GPU: " << segmint_why_; \
  } while (0)
