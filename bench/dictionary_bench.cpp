// User dictionary: interning the user column of a time-ordered log (each row a different user, as
// in a REES46 export), the way CsvSource::commit does it (hashes computed ahead, slots prefetched
// 16 rows ahead). Arg 0: numeric ids (REES46 "512345678"); 1: UUID-like ids (36 bytes).
// SEGMINT_BENCH_USERS sets the user count (default 200k; 2M shows a table beyond the caches).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "segmint/dictionary.hpp"
#include "bench_support.hpp"

namespace {

struct Log {
  std::string bytes;                  // each row's id, copied in row order (as a chunk holds them)
  std::vector<std::string_view> row;  // ~88 rows per user, shuffled
  std::vector<std::uint64_t> hashes;  // UserDictionary::hash of each row's id
};

const Log& log_of(bool uuid) {
  static Log logs[2];
  Log& log = logs[uuid];
  if (!log.row.empty()) return log;
  segmint::bench::XorShift64 next(0x9E3779B97F4A7C15ull);
  const std::size_t users = segmint::bench::env_count("SEGMINT_BENCH_USERS", 200'000);
  std::vector<std::string> ids;
  char buf[64];
  for (std::size_t u = 0; u < users; ++u) {
    if (uuid) {
      std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                    static_cast<unsigned long long>(next() & 0xffffffff),
                    static_cast<unsigned long long>(next() & 0xffff),
                    static_cast<unsigned long long>(next() & 0xffff),
                    static_cast<unsigned long long>(next() & 0xffff),
                    static_cast<unsigned long long>(next() & 0xffffffffffffull));
    } else {
      std::snprintf(buf, sizeof buf, "%llu", 500000000ull + u * 37 + next() % 37);
    }
    ids.emplace_back(buf);
  }
  const std::size_t rows = users * 88;
  std::vector<std::uint32_t> user(rows);
  for (std::size_t r = 0; r < rows; ++r) user[r] = static_cast<std::uint32_t>(r % users);
  for (std::size_t r = rows - 1; r > 0; --r) std::swap(user[r], user[next() % (r + 1)]);
  std::vector<std::size_t> at(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    at[r] = log.bytes.size();
    log.bytes += ids[user[r]];
  }
  log.row.resize(rows);
  log.hashes.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    log.row[r] = std::string_view(log.bytes).substr(at[r], ids[user[r]].size());
    log.hashes[r] = segmint::UserDictionary::hash(log.row[r]);
  }
  return log;
}

void BM_InternTimeOrdered(benchmark::State& state) {
  const Log& log = log_of(state.range(0) == 1);
  const std::size_t rows = log.row.size();
  std::uint64_t check = 0;
  for (auto _ : state) {
    segmint::UserDictionary dict;
    for (std::size_t r = 0; r < rows; ++r) {
      if (r + 16 < rows) dict.prefetch(log.hashes[r + 16]);
      check += dict.intern(log.row[r], log.hashes[r]);
    }
    benchmark::DoNotOptimize(check);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

BENCHMARK(BM_InternTimeOrdered)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

// The output order of every per-user file (UserDictionary::sorted_order) over the same users,
// interned in time order (first appearance: shuffled ids). Arg 0: numeric, 1: UUID-like ids.
void BM_SortedOrder(benchmark::State& state) {
  const Log& log = log_of(state.range(0) == 1);
  segmint::UserDictionary dict;
  for (std::size_t r = 0; r < log.row.size(); ++r) dict.intern(log.row[r], log.hashes[r]);
  for (auto _ : state) {
    auto order = dict.sorted_order();
    benchmark::DoNotOptimize(order.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * dict.size()));
}

BENCHMARK(BM_SortedOrder)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
