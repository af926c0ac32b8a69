// Float text of features.csv: write_shortest (host/common/text.hpp) against std::to_chars, which
// it must equal byte for byte (tests/unit/text_output_test.cpp), on feature-like values: rates in
// [0, 1], and days, amounts and averages over six decades. Arg 0: std::to_chars, 1: write_shortest.
#include <benchmark/benchmark.h>

#include <charconv>
#include <cmath>
#include <random>
#include <vector>

#include "common/text.hpp"

namespace {

const std::vector<float>& values() {
  static const std::vector<float> v = [] {
    std::mt19937 gen(3);
    std::uniform_real_distribution<float> rate(0.f, 1.f), decade(-2.f, 4.f);
    std::vector<float> out(1 << 20);
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = i % 2 ? rate(gen) : std::pow(10.f, decade(gen)) / 7.f;
    return out;
  }();
  return v;
}

void BM_FloatText(benchmark::State& state) {
  const std::vector<float>& v = values();
  const bool ours = state.range(0) == 1;
  char buf[64];
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (float x : v) {
      const char* end = ours ? segmint::write_shortest(buf, x)
                             : std::to_chars(buf, buf + sizeof buf, x).ptr;
      bytes += static_cast<std::size_t>(end - buf);
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * v.size()));
}

BENCHMARK(BM_FloatText)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
