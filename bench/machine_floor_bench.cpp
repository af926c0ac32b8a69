// This machine's floor for the CPU backend: streaming read bandwidth and fused multiply-add rate
// on all threads (the widest vector unit present), printed as one JSON line that
// bench/peers_cpu.py turns into a per-iteration floor for Lloyd (max of bytes / bandwidth and
// n*k*d / FMA rate). Also the rates of products taken in int16 or bf16 pairs, for what a
// narrower screen could gain (the floor does not use them). Not a Google Benchmark: a plain
// measurement, best of a few repeats.
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Sum of a[begin, end) as 32-bit integers with four ymm accumulators (begin, end multiples of 32).
__attribute__((target("avx2"))) std::uint32_t sum_range(const std::uint32_t* a, std::size_t begin,
                                                        std::size_t end) {
  __m256i s[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                  _mm256_setzero_si256()};
  for (std::size_t i = begin; i < end; i += 32)
    for (int q = 0; q < 4; ++q)
      s[q] = _mm256_add_epi32(s[q],
                              _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i + 8 * q)));
  const __m256i t = _mm256_add_epi32(_mm256_add_epi32(s[0], s[1]), _mm256_add_epi32(s[2], s[3]));
  return static_cast<std::uint32_t>(_mm256_extract_epi32(t, 0) + _mm256_extract_epi32(t, 5));
}

// GB/s reading `bytes` floats once per repeat with all threads (sums keep the loads alive).
double read_bandwidth(std::size_t bytes) {
  const std::size_t n = bytes / sizeof(std::uint32_t);
  std::vector<std::uint32_t> a(n);
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) a[i] = static_cast<std::uint32_t>(i & 7);
  double best = 0, sink = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const double t0 = now();
    std::uint64_t total = 0;
    const std::size_t blocks = n / 32, per = 1 << 15;  // 128 KiB per task
#pragma omp parallel for schedule(static) reduction(+ : total)
    for (std::size_t b = 0; b < blocks; b += per / 32)
      total += sum_range(a.data(), b * 32, std::min(blocks, b + per / 32) * 32);
    const double dt = now() - t0;
    sink += total;
    if (bytes / dt / 1e9 > best) best = bytes / dt / 1e9;
  }
  if (sink == 42) std::puts("");
  return best;
}

// Twelve independent chains of fused multiply-adds (enough to cover the FMA latency). All twelve
// feed the result: returning one chain let the compiler drop the other eleven, so the rate was
// one chain's latency-bound rate times twelve (a floor ~1.5x too low before 2026-12-04).
#define SEGMINT_FMA_LOOP(V, SET1, FMA)           \
  V a[12];                                       \
  for (auto& v : a) v = SET1(0.999f);            \
  const V b = SET1(0.999f), c = SET1(1e-3f);     \
  for (long it = 0; it < iters; ++it)            \
    for (auto& v : a) v = FMA(v, b, c);          \
  V sum = a[0];                                  \
  for (int q = 1; q < 12; ++q) sum = sum + a[q]; \
  float first;                                   \
  __builtin_memcpy(&first, &sum, sizeof first);  \
  return 12 * static_cast<double>(first != 42);  // chains run

__attribute__((target("avx512f"))) double fma512(long iters) {
  SEGMINT_FMA_LOOP(__m512, _mm512_set1_ps, _mm512_fmadd_ps)
}
__attribute__((target("avx2,fma"))) double fma256(long iters) {
  SEGMINT_FMA_LOOP(__m256, _mm256_set1_ps, _mm256_fmadd_ps)
}

// The narrower products a screen could take instead of float FMAs, each step adding
// x_{2p} y_{2p} + x_{2p+1} y_{2p+1} per 32-bit lane into one of N independent chains: int16
// pairs on AVX2 (vpmaddwd, then vpaddd: no AVX2 instruction adds in place; six chains, as
// twelve do not fit 16 registers with their inputs) and bf16 pairs on AVX512-BF16 (vdpbf16ps, as
// the bf16 screen). The barrier on x each step keeps the products in the loop (their inputs
// never change, so they would be hoisted and only the adds timed).
#define SEGMINT_PAIR_LOOP(V, SET1, STEP, N)                            \
  V a[N];                                                              \
  for (auto& v : a) v = SET1(1);                                       \
  V x[2] = {SET1(3), SET1(5)}, y[N / 2];                               \
  for (int q = 0; q < N / 2; ++q) y[q] = SET1(2 * q + 2);              \
  for (long it = 0; it < iters; ++it) {                                \
    asm volatile("" : "+v"(x[0]), "+v"(x[1]));                         \
    for (int q = 0; q < N; ++q) a[q] = STEP(a[q], x[q % 2], y[q / 2]); \
  }                                                                    \
  V sum = a[0];                                                        \
  for (int q = 1; q < N; ++q) sum = sum + a[q];                        \
  int first;                                                           \
  __builtin_memcpy(&first, &sum, sizeof first);                        \
  return N * static_cast<double>(first != 42);  // chains run

__attribute__((target("avx2"))) inline __m256i madd_step(__m256i acc, __m256i x, __m256i y) {
  return _mm256_add_epi32(acc, _mm256_madd_epi16(x, y));
}
__attribute__((target("avx2"))) double int16_pairs256(long iters) {
  SEGMINT_PAIR_LOOP(__m256i, _mm256_set1_epi16, madd_step, 6)
}
__attribute__((target("avx512f,avx512bf16"))) inline __m512 bf16_step(__m512 acc, __m512 x,
                                                                      __m512 y) {
  return _mm512_dpbf16_ps(acc, reinterpret_cast<__m512bh>(x), reinterpret_cast<__m512bh>(y));
}
__attribute__((target("avx512f,avx512bf16"))) double bf16_pairs512(long iters) {
  SEGMINT_PAIR_LOOP(__m512, _mm512_set1_ps, bf16_step, 12)
}

// Products per second on all threads: the best of three runs of `run` on every thread at once,
// which returns the chains it ran, each `iters` steps of `lanes` products.
template <class Run>
double best_rate(long iters, int lanes, Run run) {
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    const double t0 = now();
    double chains = 0;  // summed over the threads
#pragma omp parallel reduction(+ : chains)
    chains += run();
    best = std::max(best, chains * iters * lanes / (now() - t0));
  }
  return best;
}

constexpr long kIters = 20'000'000;

// Products (two per 32-bit lane a step) per second on all threads: int16 pairs (bf16 false)
// with AVX2, bf16 pairs with AVX512-BF16; 0 where the CPU has no such instruction.
double pair_mac_rate(bool bf16) {
  __builtin_cpu_init();
  if (bf16 ? !__builtin_cpu_supports("avx512bf16") : !__builtin_cpu_supports("avx2")) return 0;
  return best_rate(kIters, bf16 ? 32 : 16,  // products per instruction (step)
                   [&] { return bf16 ? bf16_pairs512(kIters) : int16_pairs256(kIters); });
}

// Lane-FMAs per second on all threads with the widest unit, and that width.
double fma_rate(int& lanes) {
  __builtin_cpu_init();
  lanes = __builtin_cpu_supports("avx512f") ? 16 : __builtin_cpu_supports("fma") ? 8 : 0;
  if (lanes == 0) return 0;
  return best_rate(kIters, lanes, [&] { return lanes == 16 ? fma512(kIters) : fma256(kIters); });
}

}  // namespace

int main() {
  const char* mb = std::getenv("SEGMINT_FLOOR_MB");
  const double gbs = read_bandwidth((mb ? std::atol(mb) : 1024) * std::size_t{1} << 20);
  int lanes = 0;
  const double fma = fma_rate(lanes);
  std::printf(
      "{\"threads\": %d, \"read_gb_per_s\": %.2f, \"fma_lanes\": %d, "
      "\"lane_fma_per_s\": %.4g, \"int16_pair_mac_per_s\": %.4g, \"bf16_pair_mac_per_s\": %.4g}\n",
      omp_get_max_threads(), gbs, lanes, fma, pair_mac_rate(false), pair_mac_rate(true));
  return 0;
}
