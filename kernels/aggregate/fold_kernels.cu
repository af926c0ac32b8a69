// Folding uploaded events into per-user counters with integer atomics (the shared
// detail::fold_event through atomic operations: sums, minima and maxima land in any order with the
// same result), counter initialisation, and the data's time range.
#include "aggregate/aggregate_kernels.hpp"
#include "core/cuda_check.hpp"
#include "core/launch.hpp"

namespace segmint::cuda {
namespace {

using detail::EventCounters;

/// fold_event's operations as integer atomics (plain on the host side of the template, which
/// never runs: the folds run on the device).
struct AtomicOps {
  __host__ __device__ void add(std::uint64_t& a, std::uint64_t v) const {
#ifdef __CUDA_ARCH__
    atomicAdd(reinterpret_cast<unsigned long long*>(&a), static_cast<unsigned long long>(v));
#else
    a += v;
#endif
  }
  /// Money: saturating like PlainOps (a compare-and-swap loop). Away from the int64 limits this
  /// is the plain sum in any order; only a sum that reaches a limit can depend on the order.
  __host__ __device__ void add(std::int64_t& a, std::int64_t v) const {
#ifdef __CUDA_ARCH__
    auto* p = reinterpret_cast<unsigned long long*>(&a);
    unsigned long long seen = *p, expected;
    do {
      expected = seen;
      const std::int64_t next = detail::add_saturating(static_cast<std::int64_t>(expected), v);
      seen = atomicCAS(p, expected, static_cast<unsigned long long>(next));
    } while (seen != expected);
#else
    a = detail::add_saturating(a, v);
#endif
  }
  __host__ __device__ void low(std::int64_t& a, std::int64_t v) const {
#ifdef __CUDA_ARCH__
    atomicMin(reinterpret_cast<long long*>(&a), static_cast<long long>(v));
#else
    a = v < a ? v : a;
#endif
  }
  __host__ __device__ void high(std::int64_t& a, std::int64_t v) const {
#ifdef __CUDA_ARCH__
    atomicMax(reinterpret_cast<long long*>(&a), static_cast<long long>(v));
#else
    a = v > a ? v : a;
#endif
  }
};

__global__ void __launch_bounds__(kBlock)
    init_counters_kernel(EventCounters* c, std::size_t from, std::size_t to) {
  for (std::size_t u = from + global_thread(); u < to; u += grid_threads())
    c[u] = detail::empty_counters();
}

__global__ void __launch_bounds__(kBlock)
    fold_kernel(PassColumns s, std::size_t first, std::size_t rows, std::int64_t tz,
                EventCounters* counters) {
  const AtomicOps ops;
  for (std::size_t i = global_thread(); i < rows; i += grid_threads()) {
    const std::size_t p = first + i;
    detail::fold_event(counters[s.user[p]], s.time[p], s.type[p], s.amount[p], s.session[p],
                       s.order[p], tz, ops);
  }
}

__global__ void __launch_bounds__(kBlock)
    time_range_kernel(const EventCounters* c, std::size_t users, std::int64_t* range) {
  std::int64_t lo = detail::kNoTime, hi = detail::kNoLastTime;
  for (std::size_t u = global_thread(); u < users; u += grid_threads()) {
    lo = c[u].first_event < lo ? c[u].first_event : lo;
    hi = c[u].last_event > hi ? c[u].last_event : hi;
  }
  atomicMin(reinterpret_cast<long long*>(range), static_cast<long long>(lo));
  atomicMax(reinterpret_cast<long long*>(range + 1), static_cast<long long>(hi));
}

__global__ void range_init_kernel(std::int64_t* range) {
  range[0] = detail::kNoTime;
  range[1] = detail::kNoLastTime;
}

}  // namespace

void launch_init_counters(EventCounters* counters, std::size_t from, std::size_t to,
                          cudaStream_t stream) {
  if (to <= from) return;
  init_counters_kernel<<<grid_for(to - from), kBlock, 0, stream>>>(counters, from, to);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_fold(PassColumns store, std::size_t first, std::size_t rows, std::int64_t tz_seconds,
                 EventCounters* counters, cudaStream_t stream) {
  if (rows == 0) return;
  fold_kernel<<<grid_for(rows), kBlock, 0, stream>>>(store, first, rows, tz_seconds, counters);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_time_range(const EventCounters* counters, std::size_t users, std::int64_t* range,
                       cudaStream_t stream) {
  range_init_kernel<<<1, 1, 0, stream>>>(range);
  SEGMINT_CUDA_CHECK_LAUNCH();
  if (users == 0) return;
  time_range_kernel<<<grid_for(users, kBlock, 1024), kBlock, 0, stream>>>(counters, users, range);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
