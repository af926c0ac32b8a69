// Binary event store throughput: write (incl. fsync + rename) and read (checksums verified,
// users mapped) of SEGMINT_BENCH_EVENTS events (default 50M), and CSV parsing of a generated
// REES46 file for comparison (skipped while the CSV reader is a stub).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <random>

#include "generate/generator.hpp"
#include "store/store_reader.hpp"
#include "segmint/error.hpp"
#include "segmint/event_store.hpp"
#include "bench_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace segmint;

std::uint64_t bench_events() { return bench::env_count("SEGMINT_BENCH_EVENTS", 50'000'000); }

fs::path work_dir() {
  static fs::path dir = fs::temp_directory_path() / ("segmint-store-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

/// Serves one prebuilt 1M-event batch again and again (users shifted each time) up to `total`.
class RepeatSource : public EventSource {
 public:
  RepeatSource(const EventBatch& block, std::uint64_t total, std::uint32_t users_per_block)
      : block_(block), total_(total), shift_(users_per_block) {}
  bool next(EventBatch& batch) override {
    batch.clear();
    if (served_ >= total_) return false;
    batch = block_;
    std::size_t n = std::min<std::uint64_t>(block_.size(), total_ - served_);
    batch.user.resize(n), batch.time.resize(n), batch.type.resize(n), batch.amount.resize(n);
    batch.item.resize(n), batch.category.resize(n), batch.session.resize(n), batch.order.resize(n);
    for (auto& u : batch.user) u += round_ * shift_;
    ++round_;
    served_ += n;
    counts_.events = counts_.rows = served_;
    return true;
  }
  const IngestCounts& counts() const override { return counts_; }
  std::vector<std::string> schemas() const override { return {"bench"}; }

 private:
  const EventBatch& block_;
  std::uint64_t total_, served_ = 0;
  std::uint32_t shift_, round_ = 0;
  IngestCounts counts_;
};

constexpr std::size_t kBlock = 1u << 20;
constexpr std::uint32_t kUsersPerBlock = 20000;

void BM_StoreWrite(benchmark::State& state) {
  const std::uint64_t total = bench_events();
  UserDictionary users;
  EventBatch block;
  try {
    for (std::uint64_t u = 0; u < (total / kBlock + 1) * kUsersPerBlock; ++u) {
      users.intern(std::to_string(500000000 + u));
    }
  } catch (const RuntimeError& e) {
    state.SkipWithError("UserDictionary is a stub (ingest not merged)");
    return;
  }
  std::mt19937_64 rng(1);
  for (std::size_t i = 0; i < kBlock; ++i) {
    block.push_back(static_cast<std::uint32_t>(rng() % kUsersPerBlock),
                    1569888000 + static_cast<std::int64_t>(rng() % 2592000),
                    static_cast<EventType>(rng() % 4), (rng() % 100000) / 100.0, rng() % 50000 + 1,
                    rng() % 300 + 1, rng() | 1, kNoKey);
  }
  const std::string path = (work_dir() / "bench.sgm").string();
  for (auto _ : state) {
    RepeatSource source(block, total, kUsersPerBlock);
    benchmark::DoNotOptimize(write_event_store(source, users, path));
  }
  const double bytes = static_cast<double>(fs::file_size(path));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.counters["events"] = static_cast<double>(total);
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_StoreRead(benchmark::State& state) {
  const std::string path = (work_dir() / "bench.sgm").string();
  if (!fs::exists(path)) {
    state.SkipWithError("run BM_StoreWrite first");
    return;
  }
  std::uint64_t events = 0;
  for (auto _ : state) {
    UserDictionary users;
    auto source = open_event_store(path, IngestOptions{}, users);
    EventBatch batch;
    events = 0;
    while (source->next(batch)) events += batch.size();
    benchmark::DoNotOptimize(events);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(fs::file_size(path)) * state.iterations());
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsIterationInvariantRate);
}

/// A generated REES46 CSV (~5M events), read by open_events, then the same events as a store.
void BM_CsvVersusStore(benchmark::State& state) {
  const fs::path dir = work_dir() / "csv";
  gen::GenerateOptions o;
  o.users = 60000;
  if (!fs::exists(dir / "events.csv")) gen::generate_dataset(o, dir.string());
  const std::string csv = (dir / "events.csv").string(), sgm = (dir / "events.sgm").string();
  try {
    UserDictionary users;
    auto source = open_events({csv}, IngestOptions{}, users);
    write_event_store(*source, users, sgm);
  } catch (const RuntimeError&) {
    state.SkipWithError("the CSV reader is a stub (ingest not merged)");
    return;
  }
  double csv_s = 0, store_s = 0;
  for (auto _ : state) {
    for (int which = 0; which < 2; ++which) {
      auto t0 = std::chrono::steady_clock::now();
      UserDictionary users;
      auto source = which == 0 ? open_events({csv}, IngestOptions{}, users)
                               : open_event_store(sgm, IngestOptions{}, users);
      EventBatch batch;
      while (source->next(batch)) benchmark::DoNotOptimize(batch.size());
      std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
      (which == 0 ? csv_s : store_s) += dt.count();
    }
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["csv_MB/s"] = static_cast<double>(fs::file_size(csv)) / 1e6 / (csv_s / n);
  state.counters["store_MB/s"] = static_cast<double>(fs::file_size(sgm)) / 1e6 / (store_s / n);
  state.counters["store_speedup"] = csv_s / store_s;
}

BENCHMARK(BM_StoreWrite)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_StoreRead)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CsvVersusStore)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(work_dir(), ec);
  return 0;
}
