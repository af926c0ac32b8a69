// Aggregation throughput (events/s): UserTable::add over ~20M random events in 1M-row batches,
// on one thread and on all threads; features from the finished table timed separately. Random
// order is the hard case (time-ordered exports are close to it): most users get one or a few
// events a batch. SEGMINT_BENCH_EVENTS, _USERS and _BATCH change the shape.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdint>
#include <vector>

#include "segmint/features.hpp"
#include "bench_support.hpp"

namespace {

// Deterministic synthetic log: 20M events (SEGMINT_BENCH_EVENTS: smaller runs on small
// machines) of 1M users (SEGMINT_BENCH_USERS) in batches of 2^20 rows (SEGMINT_BENCH_BATCH; the
// CLI's default is 2^18), 30 days, every event type, keys like real data.
const std::vector<segmint::EventBatch>& batches() {
  static const std::vector<segmint::EventBatch> data = [] {
    using segmint::bench::env_count;
    const std::size_t n = env_count("SEGMINT_BENCH_EVENTS", 20'000'000);
    const std::uint64_t users = env_count("SEGMINT_BENCH_USERS", 1'000'000);
    const std::size_t rows = env_count("SEGMINT_BENCH_BATCH", std::uint64_t{1} << 20);
    std::vector<segmint::EventBatch> out;
    segmint::bench::XorShift64 next(0x9E3779B97F4A7C15ull);
    for (std::size_t i = 0; i < n; ++i) {
      if (i % rows == 0) {
        out.emplace_back();
        out.back().reserve(rows);
      }
      const std::uint64_t r = next();
      const auto type = static_cast<segmint::EventType>(r % 6);  // view .. cancel, email_send
      const bool money = type == segmint::EventType::purchase || type == segmint::EventType::cancel;
      out.back().push_back(static_cast<std::uint32_t>((r >> 8) % users),
                           1704067200 + static_cast<std::int64_t>((r >> 28) % (30 * 86400)), type,
                           money ? static_cast<double>(next() % 10000) / 100.0 : 0.0,
                           1 + (r >> 40) % 50000, 1 + (r >> 50) % 300,
                           (r & 1) ? 1 + next() % 3'000'000 : 0, money ? 1 + next() % 500'000 : 0);
    }
    return out;
  }();
  return data;
}

void BM_Aggregate(benchmark::State& state) {
  const auto& data = batches();
  segmint::AggregateOptions o;
  o.threads = static_cast<int>(state.range(0)) > 0 ? static_cast<int>(state.range(0))
                                                   : omp_get_max_threads();
  std::size_t events = 0;
  for (auto _ : state) {
    segmint::UserTable table(o);
    for (const auto& b : data) table.add(b);
    benchmark::DoNotOptimize(table.users());
    for (const auto& b : data) events += b.size();
  }
  state.counters["threads"] = o.threads;
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

void BM_Features(benchmark::State& state) {
  const auto& data = batches();
  segmint::AggregateOptions o;
  o.threads = static_cast<int>(state.range(0)) > 0 ? static_cast<int>(state.range(0))
                                                   : omp_get_max_threads();
  segmint::UserTable table(o);
  for (const auto& b : data) table.add(b);
  for (auto _ : state) {
    auto m = segmint::compute_features(table, {});
    benchmark::DoNotOptimize(m.values.data());
  }
  state.counters["threads"] = o.threads;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * table.users()));
}

// Arg = threads (0 = all cores).
BENCHMARK(BM_Aggregate)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Features)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
