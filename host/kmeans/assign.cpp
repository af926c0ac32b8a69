// The CPU backend's assignment pass: the centroid table, the choice of kernel for this CPU, and
// the loop over fixed row chunks whose partial sums are added in chunk order.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/cpu_isa.hpp"
#include "common/omp_guard.hpp"
#include "kmeans/assign_chunk.hpp"
#include "kmeans/init_chunk.hpp"
#include "segmint/error.hpp"

namespace segmint::kmeans {

int resolve_threads(int threads) { return threads > 0 ? threads : omp_get_max_threads(); }

int team_size(std::size_t n, int threads) {
  const std::size_t chunks = chunk_count(n), t = static_cast<std::size_t>(resolve_threads(threads));
  return static_cast<int>(std::max<std::size_t>(1, std::min(chunks, t)));
}

void CentroidTable::load(const float* centroids, int k_, int d_) {
  k = k_;
  d = d_;
  kpad = (k + kBlock - 1) / kBlock * kBlock;
  rows.assign(centroids, centroids + static_cast<std::size_t>(k) * d);
  screen.assign(static_cast<std::size_t>(d) * kpad, 0.f);
  cn.assign(kpad, std::numeric_limits<float>::infinity());
  cn_max = 0;
  bool finite = true;
  for (int c = 0; c < k; ++c) {
    for (int j = 0; j < d; ++j) {
      const float v = centroids[static_cast<std::size_t>(c) * d + j];
      screen[static_cast<std::size_t>(j) * kpad + c] = -2.f * v;
      finite = finite && std::isfinite(-2.f * v);
    }
    cn[c] = detail::centroid_norm(centroids + static_cast<std::size_t>(c) * d, d);
    finite = finite && std::isfinite(cn[c]);
    cn_max = std::max(cn_max, cn[c]);
  }
  bound = ScreenBound::make(cn_max, d, finite);  // not finite: every centroid ranked exactly
}

namespace {

struct Kernel {
  ChunkFn chunk;
  DistFn dist;
};

constexpr Kernel kKernels[] = {{assign_chunk_base, label_dist_base},
                               {assign_chunk_avx2, label_dist_avx2},
                               {assign_chunk_avx512, label_dist_avx512}};

// The kernel this process runs (assign_avx512.cpp is built for F+DQ+VL+BW: common/cpu_isa).
IsaChoice g_choice;

const Kernel& kernel() { return kKernels[static_cast<int>(g_choice.current())]; }

constexpr InitKernel kInitKernels[] = {{to_centre_base, trial_sums_base},
                                       {to_centre_avx2, trial_sums_avx2},
                                       {to_centre_avx512, trial_sums_avx512}};

// The chunks' partials added in chunk order (so the totals do not depend on the thread count):
// each of the k d + k + 3 columns is its own sum, first chunk to last.
void add_partials(const double* partial, std::size_t chunks, std::size_t stride, int k, int d,
                  PassTotals& totals) {
  std::vector<double> column(stride, 0.0);
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    const double* p = partial + ch * stride;
    for (std::size_t q = 0; q < stride; ++q) column[q] += p[q];
  }
  const std::size_t kd = static_cast<std::size_t>(k) * d;
  totals.sums.assign(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(kd));
  totals.weights.assign(column.begin() + static_cast<std::ptrdiff_t>(kd),
                        column.begin() + static_cast<std::ptrdiff_t>(kd + k));
  totals.inertia = column[kd + k];
  totals.changed = static_cast<std::size_t>(column[kd + k + 1]);
  totals.skipped = static_cast<std::size_t>(column[kd + k + 2]);
}

}  // namespace

const InitKernel& init_kernel() { return kInitKernels[static_cast<int>(g_choice.current())]; }

KernelIsa best_kernel_isa() { return best_cpu_isa(); }
void force_kernel_isa(KernelIsa isa) { g_choice.force(isa); }
void reset_kernel_isa() { g_choice.reset(); }
void use_baseline_kernel(bool on) {
  if (on)
    force_kernel_isa(KernelIsa::baseline);
  else
    reset_kernel_isa();
}

void assign_pass(MatrixView x, const float* weights, const CentroidTable& table,
                 std::int32_t* labels, float* dist_sq, PassTotals* totals, int threads,
                 const BoundArgs* bounds, RangeCheck* check) {
  const std::size_t n = x.rows, chunks = chunk_count(n);
  const int k = table.k, d = table.d;
  const std::size_t stride = static_cast<std::size_t>(k) * d + k + 3;
  // Every chunk writes its whole slot (sums, weights and the three counters): no zeroing.
  double* partial = nullptr;
  if (totals) {
    if (totals->partial.size() < chunks * stride) totals->partial.resize(chunks * stride);
    partial = totals->partial.data();
  }
  // A bounded pass that shifts lets proven rows skip loading: it cannot test every value.
  if (check && bounds && bounds->shift)
    throw RuntimeError("assign_pass: a range check needs every row loaded");
  const ChunkFn chunk_fn = kernel().chunk;
  const ChunkArgs args{x, weights, &table, labels, dist_sq, bounds, check};
  OmpGuard guard;  // the kernels allocate their tiles: bad_alloc must not escape the region
#pragma omp parallel for schedule(dynamic, 1) num_threads(team_size(n, threads))
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    guard.run([&] {
      const std::size_t begin = ch * kChunkRows, end = std::min(n, begin + kChunkRows);
      chunk_fn(args, begin, end, partial ? partial + ch * stride : nullptr);
    });
  }
  guard.rethrow();
  if (!totals) return;
  add_partials(partial, chunks, stride, k, d, *totals);
}

void label_distances(MatrixView x, const CentroidTable& table, const std::int32_t* labels,
                     float* dist_sq, int threads) {
  const std::size_t n = x.rows, chunks = chunk_count(n);
  const DistFn dist_fn = kernel().dist;
  const ChunkArgs args{x, nullptr, &table, const_cast<std::int32_t*>(labels), dist_sq};
  OmpGuard guard;
#pragma omp parallel for schedule(static) num_threads(team_size(n, threads))
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    guard.run([&] { dist_fn(args, ch * kChunkRows, std::min(n, (ch + 1) * kChunkRows)); });
  }
  guard.rethrow();
}

}  // namespace segmint::kmeans
