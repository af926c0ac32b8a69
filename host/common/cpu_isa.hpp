// The instruction sets the hand-vectorised loops (the k-means kernels, the CSV byte scan) are
// built for, detected once, and the tests' override of the choice. Every choice gives the same
// bytes; SEGMINT_CPU_KERNEL=baseline|avx2|avx512 caps it (the golden script runs each).
#pragma once
#include <atomic>

namespace segmint {

enum class CpuIsa { baseline, avx2, avx512, avx512bf16 };

/// The best set this CPU runs: avx512 is F+DQ+VL+BW (every AVX-512 server core has them),
/// avx512bf16 adds AVX512-BF16 (Zen 4, Sapphire Rapids; only the k-means screen uses it), avx2
/// is AVX2+FMA; capped by SEGMINT_CPU_KERNEL, never raised above what the CPU runs.
CpuIsa best_cpu_isa();

/// One loop's choice: the best set, or (tests only) a forced one until reset.
class IsaChoice {
 public:
  CpuIsa current() const {
    const int forced = forced_.load();
    return forced >= 0 ? static_cast<CpuIsa>(forced) : best_cpu_isa();
  }
  /// Runs `isa` (capped at best_cpu_isa()) until reset().
  void force(CpuIsa isa);
  void reset() { forced_ = -1; }
  /// True while a test forces the choice (a forced set runs at every shape).
  bool forced() const { return forced_.load() >= 0; }

 private:
  std::atomic<int> forced_{-1};
};

}  // namespace segmint
