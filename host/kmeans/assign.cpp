// The CPU backend's assignment pass: the centroid table, the choice of kernel for this CPU, and
// the loop over fixed row chunks whose partial sums are added in chunk order.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
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
  cols.assign(static_cast<std::size_t>(d) * kpad, 0.f);
  cn.assign(kpad, std::numeric_limits<float>::infinity());
  cn_max = 0;
  bool finite = true;
  for (int c = 0; c < k; ++c) {
    for (int j = 0; j < d; ++j) {
      const float v = centroids[static_cast<std::size_t>(c) * d + j];
      screen[static_cast<std::size_t>(j) * kpad + c] = -2.f * v;
      cols[static_cast<std::size_t>(j) * kpad + c] = v;
      finite = finite && std::isfinite(-2.f * v);
    }
    cn[c] = detail::centroid_norm(centroids + static_cast<std::size_t>(c) * d, d);
    finite = finite && std::isfinite(cn[c]);
    cn_max = std::max(cn_max, cn[c]);
  }
  bound = ScreenBound::make(cn_max, d, finite);  // not finite: every centroid ranked exactly
  load_bf16_pairs();
}

namespace {
// v rounded to bf16 (nearest, ties to even; subnormals to 0, as the bf16 instructions read
// them), as the bits of its upper half; NaN stays NaN.
std::uint32_t bf16_bits(float v) {
  std::uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  if (std::isnan(v)) return (b >> 16) | 0x40;
  const std::uint32_t r = (b + 0x7fff + ((b >> 16) & 1)) >> 16;
  return (r & 0x7f80) == 0 ? r & 0x8000 : r;  // exponent 0: zero or subnormal
}

float bf16_value(std::uint32_t bits) {
  const std::uint32_t b = bits << 16;
  float v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

// v (>= 0, from a double sum of a few terms) rounded up to a float with room to spare.
float up_loose(double v) { return static_cast<float>(v * (1 + 0x1p-20)) * (1 + 0x1p-20f); }
}  // namespace

void CentroidTable::load_bf16_pairs() {
  const int half = (d + 1) / 2;
  pairs.assign(static_cast<std::size_t>(half) * kpad, 0);
  std::vector<double> rc2(k, 0.0), c2(k, 0.0);
  for (int p = 0; p < half; ++p)
    for (int c = 0; c < k; ++c) {
      std::uint32_t word = 0;
      for (int h = 0; h < 2 && 2 * p + h < d; ++h) {
        const float v = screen[static_cast<std::size_t>(2 * p + h) * kpad + c];  // -2 c_j
        const std::uint32_t b = bf16_bits(v);
        word |= b << (16 * h);
        const double r = (static_cast<double>(v) - bf16_value(b)) / 2;  // exact: 8 + 24 bits
        rc2[c] += r * r;
        c2[c] += static_cast<double>(v) * v / 4;
      }
      pairs[static_cast<std::size_t>(p) * kpad + c] = static_cast<std::int32_t>(word);
    }
  double rc = 0, cm = 0;
  for (int c = 0; c < k; ++c) rc = std::max(rc, rc2[c]), cm = std::max(cm, c2[c]);
  rc_max = up_loose(std::sqrt(rc));
  c_max = up_loose(std::sqrt(cm));
  bound_bf16 = ScreenBound::make(cn_max, d, bound.xlim > 0, 0x1p-7 + 0x1p-16);
}

namespace {

struct Kernel {
  ChunkFn chunk;
  DistFn dist;
};

constexpr Kernel kKernels[] = {{assign_chunk_base, label_dist_base},
                               {assign_chunk_avx2, label_dist_avx2},
                               {assign_chunk_avx512, label_dist_avx512},
                               {assign_chunk_avx512bf16, label_dist_avx512bf16}};

// The kernel this process runs (assign_avx512.cpp is built for F+DQ+VL+BW, assign_avx512bf16.cpp
// adds BF16: common/cpu_isa).
IsaChoice g_choice;

// The bf16 screen pays where the products it saves (k d / 2 per row) outweigh re-ranking the
// rows its wider slack leaves unsettled (4-8% of them, each a scan of k screen values and two or
// three exact distances). 10 Lloyd passes on 1M rows, 2 threads, Zen 4 (BM_FixedIterations,
// 2026-12-05), float -> bf16 ms: d 32 k 64 255 -> 235, d 64 k 64 397 -> 366, d 32 k 128 (500k
// rows) 245 -> 201, d 16 k 64 159 -> 154; at k 32 it goes either way (d 32 142 -> 133, d 16
// 90 -> 96, d 64 269 -> 277); below it loses (d 16 k 16 63 -> 75, d 64 k 16 203 -> 223, d 8
// k 32 64 -> 80). A test that forces the bf16 kernel runs it at every shape.
bool bf16_screen_pays(int k, int d) { return k >= 64 && d >= 16; }

const Kernel& kernel(const CentroidTable& t) {
  CpuIsa isa = g_choice.current();
  if (isa == CpuIsa::avx512bf16 && !g_choice.forced() && !bf16_screen_pays(t.k, t.d))
    isa = CpuIsa::avx512;
  return kKernels[static_cast<int>(isa)];
}

constexpr InitKernel kInitKernels[] = {{to_centre_base, trial_sums_base},
                                       {to_centre_avx2, trial_sums_avx2},
                                       {to_centre_avx512, trial_sums_avx512},
                                       {to_centre_avx512, trial_sums_avx512}};  // no bf16 step

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
std::vector<KernelIsa> runnable_kernel_isas() {
  std::vector<KernelIsa> out;
  for (int i = 0; i <= static_cast<int>(best_kernel_isa()); ++i)
    out.push_back(static_cast<KernelIsa>(i));
  return out;
}
void force_kernel_isa(KernelIsa isa) { g_choice.force(isa); }
void reset_kernel_isa() { g_choice.reset(); }
void use_baseline_kernel(bool on) {
  if (on)
    force_kernel_isa(KernelIsa::baseline);
  else
    reset_kernel_isa();
}

namespace {

// The pass's bf16 watch (ScreenChoice): the float screen from the start in a shifting pass that
// asks for it (BoundArgs::float_screen), even where a test forces the bf16 kernel; else bf16 on
// every tile where a test forces that kernel; else watched.
void start_watch(ScreenWatch& watch, const BoundArgs* bounds) {
  if (bounds && bounds->shift && bounds->float_screen)
    watch.verdict = kScreenFloat;
  else if (g_choice.forced())
    watch.verdict = kScreenForced;
}

}  // namespace

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
  // With distances the bounded kernel is the fit's last pass (bounded_finish): no sums.
  if (bounds && dist_sq && totals)
    throw RuntimeError("assign_pass: bounds with distances give no totals");
  const ChunkFn chunk_fn = kernel(table).chunk;
  ScreenWatch watch;
  start_watch(watch, bounds);
  ChunkArgs args{x, weights, &table, labels, dist_sq, bounds, check};
  args.screen = &watch;
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
  totals->screen_verdict =
      chunk_fn == assign_chunk_avx512bf16 ? watch.verdict.load() : kScreenUndecided;
}

double final_pass(MatrixView x, const float* weights, const CentroidTable& table,
                  std::int32_t* labels, float* dist, bool relabel, const BoundArgs* bounds,
                  int threads) {
  const std::size_t n = x.rows, chunks = chunk_count(n);
  const Kernel& kern = kernel(table);
  ScreenWatch watch;
  start_watch(watch, relabel ? bounds : nullptr);
  std::vector<double> inertia(chunks, 0.0);
  ChunkArgs args{x, weights, &table, labels, dist, relabel ? bounds : nullptr};
  args.screen = &watch;
  args.inertia = inertia.data();
  OmpGuard guard;  // the kernels allocate their tiles: bad_alloc must not escape the region
#pragma omp parallel for schedule(dynamic, 1) num_threads(team_size(n, threads))
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    guard.run([&] {
      const std::size_t begin = ch * kChunkRows, end = std::min(n, begin + kChunkRows);
      if (relabel)
        kern.chunk(args, begin, end, nullptr);
      else
        kern.dist(args, begin, end);
    });
  }
  guard.rethrow();
  double total = 0;  // weighted_sum's order: the chunks' sums, first to last
  for (double v : inertia) total += v;
  return total;
}

void label_distances(MatrixView x, const CentroidTable& table, const std::int32_t* labels,
                     float* dist_sq, int threads) {
  const std::size_t n = x.rows, chunks = chunk_count(n);
  const DistFn dist_fn = kernel(table).dist;
  const ChunkArgs args{x, nullptr, &table, const_cast<std::int32_t*>(labels), dist_sq};
  OmpGuard guard;
#pragma omp parallel for schedule(static) num_threads(team_size(n, threads))
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    guard.run([&] { dist_fn(args, ch * kChunkRows, std::min(n, (ch + 1) * kChunkRows)); });
  }
  guard.rethrow();
}

}  // namespace segmint::kmeans
