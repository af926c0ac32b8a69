// Helpers of the device feature tests: skip without a device, random event batches, the CPU
// reference and the 1e-5 relative comparison of DESIGN.md contract 3.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "backends/cuda_entry.hpp"
#include "gpu_skip.hpp"
#include "segmint/features.hpp"

namespace segmint::test {

/// Random events of `users` users over ~20 days with bursts (so gap sessions form), every event
/// type, money of both signs, and keys drawn from small pools with absent keys mixed in.
inline EventBatch random_events(std::uint32_t users, std::size_t events, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&rng](std::uint64_t n) { return static_cast<std::uint64_t>(rng() % n); };
  EventBatch b;
  const std::int64_t t0 = 1569888000;
  for (std::size_t i = 0; i < events; ++i) {
    const auto u = static_cast<std::uint32_t>(pick(users));
    const std::int64_t burst = static_cast<std::int64_t>(pick(40)) * 43200;
    const std::int64_t t = t0 + burst + static_cast<std::int64_t>(pick(4000)) - 7200;
    const auto ty = static_cast<EventType>(pick(kEventTypeCount));
    const double amount = pick(4) == 0 ? 0.0 : (static_cast<double>(pick(200000)) - 20000) / 100.0;
    auto key = [&](std::uint64_t pool) { return pick(5) == 0 ? kNoKey : 1 + pick(pool); };
    b.push_back(u, t, ty, amount, key(50), key(12), key(30), key(25));
  }
  return b;
}

inline FeatureMatrix cpu_features(const EventBatch& b, const AggregateOptions& a,
                                  const FeatureOptions& f, std::size_t min_users = 0) {
  UserTable t(a);
  t.add(b);
  t.ensure_users(min_users);
  return compute_features(t, f);
}

/// Every value within 1e-5 relative (absolute below 1e-6, where relative error means nothing).
inline void expect_features_near(const FeatureMatrix& gpu, const FeatureMatrix& cpu) {
  ASSERT_EQ(gpu.rows, cpu.rows);
  ASSERT_EQ(gpu.cols, cpu.cols);
  ASSERT_EQ(gpu.names, cpu.names);
  std::size_t bad = 0;
  for (std::size_t i = 0; i < cpu.rows; ++i) {
    for (std::size_t j = 0; j < cpu.cols; ++j) {
      const double a = gpu.at(i, j), b = cpu.at(i, j);
      const double tol = std::max(1e-6, 1e-5 * std::max(std::fabs(a), std::fabs(b)));
      if (!(std::fabs(a - b) <= tol) && bad++ < 10) {
        ADD_FAILURE() << "user " << i << " feature " << cpu.names[j] << ": gpu " << a << " cpu "
                      << b;
      }
    }
  }
  EXPECT_EQ(bad, 0u);
}

}  // namespace segmint::test
