// Aggregation throughput (events/s): UserTable::add over ~20M random events in 1M-row batches,
// on one thread and on all threads; features from the finished table timed separately. Random
// order is the hard case (time-ordered exports are close to it): most users get one or a few
// events a batch. SEGMINT_BENCH_EVENTS, _USERS and _BATCH change the shape.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "segmint/features.hpp"
#include "xorshift.hpp"

namespace {

std::size_t batch_rows() {  // SEGMINT_BENCH_BATCH: rows per batch (the CLI's default is 2^18)
  static const std::size_t rows = [] {
    const char* env = std::getenv("SEGMINT_BENCH_BATCH");
    return env ? static_cast<std::size_t>(std::atoll(env)) : std::size_t{1} << 20;
  }();
  return rows;
}

std::size_t event_count() {
  const char* env = std::getenv("SEGMINT_BENCH_EVENTS");  // smaller runs on small machines
  return env ? static_cast<std::size_t>(std::atoll(env)) : 20'000'000;
}

std::uint64_t bench_users() {
  static const std::uint64_t users = [] {
    const char* env = std::getenv("SEGMINT_BENCH_USERS");
    return env ? static_cast<std::uint64_t>(std::atoll(env)) : 1'000'000;
  }();
  return users;
}

// Deterministic synthetic log: 1M users (SEGMINT_BENCH_USERS), 30 days, every event type, keys
// like real data.
const std::vector<segmint::EventBatch>& batches() {
  static const std::vector<segmint::EventBatch> data = [] {
    std::vector<segmint::EventBatch> out;
    segmint::bench::XorShift64 next(0x9E3779B97F4A7C15ull);
    const std::size_t n = event_count();
    for (std::size_t i = 0; i < n; ++i) {
      if (i % batch_rows() == 0) {
        out.emplace_back();
        out.back().reserve(batch_rows());
      }
      const std::uint64_t r = next();
      const auto type = static_cast<segmint::EventType>(r % 6);  // view .. cancel, email_send
      const bool money = type == segmint::EventType::purchase || type == segmint::EventType::cancel;
      out.back().push_back(static_cast<std::uint32_t>((r >> 8) % bench_users()),
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
