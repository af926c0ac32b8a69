// Test helpers for aggregate/features tests: crafting event batches and reading feature cells.
#pragma once
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "segmint/error.hpp"
#include "segmint/features.hpp"

namespace segmint::test {

/// 2024-01-01 00:00:00 UTC, a Monday.
inline constexpr std::int64_t kT0 = 1704067200;
inline constexpr std::int64_t kMin = 60, kHour = 3600, kDay = 86400;

/// Builds an EventBatch with string keys.
struct Log {
  EventBatch batch;
  Log& add(std::uint32_t user, std::int64_t t, EventType type, double amount = 0,
           const std::string& item = "", const std::string& category = "",
           const std::string& session = "", const std::string& order = "") {
    batch.push_back(user, t, type, amount, key_of(item), key_of(category), key_of(session),
                    key_of(order));
    return *this;
  }
};

inline FeatureMatrix features_of(const EventBatch& b, const AggregateOptions& ao = {},
                                 const FeatureOptions& fo = {}) {
  UserTable t(ao);
  t.add(b);
  return compute_features(t, fo);
}

/// Cell (user, feature name); fails the test when the name is unknown.
inline float cell(const FeatureMatrix& m, std::uint32_t user, const std::string& name) {
  for (std::size_t j = 0; j < m.cols; ++j) {
    if (m.names[j] == name) return m.at(user, j);
  }
  ADD_FAILURE() << "no feature " << name;
  return NAN;
}

/// Rows `idx` of `b`, in that order.
inline EventBatch take_rows(const EventBatch& b, const std::vector<std::size_t>& idx) {
  EventBatch out;
  for (std::size_t r : idx) {
    out.push_back(b.user[r], b.time[r], b.type[r], b.amount[r], b.item[r], b.category[r],
                  b.session[r], b.order[r]);
  }
  return out;
}

/// Random events over `users` users and ~30 days: all event types, some order/session keys, some
/// exact time collisions, cents-valued amounts.
inline EventBatch random_events(std::size_t n, std::uint32_t users, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  EventBatch b;
  b.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t u = static_cast<std::uint32_t>(rng() % users);
    std::int64_t t = kT0 + static_cast<std::int64_t>(rng() % (30 * kDay));
    if (rng() % 8 == 0) t = kT0 + static_cast<std::int64_t>(rng() % 50) * kHour;  // collisions
    auto type = static_cast<EventType>(rng() % kEventTypeCount);
    double amount = (type == EventType::purchase || type == EventType::cancel)
                        ? static_cast<double>(rng() % 100000) / 100.0 *
                              (type == EventType::cancel ? -1 : 1)
                        : 0.0;
    std::uint64_t item = rng() % 4 ? 1 + rng() % 500 : kNoKey;
    std::uint64_t cat = rng() % 3 ? 1 + rng() % 20 : kNoKey;
    std::uint64_t session = rng() % 2 ? 1 + rng() % 5000 : kNoKey;
    std::uint64_t order = (type == EventType::purchase || type == EventType::cancel) && rng() % 2
                              ? 1 + rng() % 3000
                              : kNoKey;
    b.push_back(u, t, type, amount, item, cat, session, order);
  }
  return b;
}

}  // namespace segmint::test
