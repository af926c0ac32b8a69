#include "common/cpu_isa.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace segmint {
namespace {

CpuIsa detect() {
  CpuIsa isa = CpuIsa::baseline;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) isa = CpuIsa::avx2;
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw"))
    isa = CpuIsa::avx512;
  if (isa == CpuIsa::avx512 && __builtin_cpu_supports("avx512bf16")) isa = CpuIsa::avx512bf16;
#endif
  if (const char* cap = std::getenv("SEGMINT_CPU_KERNEL")) {
    if (std::strcmp(cap, "baseline") == 0) isa = CpuIsa::baseline;
    if (std::strcmp(cap, "avx2") == 0) isa = std::min(isa, CpuIsa::avx2);
    if (std::strcmp(cap, "avx512") == 0) isa = std::min(isa, CpuIsa::avx512);
  }
  return isa;
}

}  // namespace

CpuIsa best_cpu_isa() {
  static const CpuIsa best = detect();
  return best;
}

void IsaChoice::force(CpuIsa isa) { forced_ = static_cast<int>(std::min(isa, best_cpu_isa())); }

}  // namespace segmint
