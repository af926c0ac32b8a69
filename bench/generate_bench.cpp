// Generator throughput: events/s and MB/s of CSV text, in memory on one thread and to disk
// (atomic files, fsync) with all threads.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <unistd.h>
#include <omp.h>

#include "generate/generator.hpp"

namespace {

namespace fs = std::filesystem;
using namespace segmint;

void BM_GenerateInMemoryOneThread(benchmark::State& state) {
  gen::GenerateOptions o;
  std::string events, truth;
  gen::GenerateStats s;
  for (auto _ : state) {
    s = {};
    // Chunks of 1024 users into reused buffers, as generate_dataset does.
    for (std::uint64_t u = 0; u < static_cast<std::uint64_t>(state.range(0)); u += 1024) {
      events.clear();
      truth.clear();
      gen::generate_users(o, u, u + 1024, events, truth, s);
      benchmark::DoNotOptimize(events.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(s.bytes) * state.iterations());
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(s.events), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_GenerateDatasetAllThreads(benchmark::State& state) {
  fs::path dir = fs::temp_directory_path() / ("segmint-gen-bench-" + std::to_string(::getpid()));
  gen::GenerateOptions o;
  o.users = static_cast<std::uint64_t>(state.range(0));
  gen::GenerateStats s;
  for (auto _ : state) s = gen::generate_dataset(o, dir.string());
  fs::remove_all(dir);
  state.SetBytesProcessed(static_cast<std::int64_t>(s.bytes) * state.iterations());
  state.counters["events"] = static_cast<double>(s.events);
  state.counters["threads"] = omp_get_max_threads();
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(s.events), benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_GenerateInMemoryOneThread)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GenerateDatasetAllThreads)->Arg(200000)->Iterations(1)->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
