// The CPU backend's entry (OpenMP, vectorised; always available). make_backend() calls it.
#pragma once
#include <memory>

#include "segmint/backend.hpp"

namespace segmint {

/// Creates the CPU backend with `threads` OpenMP threads (0 = all).
std::unique_ptr<Backend> make_cpu_backend(int threads);

}  // namespace segmint
