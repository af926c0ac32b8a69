// CPU k-means benchmarks: one Lloyd iteration and a whole fit from given centroids (the
// baseline every GPU number is compared with). Data: $SEGMINT_BENCH_DIR/{x.f32,init.f32,
// shape.txt} when set (bench/peers_cpu.py writes them so the peers see the same bytes), else
// Gaussian blobs generated here: 1M x 16 with k = 16, or SEGMINT_BENCH_SHAPE="n,d,k".
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/huge_pages.hpp"
#include "kmeans/bounds.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "kmeans/metrics.hpp"
#include "segmint/backend.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace {

struct Data {
  std::size_t n = 1'000'000;
  int d = 16, k = 16;
  std::vector<float> x, init;
};

// Huge pages for the data, as numpy gives the peers' copy (it advises them for arrays >= 4 MB).
std::vector<float> read_f32(const std::string& path, std::size_t count) {
  std::vector<float> v = segmint::huge_vector<float>(count);
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(v.data()), count * sizeof(float)))
    throw std::runtime_error("cannot read " + std::to_string(count) + " floats from " + path);
  return v;
}

const Data& data() {
  static const Data d = [] {
    Data out;
    if (const char* dir = std::getenv("SEGMINT_BENCH_DIR")) {
      std::ifstream shape(std::string(dir) + "/shape.txt");
      if (!(shape >> out.n >> out.d >> out.k)) throw std::runtime_error("bad shape.txt");
      out.x = read_f32(std::string(dir) + "/x.f32", out.n * out.d);
      out.init = read_f32(std::string(dir) + "/init.f32", static_cast<std::size_t>(out.k) * out.d);
      return out;
    }
    if (const char* shape = std::getenv("SEGMINT_BENCH_SHAPE"))
      if (std::sscanf(shape, "%zu,%d,%d", &out.n, &out.d, &out.k) != 3)
        throw std::runtime_error("SEGMINT_BENCH_SHAPE must be n,d,k");
    std::mt19937_64 gen(1);
    std::normal_distribution<float> g(0.f, 1.f);
    std::uniform_real_distribution<float> u(-5.f, 5.f);
    std::vector<float> centers(static_cast<std::size_t>(out.k) * out.d);
    for (auto& c : centers) c = u(gen);
    out.x = segmint::huge_vector<float>(out.n * out.d);
    for (std::size_t i = 0; i < out.n; ++i)
      for (int j = 0; j < out.d; ++j)
        out.x[i * out.d + j] = centers[(i % out.k) * out.d + j] + g(gen);
    out.init.assign(out.x.begin(), out.x.begin() + static_cast<std::size_t>(out.k) * out.d);
    return out;
  }();
  return d;
}

void run_fit(benchmark::State& state, int max_iter, double tol) {
  const Data& d = data();
  // SEGMINT_KMEANS_BOUNDS=0: every row screened every pass (the loop before the bounds); =1:
  // bounds whatever k * d; unset: lloyd's default (bounds when k * d >= kBoundsMinWork).
  if (const char* on = std::getenv("SEGMINT_KMEANS_BOUNDS"))
    segmint::kmeans::use_row_bounds(std::string(on) != "0");
  else
    segmint::kmeans::reset_row_bounds();
  // SEGMINT_KMEANS_SUM_REUSE=0: every bounded pass folds every row; =1: reuses the previous
  // pass's sums wherever it can; unset: where few labels moved (reuse_sums_pays).
  const char* reuse = std::getenv("SEGMINT_KMEANS_SUM_REUSE");
  segmint::kmeans::use_sum_reuse(reuse ? std::atoi(reuse) : -1);
  // SEGMINT_KMEANS_EXACT=0: no chunk moves rows in place (BoundArgs::exact_chunks).
  const char* exact = std::getenv("SEGMINT_KMEANS_EXACT");
  segmint::kmeans::use_exact_sums(!exact || std::string(exact) != "0");
  segmint::BackendOptions cpu;
  cpu.device = segmint::DeviceChoice::cpu;
  auto backend = segmint::make_backend(cpu);
  segmint::KMeansParams p;
  p.k = d.k;
  p.init = segmint::InitMethod::given;
  p.initial_centroids = d.init;
  p.max_iter = max_iter;
  p.tol = tol;
  segmint::MatrixView x{d.x.data(), d.n, static_cast<std::size_t>(d.d)};
  segmint::KMeansResult r;
  for (auto _ : state) {
    r = backend->kmeans(x, nullptr, p);
    benchmark::DoNotOptimize(r.inertia);
  }
  state.counters["lloyd_iterations"] = r.iterations;
  state.counters["ms_per_lloyd_iteration"] = benchmark::Counter(
      static_cast<double>(r.iterations) * 1e-3,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["inertia"] = r.inertia;
  // Share of rows the Lloyd loop's bounds proved (no screen), overall and per pass.
  const auto& skipped = segmint::kmeans::last_skipped_rows();
  double all = 0;
  for (std::size_t q = 0; q < skipped.size(); ++q) {
    all += static_cast<double>(skipped[q]);
    if (q < 20) state.counters["skip" + std::to_string(q + 1)] = skipped[q] / double(d.n);
  }
  if (!skipped.empty()) state.counters["skip_rate"] = all / (double(d.n) * skipped.size());
  // Share of chunks whose sums were exact (their bounded passes move rows in place).
  state.counters["exact_chunks"] = static_cast<double>(segmint::kmeans::last_exact_chunks()) /
                                   static_cast<double>(segmint::kmeans::chunk_count(d.n));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.n) * r.iterations);
  state.SetLabel(backend->description());
}

// One Lloyd iteration as scikit-learn counts it with max_iter=1: assign + update, then the
// final relabel for the returned centroids (two passes over the data).
void BM_LloydIteration(benchmark::State& state) { run_fit(state, 1, 0.0); }
// A whole fit from the same centroids: max_iter=300, tol=1e-4 (scikit-learn's defaults).
void BM_WholeFit(benchmark::State& state) { run_fit(state, 300, 1e-4); }

// SEGMINT_BENCH_ITERS Lloyd iterations (default 20) at tol 0 (it stops early only when no
// label changes); the CPU column is the whole process's CPU time.
void BM_FixedIterations(benchmark::State& state) {
  const char* it = std::getenv("SEGMINT_BENCH_ITERS");
  run_fit(state, it ? std::atoi(it) : 20, 0.0);
}

// One assignment pass as the Lloyd loop runs it (labels + fused per-cluster sums, no
// distances), and the final relabel's pass (labels + exact distances), on all threads.
// bounded: 1 refreshes every row's bounds each pass, 2 proves every row (centroids unmoved),
// 3 proves all but a seeded random share of the rows (SEGMINT_BENCH_UNPROVEN, default 0.03),
// whose lower bounds are set to 0 before each pass, untimed: a late pass of a fit; 4 is 3 run as
// the fit's last pass (final_pass: labels, distances and the inertia). 2, 3 and 4 screen in float
// (BoundArgs::float_screen), as the fit's passes after one that proved most rows.
void assign_pass_bench(benchmark::State& state, bool with_dist, int bounded = 0) {
  const Data& d = data();
  segmint::kmeans::RowBounds bounds(bounded ? d.n : 0, d.k, d.d);
  segmint::MatrixView x{d.x.data(), d.n, static_cast<std::size_t>(d.d)};
  segmint::kmeans::CentroidTable table;
  table.load(d.init.data(), d.k, d.d);
  std::vector<std::int32_t> labels(d.n, -1);
  std::vector<float> dist(d.n);
  segmint::kmeans::PassTotals totals;
  std::vector<std::size_t> unproven;
  float* lower = nullptr;
  if (bounded >= 2) {  // bounds for the table's centroids; later passes see zero movement
    const segmint::kmeans::BoundArgs b = bounds.args();
    segmint::kmeans::assign_pass(x, nullptr, table, labels.data(), nullptr, &totals, 0, &b);
    lower = b.lower;
  }
  if (bounded >= 3) {
    const char* share = std::getenv("SEGMINT_BENCH_UNPROVEN");
    std::bernoulli_distribution pick(share ? std::atof(share) : 0.03);
    std::mt19937_64 gen(7);
    for (std::size_t i = 0; i < d.n; ++i)
      if (pick(gen)) unproven.push_back(i);
  }
  for (auto _ : state) {
    if (bounded >= 3) {
      state.PauseTiming();
      for (std::size_t i : unproven) lower[i] = 0;
      state.ResumeTiming();
    }
    if (bounded >= 2) bounds.shift(d.init.data(), d.init.data());
    segmint::kmeans::BoundArgs b = bounds.args();
    b.float_screen = bounded >= 2;  // as a fit's pass after one that proved most rows
    if (bounded == 4) {
      benchmark::DoNotOptimize(
          segmint::kmeans::final_pass(x, nullptr, table, labels.data(), dist.data(), true, &b, 0));
      continue;
    }
    segmint::kmeans::assign_pass(x, nullptr, table, labels.data(),
                                 with_dist ? dist.data() : nullptr, with_dist ? nullptr : &totals,
                                 0, bounded ? &b : nullptr);
    benchmark::DoNotOptimize(labels.data());
  }
  if (bounded && bounded < 4)
    state.counters["skip_rate"] = totals.skipped / static_cast<double>(d.n);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.n));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(d.n) * d.d * 4);
}
void BM_AssignPass(benchmark::State& state) { assign_pass_bench(state, false); }
void BM_AssignPassWithDistances(benchmark::State& state) { assign_pass_bench(state, true); }
// The bounded pass when no row is proven (the cost of refreshing every row's bounds).
void BM_AssignPassRefreshBounds(benchmark::State& state) { assign_pass_bench(state, false, 1); }
// The bounded pass when every row is proven (shift, prove, fold: the floor of a skipping pass).
void BM_AssignPassAllProven(benchmark::State& state) { assign_pass_bench(state, false, 2); }
// The bounded pass when most rows are proven and the others scattered (gathered and screened).
void BM_AssignPassMostProven(benchmark::State& state) { assign_pass_bench(state, false, 3); }
// The fit's last pass (labels, distances, inertia) when most rows are proven, as
// BM_AssignPassMostProven.
void BM_FinalPassMostProven(benchmark::State& state) { assign_pass_bench(state, true, 4); }

// Greedy k-means++ (2 + ln k candidates a step) on the same data, all threads: a `run`'s
// initialisation (200k users, k 8: ~0.4 CPU s before it was blocked, most of its k-means stage).
void BM_InitPlusPlus(benchmark::State& state) {
  const Data& d = data();
  segmint::MatrixView x{d.x.data(), d.n, static_cast<std::size_t>(d.d)};
  for (auto _ : state) {
    segmint::kmeans::Rng rng(7);
    auto centers = segmint::kmeans::init_kmeans_pp(x, nullptr, d.k, rng, 0);
    benchmark::DoNotOptimize(centers.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.n));
}

// The exact silhouette of the first 4000 rows (the size run's quality section samples), labels
// from the data's init centroids, all threads.
void BM_Silhouette(benchmark::State& state) {
  const Data& d = data();
  const std::size_t m = std::min<std::size_t>(4000, d.n);
  segmint::MatrixView x{d.x.data(), m, static_cast<std::size_t>(d.d)};
  std::vector<std::int32_t> labels(m);
  for (std::size_t i = 0; i < m; ++i) {
    float unused;
    labels[i] = segmint::detail::nearest_centroid(x.row(i), d.init.data(), d.k, d.d, &unused);
  }
  segmint::metrics::SilhouetteOptions o;
  o.exact_limit = m;
  double s = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(s = segmint::metrics::silhouette(x, labels.data(), o));
  state.counters["silhouette"] = s;
}

BENCHMARK(BM_AssignPass)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK(BM_Silhouette)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK(BM_InitPlusPlus)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK(BM_AssignPassAllProven)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK(BM_AssignPassMostProven)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK(BM_FinalPassMostProven)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK(BM_AssignPassRefreshBounds)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK(BM_AssignPassWithDistances)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK(BM_LloydIteration)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_FixedIterations)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->MinTime(2.0);
BENCHMARK(BM_WholeFit)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
